/**
 * A folder of ADRs as one case (fixtures written for these tests): an adr-tools folder with
 * a README, a gap, a duplicate number, a template and supersede links both ways; and a MADR
 * folder of page bundles (index.md per ADR), one titled in its front matter with CRLF line
 * ends, one named by its date, and a status line in the preamble. Every file comes back byte
 * for byte; a change made in chat is written in the ADR's own layout.
 */
import path from 'node:path';
import { importCaseFiles, importSummary } from '../../src/core/import';
import type { ImportFile } from '../../src/core/import';
import { renderCaseFiles } from '../../src/core/markdown';
import type { CaseSnapshot, Evidence } from '../../src/core/model';
import { sprintHeading } from '../../src/core/sprints';
import { sequentialIds } from '../helpers/fake-clock';
import { ADR_FIXTURES, folderFiles } from '../helpers/folder';

const place = { platform: 'console' as const, workspace: 'local', channel: 'adr' };
const input = () => ({ id: 'case-1', place, now: new Date('2026-11-26T10:00:00Z'), newId: sequentialIds('ev') });
const nygard = folderFiles(path.join(ADR_FIXTURES, 'nygard'));
const madr = folderFiles(path.join(ADR_FIXTURES, 'madr'));

const decisions = (s: CaseSnapshot) => s.decisions.map((d) => [d.number, d.text.split('\n')[0], d.status, d.statusReason, d.supersededBy]);
const evidenceOf = (s: CaseSnapshot) => s.evidence.map((e) => [`${e.decision}${e.letter ?? ''}`, e.text.split('\n')[0]]);
/** What the case holds, for comparing two imports. */
const held = (s: CaseSnapshot) => ({
  decisions: s.decisions.map((d) => ({ n: d.number, text: d.text, status: d.status, reason: d.statusReason, by: d.supersededBy, sprint: d.sprint })),
  evidence: s.evidence.map((e) => ({ d: e.decision, letter: e.letter, text: e.text })),
});
const files = (s: CaseSnapshot): ImportFile[] => renderCaseFiles(s, 'x.md').map((f) => ({ name: f.name, path: f.name, markdown: f.markdown }));

