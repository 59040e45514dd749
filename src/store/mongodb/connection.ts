/**
 * Opening the store: connect, make the collections and indexes, stamp the schema
 * version, and find out whether the server runs transactions.
 */
import mongoose, { type Connection } from 'mongoose';
import { registerModels, SCHEMA_VERSION, SCHEMA_VERSION_ID, type Models } from '../../../models';
import { DUE_AT_NEXT_TICK, StoreUnavailable } from '../../core/ports';
import { maskUriSecrets, redactUri } from '../uri';
import type { WriteLockTiming } from './context';
import { firstLine, isDuplicateKey, isUnreachable } from './errors';
import { MongoStore } from './mongo-store';

export interface MongoStoreOptions {
  /** The database to use; defaults to the one named in the URI, else "decisions". */
  dbName?: string;
  /** How long to wait for a server before a command fails (default 5000 ms, unless the URI sets serverSelectionTimeoutMS). */
  serverSelectionTimeoutMS?: number;
  /** Forces transactions on or off; by default they are on when the server is a replica set or mongos. */
  transactions?: boolean;
  /** The lease and waits of commits without transactions (see commit.ts); defaults suit production. */
  writeLock?: Partial<WriteLockTiming>;
}

const DEFAULT_DB = 'decisions';

function hasDatabaseName(uri: string): boolean {
  const m = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri);
  return m !== null && m[1] !== '';
}

/** Whether the server can run transactions: a replica set member or a mongos. */
async function supportsTransactions(conn: Connection): Promise<boolean> {
  const hello = await conn.getClient().db('admin').command({ hello: 1 });
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

/**
 * Makes the collections and indexes (idempotent, so every instance does it at start), and
 * refuses a database written by a newer version of the bot. Documents of older versions
 * stay as they are: the store reads them (a case without a version is at version 0).
 */
async function prepare(models: Models): Promise<void> {
  for (const model of Object.values(models) as Array<Models[keyof Models]>) {
    await model.createCollection();
    await model.createIndexes();
  }
  const stamp = () => models.Counter.findOneAndUpdate(
    { _id: SCHEMA_VERSION_ID },
    { $max: { seq: SCHEMA_VERSION } },
    { upsert: true, returnDocument: 'before' },
  ).lean().exec();
  // Two instances starting on a new database at once: one inserts, the other reads it.
  const version = await stamp().catch((err: unknown) => {
    if (isDuplicateKey(err)) return stamp();
    throw err;
  });
  if (version && version.seq > SCHEMA_VERSION) {
    throw new Error(`The database has schema version ${version.seq}, newer than this version of the bot knows (${SCHEMA_VERSION}). Upgrade the bot.`);
  }
  // Cases from before the due time existed: due at once, so the next tick sets their real one.
  await models.Case.updateMany({ nextDueAt: mongoose.trusted({ $exists: false }) }, { $set: { nextDueAt: DUE_AT_NEXT_TICK } }, { timestamps: false }).exec();
}

/**
 * Connects to MongoDB at `uri` and prepares its collections. Throws StoreUnavailable with
 * one line ("Cannot reach MongoDB at <uri with its secrets masked>: <reason>") when it can't.
 */
export async function openMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const shown = redactUri(uri);
  // A driver's message may quote the URI or one of its parts.
  const reason = (err: unknown): string => maskUriSecrets(firstLine(err), uri);
  const connectOptions: mongoose.ConnectOptions = {
    // Fail a command (and the start) after this long without a server, instead of
    // buffering it in memory; the driver keeps reconnecting in the background.
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    // Drop undefined fields as JSON does (SQLite keeps these fields as JSON).
    ignoreUndefined: true,
  };
  if (!/[?&]serverSelectionTimeoutMS=/i.test(uri)) connectOptions.serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? 5000;
  if (options.dbName !== undefined) connectOptions.dbName = options.dbName;
  else if (!hasDatabaseName(uri)) connectOptions.dbName = DEFAULT_DB;

  let conn: Connection | undefined;
  try {
    conn = mongoose.createConnection(uri, connectOptions);
    await conn.asPromise();
  } catch (err) {
    await conn?.close().catch(() => undefined);
    throw new StoreUnavailable(`Cannot reach MongoDB at ${shown}: ${reason(err)}`, { cause: err });
  }
  try {
    const models = registerModels(conn);
    await prepare(models);
    const transactions = options.transactions ?? await supportsTransactions(conn);
    return new MongoStore(conn, models, transactions, options.writeLock);
  } catch (err) {
    await conn.close().catch(() => undefined);
    if (isUnreachable(err)) throw new StoreUnavailable(`Cannot reach MongoDB at ${shown}: ${reason(err)}`, { cause: err });
    throw new Error(`Cannot use MongoDB at ${shown}: ${reason(err)}`, { cause: err });
  }
}
