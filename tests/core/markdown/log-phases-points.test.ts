/**
 * Phases and Service Standard points in a decision log (the fixtures of log.test.ts): a phase
 * started and points tagged in chat are written as the Sprint N layouts' lines, at the log's
 * own places, and read back; a person's own spelling of a line is kept while unchanged; a log
 * with neither is written as before; a line that only looks like one is never read as one in
 * a way that loses text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importCaseFiles } from '../../../src/core/import';
import type { ImportFile } from '../../../src/core/import';
import { parseCaseMarkdown, renderCaseFiles, renderCaseMarkdown } from '../../../src/core/markdown';
import type { ParsedCase } from '../../../src/core/markdown';
import type { CaseSnapshot, SprintPhase } from '../../../src/core/model';
import { sequentialIds } from '../../helpers/fake-clock';
import { decision, doc, evidence, NOW, place, snapshotOf } from './helpers';

const log = (name: string): string => fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'logs', name), 'utf8');
const normal = (parsed: ParsedCase): string => renderCaseMarkdown(snapshotOf({ ...parsed, layout: { ...parsed.layout, source: null } }));
const held = (p: Pick<CaseSnapshot, 'sprints'> & Pick<ParsedCase, 'decisions' | 'evidence'>) => ({
  phases: p.sprints.map((s) => [s.number, s.phase ?? null]),
  decisions: p.decisions.map((d) => [d.number, d.sprint, d.text, d.status, d.deciders, d.points]),
  evidence: p.evidence.map((e) => [e.decision, e.letter, e.text, e.points]),
});

const ALPHA: SprintPhase = { kind: 'alpha', name: null };
const PRIVATE_BETA: SprintPhase = { kind: 'beta', name: 'Private beta' };

/** The log as imported, then a phase at each sprint and points on every other decision and piece of evidence, as chat would. */
function tagged(markdown: string): CaseSnapshot {
  const s = snapshotOf(parseCaseMarkdown(markdown));
  s.sprints = s.sprints.map((sp, i) => ({ ...sp, phase: i === 0 ? ALPHA : PRIVATE_BETA }));
  s.decisions = s.decisions.map((d, i) => ({ ...d, points: i % 2 === 0 ? [4, 6] : [] }));
  s.evidence = s.evidence.map((e, i) => ({ ...e, points: i % 2 === 0 ? [1] : [] }));
  return s;
}

describe.each(['sprint-m2-s5.md', 'iterations.md', 'beta-log.md'])('the log %s', (name) => {
  const markdown = log(name);

  it('with phases and points given in chat, exports and imports back with the same phases and points, and exports the same again', () => {
    const snap = tagged(markdown);
    const out = renderCaseMarkdown(snap);
    const back = parseCaseMarkdown(out, { strict: true });
    expect(back.recognised).toBe('log');
    expect(held(back)).toEqual(held(snap));
    expect(renderCaseMarkdown(snapshotOf(back))).toBe(out);
    // Its normal form (what a change in chat writes) reads back as the same case too.
    expect(held(parseCaseMarkdown(normal(back), { strict: true }))).toEqual(held(snap));
  });

  it('untagged, comes back byte for byte, with no line added, and its normal form has none either', () => {
    const parsed = parseCaseMarkdown(markdown);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    expect(normal(parsed)).not.toMatch(/_Phase:|_Service Standard:/);
    // Tagged, then untagged again: the parts are as they were, so the document is too.
    const snap = tagged(markdown);
    snap.sprints = snap.sprints.map(({ phase: _p, ...sp }) => sp);
    snap.decisions = snap.decisions.map((d) => ({ ...d, points: [] }));
    snap.evidence = snap.evidence.map((e) => ({ ...e, points: [] }));
    expect(renderCaseMarkdown(snap)).toBe(markdown);
  });
});