describe('an adr-tools folder', () => {
  const report = importCaseFiles(nygard, input());
  const { snapshot } = report;

  it('is one decision per ADR: numbers as written (gaps and duplicates said), text from the title and Decision, statuses, supersede links', () => {
    expect(report.warnings).toEqual([]);
    expect(snapshot.case.title).toBe('Architecture decisions for the permit service');
    expect(decisions(snapshot)).toEqual([
      [1, 'Record architecture decisions', 'active', null, null],
      [2, 'Use a common cloud provider', 'active', null, null],
      [3, 'Use Postgres for case data', 'superseded', null, 5],
      [5, 'Use managed Postgres', 'active', null, null],
      // "Proposed": a proposed decision, to be accepted or rejected in chat; its file keeps the word.
      [6, 'Adopt feature flags', 'proposed', null, null],
      [7, 'Deprecate the nightly export', 'withdrawn', null, null],
    ]);
    expect(snapshot.decisions[1]?.text).toBe("Use a common cloud provider\n\nWe will host every new service on the department's common cloud platform.");
    expect(report.notes).toEqual([
      'No ADR is numbered 4: the gaps are kept, so every ADR keeps its own number.',
      '0006-deprecate-the-nightly-export.md has the number 6, like 0006-adopt-feature-flags.md: both files stay as they are, and it is Decision 7 in this case.',
      'template.md is a template, so it was left out.',
    ]);
  });

  it('takes Context and considered options as evidence', () => {
    expect(evidenceOf(snapshot)).toEqual([
      ['1a', 'We need to record the architectural decisions made on this project.'],
      ['2a', 'Three teams host services on three providers.'],
      ['3a', 'Case data is relational and needs transactions.'],
      ['5a', 'Patching our own database servers took two days each month.'],
      ['5b', '- Keep our own Postgres servers'],
      ['6a', 'Releases wait for the slowest feature in them.'],
      ['7a', 'Nobody has downloaded the nightly export since March.'],
    ]);
  });

  it('puts ADRs in sprints by their dates, and those without one in an "Imported" sprint', () => {
    expect(snapshot.sprints.map((s) => sprintHeading(s, snapshot.case.layout.sprintForms))).toEqual([
      'Imported', 'Sprint 1 (from 8 Jan 2024)', 'Sprint 2 (from 22 Jan 2024)', 'Sprint 3 (from 19 Feb 2024)', 'Sprint 4 (from 4 Mar 2024)',
    ]);
    expect(snapshot.decisions.map((d) => [d.number, d.sprint])).toEqual([[1, 1], [2, 1], [3, 2], [5, 3], [6, 4], [7, 0]]);
  });

  it('reports each file with the layout recognised', () => {
    const lines = importSummary(report, 'adr');
    expect(lines).toContain('  0003-use-postgres-for-case-data.md: an ADR: Decision 3, superseded by Decision 5; 1 decision, 1 piece of evidence');
    expect(lines).toContain('  0006-adopt-feature-flags.md: an ADR: Decision 6, proposed; 1 decision, 1 piece of evidence');
    expect(lines).toContain("  README.md: the case's own page: sections only, no decisions; 1 section");
    expect(lines).toContain('Note: template.md is a template, so it was left out.');
  });

  it('writes every file back under its own path, byte for byte (the template, left out, is not written)', () => {
    expect(renderCaseFiles(snapshot, 'x.md')).toEqual(nygard.filter((f) => f.name !== 'template.md').map((f) => ({ name: f.name, markdown: f.markdown }))
      .sort((a, b) => (a.name === 'README.md' ? -1 : b.name === 'README.md' ? 1 : 0)));
  });

  it('writes an ADR changed in chat in its own layout, adds one recorded in chat beside the others, and reads back as the same case', () => {
    const changed: CaseSnapshot = structuredClone(snapshot);
    const d = (n: number) => changed.decisions.find((x) => x.number === n)!;
    Object.assign(d(2), { text: 'Use the common cloud platform\n\nEvery new service is hosted on the common cloud platform from April.' });
    Object.assign(d(5), { status: 'withdrawn', statusReason: 'the platform dropped managed Postgres' });
    Object.assign(d(1), { status: 'superseded', supersededBy: 8 });
    changed.decisions.push({ ...d(6), number: 8, sprint: 4, text: 'Publish decisions in the team channel', status: 'active', statusReason: null, supersededBy: null, createdAt: '2026-11-27T09:00:00.000Z' });
    const extra: Evidence = { ...changed.evidence[1]!, id: 'ev-new', decision: 2, letter: 'b', position: 1, text: 'The platform team agreed to host us.' };
    changed.evidence.push(extra);
    const out = renderCaseFiles(changed, 'x.md');
    const byName = new Map(out.map((f) => [f.name, f.markdown]));
    expect(byName.get('0002-use-a-common-cloud-provider.md')).toBe([
      '# 2. Use the common cloud platform', '', 'Date: 2024-01-10', '', '## Status', '', 'Approved', '', '## Context', '',
      'Three teams host services on three providers.  ', 'Each needs its own on-call rota and its own security review.', '',
      '## Decision', '', 'Every new service is hosted on the common cloud platform from April.', '',
      '## Consequences', '', 'Existing services move when their contracts end.', '', '## Evidence', '', 'The platform team agreed to host us.', '',
    ].join('\n'));
    // The status's first line changes; its "Supersedes" line stays.
    expect(byName.get('0005-use-managed-postgres.md')).toContain('## Status\n\nDeprecated: the platform dropped managed Postgres\n\nSupersedes [3. Use Postgres for case data](0003-use-postgres-for-case-data.md)\n');
    expect(byName.get('0001-record-architecture-decisions.md')).toContain('## Status\n\nSuperseded by [8. Publish decisions in the team channel](0008-publish-decisions-in-the-team-channel.md)\n');
    expect(byName.get('0008-publish-decisions-in-the-team-channel.md')).toBe('# 8. Publish decisions in the team channel\n\nDate: 2026-11-27\n\n## Status\n\nAccepted\n\n## Decision\n');
    // Untouched ADRs stay byte for byte.
    for (const name of ['README.md', '0003-use-postgres-for-case-data.md', '0006-adopt-feature-flags.md', '0006-deprecate-the-nightly-export.md']) {
      expect(byName.get(name)).toBe(nygard.find((f) => f.name === name)?.markdown);
    }
    const reimport = importCaseFiles(files(changed), input());
    // The second ADR numbered 6 takes the next free number again: now 9, since 8 is taken; it says so.
    expect(reimport.notes).toContain('0006-deprecate-the-nightly-export.md has the number 6, like 0006-adopt-feature-flags.md: both files stay as they are, and it is Decision 9 in this case.');
    const renumber = (n: number) => (n === 9 ? 7 : n);
    const { decisions: a, evidence: b } = held(reimport.snapshot);
    const { decisions: c, evidence: e } = held(changed);
    // The sprints follow the ADRs' dates on reading; everything else reads back as it was changed.
    const order = <T extends { n: number }>(list: T[]) => list.map((x) => ({ ...x, n: renumber(x.n) })).sort((x, y) => x.n - y.n);
    expect(order(a).map(({ sprint: _s, ...rest }) => rest)).toEqual(order(c).map(({ sprint: _s, ...rest }) => rest));
    const key = (x: { d: number; letter: string | null }) => `${renumber(x.d)}${x.letter ?? ''}`;
    expect(b.map((x) => ({ ...x, d: renumber(x.d) })).sort((x, y) => key(x).localeCompare(key(y)))).toEqual([...e].sort((x, y) => key(x).localeCompare(key(y))));
  });
});

