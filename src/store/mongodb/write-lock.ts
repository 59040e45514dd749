/**
 * The `writing` mark a commit puts on its case when there are no transactions: the ISO
 * time its lease ends. While it is set and not past, readers of the whole case wait, and
 * other commits are refused (they read the case before this one moved it on, so they
 * would lose on the version anyway). A lease past its end no longer counts, so a process
 * that died in the middle holds nobody off for longer than the lease.
 */
import type { CaseDoc } from '../../../models';
import { StoreConflict } from '../../core/ports';
import { delay, sessionOption, type Db, type Session, type WriteLockTiming } from './context';
import { int, str, trusted } from './mapping';

export const BUSY_MESSAGE = "Someone else's change to this case is still being saved; please try again in a moment.";

export function nowIso(timing: WriteLockTiming): string {
  return new Date(timing.clock()).toISOString();
}

/** When a lease taken now ends. */
export function leaseEnd(timing: WriteLockTiming): string {
  return new Date(timing.clock() + timing.writeLeaseMs).toISOString();
}

/** Whether a commit is under way on the case (its lease not yet past). */
export function isWriting(doc: Pick<CaseDoc, 'writing'>, timing: WriteLockTiming): boolean {
  return typeof doc.writing === 'string' && doc.writing > nowIso(timing);
}

/** The filter part that matches a case nobody is writing (no mark, or a lease past its end). */
export function notWriting(timing: WriteLockTiming): Record<string, unknown> {
  return { $or: [{ writing: null }, { writing: trusted({ $lte: nowIso(timing) }) }] };
}

/**
 * What a reader compares before and after reading a case's records: a commit in between
 * changes the version; one that failed and was rolled back puts the version back but
 * leaves `writing` at another value (see commit.ts), so either shows.
 */
export function stamp(doc: Pick<CaseDoc, 'version' | 'writing'>): string {
  return `${doc.version ?? 0}|${doc.writing ?? ''}`;
}

/** The filter on a case's version; a case from before versions (no field) is at version 0. */
export function versionFilter(version: number): number | { $in: Array<number | null> } {
  return version === 0 ? trusted({ $in: [0, null] }) : int(version);
}

/** Takes the mark off once the commit at `version` has written everything (conditional: only that commit's mark). */
export async function release(db: Db, caseId: string, version: number, session: Session = null): Promise<void> {
  await db.m.Case.updateOne(
    { _id: str(caseId), version: versionFilter(version) },
    { $unset: { writing: 1 } },
    { timestamps: false, ...sessionOption(session) },
  ).exec();
}

/**
 * Runs `read` until it sees the case settled: while it reports a commit under way, waits
 * (polling) up to `readWaitMs`, then refuses in plain words rather than answer from a
 * half-written case.
 */
export async function whenSettled<T>(timing: WriteLockTiming, read: () => Promise<{ settled: true; value: T } | { settled: false }>): Promise<T> {
  const deadline = timing.clock() + timing.readWaitMs;
  for (;;) {
    const result = await read();
    if (result.settled) return result.value;
    if (timing.clock() >= deadline) throw new StoreConflict(BUSY_MESSAGE);
    await delay(timing.pollMs);
  }
}