describe('where the lines go in a log', () => {
  it('under a sprint heading, after a decision (who decided, then points, then status), and after evidence of both forms', () => {
    const out = renderCaseMarkdown(tagged(log('beta-log.md')));
    expect(out).toContain('## Beta 1\n\n_Phase: Alpha_\n\n### Decision 1: Send reminders by text message\n\nMost applicants gave a mobile number and few opened emails.\n\n_Service Standard: 4 (Make the service simple to use), 6 (Have a multidisciplinary team)_\n\nEvidence 1a: 71% of applicants gave a mobile number.\n\n_Service Standard: 1 (Understand users and their needs)_\n\nEvidence 1b:');
    expect(out).toContain('## Beta 2\n\n_Phase: Beta (Private beta)_\n\n### Decision 1: Publish');
    const iterations = renderCaseMarkdown(tagged(log('iterations.md')));
    expect(iterations).toContain('## Iteration 3\n\n_Phase: Alpha_\n\nWe tested with six applicants in the library.\n\n**Decision:** We will ask');
    expect(iterations).toContain('### What we saw\n\nFour of six applicants went back to change the type.\n\n_Service Standard: 1 (Understand users and their needs)_\n\n**Decision:** We will drop');
  });

  it('for a sprint its title names, which has no heading of its own: just before its first decision', () => {
    const out = renderCaseMarkdown(tagged(log('sprint-m2-s5.md')));
    expect(out).toContain('We are renaming the naming service and its clients.\n\n_Phase: Alpha_\n\n## Decision 1: Fix naming service auth');
    const back = parseCaseMarkdown(out);
    expect(back.layout.sections.map((s) => [s.heading, s.body])).toEqual(parseCaseMarkdown(log('sprint-m2-s5.md')).layout.sections.map((s) => [s.heading, s.body]));
  });

  it('writes who decided, the points and the status of a decision recorded in chat, and reads them back', () => {
    const snap = snapshotOf(parseCaseMarkdown(log('iterations.md')));
    snap.decisions.push(decision(4, 4, 'We will test the fee wording next', { points: [5], deciders: ['Ana'], status: 'withdrawn', statusReason: 'Later' }));
    snap.evidence.push(evidence(4, 'a', 0, 'Two could not find the fee', { points: [2, 4] }));
    const out = renderCaseMarkdown(snap);
    expect(out.endsWith('**Decision:** We will test the fee wording next\n\n_Decided by Ana_\n\n_Service Standard: 5 (Make sure everyone can use the service)_\n\n_Withdrawn: Later_\n\nEvidence 4a: Two could not find the fee\n\n_Service Standard: 2 (Solve a whole problem for users), 4 (Make the service simple to use)_\n')).toBe(true);
    expect(held(parseCaseMarkdown(out, { strict: true }))).toEqual(held(snap));
  });
});

describe('a person editing the lines in a log', () => {
  const exported = renderCaseMarkdown(tagged(log('beta-log.md')));

  it('reads an edited points line and phase line, and keeps their own spelling of both while unchanged', () => {
    const edited = exported
      .replace('_Service Standard: 4 (Make the service simple to use), 6 (Have a multidisciplinary team)_', '_Service Standard: 6 (our team), 11_')
      .replace('_Phase: Beta (Private beta)_', '_Phase: beta (Private beta)_')
      .replace('Evidence 1b: Email open rate was 18% in private beta.', 'Evidence 1b: Email open rate was 18% in private beta.\n\n_Service Standard: 9, 1 (users)_');
    const parsed = parseCaseMarkdown(edited, { strict: true });
    expect(parsed.decisions[0]?.points).toEqual([6, 11]);
    expect(parsed.evidence[1]?.points).toEqual([1, 9]);
    expect(parsed.sprints[1]?.phase).toEqual(PRIVATE_BETA);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(edited);
    // Changed in chat, the line is written in normal form again.
    const snap = snapshotOf(parsed);
    snap.decisions[0] = { ...snap.decisions[0]!, points: [6] };
    expect(renderCaseMarkdown(snap)).toContain('Most applicants gave a mobile number and few opened emails.\n\n_Service Standard: 6 (Have a multidisciplinary team)_\n\nEvidence 1a');
  });

  it('reads points a person put before who decided, and a phase line under a title that names the sprint', () => {
    const parsed = parseCaseMarkdown(doc('# Log — Sprint M2-S5', '', '_Phase: Discovery_', '', '## Decision 1: Go', '', 'Text', '_Service Standard: 3_', '', '_Decided by Ana_'), { strict: true });
    expect(parsed.sprints[0]?.phase).toEqual({ kind: 'discovery', name: null });
    expect(parsed.decisions[0]).toMatchObject({ text: 'Go\n\nText', points: [3], deciders: ['Ana'] });
    expect(parsed.layout.preamble).toBe('');
  });
});

