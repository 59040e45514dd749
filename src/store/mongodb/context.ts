/** What every part of the MongoDB store works with: the connection, the models, and how writes are made safe. */
import type { ClientSession, Connection, Model, mongo } from 'mongoose';
import type { Models } from '../../../models';

/** Timings of the lock a commit takes without transactions (see commit.ts). */
export interface WriteLockTiming {
  /** How long a commit's `writing` mark holds readers off before they stop waiting for it (default 30 s). */
  writeLeaseMs: number;
  /** How long a reader waits for a commit under way to finish (default 2 s). */
  readWaitMs: number;
  /** How often a waiting reader looks again (default 15 ms). */
  pollMs: number;
  /** The wall clock for leases, in ms (default Date.now). Leases measure real time, so no test clock belongs here. */
  clock: () => number;
}

export const DEFAULT_TIMING: WriteLockTiming = {
  writeLeaseMs: 30_000,
  readWaitMs: 2_000,
  pollMs: 15,
  clock: () => Date.now(),
};

export interface Db {
  conn: Connection;
  m: Models;
  /** True when multi-document writes run in transactions (replica set or mongos). */
  transactions: boolean;
  timing: WriteLockTiming;
}

/** A session, or null when the store runs without transactions. */
export type Session = ClientSession | null;

export function sessionOption(session: Session): { session?: ClientSession } {
  return session ? { session } : {};
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Inserts documents exactly as they were read (raw, through the driver: ids, storage
 * times and all), to put back what a failed write removed.
 */
export async function putBackRaw(model: Pick<Model<never>, 'collection'>, docs: readonly object[]): Promise<void> {
  if (docs.length) await model.collection.insertMany(docs as Array<mongo.OptionalId<mongo.Document>>);
}
