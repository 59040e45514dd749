/**
 * Running a write over several documents: in one transaction when the server has them
 * (a replica set or mongos); else in order, taking back what was written if a later step
 * fails (best effort: see commit.ts for what that leaves at risk).
 */
import type { ClientSession } from 'mongoose';
import { delay, type Db, type Session } from './context';
import { hasErrorLabel, isUnreachable } from './errors';

/** How long a transaction keeps retrying write conflicts with other instances. */
const TRANSACTION_RETRY_MS = 30_000;
const TRANSACTION_OPTIONS = {
  readPreference: 'primary',
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
} as const;

/**
 * One write's context: its session (null without transactions) and, without
 * transactions, the steps that take back what it wrote if a later step fails.
 */
export interface Tx {
  session: Session;
  onFailure(undo: () => Promise<unknown>): void;
}

/**
 * Thrown inside a transaction to end it without committing anything and without a
 * retry; the caller catches it (a commit that lost the race returns false).
 */
export class Abandon extends Error {
  constructor(readonly reason: string) {
    super(`transaction abandoned: ${reason}`);
    this.name = 'Abandon';
  }
}

/** Runs `fn` in a transaction with transactions, else with compensating steps. */
export async function tx<T>(db: Db, fn: (t: Tx) => Promise<T>): Promise<T> {
  return db.transactions ? inTransaction(db, fn) : compensating(fn);
}

/** Runs `fn` without a session; if it throws, runs the undo steps it registered, newest first. */
export async function compensating<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
  const undo: Array<() => Promise<unknown>> = [];
  try {
    return await fn({ session: null, onFailure: (step) => { undo.push(step); } });
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // Best effort: the original error is the one to report.
      }
    }
    throw err;
  }
}

/**
 * One transaction, run again while it loses write conflicts to other instances (for up
 * to TRANSACTION_RETRY_MS). Each attempt runs `fn` afresh, so whatever it checked (a
 * case's version) is checked again on what the other instance committed. Unlike
 * `session.withTransaction`, which retries for two minutes, it gives up at once when the
 * server cannot be reached, so a command during an outage fails quickly with a plain message.
 */
export async function inTransaction<T>(db: Db, fn: (t: Tx) => Promise<T>): Promise<T> {
  const session = await db.conn.startSession();
  const deadline = Date.now() + TRANSACTION_RETRY_MS;
  const retryable = (err: unknown, label: string): boolean =>
    hasErrorLabel(err, label) && !isUnreachable(err) && Date.now() < deadline;
  try {
    for (let attempt = 1; ; attempt += 1) {
      session.startTransaction(TRANSACTION_OPTIONS);
      let result: T;
      try {
        result = await fn({ session, onFailure: () => undefined });
      } catch (err) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (retryable(err, 'TransientTransactionError')) {
          await delay(Math.random() * Math.min(50, 2 * attempt));
          continue;
        }
        throw err;
      }
      if (await commitTransaction(session, retryable)) return result;
      await delay(Math.random() * Math.min(50, 2 * attempt));
    }
  } finally {
    await session.endSession();
  }
}

/** Commits; true when done, false when the whole transaction must run again. */
async function commitTransaction(session: ClientSession, retryable: (err: unknown, label: string) => boolean): Promise<boolean> {
  for (;;) {
    try {
      await session.commitTransaction();
      return true;
    } catch (err) {
      // The outcome is unknown (a network blip after sending it): committing again is safe.
      if (retryable(err, 'UnknownTransactionCommitResult')) continue;
      if (retryable(err, 'TransientTransactionError')) return false;
      throw err;
    }
  }
}
