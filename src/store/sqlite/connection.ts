/**
 * Opening the SQLite file: WAL mode, FULL sync, the schema brought up to date, and a cache
 * of prepared statements. Every other file of this store reads and writes through `Db`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export interface Db {
  readonly db: Database.Database;
  /** A prepared statement, cached by its text. */
  sql(source: string): Database.Statement;
  /** Runs `fn` as one BEGIN IMMEDIATE transaction: it takes the write lock before reading anything. */
  write<T>(fn: () => T): T;
  /** Runs reads in one transaction, so they see one consistent state. */
  read<T>(fn: () => T): T;
}

export function openDb(file: string): Db {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // busy_timeout first: switching to WAL takes a lock another process may hold.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // FULL, not NORMAL: in WAL mode NORMAL already survives the process being killed, but
    // may lose the last commits on power loss. "Decision 8 recorded" is said once the
    // commit returns, so that reply must stay true.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const statements = new Map<string, Database.Statement>();
  return {
    db,
    sql(source) {
      let statement = statements.get(source);
      if (!statement) {
        statement = db.prepare(source);
        statements.set(source, statement);
      }
      return statement;
    },
    write: (fn) => db.transaction(fn).immediate(),
    read: (fn) => db.transaction(fn).deferred(),
  };
}
