/**
 * The SQLite store when its storage fails, on real files: a full database, a read-only
 * file, the file removed or replaced under the open store, and another process holding
 * the write lock. Each failure comes back as StoreUnavailable with its own plain message,
 * nothing is written, health() says why until it is over, and waiting for the lock never
 * holds up the event loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { newCase } from '../../src/core/cases';
import type { Case, Decision, Place } from '../../src/core/model';
import { StoreUnavailable, type CaseWrite } from '../../src/core/ports';
import { STORAGE_BUSY_MESSAGE, STORAGE_FULL_MESSAGE, STORAGE_READ_ONLY_MESSAGE, STORAGE_REPLACED_MESSAGE } from '../../src/store/messages';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite';
import { tempDir } from '../helpers/temp-dir';
import { holdLock, makeReadOnly, readOnlyUnavailable } from './helpers/storage-faults';
import { watchStalls } from '../helpers/event-loop';

const NOW = '2025-03-03T09:00:00.000Z';
const PLACE: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };

const decision = (number: number, text = `Decision ${number}`): Decision => ({
  number, sprint: 1, text, author: { id: 'U1', name: 'Ann' }, createdAt: NOW, updatedAt: NOW,
  status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [],
});

const NO_WRITES: Omit<CaseWrite, 'case' | 'expectedVersion'> = {
  putSprints: [], deleteSprints: [], putDecisions: [], deleteDecisions: [], putEvidence: [], deleteEvidence: [],
  addChanges: [], undone: [],
};

/** The write core would make: the next version of `current`, with these decisions. */
const next = (current: Case, decisions: Decision[] = []): CaseWrite => ({
  ...NO_WRITES,
  case: { ...current, version: current.version + 1 },
  expectedVersion: current.version === 0 ? null : current.version,
  putDecisions: decisions,
});

/** What a promise rejected with (or null when it resolved). */
const failureOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => null, (err: unknown) => err);

async function expectUnavailable(p: Promise<unknown>, message: string): Promise<void> {
  const err = await failureOf(p);
  expect(err).toBeInstanceOf(StoreUnavailable);
  expect((err as Error).message).toBe(message);
}

let t: ReturnType<typeof tempDir>;
let file: string;
let store: SqliteStore;

async function createCase(s: SqliteStore): Promise<Case> {
  const write = next(newCase({ id: 'case-1', place: PLACE, now: NOW }), [decision(1)]);
  expect(await s.commit(write)).toBe(true);
  return write.case;
}

beforeEach(() => {
  t = tempDir('decisions-storage-');
  file = path.join(t.dir, 'decisions.sqlite');
});

afterEach(async () => {
  await store?.close();
  t.cleanup();
});

describe('a full database', () => {
  it('refuses the write in plain words, keeps nothing of it, and is healthy again once there is room', async () => {
    store = openSqliteStore(file);
    const c = await createCase(store);
    // The disk is "full" at the database's current size: SQLite answers SQLITE_FULL, as on a full disk.
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    const big = decision(2, 'x'.repeat(200_000));

    await expectUnavailable(store.commit(next(c, [big])), STORAGE_FULL_MESSAGE);
    expect(await store.health()).toEqual({ ok: false, reason: STORAGE_FULL_MESSAGE });
    const kept = await store.snapshot(c.id);
    expect(kept?.case.version).toBe(1);
    expect(kept?.decisions.map((d) => d.number)).toEqual([1]);

    store.db.pragma('max_page_count = 1000000');
    expect(await store.health()).toEqual({ ok: true });
    expect(await store.commit(next(c, [big]))).toBe(true);
    expect((await store.snapshot(c.id))?.decisions.map((d) => d.number)).toEqual([1, 2]);
  });
});

describe('a read-only file', () => {
  const itReadOnly = readOnlyUnavailable === null ? it : it.skip;
  const why = readOnlyUnavailable === null ? '' : ` (skipped: ${readOnlyUnavailable})`;

  itReadOnly(`opens for reading, is unhealthy from the start, and refuses every write in plain words${why}`, async () => {
    const first = openSqliteStore(file);
    const c = await createCase(first);
    await first.close();
    const undo = makeReadOnly(file);
    try {
      store = openSqliteStore(file);
      expect(await store.health()).toEqual({ ok: false, reason: STORAGE_READ_ONLY_MESSAGE });
      expect((await store.loadCase(PLACE))?.decisions.map((d) => d.number)).toEqual([1]);
      await expectUnavailable(store.commit(next(c, [decision(2)])), STORAGE_READ_ONLY_MESSAGE);
      await expectUnavailable(store.claim('digest:x', 'me', NOW, NOW), STORAGE_READ_ONLY_MESSAGE);
      // SQLite opened it read-only: writable again, it still needs a restart.
      undo();
      expect(await store.health()).toEqual({ ok: false, reason: STORAGE_READ_ONLY_MESSAGE });
      await store.close();
      store = openSqliteStore(file);
      expect(await store.health()).toEqual({ ok: true });
      expect(await store.commit(next(c, [decision(2)]))).toBe(true);
    } finally {
      undo();
    }
  });
});