describe('a MADR folder of page bundles', () => {
  const report = importCaseFiles(madr, input());
  const { snapshot } = report;

  it('reads numbers from folder names, a title from front matter, a status line, and a file named by its date', () => {
    expect(report.warnings).toEqual([]);
    expect(decisions(snapshot)).toEqual([
      [1, 'Use Markdown Architectural Decision Records', 'active', null, null],
      [2, 'Choose a message queue', 'proposed', null, null],
      [3, 'Retire the FTP drop', 'rejected', 'two councils still send files by FTP', null],
    ]);
    expect(evidenceOf(snapshot)).toEqual([
      ['1a', 'We want to record decisions made in this project where the code is, so they are reviewed with it.'],
      ['1b', '* MADR 2.1.2'],
      ['2a', 'Permit payments arrive in bursts at the end of each month.'],
      ['3a', 'The FTP drop needs a server of its own.'],
    ]);
    expect(report.notes).toEqual(['decisions/20230720-retire-the-ftp-drop.md has no number; it is Decision 3 in this case.', 'decisions/adr-template.md is a template, so it was left out.']);
  });

  it('writes every file back byte for byte, CRLF and front matter included', () => {
    expect(renderCaseFiles(snapshot, 'x.md')).toEqual(madr.filter((f) => !f.name.endsWith('adr-template.md')).map((f) => ({ name: f.name, markdown: f.markdown })));
  });

  it('writes a changed status into the status line, a new title into the front matter, and a new ADR as a bundle beside the last', () => {
    const changed: CaseSnapshot = structuredClone(snapshot);
    Object.assign(changed.decisions[0]!, { status: 'withdrawn', statusReason: null });
    Object.assign(changed.decisions[1]!, { text: 'Choose a managed message queue\n\nWe will put payment events on the managed queue.' });
    changed.decisions.push({ ...changed.decisions[1]!, number: 4, text: 'Keep events for a year', status: 'active', createdAt: '2026-11-27T09:00:00.000Z' });
    const byName = new Map(renderCaseFiles(changed, 'x.md').map((f) => [f.name, f.markdown]));
    expect(byName.get('decisions/0001-use-markdown-adrs/index.md')).toContain('* Status: Deprecated\n* Deciders: the platform team\n');
    expect(byName.get('decisions/0002-choose-a-queue/index.md')).toBe('---\r\ntitle: "ADR 002: Choose a managed message queue"\r\ndate: 2023-06-14\r\n---\r\n\r\n## Status\r\n\r\nProposed\r\n\r\n## Context\r\n\r\nPermit payments arrive in bursts at the end of each month.\r\n\r\n## Decision\r\n\r\nWe will put payment events on the managed queue.\r\n');
    // Named by its date like the ADR before it, with a Date line as most of them have.
    expect(byName.get('decisions/20261127-keep-events-for-a-year.md')).toBe('# Keep events for a year\n\nDate: 2026-11-27\n\n## Status\n\nAccepted\n\n## Decision\n');
    // Beside a page bundle, a new ADR is a bundle, its title numbered like the one before.
    const bundles = importCaseFiles(madr.filter((f) => f.name.endsWith('index.md')), input()).snapshot;
    bundles.decisions.push({ ...bundles.decisions[1]!, number: 3, text: 'Keep events for a year', status: 'active' });
    expect(renderCaseFiles(bundles, 'x.md').at(-1)).toEqual({ name: 'decisions/0003-keep-events-for-a-year/index.md', markdown: '# ADR 003: Keep events for a year\n\n## Status\n\nAccepted\n\n## Decision\n' });
  });
});

