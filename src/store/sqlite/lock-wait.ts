/**
 * Waiting for SQLite's lock without holding up the server. better-sqlite3 is synchronous:
 * SQLite's busy handler sleeps on the event loop, so a lock another process holds for
 * seconds would stop every request of this one for seconds. So SQLite itself waits only a
 * few milliseconds (BUSY_TIMEOUT_MS), and on SQLITE_BUSY the whole transaction is tried
 * again later from a timer, with growing, jittered pauses, until a deadline.
 */
import { isBusy } from './storage';

/** The longest one attempt may block the event loop waiting for the lock. */
export const BUSY_TIMEOUT_MS = 5;

/** How long a transaction keeps trying before the lock is reported as held too long. */
export const LOCK_DEADLINE_MS = 5000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 1-3 ms at first, up to 50-150 ms: quick for a brief lock, and racing processes spread out. */
const backoff = (attempt: number): number => Math.min(100, 2 * 2 ** attempt) * (0.5 + Math.random());

/**
 * Runs `attempt` (one whole transaction) until it does not fail with SQLITE_BUSY; throws
 * the last SQLITE_BUSY once `deadlineMs` have passed.
 */
export async function retryWhileBusy<T>(attempt: () => T, deadlineMs: number = LOCK_DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let n = 0; ; n += 1) {
    try {
      return attempt();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
    }
    await pause(Math.max(0, Math.min(deadline - Date.now(), backoff(n))));
  }
}
