/**
 * An in-memory stand-in for the MongoDB driver's collections, so the MongoDB store's own
 * logic (the conditional commit under its `writing` mark, the roll-back of a write that
 * fails part-way, readers waiting for a commit under way, snapshots, claims) runs
 * through the contract suite on machines with no MongoDB server.
 *
 * It sits under mongoose: the real models cast and validate every filter, update and
 * document, then this answers the driver calls mongoose makes (find, findOne, insertMany,
 * updateOne, findOneAndUpdate, deleteOne, deleteMany) and a ping, with the unique indexes the
 * schemas declare. It is NOT MongoDB: it knows only the operators the store uses ($eq,
 * $ne, $gt, $gte, $lt, $lte, $in, $exists, $type, a top-level $or; $set, $setOnInsert,
 * $inc, $max, $unset) and has no transactions (the store runs with `transactions: false`
 * on it). The contract suite against a real server (MONGODB_URI) stays the proof; this
 * catches regressions anywhere.
 */
import mongoose, { type Connection } from 'mongoose';
import { registerModels, type Models } from '../../../models';
import { MongoStore, type WriteLockTiming } from '../../../src/store/mongodb';

type Doc = Record<string, unknown>;
const { BSON, ObjectId } = mongoose.mongo;

/** A deep copy through BSON, as a document makes the round trip to the server (undefined dropped). */
function viaBson<T>(value: T): T {
  return (BSON.deserialize(BSON.serialize({ value }, { ignoreUndefined: true })) as { value: T }).value;
}

function get(doc: Doc, path: string): unknown {
  let v: unknown = doc;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Doc)[key];
  }
  return v;
}

function set(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = doc;
  for (const key of keys.slice(0, -1)) {
    if (target[key] === null || typeof target[key] !== 'object') target[key] = {};
    target = target[key] as Doc;
  }
  target[keys[keys.length - 1]] = value;
}

const isObjectId = (v: unknown): v is InstanceType<typeof ObjectId> => v instanceof ObjectId;
const isOperators = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !isObjectId(v) && !Array.isArray(v) && Object.keys(v).length > 0
  && Object.keys(v).every((k) => k.startsWith('$'));

function comparable(v: unknown): string | number | null {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (isObjectId(v)) return v.toHexString();
  return null;
}

/** -1, 0, 1, or null when the two are of different types (MongoDB compares within a type). */
function compare(a: unknown, b: unknown): number | null {
  const x = comparable(a);
  const y = comparable(b);
  if (x === null || y === null || typeof x !== typeof y) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Where a value sorts among types, as MongoDB orders them: missing and null, numbers, strings, ObjectIds. */
function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (isObjectId(v)) return 3;
  return 4;
}

/** The order of `sort`: across types by their rank, within a type by value. */
function sortCompare(a: unknown, b: unknown): number {
  const ranks = typeRank(a) - typeRank(b);
  if (ranks !== 0) return Math.sign(ranks);
  return compare(a, b) ?? 0;
}

