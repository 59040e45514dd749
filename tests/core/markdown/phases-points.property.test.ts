/**
 * Phases and points of the Service Standard survive the Markdown: for any case (phases with
 * or without a name, hostile names included; points on decisions and on evidence; texts that
 * look like the lines themselves), export then import gives back every phase and point, and
 * the same bytes again; a document with neither is given back byte for byte, nothing added.
 * The same holds for decision logs (the fixtures and logs made up here) and folders of ADRs.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { importCaseFiles } from '../../../src/core/import';
import type { ImportFile } from '../../../src/core/import';
import { parseCaseMarkdown, renderCaseFiles, renderCaseMarkdown } from '../../../src/core/markdown';
import type { ParsedCase } from '../../../src/core/markdown';
import { newCase } from '../../../src/core/cases';
import type { CaseSnapshot, Sprint } from '../../../src/core/model';
import { phaseKind, phaseName, points } from '../../helpers/arbitrary-cases';
import { sequentialIds } from '../../helpers/fake-clock';
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

// ---- Decision logs and folders of ADRs ---------------------------------------------------

/** What a case holds of phases, points and the texts around them. */
const held = (c: Pick<CaseSnapshot, 'sprints'> & Pick<ParsedCase, 'decisions' | 'evidence'>) => ({
  phases: c.sprints.map((s) => [s.number, asRead(s.phase) ?? null]),
  decisions: c.decisions.map((d) => [d.number, d.sprint, d.text, d.points]),
  evidence: c.evidence.map((e) => [e.decision, e.letter, e.text, e.points]),
});

/** Phases and points given in chat: a phase (or none) per sprint, points per decision and per piece of evidence. */
const tagging = fc.record({
  phases: fc.array(fc.option(fc.record({ kind: phaseKind, name: fc.option(phaseName, { nil: null }) }), { nil: null }), { minLength: 8, maxLength: 8 }),
  points: fc.array(points, { minLength: 12, maxLength: 12 }),
  evidencePoints: fc.array(points, { minLength: 12, maxLength: 12 }),
  texts: fc.array(fc.option(fc.constantFrom(...TEXTS), { nil: null }), { minLength: 12, maxLength: 12 }),
});
type Tagging = typeof tagging extends fc.Arbitrary<infer T> ? T : never;

/** The case with the tagging applied (and, where `texts` says, a text edited in chat, `edit` making it fit the layout). */
function tag(base: CaseSnapshot, t: Tagging, edit: (text: string) => string = (x) => x): CaseSnapshot {
  const s = structuredClone(base);
  s.sprints = s.sprints.map((sp, i) => {
    const { phase: _p, ...rest } = sp;
    const p = t.phases[i % t.phases.length];
    return p ? { ...rest, phase: p } : rest;
  });
  s.decisions = s.decisions.map((d, i) => {
    const text = t.texts[i % t.texts.length];
    return { ...d, points: t.points[i % t.points.length] ?? [], ...(text ? { text: edit(text) } : {}) };
  });
  s.evidence = s.evidence.map((e, i) => {
    const text = t.texts[(i + 5) % t.texts.length];
    return { ...e, points: t.evidencePoints[i % t.evidencePoints.length] ?? [], ...(text ? { text } : {}) };
  });
  return s;
}

const logFixture = (name: string): string => fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'logs', name), 'utf8');

