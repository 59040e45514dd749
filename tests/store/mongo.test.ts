/**
 * The MongoDB store. The Store contract runs against a real server when MONGODB_URI
 * points at one (a replica set runs it with transactions, and once more without); without
 * it the contract is reported skipped, by name. Nothing here downloads a MongoDB binary.
 * The rest needs no server: start-up failures, error mapping, the service's reply.
 */
import mongoose from 'mongoose';
import { newCase } from '../../src/core/cases';
import { createCaseService } from '../../src/core/service';
import { isDuplicateKey, isUnreachable, openMongoStore, storeError, type MongoStore } from '../../src/store/mongo';
import { StoreConflict, StoreUnavailable, STORE_UNAVAILABLE_MESSAGE, type Store } from '../../src/store/store';
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

if (!URI) {
  console.warn('MongoDB store contract skipped: set MONGODB_URI (a replica set, e.g. mongodb://localhost:27017/?replicaSet=rs0) to run it.');
  describe.skip('MongoDB store contract (skipped: set MONGODB_URI to run it)', () => {
    it('runs the Store contract suite against MongoDB', () => undefined);
    it('shares numbering, claims and cases between two instances', () => undefined);
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
    const PLACE = { platform: 'slack', workspace: 'T1', channel: 'C1' } as const;
    const NOW = '2025-03-03T09:00:00.000Z';

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

    it('two instances recording into one case get 0..59 with no duplicate or gap', async () => {
      const c = await a.ensureCase(PLACE, () => newCase({ id: 'shared', place: PLACE, now: NOW }));
      expect((await b.ensureCase(PLACE, () => newCase({ id: 'other', place: PLACE, now: NOW }))).id).toBe(c.id);
      const record = (store: Store, i: number) => store.recordDecision(
        c.id,
        { sprint: 1, text: `decision ${i}`, author: { id: `U${i % 2}`, name: 'x' }, at: NOW, sourceUrl: null },
        { id: `change-${i}`, caseId: c.id, actor: { id: `U${i % 2}`, name: 'x' }, at: NOW, description: `recorded ${i}` },
      );
      const made = await Promise.all(Array.from({ length: 60 }, (_, i) => record(i % 2 ? a : b, i)));
      expect(made.map((d) => d.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect((await b.listDecisions(c.id)).map((d) => d.number)).toEqual(Array.from({ length: 60 }, (_, i) => i));
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

describe('MongoDB store without transactions: a write that fails part-way leaves nothing behind', () => {
  const PLACE = { platform: 'slack', workspace: 'T1', channel: 'C1' } as const;
  const NOW = '2025-03-03T09:00:00.000Z';
  const alice = { id: 'U1', name: 'Alice' };
  let store: MongoStore;

  beforeEach(async () => {
    ({ store } = openFakeMongoStore());
    await store.ensureCase(PLACE, () => newCase({ id: 'c', place: PLACE, now: NOW }));
  });
  afterEach(() => store.close());

  const input = (text: string) => ({ sprint: 1, text, author: alice, at: NOW, sourceUrl: null, evidence: ['with it'] });
  const change = (id: string) => ({ id, caseId: 'c', actor: alice, at: NOW, description: 'x' });

  it('recordDecision: the decision, its evidence and its number are taken back', async () => {
    await store.recordDecision('c', input('zero'), change('ch-1'));
    // The change id is taken: the last step fails after the decision was written.
    await expect(store.recordDecision('c', input('one'), change('ch-1'))).rejects.toThrow(/duplicate key/);
    expect((await store.listDecisions('c')).map((d) => d.text)).toEqual(['zero']);
    expect((await store.listEvidence('c')).map((e) => e.decision)).toEqual([0]);
    expect((await store.recordDecision('c', input('one'), change('ch-2'))).number).toBe(1);
  });

  it('updateDecision and updateCase: the old values are put back', async () => {
    const d = await store.recordDecision('c', input('zero'), change('ch-1'));
    await expect(store.updateDecision('c', 0, { text: 'edited' }, { ...change('ch-1'), undo: [] })).rejects.toThrow(/duplicate key/);
    expect(await store.getDecision('c', 0)).toEqual(d);
    const before = await store.getCase('c');
    await expect(store.updateCase('c', { title: 'Renamed' }, NOW, { ...change('ch-1'), undo: [] })).rejects.toThrow(/duplicate key/);
    expect(await store.getCase('c')).toEqual(before);
  });

  it('revertChange: a step that is refused puts back the steps before it and the change stays undoable', async () => {
    await store.recordDecision('c', input('zero'), change('ch-1'));
    await store.recordDecision('c', input('one'), change('ch-2'));
    const before = await store.snapshot('c');
    // Two steps: deleting Decision 1 works, then deleting Sprint 1 is refused (Decision 0 is in it).
    const refused = { ...change('ch-3'), undo: [{ op: 'deleteDecision' as const, number: 1 }, { op: 'deleteSprint' as const, number: 1 }] };
    await store.updateCase('c', { title: 'x' }, NOW, refused);
    await expect(store.revertChange(refused)).rejects.toThrow(/Sprint 1 can't be removed/);
    const after = await store.snapshot('c');
    expect(after?.decisions).toEqual(before?.decisions);
    expect(after?.evidence).toEqual(before?.evidence);
    expect(await store.lastChange('c', alice.id, NOW)).toMatchObject({ id: 'ch-3' });
    // The number given back was taken again: the next decision is still 2.
    expect((await store.recordDecision('c', input('two'), change('ch-4'))).number).toBe(2);
  });
});

describe('MongoDB store: a connection lost after start', () => {
  it('every method fails with StoreUnavailable while the driver cannot reach the server', async () => {
    const { store, models } = openFakeMongoStore();
    try {
      const lost = Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
      for (const model of Object.values(models) as Array<{ collection: unknown }>) {
        const driver = (model.collection as { collection: Record<string, unknown> }).collection;
        for (const method of ['find', 'findOne', 'insertMany', 'updateOne', 'findOneAndUpdate', 'deleteOne', 'deleteMany']) {
          driver[method] = async () => { throw lost; };
        }
      }
      const place = { platform: 'slack', workspace: 'T1', channel: 'C1' } as const;
      for (const call of [
        () => store.listCases(),
        () => store.findCase(place),
        () => store.ensureCase(place, () => newCase({ id: 'c', place, now: '2025-03-03T09:00:00.000Z' })),
        () => store.claim('digest:c:W1', 'me', '2025-03-03T09:00:00.000Z', '2025-03-03T09:05:00.000Z'),
        () => store.deleteCase('c'),
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

describe('MongoDB store: start-up failures (no server needed)', () => {
  it('an unreachable server fails at start with one clear line, password hidden', async () => {
    const port = await freePort();
    const uri = `mongodb://bot:hunter2@127.0.0.1:${port}/decisions`;
    const err = await openMongoStore(uri, { serverSelectionTimeoutMS: 300 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailable);
    const message = (err as Error).message;
    expect(message).toMatch(new RegExp(`^Cannot reach MongoDB at mongodb://bot:\\[secret\\]@127\\.0\\.0\\.1:${port}/decisions: \\S`));
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
  });

  it('a malformed URI fails the same way', async () => {
    const err = await openMongoStore('mongodb://bot:pw@/nohost', { serverSelectionTimeoutMS: 300 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailable);
    expect((err as Error).message).toMatch(/^Cannot reach MongoDB at mongodb:\/\/bot:\[secret\]@\/nohost: /);
  });

  it('`decisions serve` and `decisions export` exit 1 with that one line', async () => {
    const port = await freePort();
    const uri = `mongodb://bot:hunter2@127.0.0.1:${port}/decisions?serverSelectionTimeoutMS=300`;
    for (const args of [['serve'], ['export', '--case', 'demo']]) {
      const r = await runCli(args, { env: { MONGODB_URI: uri, PORT: '0' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`Cannot reach MongoDB at mongodb://bot:[secret]@127.0.0.1:${port}/decisions?serverSelectionTimeoutMS=300: connect ECONNREFUSED 127.0.0.1:${port}\n`);
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

  it('a command while the database is unreachable gets a plain error reply, not a crash', async () => {
    const down = new Proxy({} as Store, {
      get: (_target, prop) => (prop === 'kind' ? 'mongodb' : async () => { throw new StoreUnavailable(); }),
    });
    const service = createCaseService({ store: down, clock: { now: () => new Date('2025-03-03T09:00:00Z') }, newId: () => 'id' });
    const reply = await service.run({ place: { platform: 'slack', workspace: 'T1', channel: 'C1' }, actor: { id: 'U1', name: 'Alice' } }, 'list');
    expect(reply).toMatchObject({ kind: 'error', visibility: 'caller', message: STORE_UNAVAILABLE_MESSAGE });
  });
});
