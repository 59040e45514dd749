/**
 * User text that arrives as an object ({ $ne: null }) where a string belongs must never
 * become a query operator. Checked without a server: a query casts its filter before it
 * needs a connection, so a filter that would reach the server fails with "before initial
 * connection", and one that is refused fails with a cast or strict-mode error.
 */
import mongoose, { type Connection } from 'mongoose';
import { registerModels, type Models } from '../../models';
import { StoreUnavailable } from '../../src/core/ports';
import { MongoStore } from '../../src/store/mongodb';
import type { Place } from '../../src/core/model';

let conn: Connection;
let m: Models;

beforeAll(() => {
  conn = mongoose.createConnection();
  m = registerModels(conn);
});

afterAll(async () => {
  await conn.close();
});

const NOT_CONNECTED = /before initial connection/;

async function outcome(query: { exec(): Promise<unknown> }): Promise<string> {
  try {
    await query.exec();
    return 'ran';
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
}

describe('filters refuse operators hidden in values', () => {
  it.each([
    ['$ne on a string', { 'place.channel': { $ne: null } }],
    ['$gt on a string', { _id: { $gt: '' } }],
    ['$regex on a string', { _id: { $regex: '.*' } }],
    ['$in on a string', { 'place.workspace': { $in: ['T1', 'T2'] } }],
    ['$exists on a string', { title: { $exists: true } }],
  ])('%s: cannot match anything', async (_label, filter) => {
    const result = await outcome(m.Case.find(filter as Record<string, unknown>));
    expect(result).toMatch(/^CastError: Cast to string failed/);
  });

  it('$gt on a number', async () => {
    expect(await outcome(m.Decision.find({ caseId: 'c', number: { $gt: -1 } } as Record<string, unknown>))).toMatch(/^CastError: Cast to Number failed/);
  });

  it('operators are wrapped in $eq before casting (sanitizeFilter)', () => {
    const filter = mongoose.sanitizeFilter({ owner: { $ne: 'me' } } as Record<string, unknown>);
    expect(filter).toEqual({ owner: { $eq: { $ne: 'me' } } });
  });

  it('$where and $expr are refused outright', async () => {
    expect(await outcome(m.Claim.find({ $where: 'true' } as Record<string, unknown>))).toMatch(/\$where is not allowed/);
    expect(await outcome(m.Claim.find({ $expr: { $eq: [1, 1] } } as Record<string, unknown>))).toMatch(/\$expr is not allowed/);
  });

  it('a filter on a path the schema does not know is refused, not silently dropped', async () => {
    expect(await outcome(m.Installation.find({ isAdmin: true } as Record<string, unknown>))).toMatch(/not in schema and strictQuery is 'throw'/);
  });

  it('plain values and the store’s own trusted operators pass and would reach the server', async () => {
    expect(await outcome(m.Case.find({ 'place.channel': 'C1' }))).toMatch(NOT_CONNECTED);
    expect(await outcome(m.Claim.find({ _id: 'k', leaseUntil: mongoose.trusted({ $lt: '2025-01-01' }) }))).toMatch(NOT_CONNECTED);
  });

  it('update values are cast too', async () => {
    expect(await outcome(m.Claim.updateOne({ _id: 'k' }, { $set: { owner: { $gt: '' } } } as Record<string, unknown>)))
      .toMatch(/^CastError/);
  });
});

describe('the store casts every value it puts in a filter', () => {
  let store: MongoStore;
  const filters: unknown[] = [];

  beforeAll(() => {
    store = new MongoStore(conn, m, false);
    for (const model of [m.Case, m.Decision, m.Change, m.Claim, m.Installation, m.ConversationRef]) {
      for (const method of ['findOne', 'find'] as const) {
        const real = (model[method] as (...args: unknown[]) => unknown).bind(model);
        jest.spyOn(model, method).mockImplementation(((filter: unknown, ...rest: unknown[]) => {
          filters.push(filter);
          return real(filter, ...rest);
        }) as never);
      }
    }
  });

  beforeEach(() => {
    filters.length = 0;
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  const evil = { $ne: null } as unknown as string;

  it.each([
    ['findCase', () => store.findCase({ platform: 'slack', workspace: evil, channel: evil } as Place)],
    ['getCase', () => store.getCase(evil)],
    ['snapshot', () => store.snapshot(evil)],
    ['loadCase', () => store.loadCase({ platform: 'slack', workspace: evil, channel: evil } as Place)],
    ['getChange', () => store.getChange(evil, evil)],
    ['changesAfter', () => store.changesAfter(evil, { $ne: -1 } as unknown as number)],
    ['lastChange', () => store.lastChange(evil, evil, '2025-01-01')],
    ['listChanges', () => store.listChanges(evil, evil, evil)],
    ['getInstallation', () => store.getInstallation(evil)],
    ['getConversationRef', () => store.getConversationRef({ platform: 'teams', workspace: evil, channel: 'x' } as Place)],
  ])('%s turns an object into plain text or a number', async (_name, call) => {
    // No server: the call fails as "not reachable" after building its filter (or, for a
    // number that is not one, on casting it).
    const err = await call().then(() => null, (e: unknown) => e);
    expect(err instanceof StoreUnavailable || err instanceof mongoose.Error.CastError).toBe(true);
    expect(filters).toHaveLength(1);
    const json = JSON.stringify(filters[0]);
    // The caller's operator ({ $ne: … }) is nowhere: it became "[object Object]" or NaN.
    expect(json).not.toMatch(/"\$ne"/);
    for (const value of Object.values(filters[0] as Record<string, unknown>)) {
      // Every value is a string, a number or null, or one of the store's own trusted ranges.
      if (typeof value === 'object' && value !== null) {
        for (const [op, arg] of Object.entries(value)) {
          expect(['$gte', '$lt', '$gt']).toContain(op);
          expect(['string', 'number']).toContain(typeof arg);
        }
      } else if (value !== null) {
        expect(['string', 'number']).toContain(typeof value);
      }
    }
  });
});
