/**
 * The case's document view, which the case page and the Slack canvas both render: sprints in
 * runs by phase, in order, each decision once with its points and its evidence's.
 */
import fc from 'fast-check';
import { caseDocumentView } from '../../src/core/document-view';
import type { CaseSnapshot, Sprint } from '../../src/core/model';
import { newCase } from '../../src/core/cases';
import { caseSnapshots } from '../helpers/arbitrary-cases';
import { decision, evidence, NOW, place, sprint } from './markdown/helpers';

function caseWith(sprints: Sprint[], decisionSprints: number[]): CaseSnapshot {
  return {
    case: newCase({ id: 'case-1', place, now: NOW }),
    sprints,
    decisions: decisionSprints.map((s, n) => decision(n, s, `Decision text ${n}`)),
    evidence: [],
  };
}

const groups = (snap: CaseSnapshot): Array<[string | null, number[]]> =>
  caseDocumentView(snap).decisions.phases.map((g) => [g.phase, g.sprints.map((s) => s.number)]);

describe('the document view groups sprints by phase', () => {
  it('a case with two phases: the sprints before the first, then one run per phase, by the name the team gave it', () => {
    const snap = caseWith(
      [sprint(0), sprint(1), { ...sprint(2), phase: { kind: 'alpha', name: null } }, sprint(3), { ...sprint(4), phase: { kind: 'beta', name: 'Private beta' } }, sprint(5)],
      [0, 2, 3, 4, 7],
    );
    // Sprint 7 is named only by a decision: it is in the phase running then, as the export writes it.
    expect(groups(snap)).toEqual([[null, [0, 1]], ['Alpha', [2, 3]], ['Private beta', [4, 5, 7]]]);
    const view = caseDocumentView(snap);
    expect(view.decisions.phases.map((g) => g.sprints.flatMap((s) => s.decisions.map((d) => d.decision.number)))).toEqual([[0], [1, 2], [3, 4]]);
    expect(view.decisions.phases[1]?.sprints[0]?.decisions[0]?.decision.phase).toBe('Alpha');
  });

  it('a case without phases gives one run with no phase', () => {
    expect(groups(caseWith([sprint(0), sprint(1), sprint(2)], [0, 1]))).toEqual([[null, [0, 1, 2]]]);
  });

  it('a phase from the first sprint leaves no run without a phase; a phase started twice is two runs', () => {
    const snap = caseWith([{ ...sprint(1), phase: { kind: 'beta', name: null } }, { ...sprint(2), phase: { kind: 'beta', name: null } }, sprint(3)], []);
    expect(groups(snap)).toEqual([['Beta', [1]], ['Beta', [2, 3]]]);
  });

  it('a case with no sprints has no runs', () => {
    expect(groups(caseWith([], []))).toEqual([]);
  });

  it('carries the points of the Service Standard on decisions and evidence, with their titles', () => {
    const snap = { ...caseWith([sprint(0)], []), decisions: [decision(0, 0, 'Go', { points: [1, 5] })], evidence: [evidence(0, 'a', 0, 'Seen', { points: [14] })] };
    const d = caseDocumentView(snap).decisions.phases[0]?.sprints[0]?.decisions[0];
    expect(d?.decision.points).toEqual([{ number: 1, title: 'Understand users and their needs' }, { number: 5, title: 'Make sure everyone can use the service' }]);
    expect(d?.evidence[0]?.evidence.points).toEqual([{ number: 14, title: 'Operate a reliable service' }]);
  });

  it('property: every sprint once in order, each run starting where its phase starts, every decision once in number order', () => {
    fc.assert(fc.property(caseSnapshots, (snap) => {
      const runs = caseDocumentView(snap).decisions.phases;
      const numbers = [...new Set([...snap.sprints.map((s) => s.number), ...snap.decisions.map((d) => d.sprint)])].sort((a, b) => a - b);
      expect(runs.flatMap((g) => g.sprints.map((s) => s.number))).toEqual(numbers);
      const starts = new Map(snap.sprints.filter((s) => s.phase).map((s) => [s.number, s.phase]));
      runs.forEach((g, i) => {
        const first = g.sprints[0]?.number ?? -1;
        const p = starts.get(first);
        expect(g.phase).toBe(p ? p.name ?? p.kind[0]?.toUpperCase() + p.kind.slice(1) : null);
        if (g.phase === null) expect(i).toBe(0);
        for (const s of g.sprints.slice(1)) expect(starts.has(s.number)).toBe(false);
      });
      expect(runs.flatMap((g) => g.sprints.flatMap((s) => s.decisions.map((d) => d.decision.number)))).toEqual(snap.decisions.map((d) => d.number).sort((a, b) => a - b));
    }), { numRuns: 300 });
  });
});
