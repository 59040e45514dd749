/**
 * Opening the SQLite file: WAL mode, FULL sync, the schema brought up to date, and a cache
 * of prepared statements. Every other file of this store reads and writes through `Db`,
 * whose transactions wait for the lock off the event loop (lock-wait.ts) and turn the
 * storage's failures into plain StoreUnavailable messages (storage.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailable, type StoreHealth } from '../../core/ports';
import { STORAGE_BUSY_MESSAGE } from '../messages';
import { migrate } from './migrations';
import { BUSY_TIMEOUT_MS, LOCK_DEADLINE_MS, retryWhileBusy } from './lock-wait';
import { isBusy, sqliteCode, Storage } from './storage';

export interface Db {
  readonly db: Database.Database;
  /** A prepared statement, cached by its text. */
  sql(source: string): Database.Statement;
  /**
   * Runs `fn` as one BEGIN IMMEDIATE transaction: it takes the write lock before reading
   * anything. `fn` may run more than once (while another process holds the lock), so it
   * must do nothing but statements.
   */
  write<T>(fn: () => T): Promise<T>;
  /** Runs reads in one transaction, so they see one consistent state. */
  read<T>(fn: () => T): Promise<T>;
  /** Whether the file can take writes now (see storage.ts). */
  health(): StoreHealth;
  close(): void;
}

export interface OpenOptions {
  /** How long a transaction waits for a lock another process holds (default 5 s). */
  lockDeadlineMs?: number;
}

const ON_DISK_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EEXIST']);

/** A start-up failure of the storage in one line naming the file; anything else as it is. */
function openFailure(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (sqliteCode(err) === null && !(typeof code === 'string' && ON_DISK_ERRORS.has(code))) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreUnavailable(`Cannot open the SQLite database at ${file}: ${message}`, { cause: err });
}

const START_DEADLINE_MS = 10_000;

/**
 * WAL mode, sync and the schema. A new file's switch to WAL is refused at once, without
 * the busy handler, while another process opening it at the same moment holds its lock
 * (SQLite's deadlock rule), so start-up tries again for a while instead of exiting.
 */
function setUpWhileOthersStart(db: Database.Database): void {
  const until = Date.now() + START_DEADLINE_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      // FULL, not NORMAL: in WAL mode NORMAL already survives the process being killed, but
      // may lose the last commits on power loss. "Decision 8 recorded" is said once the
      // commit returns, so that reply must stay true.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() > until) throw err;
      // Nothing else runs yet at start, so a short blocking sleep holds up no one.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.floor(Math.random() * 30));
    }
  }
}

/** The file opened, in WAL mode with its schema up to date; failures named with the file. */
function openFile(file: string, onDisk: boolean): Database.Database {
  let db: Database.Database;
  try {
    if (onDisk) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw openFailure(file, err);
  }
  try {
    // At start nothing else is waiting, so switching to WAL and migrating may wait for a
    // lock another process holds; afterwards waits are kept off the event loop.
    db.pragma('busy_timeout = 5000');
    setUpWhileOthersStart(db);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (err) {
    db.close();
    throw openFailure(file, err);
  }
  return db;
}

/**
 * BEGIN and COMMIT prepared once: better-sqlite3's db.transaction(fn) builds a wrapper per
 * call, a cost paid on every command. Inside, db.transaction still nests as a savepoint.
 */
function transactions(db: Database.Database): <T>(fn: () => T, mode: 'deferred' | 'immediate') => T {
  const begin = { deferred: db.prepare('BEGIN DEFERRED'), immediate: db.prepare('BEGIN IMMEDIATE') };
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  return (fn, mode) => {
    begin[mode].run();
    try {
      const result = fn();
      commit.run();
      return result;
    } catch (err) {
      // A failed COMMIT may leave the transaction open (SQLITE_BUSY); SQLite may also have
      // rolled it back already (a full disk).
      if (db.inTransaction) rollback.run();
      throw err;
    }
  };
}

function statementCache(db: Database.Database): (source: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (source) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = db.prepare(source);
      statements.set(source, statement);
    }
    return statement;
  };
}

export function openDb(file: string, options: OpenOptions = {}): Db {
  const onDisk = file !== ':memory:' && !file.startsWith('file:');
  const db = openFile(file, onDisk);
  const storage = new Storage(onDisk ? file : null, {
    pages: () => ({
      count: db.pragma('page_count', { simple: true }) as number,
      max: db.pragma('max_page_count', { simple: true }) as number,
    }),
    checkpoint: () => (db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>)[0]?.busy === 0,
  });
  const deadline = options.lockDeadlineMs ?? LOCK_DEADLINE_MS;
  const transaction = transactions(db);

  /** One transaction, tried again while another process holds the lock; failures in plain words. */
  async function run<T>(attempt: () => T, writes: boolean): Promise<T> {
    try {
      const result = await retryWhileBusy(() => {
        // Before every attempt: a file swapped while this one waited must not be written either.
        if (writes) storage.checkBeforeWrite();
        return attempt();
      }, deadline);
      if (writes) storage.committed();
      return result;
    } catch (err) {
      if (isBusy(err)) throw new StoreUnavailable(STORAGE_BUSY_MESSAGE, { cause: err });
      throw storage.failure(err);
    }
  }

  return {
    db,
    sql: statementCache(db),
    write: (fn) => run(() => transaction(fn, 'immediate'), true),
    read: (fn) => run(() => transaction(fn, 'deferred'), false),
    health: () => storage.health(),
    close() {
      if (!db.open) return;
      storage.beforeClose();
      db.close();
    },
  };
}