/** Decision logs: the fixtures, and logs made of sprint headings of every kind (or none), decision headings and lines, evidence lines and sub-sections. */
const logs = fc.oneof(
  fc.constantFrom('sprint-m2-s5.md', 'iterations.md', 'beta-log.md').map(logFixture),
  fc.record({
    title: fc.constantFrom('# Decisions Log — Sprint M2-S5: Naming', '# Team log', ''),
    context: fc.boolean(),
    sprints: fc.array(fc.constantFrom('## Sprint {n}', '## Iteration {n}', '## Beta {n}', ''), { minLength: 1, maxLength: 3 }),
    decisions: fc.array(fc.record({
      form: fc.constantFrom('### Decision {k}: Go {k}', '### Decision: Go {k}', '**Decision:** We will go {k}', '**Decision {k}:** Stay {k}'),
      body: fc.constantFrom('', 'Because we saw it.', 'Two lines  \nof text.'),
      evidence: fc.constantFrom('', 'Evidence {k}a: Seen', '#### Rationale\n\nHeard it.'),
    }), { minLength: 1, maxLength: 5 }),
  }).map(({ title, context, sprints, decisions }) => {
    const out = [title, context ? '## Context\n\nWe are renaming things.' : ''];
    decisions.forEach((d, k) => {
      const heading = sprints[k % sprints.length] ?? '';
      if (k < sprints.length && heading !== '') out.push(heading.replace('{n}', String(k + 1)));
      out.push(d.form.replace(/\{k\}/g, String(k + 1)), d.body, d.evidence.replace('{k}', String(k + 1)));
    });
    return doc(...out.filter((b) => b !== '').join('\n\n').split('\n'));
  }),
).map((markdown) => parseCaseMarkdown(markdown)).filter((p) => p.recognised === 'log' && p.warnings.length === 0);

describe('in a decision log', () => {
  it('export then import gives back every phase and point, the same bytes again, and a normal form that reads back the same', () => {
    fc.assert(fc.property(logs, tagging, (parsed, t) => {
      const snap = tag(snapshotOf(parsed), t);
      const markdown = renderCaseMarkdown(snap);
      const back = parseCaseMarkdown(markdown, { strict: true });
      expect(held(back)).toEqual(held(snap));
      expect(renderCaseMarkdown(snapshotOf(back))).toBe(markdown);
      const normal = renderCaseMarkdown(snapshotOf({ ...back, layout: { ...back.layout, source: null } }));
      expect(held(parseCaseMarkdown(normal, { strict: true }))).toEqual(held(snap));
    }), { numRuns: 400 });
  });
});

const adrInput = () => ({ id: 'case-1', place, now: new Date(NOW), newId: sequentialIds('ev') });

/** Folders of ADRs: dated or not (several in one sprint, or one "Imported" sprint), with or without Context and Decision sections. */
const folders = fc.array(fc.record({
  date: fc.constantFrom('2024-01-08', '2024-01-10', '2024-02-20', '2024-03-04', null),
  status: fc.constantFrom('Accepted', 'Proposed', 'Deprecated'),
  context: fc.boolean(),
  decision: fc.boolean(),
}), { minLength: 1, maxLength: 6 }).map((adrs): ImportFile[] => adrs.map((a, i) => {
  const n = i + 1;
  const parts = [`# ${n}. Title ${n}`, a.date === null ? '' : `Date: ${a.date}`, `## Status\n\n${a.status}`, a.context ? '## Context\n\nWe saw things.' : '', a.decision ? '## Decision\n\nWe will do it.' : ''];
  const name = `000${n}-title-${n}.md`;
  return { name, path: name, markdown: `${parts.filter((p) => p !== '').join('\n\n')}\n` };
}));

/** An ADR's title is the decision's first line, the rest its Decision section: a text edited in chat that keeps to that. */
const asAdrText = (text: string): string => (text.includes('\n') ? `Use queues\n\n${text}` : text);

describe('in a folder of ADRs', () => {
  it('export then import gives back every phase and point, and the same files again', () => {
    fc.assert(fc.property(folders, tagging, (files, t) => {
      const snap = tag(importCaseFiles(files, adrInput()).snapshot, t, asAdrText);
      const written = renderCaseFiles(snap, 'x.md');
      const back = importCaseFiles(written.map((f) => ({ ...f, path: f.name })), { ...adrInput(), strict: true });
      expect(back.notes.filter((n) => /phase/i.test(n))).toEqual([]);
      expect(held(back.snapshot)).toEqual(held(snap));
      expect(renderCaseFiles(back.snapshot, 'x.md')).toEqual(written);
    }), { numRuns: 300 });
  });

  it('a folder with neither is written back byte for byte', () => {
    fc.assert(fc.property(folders, (files) => {
      const written = renderCaseFiles(importCaseFiles(files, adrInput()).snapshot, 'x.md');
      expect(written).toEqual(files.map((f) => ({ name: f.name, markdown: f.markdown })));
    }), { numRuns: 100 });
  });
});
