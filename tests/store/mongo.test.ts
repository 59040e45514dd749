/**
 * The MongoDB store. The Store contract runs against a real server when MONGODB_URI
 * points at one (a replica set runs it with transactions, and once more without); without
 * it the contract is reported skipped, by name. Nothing here downloads a MongoDB binary.
 * The rest needs no server: the contract and the commit without transactions on an
 * in-memory stand-in for the driver, start-up failures, error mapping.
 */
import { createCaseService } from '../../src/core/service';
import mongoose from 'mongoose';
import type { Models } from '../../models';
import { newCase } from '../../src/core/cases';
import type { Actor, Case, Change, Decision, Evidence, Place, Sprint } from '../../src/core/model';
import {
  StoreConflict, StoreUnavailable, STORE_UNAVAILABLE_MESSAGE, type CaseWrite,
} from '../../src/core/ports';
import { isDuplicateKey, isUnreachable, openMongoStore, storeError, type MongoStore } from '../../src/store/mongodb';
import { freePort, runCli } from '../helpers/cli';
import { storeContract } from './contract';
import { openFakeMongoStore } from './helpers/fake-mongo';

const URI = process.env.MONGODB_URI;
let databases = 0;

/** A database name of its own for each store the tests open. */
function freshDatabase(): string {
  databases += 1;
  return `decisions_test_${process.pid}_${Date.now().toString(36)}_${databases}`;
}

async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const conn = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}

// Writes as core makes them ------------------------------------------------------------

const PLACE: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const NOW = '2025-03-03T09:00:00.000Z';
const alice: Actor = { id: 'U1', name: 'Alice' };

const NO_WRITES: Omit<CaseWrite, 'case' | 'expectedVersion'> = {
  putSprints: [], deleteSprints: [], putDecisions: [], deleteDecisions: [], putEvidence: [], deleteEvidence: [],
  addChanges: [], undone: [],
};

/** The write core would make from `current` (version 0: a new case). */
function writeFrom(current: Case, parts: Partial<Omit<CaseWrite, 'case' | 'expectedVersion'>> & { fields?: Partial<Case> } = {}): CaseWrite {
  const { fields, ...rest } = parts;
  return {
    case: { ...current, ...fields, version: current.version + 1 },
    expectedVersion: current.version === 0 ? null : current.version,
    ...NO_WRITES,
    ...rest,
  };
}

const sprint = (number: number): Sprint => ({ number, suffix: '', intro: '', startsOn: null });
const decision = (number: number, text = `Decision ${number}`): Decision => ({
  number, sprint: 1, text, author: alice, createdAt: NOW, updatedAt: NOW, status: 'active',
  statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [],
});
const evidence = (id: string, d: number, letter: string, position: number): Evidence => ({
  id, decision: d, letter, refersTo: null, position, text: `evidence ${id}`, author: alice, createdAt: NOW, sourceUrl: null, points: [],
});
const change = (id: string, caseId: string, version: number, extra: Partial<Change> = {}): Change => ({
  id, caseId, actor: alice, at: NOW, version, touches: [], description: id, undo: [], ...extra,
});

// Against a real server ------------------------------------------------------------------

