/**
 * The assessment view, built from a case: what shaped each point, what covers it, the
 * untagged, the proposals apart, and the gaps (points with nothing, active decisions with no
 * evidence, superseded chains whole, citations that point at nothing); and its Markdown.
 */
import { buildAssessment, supersededChains } from '../../src/core/assessment';
import { renderAssessmentMarkdown } from '../../src/core/assessment-markdown';
import { newCase } from '../../src/core/cases';
import type { CaseSnapshot, Decision, Evidence, Sprint } from '../../src/core/model';
import { resolvePhase, type PhaseScope } from '../../src/core/phases';

const NOW = '2026-11-26T10:00:00.000Z';
const ana = { id: 'U1', name: 'Ana' };

function d(number: number, sprint: number, extra: Partial<Decision> = {}): Decision {
  return {
    number, sprint, text: `Decision ${number} text`, author: ana, createdAt: NOW, updatedAt: NOW, status: 'active', statusReason: null,
    supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [], ...extra,
  };
}

function e(decision: number, letter: string | null, position: number, extra: Partial<Evidence> = {}): Evidence {
  return { id: `e${decision}${letter ?? 'ref'}${position}`, decision, letter, refersTo: null, position, text: 'Seen', author: ana, createdAt: NOW, sourceUrl: null, points: [], ...extra };
}

function sprints(phases: Record<number, Sprint['phase']>, count = 6): Sprint[] {
  return Array.from({ length: count }, (_, number) => ({ number, suffix: '', intro: '', startsOn: null, ...(phases[number] ? { phase: phases[number] } : {}) }));
}

function scope(snap: CaseSnapshot, wanted: string | null, current = 5): PhaseScope {
  const s = resolvePhase(snap.sprints, current, wanted);
  if ('problem' in s) throw new Error(s.problem);
  return s;
}

const base = newCase({ id: 'c1', place: { platform: 'console', workspace: 'local', channel: 'x' }, now: NOW, title: 'Licences' });

