/** `decisions copy`: the store-agnostic copy (between two real SQLite files) and the command end to end. */
import fs from 'node:fs';
import path from 'node:path';
import { newCase } from '../../src/core/cases';
import { importCase } from '../../src/core/import';
import type { Case, Place } from '../../src/core/model';
import { canonicalJson, copyStore, sameContent } from '../../src/store/copy';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { createCaseService } from '../../src/core/service';
import { ensureCaseWith } from '../helpers/records';
import { runCli } from '../helpers/cli';
import { openFakeMongoStore } from './helpers/fake-mongo';
import { tempDir } from '../helpers/temp-dir';

const fixtures = path.resolve(__dirname, '../fixtures/markdown');
const NOW = '2025-03-03T09:00:00.000Z';
const alice = { id: 'U-ALICE', name: 'Alice' };
const slackPlace: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const teamsPlace: Place = { platform: 'teams', workspace: 'tenant-1', channel: '19:abc@thread.tacv2' };

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('decisions-copy-'));
});
afterEach(() => cleanup());

let ids = 0;
const newId = (): string => `id-${(ids += 1)}`;

/** Everything a store holds that copy moves, for comparing two stores. */
async function contents(store: Store): Promise<unknown> {
  const cases = await store.listCases();
  return {
    cases: await Promise.all(cases.map((c) => store.snapshot(c.id))),
    installations: await store.listInstallations(),
    references: await store.listConversationRefs(),
  };
}

/** Runs a command in the live Slack channel through the case service, as Alice. */
async function record(store: Store, text: string): Promise<string> {
  const service = createCaseService({ store, clock: { now: () => new Date(NOW) }, newId });
  return (await service.run({ place: slackPlace, actor: alice }, text)).summary;
}

/** A source store with an imported case, a live case with decisions and evidence, an install and a reference. */
async function fillSource(store: SqliteStore): Promise<Case> {
  const markdown = fs.readFileSync(path.join(fixtures, 'layout-a.md'), 'utf8');
  await store.putSnapshot(
    importCase(markdown, { id: 'imported', place: { platform: 'console', workspace: 'local', channel: 'demo' }, now: new Date(NOW), newId }).snapshot,
    { replace: false },
  );
  await ensureCaseWith(store, newCase({ id: 'live', place: slackPlace, now: NOW }));
  await record(store, 'We will publish weekly');
  await record(store, 'evidence 0 Five of six users asked for it');
  const live = await store.findCase(slackPlace);
  if (!live) throw new Error('the live case is missing');
  await store.saveInstallation({ key: 'T1', data: '{"team":{"id":"T1"},"bot":{"token":"enc:abc"}}', updatedAt: NOW });
  await store.saveConversationRef({ place: teamsPlace, reference: '{"conversation":{"id":"19:abc"}}', updatedAt: NOW });
  return live;
}

