/**
 * Phases and points of the Service Standard survive the Markdown: for any case (phases with
 * or without a name, hostile names included; points on decisions and on evidence; texts that
 * look like the lines themselves), export then import gives back every phase and point, and
 * the same bytes again; a document with neither is given back byte for byte, nothing added.
 */
import fc from 'fast-check';
import { parseCaseMarkdown, renderCaseMarkdown } from '../../../src/core/markdown';
import { newCase } from '../../../src/core/cases';
import type { CaseSnapshot, Sprint } from '../../../src/core/model';
import { phaseKind, phaseName, points } from '../../helpers/arbitrary-cases';
import { decision, doc, evidence, NOW, place, snapshotOf, sprint } from './helpers';

const TEXTS = ['We will publish weekly', '_Service Standard: 1 (Understand users and their needs)_', '_Phase: Beta_', 'Tagged [SS 4]', 'Line one\n_Service Standard: 3_\nline three', 'We will _Phase: x_ it'];

const snapshots = fc.record({
  phases: fc.array(fc.option(fc.record({ kind: phaseKind, name: fc.option(phaseName, { nil: null }) }), { nil: null }), { minLength: 3, maxLength: 3 }),
  decisions: fc.array(fc.record({ text: fc.constantFrom(...TEXTS), points, evidence: fc.array(fc.record({ text: fc.constantFrom(...TEXTS), points }), { maxLength: 2 }) }), { minLength: 1, maxLength: 6 }),
  style: fc.constantFrom<'inline' | 'heading'>('inline', 'heading'),
}).map(({ phases, decisions, style }): CaseSnapshot => {
  const base = newCase({ id: 'case-1', place, now: NOW });
  const sprints: Sprint[] = phases.map((p, i) => ({ ...sprint(i), ...(p ? { phase: p } : {}) }));
  return {
    case: { ...base, layout: { ...base.layout, decisionStyle: style } },
    sprints,
    decisions: decisions.map((d, i) => decision(i, Math.floor((i * 3) / decisions.length), d.text, { points: d.points })),
    evidence: decisions.flatMap((d, i) => d.evidence.map((e, k) => evidence(i, String.fromCharCode(97 + k), k, e.text, { points: e.points }))),
  };
});

/** What a phase name reads back as: a name equal to its kind's label is no name of its own. */
const asRead = (p: Sprint['phase']): Sprint['phase'] => {
  if (!p) return undefined;
  const label = p.kind[0]?.toUpperCase() + p.kind.slice(1);
  const name = p.name === null ? null : p.name.replace(/\s+/g, ' ').trim();
  return { kind: p.kind, name: name === null || name === '' || name.toLowerCase() === label.toLowerCase() ? null : name };
};

it('export then import gives back every phase and every point, and the same bytes again', () => {
  fc.assert(fc.property(snapshots, (snap) => {
    const markdown = renderCaseMarkdown(snap);
    const parsed = parseCaseMarkdown(markdown, { strict: true });
    expect(parsed.sprints.map((s) => s.phase)).toEqual(snap.sprints.map((s) => asRead(s.phase)));
    expect(parsed.decisions.map((d) => [d.number, d.text, d.points])).toEqual(snap.decisions.map((d) => [d.number, d.text, d.points]));
    expect(parsed.evidence.map((e) => [e.decision, e.letter, e.text, e.points])).toEqual(snap.evidence.map((e) => [e.decision, e.letter, e.text, e.points]));
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
  }), { numRuns: 600 });
});

it('writes them as a person reads them', () => {
  const snap: CaseSnapshot = {
    case: newCase({ id: 'case-1', place, now: NOW }),
    sprints: [sprint(0), { ...sprint(1), phase: { kind: 'beta', name: 'Private beta' } }],
    decisions: [decision(0, 1, 'We will publish weekly', { points: [7, 8], deciders: ['Ana'], status: 'withdrawn', statusReason: 'No' })],
    evidence: [evidence(0, 'a', 0, 'Users asked', { points: [1] })],
  };
  expect(renderCaseMarkdown(snap)).toContain([
    '### Sprint 1', '', '_Phase: Beta (Private beta)_', '',
    'Decision 0: We will publish weekly', '', '_Decided by Ana_', '',
    '_Service Standard: 7 (Use agile ways of working), 8 (Iterate and improve frequently)_', '', '_Withdrawn: No_', '',
    'Evidence 0a: Users asked', '', '_Service Standard: 1 (Understand users and their needs)_',
  ].join('\n'));
});