describe('lines in a log that only look like these', () => {
  it('keeps a points line with more text after it, or in a code fence, as text of the decision, verbatim and without a warning', () => {
    const markdown = doc('## Sprint 1', '', '### Decision 1: Go', '', '_Service Standard: 3_', '', 'More words', '', '```', '_Service Standard: 4_', '```', '', 'Evidence 1a: Seen', '_Service Standard: 5_', 'and heard');
    const parsed = parseCaseMarkdown(markdown, { strict: true });
    expect(parsed.decisions[0]).toMatchObject({ points: [], text: 'Go\n\n_Service Standard: 3_\n\nMore words\n\n```\n_Service Standard: 4_\n```' });
    expect(parsed.evidence[0]).toMatchObject({ points: [], text: 'Seen\n_Service Standard: 5_\nand heard' });
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    // Written again in normal form, the lines are escaped, and still read back as the same text.
    const again = parseCaseMarkdown(normal(parsed), { strict: true });
    expect(held(again)).toEqual(held(parsed));
  });

  it('keeps a phase line that is not first under its sprint, or not just before a headless sprint\'s first decision, as text', () => {
    const markdown = doc('## Iteration 3', '', 'We tested.', '', '_Phase: Alpha_', '', '**Decision:** Go', '', '_Phase: Beta_');
    const parsed = parseCaseMarkdown(markdown, { strict: true });
    expect(parsed.sprints[0]?.phase).toBeUndefined();
    expect(parsed.sprints[0]?.intro).toBe('We tested.\n\n_Phase: Alpha_');
    expect(parsed.decisions[0]?.text).toBe('Go\n\n_Phase: Beta_');
    expect(held(parseCaseMarkdown(normal(parsed), { strict: true }))).toEqual(held(parsed));
    const headless = parseCaseMarkdown(doc('# Log', '', '## Context', '', 'We saw it.', '_Phase: Alpha_', '', '## Decision 1: Go'));
    expect(headless.sprints[0]?.phase).toBeUndefined();
    expect(headless.layout.sections[0]?.body).toBe('We saw it.\n_Phase: Alpha_');
  });

  it('reads back text typed in chat that looks like the lines as that text, in a decision, evidence, a sprint\'s intro and the section before a headless sprint', () => {
    const snap = snapshotOf(parseCaseMarkdown(log('sprint-m2-s5.md')));
    const typed = 'We will go\n\n_Service Standard: 1 (Understand users and their needs)_';
    snap.decisions[0] = { ...snap.decisions[0]!, text: typed };
    snap.evidence[0] = { ...snap.evidence[0]!, text: '_Service Standard: 2_' };
    snap.case.layout = { ...snap.case.layout, sections: snap.case.layout.sections.map((s, i) => (i === 0 ? { ...s, body: 'Our context\n\n_Phase: Alpha_' } : s)) };
    const out = renderCaseMarkdown(snap);
    const back = parseCaseMarkdown(out, { strict: true });
    expect(back.sprints[0]?.phase).toBeUndefined();
    expect(back.layout.sections[0]?.body).toBe('Our context\n\n_Phase: Alpha_');
    expect(back.decisions[0]).toMatchObject({ text: typed, points: [] });
    expect(back.evidence[0]).toMatchObject({ text: '_Service Standard: 2_', points: [] });
    const iterations = snapshotOf(parseCaseMarkdown(log('iterations.md')));
    iterations.sprints[0] = { ...iterations.sprints[0]!, intro: '_Phase: Beta_\n\nWe tested.' };
    const reread = parseCaseMarkdown(renderCaseMarkdown(iterations), { strict: true });
    expect(reread.sprints[0]).toMatchObject({ intro: '_Phase: Beta_\n\nWe tested.' });
    expect(reread.sprints[0]?.phase).toBeUndefined();
  });

  it('keeps a second points line, after who decided it, as text with a warning; strict refuses it', () => {
    const markdown = doc('## Sprint 1', '', '### Decision 1: Go', '', '_Decided by Ana_', '', '_Service Standard: 1_', '', '_Service Standard: 2_');
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.decisions[0]?.points).toEqual([1]);
    expect(parsed.warnings.map((w) => w.message)).toEqual(['Line 9: Only its status or evidence can follow who decided Decision 1; kept as text of Decision 1.']);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    expect(() => parseCaseMarkdown(markdown, { strict: true })).toThrow(/^Line 9: /);
  });
});

describe('a business case with its key decisions in a log of their own', () => {
  const alphagov = (name: string): ImportFile => ({ name, markdown: fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'alphagov', name), 'utf8') });
  const files = [alphagov('prototype-case-joined-up-services.MD'), { name: 'beta-log.md', markdown: log('beta-log.md') }];
  const input = () => ({ id: 'case-1', place, now: new Date(NOW), newId: sequentialIds('ev') });

  it('exports both files with the phases and points in the log, and imports them back the same', () => {
    const snap = structuredClone(importCaseFiles(files, input()).snapshot);
    snap.sprints = snap.sprints.map((s, i) => ({ ...s, phase: i === 0 ? ALPHA : PRIVATE_BETA }));
    snap.decisions = snap.decisions.map((d) => ({ ...d, points: [d.number] }));
    snap.evidence = snap.evidence.map((e) => ({ ...e, points: [14] }));
    const written = renderCaseFiles(snap, 'x.md');
    expect(written[0]?.markdown).toBe(files[0]?.markdown);
    expect(written[1]?.markdown).toContain('## Beta 2\n\n_Phase: Beta (Private beta)_\n\n### Decision 1: Publish');
    const back = importCaseFiles(written.map((f) => ({ ...f, path: f.name })), { ...input(), strict: true }).snapshot;
    expect(held(back)).toEqual(held(snap));
    expect(renderCaseFiles(back, 'x.md')).toEqual(written);
  });
});