describe('copyStore between two SQLite files', () => {
  let from: SqliteStore;
  let to: SqliteStore;

  beforeEach(() => {
    from = openSqliteStore(path.join(dir, 'a.sqlite'));
    to = openSqliteStore(path.join(dir, 'b.sqlite'));
  });

  afterEach(async () => {
    await from.close();
    await to.close();
  });

  it('copies every case whole, with installations and references, and reports counts', async () => {
    await fillSource(from);
    const report = await copyStore(from, to);
    expect(report.cases).toEqual({ copied: 2, unchanged: 0, replaced: 0, different: 0 });
    expect(report.installations).toEqual({ copied: 1, unchanged: 0, replaced: 0, different: 0 });
    expect(report.references).toEqual({ copied: 1, unchanged: 0, replaced: 0, different: 0 });
    expect(report.failures).toEqual([]);
    expect(await contents(to)).toEqual(await contents(from));
    // Numbering carries on from what was copied.
    expect(await record(to, 'The next decision')).toMatch(/^Decision 1 recorded/);
  });

  it('a second run changes nothing and says so', async () => {
    await fillSource(from);
    await copyStore(from, to);
    const before = await contents(to);
    const again = await copyStore(from, to);
    expect(again.cases).toEqual({ copied: 0, unchanged: 2, replaced: 0, different: 0 });
    expect(again.installations).toEqual({ copied: 0, unchanged: 1, replaced: 0, different: 0 });
    expect(again.references).toEqual({ copied: 0, unchanged: 1, replaced: 0, different: 0 });
    expect(await contents(to)).toEqual(before);
  });

  it('leaves a case that differs at the destination alone unless told to replace it', async () => {
    const live = await fillSource(from);
    await copyStore(from, to);
    expect(live.id).toBe('live');
    expect(await record(from, 'Only in the source')).toMatch(/^Decision 1 recorded/);
    await from.saveInstallation({ key: 'T1', data: '{"team":{"id":"T1"},"bot":{"token":"enc:new"}}', updatedAt: '2025-03-04T09:00:00.000Z' });
    const before = await contents(to);

    const kept = await copyStore(from, to);
    expect(kept.cases).toEqual({ copied: 0, unchanged: 1, replaced: 0, different: 1 });
    expect(kept.installations).toEqual({ copied: 0, unchanged: 0, replaced: 0, different: 1 });
    expect(kept.differences).toEqual([
      'case "Business case" (slack workspace T1, channel C1) differs at the destination',
      'the Slack installation T1 differs at the destination',
    ]);
    expect(await contents(to)).toEqual(before);

    const replaced = await copyStore(from, to, { replace: true });
    expect(replaced.cases).toEqual({ copied: 0, unchanged: 1, replaced: 1, different: 0 });
    expect(replaced.installations).toEqual({ copied: 0, unchanged: 0, replaced: 1, different: 0 });
    expect(await contents(to)).toEqual(await contents(from));
  });

  it('reports a case the destination refuses, and copies the rest', async () => {
    await fillSource(from);
    // The destination already uses the live case's id for another place.
    const elsewhere: Place = { platform: 'slack', workspace: 'T9', channel: 'C9' };
    await ensureCaseWith(to, newCase({ id: 'live', place: elsewhere, now: NOW }));
    const report = await copyStore(from, to);
    expect(report.cases).toEqual({ copied: 1, unchanged: 0, replaced: 0, different: 0 });
    expect(report.failures).toEqual([expect.stringMatching(/^case "Business case" \(slack workspace T1, channel C1\): Case live already exists/)]);
    expect(report.installations.copied).toBe(1);
  });

  it('SQLite to MongoDB and back: the same content, and a second run finds every case unchanged', async () => {
    await fillSource(from);
    // The MongoDB store's logic on its in-memory driver stand-in (no server here).
    const { store: mongo } = openFakeMongoStore();
    try {
      const there = await copyStore(from, mongo);
      expect(there.cases.copied).toBe(2);
      expect(await contents(mongo)).toEqual(await contents(from));
      const again = await copyStore(from, mongo);
      expect(again.cases).toEqual({ copied: 0, unchanged: 2, replaced: 0, different: 0 });
      expect(again.installations.unchanged + again.references.unchanged).toBe(2);
      const back = await copyStore(mongo, to);
      expect(back.cases.copied).toBe(2);
      expect(await contents(to)).toEqual(await contents(from));
    } finally {
      await mongo.close();
    }
  });

  it('compares content, not key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(sameContent({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameContent({ a: 1 }, { a: 1, b: null })).toBe(false);
  });
});

