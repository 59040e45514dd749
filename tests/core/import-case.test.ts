/**
 * The import command in core: what typing `import` answers on each surface, the preview,
 * the confirmation at the version shown, and its undo, through the one write model,
 * against a real SQLite file and the MongoDB store (on its in-memory stand-in).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCommand } from '../../src/core/grammar';
import { openSqliteStore } from '../../src/store/sqlite';
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import { renderCaseFiles } from '../../src/core/markdown';
import type { Actor, CaseSnapshot, Place } from '../../src/core/model';
import type { Store } from '../../src/store/store';
import type { ImportFile } from '../../src/core/import';
import type { Reply } from '../../src/core/views';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';
import { openFakeMongoStore } from '../store/helpers/fake-mongo';
import { ADR_FIXTURES, folderFiles } from '../helpers/folder';

const ALPHAGOV = path.resolve(__dirname, '../fixtures/alphagov');
const read = (name: string): ImportFile => ({ name, markdown: fs.readFileSync(path.join(ALPHAGOV, name), 'utf8') });
const CASE = read('prototype-case-joined-up-services.MD');
const DECISIONS = read('key-decisions-and-evidence.md');

const slack: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const ana: Actor = { id: 'U1', name: 'Ana' };
const ben: Actor = { id: 'U2', name: 'Ben' };

function expectKind<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (reply.kind !== kind) throw new Error(`expected ${kind}, got ${reply.kind}: ${reply.summary}`);
  return reply as Extract<Reply, { kind: K }>;
}

describe('the grammar', () => {
  it('reads `import` alone, and refuses words after it', () => {
    expect(parseCommand('import')).toEqual({ name: 'import', files: null, confirm: null });
    expect(parseCommand('import case.md')).toMatchObject({ name: 'error', message: expect.stringContaining('`import` takes no words') });
  });
});

const stores: Array<[string, () => { store: Store; close: () => Promise<void> }]> = [
  ['SQLite', () => {
    const t = tempDir();
    const store = openSqliteStore(path.join(t.dir, 'decisions.sqlite'));
    return { store, close: async () => { await store.close(); t.cleanup(); } };
  }],
  ['MongoDB (stand-in)', () => {
    const { store } = openFakeMongoStore();
    return { store, close: async () => store.close() };
  }],
];

describe.each(stores)('importing into a place, on %s', (_name, open) => {
  let store: Store;
  let close: () => Promise<void>;
  let service: CaseService;
  const clock = fakeClock('2026-11-26T10:00:00Z');

  beforeEach(() => {
    ({ store, close } = open());
    clock.set('2026-11-26T10:00:00Z');
    service = createCaseService({ store, clock, newId: sequentialIds(), pause: async () => undefined });
  });
  afterEach(async () => close());

  const run = (text: string, actor: Actor = ana, where: Place = slack) => service.run({ place: where, actor }, text);
  const importFiles = (files: ImportFile[], confirm: { version: number | null } | null, actor: Actor = ana, where: Place = slack) =>
    service.runCommand({ place: where, actor }, { name: 'import', files, confirm });
  const snapshot = async (where: Place = slack): Promise<CaseSnapshot | null> => {
    const c = await store.findCase(where);
    return c ? store.snapshot(c.id) : null;
  };

  it('says how to import where it cannot take a file, naming the place', async () => {
    const teams: Place = { platform: 'teams', workspace: 'tenant-a', channel: '19:general@thread.tacv2' };
    expect((await run('import', ana, teams)).summary).toBe('I cannot take a file here, so a business case is imported from the command line where the bot runs (ask whoever runs it): `decisions import case.md [key-decisions.md] --into teams:tenant-a/19:general@thread.tacv2` (a folder of ADRs works too: decisions import docs/adr --into teams:tenant-a/19:general@thread.tacv2). This conversation is told when it comes in.');
    const console: Place = { platform: 'console', workspace: 'local', channel: 'demo' };
    expect((await run('import', ana, console)).summary).toBe('Import a business case from the command line: decisions import case.md [key-decisions.md] --case demo (a folder of ADRs works too: decisions import docs/adr --case demo)');
    const form = expectKind(await run('import'), 'import');
    expect(form.import).toEqual({ version: null, current: null, preview: null, changed: false });
    expect(await snapshot()).toBeNull();
  });

  it('previews without writing, then replaces the case at the version shown, keeping the place\'s settings', async () => {
    await run('We will publish weekly', ben);
    await run('timezone America/New_York');
    await run('digest off');
    await run('case Benefits Fewer calls (0a)', ben);
    const before = await snapshot() as CaseSnapshot;
    const look = expectKind(await importFiles([DECISIONS, CASE], null), 'import');
    expect(look.import.current).toEqual({ title: 'Business case', decisions: 1, evidence: 0, writtenSections: 1 });
    expect(look.import.preview?.files).toEqual([CASE.name, DECISIONS.name]);
    expect(look.import.preview?.sprints[1]).toBe('Sprint 1: 3 decisions, 6 pieces of evidence');
    expect((await snapshot())?.case.version).toBe(before.case.version);

    const done = expectKind(await importFiles([DECISIONS, CASE], { version: look.import.version }), 'notice');
    expect(done.visibility).toBe('channel');
    expect(done.undo).toBeDefined();
    expect(done.summary).toContain('It replaced the case that had 1 decision.');
    const after = await snapshot() as CaseSnapshot;
    expect(after.case.id).toBe(before.case.id);
    expect(after.case.timeZone).toBe('America/New_York');
    expect(after.case.schedule.digestOn).toBe(false);
    expect(after.decisions).toHaveLength(16);
    expect(after.sprints.at(-1)?.startsOn).toBe('2026-11-26');
    expect(renderCaseFiles(after, 'x.md').map((f) => f.markdown)).toEqual([CASE.markdown, DECISIONS.markdown]);

    // Nobody can undo from under the import what they did before it.
    expect((await run('undo', ben)).summary).toContain('Since then Ana imported');
    // The importer's undo puts the case back exactly; then earlier changes can be undone again.
    expect((await run('undo')).summary).toBe('Ana undid: imported “[Prototype] Case for helping join up government services” (16 decisions).');
    const back = await snapshot() as CaseSnapshot;
    const strip = (s: CaseSnapshot) => ({ ...s, case: { ...s.case, version: 0, updatedAt: '' } });
    expect(strip(back)).toEqual(strip(before));
    expect((await run('undo', ben)).summary).toBe('Ben undid: rewrote the Benefits section.');
  });

  it('asks again when the case changed since the preview, and writes nothing', async () => {
    const look = expectKind(await importFiles([DECISIONS], null), 'import');
    await run('We will publish weekly', ben);
    const version = (await snapshot())?.case.version;
    const again = expectKind(await importFiles([DECISIONS], { version: look.import.version }), 'import');
    expect(again.import.changed).toBe(true);
    expect(again.import.current?.decisions).toBe(1);
    expect((await snapshot())?.case.version).toBe(version);
  });

  it('refuses what is not one case in one or two files, in plain words, and writes nothing', async () => {
    const refused = async (files: ImportFile[]) => expectKind(await importFiles(files, { version: null }), 'error').message;
    expect(await refused([])).toMatch(/^Choose a file to import/);
    expect(await refused([CASE, DECISIONS, DECISIONS])).toBe('You chose 3 documents. Import one, or two (the business case and its key decisions), or a folder of ADRs.');
    expect(await refused([{ name: 'notes.txt', markdown: 'no heading here\n' }])).toMatch(/^notes\.txt has no Markdown heading/);
    expect(await refused([{ name: 'x.md', markdown: '# T\n\u0000' }])).toBe('x.md is a binary file (it has NUL bytes), not a business case in Markdown. Nothing imported.');
    expect(await refused([CASE, { name: 'odd.md', markdown: '# Notes\n\nNothing else\n' }])).toMatch(/^Neither/);
    const strict = await service.runCommand({ place: slack, actor: ana }, { name: 'import', files: [{ name: 'bad.md', markdown: '# Case\n\n## Sprint 0\n\nEvidence 0a: early\n' }], confirm: { version: null }, strict: true });
    expect(expectKind(strict, 'error').message).toMatch(/^Line 5: /);
    expect(await snapshot()).toBeNull();
  });

  it('keeps only the last part of a file name, so no export can be steered out of its directory', async () => {
    const look = expectKind(await importFiles([{ name: '../../etc/\u0007case.md', markdown: DECISIONS.markdown }], null), 'import');
    expect(look.import.preview?.files).toEqual(['case.md']);
    await importFiles([{ name: '..', markdown: DECISIONS.markdown }], { version: null });
    expect((await snapshot())?.case.layout.fileName).toBe('business-case.md');
  });

  it('keeps an ADR folder\'s paths, and writes chat\'s changes back into the ADRs, each in its own layout, through the store', async () => {
    const adrs = folderFiles(path.join(ADR_FIXTURES, 'nygard'));
    const look = expectKind(await importFiles(adrs, null), 'import');
    expect(look.import.preview?.found).toContain('0005-use-managed-postgres.md: an ADR: Decision 5, accepted; 1 decision, 2 pieces of evidence');
    expect(look.import.preview?.notes).toContain('template.md is a template, so it was left out.');
    expectKind(await importFiles(adrs, { version: look.import.version }), 'notice');
    expect((await run('list sprint 0')).summary).toBe('Decisions in Imported: 1');
    expect((await run('list imported')).summary).toBe('Decisions in Imported: 1');
    expect((await run('list sprint 2')).summary).toBe('Decisions in Sprint 2 (from 22 Jan 2024): 1');
    await run('edit 2 Use the common cloud platform');
    await run('withdraw 5 The platform dropped managed Postgres');
    await run('evidence 2 The platform team agreed to host us');
    expect((await run('We will publish decisions in the team channel')).summary).toMatch(/^Decision 8 recorded in Sprint 4 \(from 4 Mar 2024\) by Ana/);
    const byName = new Map(renderCaseFiles(await snapshot() as CaseSnapshot, 'x.md').map((f) => [f.name, f.markdown]));
    expect(byName.get('0002-use-a-common-cloud-provider.md')).toMatch(/^# 2\. Use the common cloud platform\n\nDate: 2024-01-10\n[\s\S]*## Decision\n\n## Consequences\n\nExisting services move when their contracts end\.\n\n## Evidence\n\nThe platform team agreed to host us\n$/);
    expect(byName.get('0005-use-managed-postgres.md')).toContain('## Status\n\nDeprecated: The platform dropped managed Postgres\n\nSupersedes [3.');
    expect(byName.get('0008-we-will-publish-decisions-in-the-team-channel.md')).toBe('# 8. We will publish decisions in the team channel\n\nDate: 2026-11-26\n\n## Status\n\nAccepted\n\n## Decision\n');
    for (const name of ['README.md', '0001-record-architecture-decisions.md', '0003-use-postgres-for-case-data.md', '0006-adopt-feature-flags.md']) {
      expect(byName.get(name)).toBe(adrs.find((f) => f.name === name)?.markdown);
    }
  });

  it('keeps a decision log\'s sprint names in chat, and writes chat\'s decisions into the log in its own layout, through the store', async () => {
    const log = { name: 'beta-log.md', markdown: fs.readFileSync(path.resolve(__dirname, '../fixtures/logs/beta-log.md'), 'utf8') };
    const look = expectKind(await importFiles([log], null), 'import');
    expect(look.import.preview?.sprints).toEqual(['Beta 1: 2 decisions, 2 pieces of evidence', 'Beta 2: 1 decision, 1 piece of evidence']);
    expectKind(await importFiles([log], { version: look.import.version }), 'notice');
    expect((await run('list')).summary).toBe('Decisions in Beta 2: 1');
    expect((await run('list Beta 1')).summary).toBe('Decisions in Beta 1: 2');
    expect((await run('list sprint 0')).summary).toBe('Decisions in Beta 1: 2');
    expect((await run('list Beta 7')).summary).toBe('There is no sprint called “Beta 7” in this case. Its latest sprints: Beta 1, Beta 2. Try `list sprint <N>` or `list all`.');
    expect((await run('We will publish it monthly')).summary).toMatch(/^Decision 4 recorded in Beta 2 by Ana/);
    await run('evidence 3 The data team asked for it');
    await run('sprint start Beta 3');
    await run('We will open the service to everyone');
    const [file] = renderCaseFiles(await snapshot() as CaseSnapshot, 'x.md');
    expect(file?.name).toBe('beta-log.md');
    expect(file?.markdown).toBe(`${log.markdown}\nEvidence 1b: The data team asked for it\n\n### Decision 4: We will publish it monthly\n\n## Sprint 2: Beta 3\n\n### Decision 5: We will open the service to everyone\n`);
  });
});
