/**
 * Phases and Service Standard points in a folder of ADRs (the fixtures of adr.test.ts): a
 * decision's points are the last line of its Decision section, a piece of evidence's the last
 * line of its section, and a phase is said in the preamble of the first ADR of the sprint it
 * starts at. Export then import gives the same phases and points, and the same files again; a
 * person's spelling of a line is kept while unchanged; an untagged folder is written as before.
 */
import path from 'node:path';
import { importCaseFiles } from '../../src/core/import';
import type { ImportFile } from '../../src/core/import';
import { renderCaseFiles } from '../../src/core/markdown';
import { adrPhaseNotes } from '../../src/core/markdown/adr-phases';
import type { CaseSnapshot, SprintPhase } from '../../src/core/model';
import { sequentialIds } from '../helpers/fake-clock';
import { ADR_FIXTURES, folderFiles } from '../helpers/folder';

const place = { platform: 'console' as const, workspace: 'local', channel: 'adr' };
const input = () => ({ id: 'case-1', place, now: new Date('2026-11-26T10:00:00Z'), newId: sequentialIds('ev') });
// Without the second ADR numbered 6, which takes the next free number on every import.
const nygard = folderFiles(path.join(ADR_FIXTURES, 'nygard')).filter((f) => f.name !== '0006-deprecate-the-nightly-export.md');
const madr = folderFiles(path.join(ADR_FIXTURES, 'madr'));
const withoutTemplates = (files: ImportFile[]) => files.filter((f) => !/template/.test(f.name)).map((f) => ({ name: f.name, markdown: f.markdown }));

const asFiles = (s: CaseSnapshot): ImportFile[] => renderCaseFiles(s, 'x.md').map((f) => ({ name: f.name, path: f.name, markdown: f.markdown }));
const byName = (s: CaseSnapshot) => new Map(renderCaseFiles(s, 'x.md').map((f) => [f.name, f.markdown]));
const held = (s: CaseSnapshot) => ({
  phases: s.sprints.map((sp) => [sp.number, sp.phase ?? null]),
  decisions: s.decisions.map((d) => [d.number, d.sprint, d.text, d.status, d.points]),
  evidence: s.evidence.map((e) => [e.decision, e.letter, e.text, e.points]),
});

const ALPHA: SprintPhase = { kind: 'alpha', name: null };
const BETA: SprintPhase = { kind: 'beta', name: 'Private beta' };

/** Imported, then (as chat would) Alpha from the second sprint, Private beta from the last, and points on every other decision and piece of evidence. */
function tagged(files: ImportFile[]): CaseSnapshot {
  const s = structuredClone(importCaseFiles(files, input()).snapshot);
  const last = s.sprints.length - 1;
  s.sprints = s.sprints.map((sp, i) => (i === 1 ? { ...sp, phase: ALPHA } : i === last ? { ...sp, phase: BETA } : sp));
  s.decisions = s.decisions.map((d, i) => ({ ...d, points: i % 2 === 0 ? [11] : [] }));
  s.evidence = s.evidence.map((e, i) => ({ ...e, points: i % 2 === 0 ? [1, 9] : [] }));
  return s;
}

describe.each([['adr-tools', nygard], ['MADR', madr]])('an %s folder', (_name, files) => {
  it('with phases and points given in chat, exports and imports back with the same phases and points, and exports the same files again', () => {
    const snap = tagged(files);
    const out = asFiles(snap);
    const back = importCaseFiles(out, { ...input(), strict: true });
    expect(back.notes.filter((n) => /phase|Phase/.test(n))).toEqual([]);
    expect(held(back.snapshot)).toEqual(held(snap));
    expect(asFiles(back.snapshot)).toEqual(out);
    // The report says where each phase starts.
    expect(back.sprints.filter((s) => s.starts).map((s) => s.starts)).toEqual(['Alpha', 'Private beta']);
  });

  it('untagged, writes every file back byte for byte, and tagged then untagged again too', () => {
    const { snapshot } = importCaseFiles(files, input());
    expect(renderCaseFiles(snapshot, 'x.md').map((f) => f.markdown).join('')).not.toMatch(/_Phase:|_Service Standard:/);
    const snap = tagged(files);
    snap.sprints = snap.sprints.map(({ phase: _p, ...sp }) => sp);
    snap.decisions = snap.decisions.map((d) => ({ ...d, points: [] }));
    snap.evidence = snap.evidence.map((e) => ({ ...e, points: [] }));
    const written = renderCaseFiles(snap, 'x.md');
    expect([...written].sort((a, b) => a.name.localeCompare(b.name))).toEqual(withoutTemplates(files).sort((a, b) => a.name.localeCompare(b.name)));
  });
});