if (!URI) {
  // Reported as skipped, by name, in the summary: set MONGODB_URI (a replica set, e.g.
  // mongodb://localhost:27017/?replicaSet=rs0) to run it.
  describe.skip('MongoDB store contract (skipped: set MONGODB_URI to run it)', () => {
    it('runs the Store contract suite against MongoDB, with transactions and without', () => undefined);
    it('commits from two instances on one database: exactly one of two racing commits is taken', () => undefined);
  });
} else {
  const uri = URI;
  const open = (options: { transactions?: boolean } = {}) => async () => {
    const dbName = freshDatabase();
    const store = await openMongoStore(uri, { dbName, ...options });
    return { store, cleanup: () => dropDatabase(uri, dbName) };
  };

  storeContract('MongoDB', open());
  // On a replica set, run it again the way a standalone server runs (no transactions).
  storeContract('MongoDB without transactions', open({ transactions: false }));

  describe('MongoDB store: several instances on one database', () => {
    const dbName = freshDatabase();
    let a: MongoStore;
    let b: MongoStore;

    beforeAll(async () => {
      a = await openMongoStore(uri, { dbName });
      b = await openMongoStore(uri, { dbName });
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await dropDatabase(uri, dbName);
    });

    it('says whether it uses transactions', () => {
      expect(typeof a.transactions).toBe('boolean');
      expect(a.kind).toBe('mongodb');
    });

    it('two instances committing from one version: exactly one is taken, on both', async () => {
      const created = writeFrom(newCase({ id: 'shared', place: PLACE, now: NOW }), { putSprints: [sprint(1)] });
      const again = writeFrom(newCase({ id: 'other', place: PLACE, now: NOW }));
      expect(await Promise.all([a.commit(created), b.commit(again)])).toEqual(expect.arrayContaining([true, false]));
      const base = (await a.getCase('shared')) ?? (await a.getCase('other'));
      if (!base) throw new Error('no case');
      const writes = Array.from({ length: 10 }, (_, i) => writeFrom(base, {
        putDecisions: [decision(0, `from ${i}`)], addChanges: [change(`ch-${i}`, base.id, base.version + 1)],
      }));
      const results = await Promise.all(writes.map((w, i) => (i % 2 ? a : b).commit(w)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = writes[results.indexOf(true)];
      expect((await b.snapshot(base.id))?.decisions).toEqual(winner.putDecisions);
      expect((await a.changesAfter(base.id, 0)).map((c) => c.id)).toEqual([winner.addChanges[0].id]);
    });

    it('one claim, two instances: exactly one winner', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim('digest:shared:W1', `w${i}`, NOW, NOW)));
      expect(results.filter((r) => r.won)).toHaveLength(1);
    });
  });
}

// Everywhere, with no server: the store's own logic through the real models, on an
// in-memory stand-in for the driver's collections (tests/store/helpers/fake-mongo.ts).
storeContract('MongoDB store logic, in-memory driver stand-in (no server, no transactions)', async () => {
  const { store } = openFakeMongoStore();
  return { store, cleanup: async () => undefined };
});

// The transaction code path on the same stand-in, with a session that only plays the
// part: its logic (version checks, lost races returning false), not its isolation.
storeContract('MongoDB store logic, transaction code path on the stand-in (no isolation)', async () => {
  const { store } = openFakeMongoStore({ pretendTransactions: true });
  return { store, cleanup: async () => undefined };
});

/** The driver stand-in's collection under a model, to make its calls fail or wait. */
function driver(model: { collection: unknown }): Record<string, (...args: unknown[]) => Promise<unknown>> {
  return (model.collection as { collection: Record<string, (...args: unknown[]) => Promise<unknown>> }).collection;
}

/** Makes the next call of `method` on `model`'s collection fail; later calls run as usual. */
function failOnce(model: { collection: unknown }, method: string, error = new Error('injected failure')): void {
  const coll = driver(model);
  const real = coll[method];
  coll[method] = async () => {
    coll[method] = real;
    throw error;
  };
}

/** Holds the next call of `method` on `model`'s collection until `go` is called; `reached` resolves when it is held. */
function holdOnce(model: { collection: unknown }, method: string): { reached: Promise<void>; go: () => void } {
  const coll = driver(model);
  const real = coll[method];
  let arrive!: () => void;
  let go!: () => void;
  const reached = new Promise<void>((resolve) => { arrive = resolve; });
  const gate = new Promise<void>((resolve) => { go = resolve; });
  coll[method] = async (...args: unknown[]) => {
    coll[method] = real;
    arrive();
    await gate;
    return real.apply(coll, args);
  };
  return { reached, go };
}