function equal(a: unknown, b: unknown): boolean {
  if (b === null) return a === null || a === undefined;
  if (isObjectId(a) || isObjectId(b)) return compare(a, b) === 0;
  if (typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function matchesValue(value: unknown, condition: unknown): boolean {
  if (!isOperators(condition)) return equal(value, condition);
  return Object.entries(condition).every(([op, arg]) => {
    switch (op) {
      case '$eq': return equal(value, arg);
      case '$ne': return !equal(value, arg);
      case '$gt': return compare(value, arg) === 1;
      case '$gte': return (compare(value, arg) ?? -1) >= 0;
      case '$lt': return compare(value, arg) === -1;
      case '$lte': return (compare(value, arg) ?? 1) <= 0;
      // An array field matches $in when any of its elements does, as on the server.
      case '$in': return (arg as unknown[]).some((a) => equal(value, a) || (Array.isArray(value) && value.some((v) => equal(v, a))));
      case '$exists': return (value !== undefined) === Boolean(arg);
      // An array matches $type when any of its elements does, as on the server.
      case '$type': return arg === 'string'
        ? typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string'))
        : (() => { throw new Error(`fake: $type ${String(arg)}`); })();
      default: throw new Error(`fake MongoDB: operator ${op} is not supported`);
    }
  });
}

function matches(doc: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([path, condition]) => {
    if (path === '$or') return (condition as Doc[]).some((branch) => matches(doc, branch));
    if (path.startsWith('$')) throw new Error(`fake MongoDB: ${path} is not supported`);
    return matchesValue(get(doc, path), condition);
  });
}

function sortEntries(sort: unknown): Array<[string, number]> {
  if (!sort) return [];
  if (sort instanceof Map) return [...sort.entries()] as Array<[string, number]>;
  if (Array.isArray(sort)) return sort as Array<[string, number]>;
  return Object.entries(sort as Record<string, number>);
}

function sorted(docs: Doc[], sort: unknown): Doc[] {
  const keys = sortEntries(sort);
  return [...docs].sort((a, b) => {
    for (const [path, direction] of keys) {
      const c = sortCompare(get(a, path), get(b, path));
      if (c !== 0) return c * (Number(direction) < 0 ? -1 : 1);
    }
    return 0;
  });
}

function project(doc: Doc, projection: unknown): Doc {
  const fields = Object.entries((projection ?? {}) as Record<string, unknown>);
  const included = fields.filter(([, v]) => v === 1 || v === true).map(([k]) => k);
  if (included.length === 0) return doc;
  const out: Doc = {};
  if ((projection as Doc)._id !== 0) out._id = doc._id;
  for (const path of included) if (get(doc, path) !== undefined) set(out, path, get(doc, path));
  return out;
}

function duplicateKey(name: string, message: string, index?: number): Error {
  return Object.assign(new Error(`E11000 duplicate key error collection: ${message}`), {
    name, code: 11000, ...(index !== undefined ? { writeErrors: [{ code: 11000, index, errmsg: message }] } : {}),
  });
}

interface UniqueIndex {
  name: string;
  fields: string[];
  partial: Doc | null;
}

/**
 * The keys a document puts in an index on `fields`. An array field is multikey, as on the
 * server: one key per element (uniqueness then holds across documents, not within one).
 */
function indexKeys(doc: Doc, fields: string[]): string[] {
  let keys: unknown[][] = [[]];
  for (const f of fields) {
    const v = get(doc, f) ?? null;
    const values = Array.isArray(v) ? (v.length > 0 ? v : [undefined]) : [v];
    keys = keys.flatMap((k) => values.map((x) => [...k, isObjectId(x) ? x.toHexString() : x]));
  }
  return keys.map((k) => JSON.stringify(k));
}

/** The driver calls mongoose makes, on an array of documents. */
class FakeCollection {
  private docs: Doc[] = [];

  constructor(readonly collectionName: string, private readonly unique: UniqueIndex[]) {}

  private async tick(): Promise<void> {
    // Every call yields, so concurrent calls interleave as they would over a network.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private checkUnique(doc: Doc, except: Doc | null): void {
    for (const index of this.unique) {
      if (index.partial && !matches(doc, index.partial)) continue;
      const mine = new Set(indexKeys(doc, index.fields));
      const clash = this.docs.find((other) => other !== except
        && (!index.partial || matches(other, index.partial))
        && indexKeys(other, index.fields).some((k) => mine.has(k)));
      if (clash) throw duplicateKey('MongoServerError', `fake.${this.collectionName} index: ${index.name} dup key: { ${index.fields.join(', ')} }`);
    }
  }

  private select(filter: Doc, options: Doc = {}): Doc[] {
    let found = sorted(this.docs.filter((d) => matches(d, filter)), options.sort);
    if (typeof options.skip === 'number') found = found.slice(options.skip);
    if (typeof options.limit === 'number' && options.limit > 0) found = found.slice(0, options.limit);
    return found;
  }

  async find(filter: Doc, options: Doc = {}) {
    await this.tick();
    const found = this.select(filter, options).map((d) => viaBson(project(d, options.projection)));
    return { toArray: async () => found, close: async () => undefined };
  }

  async findOne(filter: Doc, options: Doc = {}) {
    await this.tick();
    const [first] = this.select(filter, options);
    return first ? viaBson(project(first, options.projection)) : null;
  }

  async countDocuments(filter: Doc) {
    await this.tick();
    return this.docs.filter((d) => matches(d, filter)).length;
  }

  async insertMany(docs: Doc[], options: Doc = {}) {
    await this.tick();
    if (options.ordered === false) throw new Error('fake MongoDB: unordered insertMany is not supported');
    const insertedIds: Record<number, unknown> = {};
    docs.forEach((input, i) => {
      const doc = viaBson(input);
      if (doc._id === undefined) doc._id = new ObjectId();
      try {
        this.checkUnique(doc, null);
      } catch {
        throw duplicateKey('MongoBulkWriteError', `${this.collectionName}`, i);
      }
      this.docs.push(doc);
      insertedIds[i] = doc._id;
    });
    return { acknowledged: true, insertedCount: docs.length, insertedIds };
  }

  /** Applies an update to a copy of `doc`; `inserting` also applies $setOnInsert. */
  private applyUpdate(doc: Doc, update: Doc, inserting: boolean): Doc {
    const next = viaBson(doc);
    for (const [op, fields] of Object.entries(update)) {
      for (const [path, value] of Object.entries(fields as Doc)) {
        const current = get(next, path);
        switch (op) {
          case '$set': set(next, path, viaBson(value)); break;
          case '$setOnInsert': if (inserting) set(next, path, viaBson(value)); break;
          case '$inc': set(next, path, (typeof current === 'number' ? current : 0) + Number(value)); break;
          case '$max': if (current === undefined || (compare(value, current) ?? 0) > 0) set(next, path, value); break;
          case '$unset': delete (next as Doc)[path]; break;
          default: throw new Error(`fake MongoDB: update operator ${op} is not supported`);
        }
      }
    }
    return next;
  }

  /** The document an upsert starts from: the filter's equality conditions. */
  private seed(filter: Doc): Doc {
    const doc: Doc = {};
    for (const [path, condition] of Object.entries(filter)) {
      if (path.startsWith('$')) continue;
      if (!isOperators(condition)) set(doc, path, condition);
      else if ('$eq' in condition) set(doc, path, condition.$eq);
    }
    return doc;
  }

  private upsertOrUpdate(filter: Doc, update: Doc, options: Doc): { before: Doc | null; after: Doc | null; modified: boolean } {
    const [target] = this.select(filter, { sort: options.sort });
    if (target) {
      const next = this.applyUpdate(target, update, false);
      this.checkUnique(next, target);
      const modified = JSON.stringify(BSON.serialize(next)) !== JSON.stringify(BSON.serialize(target));
      this.docs[this.docs.indexOf(target)] = next;
      return { before: viaBson(target), after: viaBson(next), modified };
    }
    if (!options.upsert) return { before: null, after: null, modified: false };
    const made = this.applyUpdate(this.seed(filter), update, true);
    if (made._id === undefined) made._id = new ObjectId();
    this.checkUnique(made, null);
    this.docs.push(made);
    return { before: null, after: viaBson(made), modified: false };
  }

  async updateOne(filter: Doc, update: Doc, options: Doc = {}) {
    await this.tick();
    const matched = this.select(filter, {}).length > 0;
    const { after, modified } = this.upsertOrUpdate(filter, update, options);
    return {
      acknowledged: true,
      matchedCount: matched ? 1 : 0,
      modifiedCount: modified ? 1 : 0,
      upsertedCount: !matched && after ? 1 : 0,
      upsertedId: !matched && after ? after._id : null,
    };
  }

  async findOneAndUpdate(filter: Doc, update: Doc, options: Doc = {}) {
    await this.tick();
    const { before, after } = this.upsertOrUpdate(filter, update, options);
    const doc = options.returnDocument === 'after' ? after : before;
    return doc ? project(doc, options.projection) : null;
  }

  async deleteOne(filter: Doc) {
    await this.tick();
    const [target] = this.select(filter, {});
    if (target) this.docs.splice(this.docs.indexOf(target), 1);
    return { acknowledged: true, deletedCount: target ? 1 : 0 };
  }

  async deleteMany(filter: Doc) {
    await this.tick();
    const before = this.docs.length;
    this.docs = this.docs.filter((d) => !matches(d, filter));
    return { acknowledged: true, deletedCount: before - this.docs.length };
  }
}

/**
 * A session that only plays the part: it opens, commits and aborts nothing. With it the
 * store runs its transaction code path (`transactions: true`) on the stand-in, which
 * checks that path's own logic (the version check, what a lost race returns) but not
 * isolation or roll-back: only a real replica set shows those.
 */
function pretendSession() {
  let open = false;
  return {
    startTransaction: () => { open = true; },
    inTransaction: () => open,
    commitTransaction: async () => { open = false; },
    abortTransaction: async () => { open = false; },
    endSession: async () => undefined,
  };
}

/**
 * A MongoDB store whose models talk to in-memory collections; `writeLock` narrows its
 * lease and waits for tests. Without transactions unless `pretendTransactions` (see pretendSession).
 */
export function openFakeMongoStore(
  options: { writeLock?: Partial<WriteLockTiming>; pretendTransactions?: boolean } = {},
): { store: MongoStore; conn: Connection; models: Models } {
  const conn = mongoose.createConnection();
  const models = registerModels(conn);
  for (const model of Object.values(models) as Array<Models[keyof Models]>) {
    const unique: UniqueIndex[] = [{ name: '_id_', fields: ['_id'], partial: null }];
    for (const [fields, opts] of model.schema.indexes() as Array<[Record<string, unknown>, Record<string, unknown>]>) {
      if (opts.unique) unique.push({ name: String(opts.name ?? Object.keys(fields).join('_')), fields: Object.keys(fields), partial: (opts.partialFilterExpression as Doc | undefined) ?? null });
    }
    (model.collection as unknown as { collection: unknown }).collection = new FakeCollection(model.collection.collectionName, unique);
  }
  // The server answers a ping (the store's health); the tests that lose it replace this.
  (conn as unknown as { db: { command: (cmd: Doc) => Promise<Doc> } }).db = { command: async () => ({ ok: 1 }) };
  if (options.pretendTransactions) {
    (conn as unknown as { startSession: () => Promise<unknown> }).startSession = async () => pretendSession();
  }
  const store = new MongoStore(conn, models, options.pretendTransactions ?? false, options.writeLock);
  return { store, conn, models };
}