describe('the file removed or replaced under the open store', () => {
  it('moved away: refuses writes and says so until a restart; the moved file keeps every acknowledged commit', async () => {
    store = openSqliteStore(file);
    const c = await createCase(store);
    const aside = `${file}.aside`;
    fs.renameSync(file, aside);

    await expectUnavailable(store.commit(next(c, [decision(2)])), STORAGE_REPLACED_MESSAGE);
    await expectUnavailable(store.saveInstallation({ key: 'T1', data: 'x', updatedAt: NOW }), STORAGE_REPLACED_MESSAGE);
    expect(await store.health()).toEqual({ ok: false, reason: STORAGE_REPLACED_MESSAGE });
    // Its WAL went into the moved file, and nothing of it is left at the path for a restart to apply.
    expect(fs.readdirSync(t.dir).sort()).toEqual(['decisions.sqlite.aside']);

    // Put back under the running store: still refused (it must be restarted), and nothing was lost.
    fs.renameSync(aside, file);
    await expectUnavailable(store.commit(next(c, [decision(2)])), STORAGE_REPLACED_MESSAGE);
    await store.close();
    store = openSqliteStore(file);
    expect(await store.health()).toEqual({ ok: true });
    expect((await store.loadCase(PLACE))?.decisions.map((d) => d.number)).toEqual([1]);
    expect(await store.commit(next(c, [decision(2)]))).toBe(true);
  });

  it('deleted: nothing written after it is acknowledged, and a restart starts clean, not from its leftover WAL', async () => {
    store = openSqliteStore(file);
    const c = await createCase(store);
    fs.unlinkSync(file);
    for (let n = 2; n <= 4; n += 1) {
      await expectUnavailable(store.commit(next(c, [decision(n)])), STORAGE_REPLACED_MESSAGE);
    }
    expect(await store.health()).toEqual({ ok: false, reason: STORAGE_REPLACED_MESSAGE });
    await store.close();
    store = openSqliteStore(file);
    expect(String(store.db.pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(await store.listCases()).toEqual([]);
  });

  it('replaced by another database renamed over it: refuses writes, and the new file keeps only its own records', async () => {
    const backup = path.join(t.dir, 'backup.sqlite');
    const other = openSqliteStore(backup);
    await other.commit(next(newCase({ id: 'from-backup', place: PLACE, now: NOW }), [decision(1, 'from the backup')]));
    await other.close();

    store = openSqliteStore(file);
    const c = await createCase(store);
    fs.renameSync(backup, file);
    await expectUnavailable(store.commit(next(c, [decision(2)])), STORAGE_REPLACED_MESSAGE);
    expect(await store.health()).toEqual({ ok: false, reason: STORAGE_REPLACED_MESSAGE });
    await store.close();

    store = openSqliteStore(file);
    const after = await store.loadCase(PLACE);
    expect(after?.case.id).toBe('from-backup');
    expect(after?.decisions.map((d) => d.text)).toEqual(['from the backup']);
  });

  it('its WAL removed (the commits not yet in the file): refuses writes, and copies those commits into the file', async () => {
    store = openSqliteStore(file);
    const c = await createCase(store);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    fs.unlinkSync(`${file}-wal`);
    await expectUnavailable(store.commit(next(c, [decision(2)])), STORAGE_REPLACED_MESSAGE);
    expect(await store.health()).toEqual({ ok: false, reason: STORAGE_REPLACED_MESSAGE });
    await store.close();
    store = openSqliteStore(file);
    expect((await store.loadCase(PLACE))?.decisions.map((d) => d.number)).toEqual([1]);
  });
});

describe('another process holding the write lock', () => {
  /** The longest the event loop was held up while `work` ran. */
  async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T | Error; stallMs: number }> {
    const stalls = watchStalls();
    // Started after the sampling, so a first attempt that blocks is measured too.
    const result = await work().catch((err: Error) => err);
    return { result, stallMs: stalls.stop() };
  }

  it('a write waits without holding up the event loop and commits once the lock is let go; reads carry on', async () => {
    store = openSqliteStore(file);
    const c = await createCase(store);
    const lock = await holdLock(file, 1500);

    const readStarted = Date.now();
    expect((await store.loadCase(PLACE))?.case.version).toBe(1);
    expect(Date.now() - readStarted).toBeLessThan(200);

    const { result, stallMs } = await longestStall(() => store.commit(next(c, [decision(2)])));
    const released = await lock.released;
    expect(result).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(lock.heldAt + 1400);
    expect(released).toBeLessThanOrEqual(Date.now());
    // SQLite blocks at most a few ms per attempt (busy_timeout); the rest is timers.
    expect(stallMs).toBeLessThan(100);
    expect((await store.snapshot(c.id))?.decisions.map((d) => d.number)).toEqual([1, 2]);
  });

  it('held past the deadline: the write is refused as busy, nothing written, and the store is still healthy', async () => {
    store = openSqliteStore(file, { lockDeadlineMs: 300 });
    const c = await createCase(store);
    const lock = await holdLock(file, 1500);
    const started = Date.now();
    const { result, stallMs } = await longestStall(() => store.commit(next(c, [decision(2)])));
    expect(result).toBeInstanceOf(StoreUnavailable);
    expect((result as Error).message).toBe(STORAGE_BUSY_MESSAGE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(stallMs).toBeLessThan(100);
    expect(await store.health()).toEqual({ ok: true });
    await lock.released;
    expect((await store.snapshot(c.id))?.decisions.map((d) => d.number)).toEqual([1]);
  });
});

describe('opening', () => {
  it('a folder that cannot be made fails in one line naming the file', async () => {
    const blocker = path.join(t.dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    const err = (() => {
      try {
        openSqliteStore(path.join(blocker, 'decisions.sqlite'));
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StoreUnavailable);
    expect((err as Error).message).toMatch(/^Cannot open the SQLite database at .*not-a-folder\/decisions\.sqlite: /);
    expect((err as Error).message).not.toContain('\n');
  });
});