describe('MongoDB store without transactions: the commit', () => {
  let store: MongoStore;
  let models: Models;
  let base: Case;

  const snapshotOf = () => store.snapshot('c');

  beforeEach(async () => {
    ({ store, models } = openFakeMongoStore({ writeLock: { readWaitMs: 1_000, pollMs: 5 } }));
    // Version 1: sprint 1, Decision 0 with evidence 0a, and change ch-0.
    const create = writeFrom(newCase({ id: 'c', place: PLACE, now: NOW }), {
      putSprints: [sprint(1)], putDecisions: [decision(0)], putEvidence: [evidence('e0', 0, 'a', 0)],
      addChanges: [change('ch-0', 'c', 1)],
    });
    expect(await store.commit(create)).toBe(true);
    base = create.case;
  });
  afterEach(() => store.close());

  /** Version 2: a write touching every kind of record, so a failure can come part-way through any of them. */
  const bigWrite = (current: Case): CaseWrite => writeFrom(current, {
    fields: { title: 'Renamed', updatedAt: '2025-03-03T10:00:00.000Z' },
    putSprints: [sprint(2)],
    putDecisions: [decision(0, 'edited'), decision(1)],
    deleteEvidence: ['e0'],
    putEvidence: [evidence('e1', 1, 'a', 0)],
    addChanges: [change('ch-1', 'c', current.version + 1), change('ch-2', 'c', current.version + 1)],
    undone: [{ id: 'ch-0', at: NOW }],
  });

  it('two commits from the same version: exactly one is taken, and only its records are kept', async () => {
    const one = writeFrom(base, { putDecisions: [decision(1, 'one')], addChanges: [change('ch-a', 'c', 2)] });
    const two = writeFrom(base, { putDecisions: [decision(1, 'two')], addChanges: [change('ch-b', 'c', 2)] });
    const results = await Promise.all([store.commit(one), store.commit(two)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? one : two;
    const snap = await snapshotOf();
    expect(snap?.case.version).toBe(2);
    expect(snap?.decisions.map((d) => d.text)).toEqual(['Decision 0', winner.putDecisions[0].text]);
    expect((await store.changesAfter('c', 1)).map((c) => c.id)).toEqual([winner.addChanges[0].id]);
    // The mark is off once it is done.
    expect((await models.Case.findOne({ _id: 'c' }).lean().exec())?.writing ?? null).toBeNull();
  });

  it.each([
    ['Sprint', 'updateOne'], ['Decision', 'updateOne'], ['Evidence', 'deleteMany'], ['Evidence', 'insertMany'],
    ['Change', 'insertMany'], ['Change', 'updateOne'],
  ] as const)('a failure part-way (%s.%s) leaves the case at its old version with nothing of the write', async (model, method) => {
    const before = await snapshotOf();
    const changesBefore = await store.listChanges('c', NOW, '2026-01-01T00:00:00.000Z');
    // The second call fails for the writes that make two (two changes): some of the write is in by then.
    if (model === 'Change' && method === 'insertMany') {
      const coll = driver(models.Change);
      const real = coll.insertMany;
      let calls = 0;
      coll.insertMany = async (...args: unknown[]) => {
        calls += 1;
        if (calls === 2) throw new Error('injected failure');
        return real.apply(coll, args);
      };
    } else {
      failOnce(models[model], method);
    }
    await expect(store.commit(bigWrite(base))).rejects.toThrow('injected failure');
    expect(await snapshotOf()).toEqual(before);
    expect(await store.getCase('c')).toEqual(base);
    expect(await store.listChanges('c', NOW, '2026-01-01T00:00:00.000Z')).toEqual(changesBefore);
    // The case is free: the same write commits now, whole.
    expect(await store.commit(bigWrite(base))).toBe(true);
    const after = await snapshotOf();
    expect(after?.case).toMatchObject({ version: 2, title: 'Renamed' });
    expect(after?.decisions.map((d) => d.text)).toEqual(['edited', 'Decision 1']);
    expect(after?.evidence.map((e) => e.id)).toEqual(['e1']);
    expect(after?.sprints.map((s) => s.number)).toEqual([1, 2]);
    expect((await store.getChange('c', 'ch-0'))?.undoneAt).toBe(NOW);
  });

  it('a failed write leaves its mark at a lease already over, so a reader that read across it reads again', async () => {
    const stamp = async () => models.Case.findOne({ _id: 'c' }, { version: 1, writing: 1 }).lean().exec();
    const before = await stamp();
    failOnce(models.Evidence, 'insertMany');
    await expect(store.commit(bigWrite(base))).rejects.toThrow('injected failure');
    const after = await stamp();
    expect(after?.version).toBe(before?.version);
    expect(typeof after?.writing).toBe('string');
    expect(after?.writing).not.toBe(before?.writing ?? null);
    expect((after?.writing ?? '') <= new Date().toISOString()).toBe(true);
  });

  it('a create that fails part-way leaves no case and no records', async () => {
    const p: Place = { ...PLACE, channel: 'C2' };
    const create = writeFrom(newCase({ id: 'c2', place: p, now: NOW }), {
      putSprints: [sprint(1)], putDecisions: [decision(0)], putEvidence: [evidence('e9', 0, 'a', 0)],
      addChanges: [change('ch-9', 'c2', 1)],
    });
    failOnce(models.Change, 'insertMany');
    await expect(store.commit(create)).rejects.toThrow('injected failure');
    expect(await store.findCase(p)).toBeNull();
    for (const model of [models.Sprint, models.Decision, models.Evidence, models.Change]) {
      expect(await (model as Models['Sprint']).countDocuments({ caseId: 'c2' }).exec()).toBe(0);
    }
    expect(await store.commit(create)).toBe(true);
  });

  it('a reader waits for a commit under way and sees all of it, never half', async () => {
    const write = bigWrite(base);
    // Hold the commit after it has written its decisions, before its evidence.
    const held = holdOnce(models.Evidence, 'insertMany');
    const committing = store.commit(write);
    await held.reached;
    let read: Awaited<ReturnType<typeof snapshotOf>> | undefined;
    const reading = store.loadCase(PLACE).then((s) => { read = s; });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(read).toBeUndefined();
    held.go();
    expect(await committing).toBe(true);
    await reading;
    expect(read?.case.version).toBe(2);
    expect(read?.decisions.map((d) => d.text)).toEqual(['edited', 'Decision 1']);
    expect(read?.evidence.map((e) => e.id)).toEqual(['e1']);
  });

  it('a reader waits a little, then refuses in plain words rather than read a case still being written', async () => {
    const { store: impatient, models: m } = openFakeMongoStore({ writeLock: { readWaitMs: 40, pollMs: 5 } });
    try {
      expect(await impatient.commit(writeFrom(newCase({ id: 'c', place: PLACE, now: NOW })))).toBe(true);
      await m.Case.updateOne({ _id: 'c' }, { $set: { writing: new Date(Date.now() + 60_000).toISOString() } }).exec();
      const err = await impatient.snapshot('c').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StoreConflict);
      expect((err as Error).message).toMatch(/still being saved; please try again/);
      // A commit from the version it had is refused too while the mark holds.
      const base1 = await impatient.getCase('c');
      if (!base1) throw new Error('no case');
      expect(await impatient.commit(writeFrom(base1))).toBe(false);
    } finally {
      await impatient.close();
    }
  });

  it('a mark past its lease (a writer that died) holds nobody off', async () => {
    await models.Case.updateOne({ _id: 'c' }, { $set: { writing: new Date(Date.now() - 1).toISOString() } }).exec();
    const started = Date.now();
    expect((await snapshotOf())?.case.version).toBe(1);
    expect(Date.now() - started).toBeLessThan(500);
    expect(await store.commit(writeFrom(base, { putSprints: [sprint(5)] }))).toBe(true);
  });

  it('reads cases and changes written before versions existed as version 0, and commits on from there', async () => {
    const old = newCase({ id: 'old', place: { ...PLACE, channel: 'C-OLD' }, now: NOW });
    const { version: _version, ...fields } = old;
    void _version;
    const raw = { ...fields, _id: old.id, schemaVersion: 1 } as Record<string, unknown>;
    delete raw.id;
    await driver(models.Case).insertMany([raw]);
    await driver(models.Change).insertMany([{
      _id: 'old-ch', caseId: 'old', actor: alice, at: NOW, description: 'recorded Decision 0', undo: [], undoneAt: null,
      order: new mongoose.Types.ObjectId(), schemaVersion: 1,
    }]);
    expect((await store.getCase('old'))?.version).toBe(0);
    expect(await store.getChange('old', 'old-ch')).toMatchObject({ version: 0, touches: [], undoneAt: null });
    const next = { ...writeFrom(old, { putSprints: [sprint(1)] }), expectedVersion: 0 };
    expect(await store.commit(next)).toBe(true);
    expect((await store.snapshot('old'))?.case.version).toBe(1);
    expect(await store.commit(next)).toBe(false);
  });

  it('refuses a write whose case version does not follow its expected version', async () => {
    const bad = { ...writeFrom(base), case: { ...base, version: 5 } };
    await expect(store.commit(bad)).rejects.toThrow(/must bring it to 2/);
    expect((await store.getCase('c'))?.version).toBe(1);
  });
});

describe('MongoDB store: a connection lost after start', () => {
  it('every method fails with StoreUnavailable while the driver cannot reach the server', async () => {
    const { store, models } = openFakeMongoStore();
    try {
      const lost = Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
      for (const model of Object.values(models) as Array<{ collection: unknown }>) {
        const coll = driver(model);
        for (const method of ['find', 'findOne', 'insertMany', 'updateOne', 'findOneAndUpdate', 'deleteOne', 'deleteMany']) {
          coll[method] = async () => { throw lost; };
        }
      }
      const create = writeFrom(newCase({ id: 'c', place: PLACE, now: NOW }));
      for (const call of [
        () => store.listCases(),
        () => store.findCase(PLACE),
        () => store.loadCase(PLACE),
        () => store.snapshot('c'),
        () => store.commit(create),
        () => store.commit(writeFrom({ ...create.case }, { putDecisions: [decision(0)] })),
        () => store.lastChange('c', 'U1', NOW),
        () => store.changesAfter('c', 0),
        () => store.claim('digest:c:W1', 'me', NOW, '2025-03-03T09:05:00.000Z'),
        () => store.deleteCase('c'),
        () => store.getInstallation('T1'),
      ]) {
        const err = await call().then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(StoreUnavailable);
        expect((err as Error).message).toBe(STORE_UNAVAILABLE_MESSAGE);
        expect((err as Error).cause).toBe(lost);
      }
    } finally {
      await store.close();
    }
  });
});

describe('MongoDB store: health', () => {
  const withPing = (store: MongoStore, command: () => Promise<unknown>): void => {
    (store.conn as unknown as { db: { command: () => Promise<unknown> } }).db = { command };
  };

  it('is not healthy while the server cannot be reached, and says so', async () => {
    const { store } = openFakeMongoStore();
    try {
      expect(await store.health()).toEqual({ ok: true });
      withPing(store, async () => { throw Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' }); });
      expect(await store.health()).toEqual({ ok: false, reason: 'MongoDB is not reachable.' });
    } finally {
      await store.close();
    }
  });

  it('gives up on a ping that does not come back, in about 2 s', async () => {
    const { store } = openFakeMongoStore();
    try {
      withPing(store, () => new Promise(() => undefined));
      const started = Date.now();
      expect(await store.health()).toEqual({ ok: false, reason: 'MongoDB did not answer within 2000 ms.' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await store.close();
    }
  });

  it('a connection that never opened is not healthy', async () => {
    const { store } = openFakeMongoStore();
    try {
      (store.conn as unknown as { db: undefined }).db = undefined;
      expect(await store.health()).toEqual({ ok: false, reason: 'MongoDB is not connected.' });
    } finally {
      await store.close();
    }
  });
});

describe('MongoDB store: start-up failures (no server needed)', () => {
  it('an unreachable server fails at start with one clear line, password hidden', async () => {
    const port = await freePort();
    const uri = `mongodb://bot:hunter2@127.0.0.1:${port}/decisions`;
    const err = await openMongoStore(uri, { serverSelectionTimeoutMS: 300 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailable);
    const message = (err as Error).message;
    expect(message).toMatch(new RegExp(`^Cannot reach MongoDB at mongodb://\\[secret\\]@127\\.0\\.0\\.1:${port}/decisions: \\S`));
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
  });

  it('a malformed URI fails the same way', async () => {
    const err = await openMongoStore('mongodb://bot:pw@/nohost', { serverSelectionTimeoutMS: 300 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailable);
    expect((err as Error).message).toMatch(/^Cannot reach MongoDB at mongodb:\/\/\[secret\]@\/nohost: /);
  });

  it('`decisions serve` and `decisions export` exit 1 with that one line', async () => {
    const port = await freePort();
    const uri = `mongodb://bot:hunter2@127.0.0.1:${port}/decisions?serverSelectionTimeoutMS=300`;
    for (const args of [['serve'], ['export', '--case', 'demo']]) {
      const r = await runCli(args, { env: { MONGODB_URI: uri, PORT: '0' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`Cannot reach MongoDB at mongodb://[secret]@127.0.0.1:${port}/decisions?serverSelectionTimeoutMS=[secret]: connect ECONNREFUSED 127.0.0.1:${port}\n`);
      expect(r.stdout).not.toContain('hunter2');
    }
  });
});

describe('MongoDB store: errors in plain words (no server needed)', () => {
  const named = (name: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error('boom'), { name, ...extra });

  it('a lost connection becomes StoreUnavailable, with the driver error kept as its cause', () => {
    for (const err of [
      named('MongoNetworkError'), named('MongoServerSelectionError'), named('MongoNotConnectedError'),
      named('MongoServerError', { code: 10107 }), named('MongoServerError', { code: 91 }),
      new Error('wrapped', { cause: named('MongoNetworkTimeoutError') }),
    ]) {
      expect(isUnreachable(err)).toBe(true);
      const mapped = storeError(err);
      expect(mapped).toBeInstanceOf(StoreUnavailable);
      expect((mapped as Error).message).toBe(STORE_UNAVAILABLE_MESSAGE);
      expect((mapped as Error).cause).toBe(err);
    }
  });

  it('other errors pass through unchanged', () => {
    const conflict = new StoreConflict('There is no Decision 4.');
    expect(storeError(conflict)).toBe(conflict);
    const dup = named('MongoServerError', { code: 11000 });
    expect(storeError(dup)).toBe(dup);
    expect(isDuplicateKey(dup)).toBe(true);
    expect(isDuplicateKey(named('MongoBulkWriteError', { writeErrors: [{ code: 11000 }] }))).toBe(true);
    expect(isDuplicateKey(named('MongoServerError', { code: 112 }))).toBe(false);
  });
});

describe('MongoDB store (stand-in): two service instances on one database lose no acknowledged edit', () => {
  it('edits from two people through two services at the same moment, 15 rounds: every acknowledged wording is kept', async () => {
    const { store } = openFakeMongoStore();
    const place = { platform: 'slack', workspace: 'T1', channel: 'C1' } as const;
    let n = 0;
    const clock = { now: () => new Date(Date.parse('2026-11-30T10:00:00Z') + (n += 1)) };
    const services = ['a', 'b'].map((prefix) => {
      let ids = 0;
      return createCaseService({ store, clock, newId: () => `${prefix}-${(ids += 1)}`, pause: async () => undefined });
    });
    const [a, b] = services as [ReturnType<typeof createCaseService>, ReturnType<typeof createCaseService>];
    const ana = { id: 'U-ANA', name: 'Ana' };
    const ben = { id: 'U-BEN', name: 'Ben' };
    expect((await a.run({ place, actor: ana }, 'We will publish weekly')).kind).toBe('decision');
    const acknowledged: string[] = ['We will publish weekly'];
    for (let round = 0; round < 15; round += 1) {
      const replies = await Promise.all([
        a.run({ place, actor: ana }, `edit 0 ana wording ${round}`),
        b.run({ place, actor: ben }, `edit 0 ben wording ${round}`),
      ]);
      for (const r of replies) if (r.kind === 'decision') acknowledged.push(r.decision.text);
    }
    const found = await store.findCase(place);
    const snap = found ? await store.snapshot(found.id) : null;
    const d = snap?.decisions[0];
    const kept = new Set([d?.text, ...(d?.revisions ?? []).map((r) => r.text)]);
    expect(acknowledged.length).toBeGreaterThan(16);
    expect(acknowledged.filter((w) => !kept.has(w))).toEqual([]);
    await store.close();
  });
});