describe('one ADR, and ADRs with a business case', () => {
  it('imports a single ADR as a case of one decision', () => {
    const one = nygard.filter((f) => f.name === '0005-use-managed-postgres.md');
    const { snapshot } = importCaseFiles(one, input());
    expect(decisions(snapshot)).toEqual([[5, 'Use managed Postgres', 'active', null, null]]);
    expect(renderCaseFiles(snapshot, 'x.md')).toEqual(one.map((f) => ({ name: f.name, markdown: f.markdown })));
  });

  it('takes the one other document as the case\'s own page, and leaves out any more, saying so', () => {
    const business = { name: 'business-case.md', markdown: '# Permit service business case\n\n## Benefits\n\nFewer calls (2a).\n' };
    const notes = { name: 'notes.md', markdown: '# Meeting notes\n\nNothing decided.\n' };
    const picked = [business, ...nygard.filter((f) => /^000[12]/.test(f.name))];
    const { snapshot } = importCaseFiles(picked, input());
    expect(snapshot.case.title).toBe('Permit service business case');
    expect(renderCaseFiles(snapshot, 'x.md').map((f) => f.markdown)).toEqual(picked.map((f) => f.markdown));
    const withReadme = importCaseFiles([...nygard, notes], input());
    expect(withReadme.notes).toContain('notes.md is not an ADR (no number with a Status or Decision section), so it was left out.');
  });
});

it('reads a document with decisions in the Sprint N layout as that, even when it is named and shaped like an ADR', () => {
  const markdown = '# 2024. Our case\n\n## Status\n\nDraft\n\n## Sprint 1\n\nDecision 1: We will go\n';
  const report = importCaseFiles([{ name: '2024-case.md', markdown }], input());
  expect(report.files.map((f) => f.layout)).toEqual(['“Sprint N” headings with “Decision N: …” paragraphs']);
  expect(report.snapshot.case.layout.adr).toBeUndefined();
  expect(renderCaseFiles(report.snapshot, 'x.md')).toEqual([{ name: '2024-case.md', markdown }]);
});

it('reads who decided from a "Deciders:" line, and writes the names chat gives back there, or into a line of its own', () => {
  const { snapshot } = importCaseFiles(madr, input());
  expect(snapshot.decisions.map((d) => d.deciders)).toEqual([['the platform team'], [], []]);
  const changed: CaseSnapshot = structuredClone(snapshot);
  changed.decisions[0]!.deciders = ['Ana', 'Ben'];
  changed.decisions[2]!.deciders = ['Cy'];
  // A proposal accepted in chat: its status line says so.
  changed.decisions[1]!.status = 'active';
  const byName = new Map(renderCaseFiles(changed, 'x.md').map((f) => [f.name, f.markdown]));
  expect(byName.get('decisions/0001-use-markdown-adrs/index.md')).toContain('* Status: accepted\n* Deciders: Ana and Ben\n* Date: 2023-05-02\n');
  expect(byName.get('decisions/20230720-retire-the-ftp-drop.md')).toContain('- Date: 2023-07-20\nDeciders: Cy\n\n## Context');
  expect(byName.get('decisions/0002-choose-a-queue/index.md')).toContain('## Status\r\n\r\nAccepted\r\n');
  const back = importCaseFiles(renderCaseFiles(changed, 'x.md').map((f) => ({ name: f.name, path: f.name, markdown: f.markdown })), input()).snapshot;
  expect(back.decisions.map((d) => [d.number, d.status, d.deciders])).toEqual([[1, 'active', ['Ana', 'Ben']], [2, 'active', []], [3, 'rejected', ['Cy']]]);
});