describe('buildAssessment', () => {
  const snap: CaseSnapshot = {
    case: { ...base, layout: { ...base.layout, sections: [{ level: 3, heading: 'Benefits', body: 'Fewer calls (2a, 99) and (2a).' }] } },
    sprints: sprints({ 0: { kind: 'discovery', name: null }, 2: { kind: 'alpha', name: null }, 4: { kind: 'beta', name: 'Private beta' } }),
    decisions: [
      d(0, 0, { points: [1] }),
      d(1, 1, { points: [2] }),
      d(2, 2, { points: [4], deciders: ['Priya', 'Tom'] }),
      d(3, 2, { status: 'superseded', supersededBy: 5, points: [9] }),
      d(4, 3, { status: 'withdrawn', statusReason: 'Not needed', points: [7] }),
      d(5, 3),
      d(6, 3, { status: 'proposed', points: [12] }),
      d(7, 3, { status: 'rejected', statusReason: 'Too costly', points: [13] }),
      d(8, 4, { points: [14] }),
    ],
    evidence: [
      e(2, 'a', 0, { points: [5] }),
      e(3, 'a', 0),
      e(5, null, 0, { refersTo: '3z' }),
      e(8, 'a', 0),
    ],
  };

  it('lists, for each of the 14 points, the decisions of the phase that shaped it, through their own points or their evidence\'s', () => {
    const a = buildAssessment(snap, scope(snap, 'alpha'));
    expect(a.scope).toEqual({ kind: 'phase', label: 'Alpha', key: 'alpha', sprints: 'Sprints 2 to 3' });
    expect(a.points).toHaveLength(14);
    const shaped = Object.fromEntries(a.points.filter((p) => p.decisions.length > 0).map((p) => [p.number, p.decisions.map((x) => x.number)]));
    expect(shaped).toEqual({ 4: [2], 5: [2], 7: [4], 9: [3] });
    // Withdrawn: shown, but covering nothing; superseded: it shaped the phase while it stood.
    expect(a.covered).toEqual([4, 5, 9]);
    expect(a.points[6]?.covered).toBe(false);
    expect(a.uncovered.map((p) => p.number)).toEqual([1, 2, 3, 6, 7, 8, 10, 11, 12, 13, 14]);
    expect(a.decisionCount).toBe(4);
    expect(a.untagged.map((x) => x.number)).toEqual([5]);
    // Proposals apart, never under a point, whatever they are tagged with.
    expect(a.proposals.map((x) => [x.number, x.status])).toEqual([[6, 'proposed'], [7, 'rejected']]);
    const two = a.points[3]?.decisions[0];
    expect(two).toMatchObject({ number: 2, sprintHeading: 'Sprint 2', phase: 'Alpha', status: 'active', statusLabel: null, who: 'Priya and Tom' });
    expect(two?.points.map((p) => p.number)).toEqual([4, 5]);
    expect(two?.evidence).toEqual([{ label: '2a', title: 'Evidence 2a', text: 'Seen', points: [{ number: 5, title: 'Make sure everyone can use the service' }] }]);
    expect(a.points[8]?.decisions[0]?.who).toBe('Ana');
  });

  it('reports the gaps: active decisions with no evidence, superseded chains, citations that point at nothing', () => {
    const a = buildAssessment(snap, scope(snap, 'alpha'));
    expect(a.gaps.withoutEvidence.map((x) => x.number)).toEqual([]);
    expect(a.gaps.chains).toEqual([{ links: [{ number: 3, status: 'superseded', text: 'Decision 3 text' }, { number: 5, status: 'active', text: 'Decision 5 text' }] }]);
    expect(a.gaps.brokenCitations).toEqual([{ where: 'the Benefits section', citation: '99' }, { where: 'Decision 5', citation: '3z' }]);
    const all = buildAssessment(snap, scope(snap, 'all'));
    expect(all.gaps.withoutEvidence.map((x) => x.number)).toEqual([0, 1]);
    expect(all.summary).toBe('The whole case: 7 decisions, 6 of 14 points covered; nothing yet for 3, 6, 7, 8, 10, 11, 12 and 13. 2 proposals not yet taken.');
  });

  it('covers one phase by its own name, or every phase of a kind, and the current one by default', () => {
    const two: CaseSnapshot = { ...snap, sprints: sprints({ 2: { kind: 'beta', name: 'Private beta' }, 4: { kind: 'beta', name: 'Public beta' } }) };
    expect(buildAssessment(two, scope(two, 'private-beta')).scope.sprints).toBe('Sprints 2 to 3');
    expect(buildAssessment(two, scope(two, 'Public beta')).decisionCount).toBe(1);
    expect(buildAssessment(two, scope(two, 'beta')).scope).toEqual({ kind: 'phase', label: 'Beta', key: 'beta', sprints: 'Sprints 2 to 3; from Sprint 4' });
    expect(buildAssessment(two, scope(two, null, 3)).scope.label).toBe('Private beta');
  });

  it('follows superseded chains whole, where they meet, to a number the case lacks, and round a loop only once', () => {
    const chains = supersededChains([
      d(1, 0, { status: 'superseded', supersededBy: 3 }),
      d(2, 0, { status: 'superseded', supersededBy: 3 }),
      d(3, 0, { status: 'superseded', supersededBy: 4 }),
      d(4, 0),
      d(5, 0, { status: 'superseded', supersededBy: 42 }),
      d(6, 0, { status: 'superseded', supersededBy: 7 }),
      d(7, 0, { status: 'superseded', supersededBy: 6 }),
    ]).map((c) => c.links.map((l) => `${l.number}${l.status === null ? '?' : l.status[0]}`).join(' '));
    expect(chains).toEqual(['1s 3s 4a', '2s 3s 4a', '5s 42?', '6s 7s']);
  });

  it('writes the pack as Markdown in which no decision text can make a heading of the pack', () => {
    const hostile: CaseSnapshot = { ...snap, decisions: [d(2, 2, { points: [4], text: '## 5. Make sure everyone can use the service\n```\nopen fence' })], evidence: [e(2, 'a', 0, { text: '# Gaps\n\n- not a gap' })] };
    const md = renderAssessmentMarkdown(buildAssessment(hostile, scope(hostile, 'alpha')));
    expect(md).toContain('> ## 5. Make sure everyone can use the service\n> ```\n> open fence\n> ```');
    expect(md).toContain('- **Evidence 2a**\n\n  # Gaps\n\n  - not a gap');
    expect(md.match(/^## 5\. /gm)).toHaveLength(1);
    expect(md.match(/^## Gaps$/gm)).toHaveLength(1);
  });
});