describe('decisions copy (the command)', () => {
  const env = (dataDir: string): Record<string, string> => ({ DATA_DIR: dataDir });

  it('moves cases between two SQLite stores: identical export before and after, and a second run changes nothing', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    for (const [file, name] of [['layout-a.md', 'demo'], ['layout-b.md', 'other']]) {
      const imported = await runCli(['import', path.join(fixtures, file), '--case', name], { env: env(a) });
      expect(imported.code).toBe(0);
    }
    const exportsOf = async (dataDir: string) => Promise.all(['demo', 'other'].map(async (name) => {
      const r = await runCli(['export', '--case', name], { env: env(dataDir) });
      expect(r.code).toBe(0);
      return r.stdout;
    }));
    const before = await exportsOf(a);

    const fromName = `sqlite:${path.join(a, 'decisions.sqlite')}`;
    const toName = `sqlite:${path.join(b, 'decisions.sqlite')}`;
    const first = await runCli(['copy', '--from', fromName, '--to', toName], { env: env(path.join(dir, 'unused')) });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe([
      `Copying from ${fromName} to ${toName}`,
      'Cases: 2 copied, 0 unchanged',
      'Slack installations: 0 copied, 0 unchanged',
      'Teams conversation references: 0 copied, 0 unchanged',
      'Total: 2 copied, 0 unchanged.',
      '',
    ].join('\n'));
    expect(await exportsOf(b)).toEqual(before);

    const second = await runCli(['copy', '--from', fromName, '--to', toName], { env: env(path.join(dir, 'unused')) });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Cases: 0 copied, 2 unchanged\n');
    expect(second.stdout).toContain('Total: 0 copied, 2 unchanged.\n');
    expect(await exportsOf(b)).toEqual(before);
  });

  it('--from defaults to the configured store (DATA_DIR)', async () => {
    const a = path.join(dir, 'a');
    expect((await runCli(['import', path.join(fixtures, 'layout-b.md'), '--case', 'demo'], { env: env(a) })).code).toBe(0);
    const target = path.join(dir, 'copy', 'elsewhere.sqlite');
    const r = await runCli(['copy', '--to', `sqlite:${target}`], { env: env(a) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Copying from sqlite:${path.join(a, 'decisions.sqlite')} to sqlite:${target}\n`);
    expect(r.stdout).toContain('Cases: 1 copied, 0 unchanged\n');
    const copied = openSqliteStore(target);
    try {
      expect((await copied.listCases()).map((c) => c.place.channel)).toEqual(['demo']);
    } finally {
      await copied.close();
    }
  });

  it('explains a wrong command line in one line, exit 2', async () => {
    const a = path.join(dir, 'a');
    const cases: Array<[string[], RegExp]> = [
      [['copy'], /^copy needs a destination: decisions copy --to <store>/],
      [['copy', '--to', 'postgres://x'], /^--to must be sqlite:<path> or a mongodb:\/\/ URI/],
      [['copy', '--from', `sqlite:${path.join(dir, 'missing.sqlite')}`, '--to', `sqlite:${path.join(dir, 'b.sqlite')}`], /^--from: there is no SQLite file at /],
      [['copy', '--from', `sqlite:${path.join(dir, 'x.sqlite')}`, '--to', `sqlite:${path.join(dir, 'x.sqlite')}`], /^--from: there is no SQLite file|^--from and --to are the same store/],
    ];
    fs.mkdirSync(a, { recursive: true });
    for (const [args, message] of cases) {
      const r = await runCli(args, { env: env(a) });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    // The same file named twice.
    const file = path.join(a, 'decisions.sqlite');
    expect((await runCli(['import', path.join(fixtures, 'layout-b.md'), '--case', 'demo'], { env: env(a) })).code).toBe(0);
    const same = await runCli(['copy', '--from', `sqlite:${file}`, '--to', `sqlite:${path.relative(process.cwd(), file)}`], { env: env(a) });
    expect(same.code).toBe(2);
    expect(same.stderr).toBe('--from and --to are the same store.\n');
  });

  it('an unreachable MongoDB destination fails with one line, exit 1, password hidden', async () => {
    const a = path.join(dir, 'a');
    expect((await runCli(['import', path.join(fixtures, 'layout-b.md'), '--case', 'demo'], { env: env(a) })).code).toBe(0);
    const r = await runCli(['copy', '--to', 'mongodb://bot:hunter2@127.0.0.1:1/decisions?serverSelectionTimeoutMS=300'], { env: env(a) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Cannot reach MongoDB at mongodb:\/\/\[secret\]@127\.0\.0\.1:1\/decisions\?serverSelectionTimeoutMS=\[secret\]: .+\n$/);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });
});
