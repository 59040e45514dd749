/** An assessment pack of a case whose phase name, texts, deciders and evidence are all `EVIL`: for every surface's escaping tests. */
import { buildAssessment } from '../../src/core/assessment';
import type { AssessmentView } from '../../src/core/assessment-views';
import { newCase } from '../../src/core/cases';
import type { Decision } from '../../src/core/model';

/** An assessment of a case whose phase, texts and evidence are all hostile. */
export function hostileAssessmentOf(EVIL: string): AssessmentView {
  const actor = { id: 'U0ANA', name: `ana ${EVIL}` };
  const c = newCase({ id: 'c-evil', place: { platform: 'slack', workspace: 'T1', channel: 'C1' }, now: '2026-11-26T10:00:00.000Z', title: EVIL });
  const d = (number: number, extra: Partial<Decision> = {}): Decision => ({
    number, sprint: 1, text: `${EVIL} ${number}`, author: actor, createdAt: c.createdAt, updatedAt: c.createdAt, status: 'active', statusReason: null,
    supersededBy: null, sourceUrl: null, revisions: [], deciders: [EVIL], points: [1, 5], ...extra,
  });
  return buildAssessment({
    case: c,
    sprints: [{ number: 0, suffix: EVIL, intro: '', startsOn: null }, { number: 1, suffix: '', intro: '', startsOn: null, phase: { kind: 'alpha', name: EVIL } }],
    decisions: [d(0, { sprint: 1, status: 'superseded', supersededBy: 1 }), d(1), d(2, { points: [], status: 'proposed' }), d(3, { points: [], status: 'withdrawn', statusReason: EVIL })],
    evidence: [{ id: 'e1', decision: 1, letter: 'a', refersTo: null, position: 0, text: EVIL, author: actor, createdAt: c.createdAt, sourceUrl: null, points: [9] },
      { id: 'e2', decision: 1, letter: null, refersTo: '99z', position: 1, text: EVIL, author: actor, createdAt: c.createdAt, sourceUrl: null, points: [] }],
  }, { kind: 'phase', label: EVIL, key: 'alpha', spans: [{ kind: 'alpha', name: EVIL, label: EVIL, from: 1, to: null }] });
}