describe('where the lines go in an ADR', () => {
  it('the points at the end of the Decision section and of each evidence section; the phase in the preamble of the sprint\'s first ADR', () => {
    const files = byName(tagged(nygard));
    expect(files.get('0003-use-postgres-for-case-data.md')).toBe([
      '# 3. Use Postgres for case data', '', 'Date: 2024-01-24', '', '_Phase: Alpha_', '', '## Status', '',
      'Superseded by [5. Use managed Postgres](0005-use-managed-postgres.md)', '', '## Context', '', 'Case data is relational and needs transactions.', '',
      '_Service Standard: 1 (Understand users and their needs), 9 (Create a secure service which protects users\' privacy)_', '',
      '## Decision', '', 'We will run Postgres on our own virtual machines.', '', '_Service Standard: 11 (Choose the right tools and technology)_', '',
    ].join('\n'));
    // Evidence 5b is Considered options: points end its list.
    expect(files.get('0005-use-managed-postgres.md')).toContain('- A document database\n\n_Service Standard: 1 (Understand users and their needs), 9 (Create a secure service which protects users\' privacy)_\n\n## Decision\n');
    // MADR, titled in its front matter with CRLF: the phase opens the body, in the file's own line ends.
    expect(byName(tagged(madr)).get('decisions/0002-choose-a-queue/index.md')).toMatch(/^---\r\ntitle: "ADR 002: Choose a message queue"\r\ndate: 2023-06-14\r\n---\r\n\r\n_Phase: Alpha_\r\n\r\n## Status\r\n/);
  });

  it('gives a decision with no Decision section, tagged in chat, one holding its points', () => {
    const one: ImportFile = { name: '0001-use-queues.md', path: '0001-use-queues.md', markdown: '# 1. Use queues\n\n## Status\n\nAccepted\n' };
    const snap = structuredClone(importCaseFiles([one], input()).snapshot);
    snap.decisions[0]!.points = [11];
    const out = asFiles(snap);
    expect(out[0]?.markdown).toBe('# 1. Use queues\n\n## Status\n\nAccepted\n\n## Decision\n\n_Service Standard: 11 (Choose the right tools and technology)_\n');
    expect(importCaseFiles(out, input()).snapshot.decisions[0]).toMatchObject({ text: 'Use queues', points: [11] });
  });

  it('writes a new ADR recorded in chat with its points, and its phase when it is the first of its phase', () => {
    const snap = structuredClone(importCaseFiles(nygard, input()).snapshot);
    const sprint = Math.max(...snap.sprints.map((s) => s.number)) + 1;
    snap.sprints.push({ number: sprint, suffix: '', intro: '', startsOn: '2026-11-23', phase: { kind: 'live', name: null } });
    snap.decisions.push({ ...snap.decisions[0]!, number: 8, sprint, text: 'Publish decisions weekly', points: [10], createdAt: '2026-11-27T09:00:00.000Z' });
    const out = byName(snap);
    expect(out.get('0008-publish-decisions-weekly.md')).toBe('# 8. Publish decisions weekly\n\nDate: 2026-11-27\n\n_Phase: Live_\n\n## Status\n\nAccepted\n\n## Decision\n\n_Service Standard: 10 (Define what success looks like and publish performance data)_\n');
  });
});

describe('a person editing the lines in an ADR', () => {
  it('reads an edited points line and phase line, and keeps their own spelling while unchanged', () => {
    const out = asFiles(tagged(nygard));
    const edit = (name: string, from: string, to: string) => {
      const f = out.find((x) => x.name === name)!;
      expect(f.markdown).toContain(from);
      f.markdown = f.markdown.replace(from, to);
    };
    edit('0003-use-postgres-for-case-data.md', '_Service Standard: 11 (Choose the right tools and technology)_', '_Service Standard: 11 (tools), 4_');
    edit('0003-use-postgres-for-case-data.md', '_Phase: Alpha_', '_Phase: alpha (First alpha)_');
    edit('0002-use-a-common-cloud-provider.md', '## Decision', '## Context\n\n_Service Standard: 3_\n\n## Decision');
    const back = importCaseFiles(out, { ...input(), strict: true }).snapshot;
    expect(back.decisions.find((d) => d.number === 3)?.points).toEqual([4, 11]);
    expect(back.sprints.find((s) => s.number === 2)?.phase).toEqual({ kind: 'alpha', name: 'First alpha' });
    // A second Context section is evidence too, holding points only.
    expect(back.evidence.filter((e) => e.decision === 2).map((e) => [e.text.slice(0, 11), e.points])).toEqual([['Three teams', []], ['', [3]]]);
    expect(asFiles(back)).toEqual(out);
  });
});

describe('phases an ADR folder cannot place in their own sprint', () => {
  const imported = () => structuredClone(importCaseFiles(nygard, input()).snapshot);

  it('says a phase at a sprint with no ADR in the first ADR after it, which starts it there on import', () => {
    const snap = imported();
    // Sprints 1 to 4 hold ADRs; a Sprint 5 with none starts Beta, and Sprint 4 is moved after it by hand.
    snap.sprints.push({ number: 5, suffix: '', intro: '', startsOn: null, phase: BETA });
    snap.decisions = snap.decisions.map((d) => (d.number === 6 ? { ...d, sprint: 6 } : d));
    snap.sprints.push({ number: 6, suffix: '', intro: '', startsOn: null });
    expect(byName(snap).get('0006-adopt-feature-flags.md')).toContain('Date: 2024-03-04\n\n_Phase: Beta (Private beta)_\n\n## Status');
    expect(adrPhaseNotes(snap)).toEqual([]);
    const back = importCaseFiles(asFiles(snap), input()).snapshot;
    expect(back.decisions.find((d) => d.number === 6)?.sprint).toBe(4);
    expect(back.sprints.find((s) => s.number === 4)?.phase).toEqual(BETA);
  });

  it('names a phase that holds no ADR yet, and writes the folder as it was', () => {
    const snap = imported();
    snap.sprints.push({ number: 5, suffix: '', intro: '', startsOn: '2026-11-23', phase: { kind: 'live', name: null } });
    expect(adrPhaseNotes(snap)).toEqual(['Live starts at Sprint 5, which holds no ADR yet, so the folder does not say so: its first ADR will, once a decision is recorded in it.']);
    expect(renderCaseFiles(snap, 'x.md')).toEqual(renderCaseFiles(imported(), 'x.md'));
  });

  it('starts a phase at the first ADR of a sprint that says so, and keeps a second one\'s line as text, said', () => {
    const undated = (n: number, phase: string) => ({ name: `000${n}-x${n}.md`, path: `000${n}-x${n}.md`, markdown: `# ${n}. X${n}\n\n${phase}\n\n## Status\n\nAccepted\n` });
    const files = [undated(1, 'Plain words.'), undated(2, '_Phase: Beta_'), undated(3, '_Phase: Alpha_')];
    const report = importCaseFiles(files, input());
    expect(report.snapshot.sprints.map((s) => [s.number, s.phase])).toEqual([[0, { kind: 'beta', name: null }]]);
    expect(report.notes).toContain('0003-x3.md says Alpha starts with it, but 0002-x2.md says Beta starts in the same sprint (Imported); its line is kept as text.');
    expect(renderCaseFiles(report.snapshot, 'x.md').map((f) => f.markdown)).toEqual(files.map((f) => f.markdown));
    // Its preamble changed in chat, the line is written as the text it now is, escaped, and reads back so.
    const snap = structuredClone(report.snapshot);
    snap.decisions[2]!.deciders = ['Ana'];
    expect(byName(snap).get('0003-x3.md')).toBe('# 3. X3\n\n\\_Phase: Alpha_\nDeciders: Ana\n\n## Status\n\nAccepted\n');
    const back = importCaseFiles(asFiles(snap), input());
    expect(back.notes.filter((n) => /Phase|phase/.test(n))).toEqual([]);
    expect(back.snapshot.sprints.map((s) => [s.number, s.phase])).toEqual([[0, { kind: 'beta', name: null }]]);
    expect(back.snapshot.decisions[2]?.deciders).toEqual(['Ana']);
  });
});

describe('lines in an ADR that only look like these', () => {
  it('keeps a points line with more text after it, or in a code fence, as text of the Decision section', () => {
    const markdown = '# 1. Use queues\n\n## Status\n\nAccepted\n\n## Decision\n\n_Service Standard: 3_\n\nWe will use queues.\n\n## Context\n\n```\n_Service Standard: 4_\n```\n';
    const { snapshot } = importCaseFiles([{ name: '0001-use-queues.md', path: '0001-use-queues.md', markdown }], { ...input(), strict: true });
    expect(snapshot.decisions[0]).toMatchObject({ points: [], text: 'Use queues\n\n_Service Standard: 3_\n\nWe will use queues.' });
    expect(snapshot.evidence[0]).toMatchObject({ points: [], text: '```\n_Service Standard: 4_\n```' });
    expect(renderCaseFiles(snapshot, 'x.md')[0]?.markdown).toBe(markdown);
  });

  it('reads back text typed in chat that ends like a points or phase line as that text', () => {
    const snap = structuredClone(importCaseFiles(nygard, input()).snapshot);
    const typed = 'Use the common platform\n\nWe will move.\n_Service Standard: 1 (Understand users and their needs)_';
    snap.decisions[1] = { ...snap.decisions[1]!, text: typed };
    snap.evidence[1] = { ...snap.evidence[1]!, text: '_Phase: Alpha_' };
    const out = byName(snap).get('0002-use-a-common-cloud-provider.md');
    expect(out).toContain('We will move.\n\\_Service Standard: 1 (Understand users and their needs)_\n\n## Consequences');
    const back = importCaseFiles(asFiles(snap), input()).snapshot;
    expect(back.decisions[1]).toMatchObject({ text: typed, points: [] });
    expect(back.evidence[1]).toMatchObject({ text: '_Phase: Alpha_', points: [] });
    expect(back.sprints.every((s) => s.phase === undefined)).toBe(true);
  });
});