it('a document with neither phases nor points comes back byte for byte, with nothing added', () => {
  const LINES = ['### Sprint 0', '### Sprint 1', 'Decision 0: We will go  ', 'Decision 1: Stay', 'Evidence 1a: Seen', '_Withdrawn: no_', '', '', 'Plain text ', 'Phase: Alpha', 'Service Standard 1'];
  fc.assert(fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 30 }), (lines) => {
    const markdown = `## Key decisions\n\n### Sprint 0\n\n${lines.join('\n')}\n`;
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.sprints.every((s) => s.phase === undefined)).toBe(true);
    expect([...parsed.decisions, ...parsed.evidence].every((x) => x.points.length === 0)).toBe(true);
    const out = renderCaseMarkdown(snapshotOf(parsed));
    expect(out).toBe(markdown);
    expect(out).not.toMatch(/_Phase:|_Service Standard:/);
  }), { numRuns: 500 });
});

describe('lines out of place are kept as text and said with their line', () => {
  it.each([
    [doc('## Key decisions', '', '### Sprint 0', '', 'Decision 0: Go', '', 'Evidence 0a: Seen', '', '_Phase: Alpha_'), 'Line 9: A phase starts at a sprint: “_Phase: Alpha_” goes straight under the heading of Sprint 0, before its decisions; kept as text of Evidence 0a.'],
    [doc('## Key decisions', '', '### Sprint 0', '', '_Phase: Alpha_', '', '_Phase: Beta_'), 'Line 7: Sprint 0 already starts a phase; kept as text of Sprint 0.'],
    [doc('## Key decisions', '', '### Sprint 0', '', '_Service Standard: 1_', '', 'Decision 0: Go'), 'Line 5: “_Service Standard: 1_” comes before any decision in Sprint 0: Service Standard points go under the decision or evidence they are about; kept as text of Sprint 0.'],
    [doc('## Key decisions', '', '### Sprint 0', '', 'Decision 0: Go', '', '_Service Standard: 1_', '', '_Service Standard: 2_'), 'Line 9: Decision 0 already has its Service Standard points; kept as text of Decision 0.'],
    [doc('## Key decisions', '', '### Sprint 0', '', 'Decision 0: Go', '', '_Service Standard: 1_', '', 'More text'), 'Line 9: Only its status or evidence can follow the Service Standard points of Decision 0; kept as text of Decision 0.'],
    [doc('## Key decisions', '', '### Sprint 0', '', 'Decision 0: Go', '', 'Evidence 0a: Seen', '', '_Service Standard: 1_', '', 'More'), 'Line 11: Only more evidence or the next decision can follow the Service Standard points of Evidence 0a; kept as text of Evidence 0a.'],
  ])('%#', (markdown, warning) => {
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.warnings.map((w) => w.message)).toEqual([warning]);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    expect(() => parseCaseMarkdown(markdown, { strict: true })).toThrow(/^Line \d+: /);
  });

  it('reads points after a status, and a line that names a point the standard lacks as text', () => {
    const after = parseCaseMarkdown(doc('## Key decisions', '', '### Sprint 0', '', 'Decision 0: Go', '', '_Withdrawn_', '', '_Service Standard: 3_'));
    expect(after.warnings).toEqual([]);
    expect(after.decisions[0]?.points).toEqual([3]);
    const bad = parseCaseMarkdown(doc('## Key decisions', '', '### Sprint 0', '', 'Decision 0: Go', '', '_Service Standard: 15_'));
    expect(bad.decisions[0]?.points).toEqual([]);
    expect(bad.decisions[0]?.text).toBe('Go\n\n_Service Standard: 15_');
  });
});
