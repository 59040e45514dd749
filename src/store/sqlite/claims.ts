/** Exactly-once work: a claim per key, won by one process, taken over only after its lease ran out. */
import type { ClaimResult } from '../../core/ports';
import type { GroupCommit } from './commit';
import type { Db } from './connection';

interface ClaimRow {
  owner: string;
  lease_until: string;
  done_at: string | null;
  attempts: number;
}

/**
 * Claims go through the group commit: a tick claims hundreds at once, and each claim is as
 * exclusive inside the shared transaction (which holds the write lock) as in one of its own.
 */
export function claim(d: Db, group: GroupCommit, key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult> {
  return group(() => {
    const row = d.sql(`SELECT owner, lease_until, done_at, attempts FROM claims WHERE key = ?`).get(key) as ClaimRow | undefined;
    if (!row) {
      d.sql(`INSERT INTO claims (key, owner, claimed_at, lease_until, attempts) VALUES (?, ?, ?, ?, 1)`).run(key, owner, now, leaseUntil);
      return { won: true, attempt: 1, done: false, leaseUntil };
    }
    if (row.done_at === null && row.lease_until < now) {
      d.sql(`UPDATE claims SET owner = ?, claimed_at = ?, lease_until = ?, attempts = attempts + 1 WHERE key = ?`)
        .run(owner, now, leaseUntil, key);
      return { won: true, attempt: row.attempts + 1, done: false, leaseUntil };
    }
    return { won: false, attempt: row.attempts, done: row.done_at !== null, leaseUntil: row.lease_until };
  });
}

export function completeClaim(d: Db, group: GroupCommit, key: string, owner: string, at: string): Promise<void> {
  return group(() => {
    d.sql(`UPDATE claims SET done_at = ? WHERE key = ? AND owner = ? AND done_at IS NULL`).run(at, key, owner);
  });
}
