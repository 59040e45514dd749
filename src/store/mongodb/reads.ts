/**
 * Reading cases and their changes. Reads never write.
 *
 * A whole case (`snapshot`, `loadCase`) is read at one version: with transactions in one
 * snapshot transaction; without, by reading the case, then its records, then the case
 * again, and reading afresh if it moved in between. Either way a case a commit is still
 * writing (its `writing` mark on, see commit.ts) is waited for, not read half-written.
 */
import type { CaseDoc, ChangeDoc, DecisionDoc, EvidenceDoc, SprintDoc } from '../../../models';
import type { Case, CaseSnapshot, Change, Place } from '../../core/model';
import type { DueCase } from '../../core/ports';
import type { Db, Session } from './context';
import { guard } from './errors';
import { int, placeFilter, str, toCase, toChange, toSnapshot, trusted } from './mapping';
import { inTransaction } from './transaction';
import { isWriting, stamp, whenSettled } from './write-lock';

export async function getCase(db: Db, id: string): Promise<Case | null> {
  return guard(async () => {
    const d = await db.m.Case.findOne({ _id: str(id) }).lean<CaseDoc>().exec();
    return d ? toCase(d) : null;
  });
}

export async function publishTargetsOf(db: Db, id: string): Promise<string[]> {
  return guard(async () => {
    const d = await db.m.Case.findOne({ _id: str(id) }, { publishTargets: 1 }).lean<Pick<CaseDoc, 'publishTargets'>>().exec();
    return [...(d?.publishTargets ?? [])];
  });
}

export async function findCase(db: Db, place: Place): Promise<Case | null> {
  return guard(async () => {
    const d = await db.m.Case.findOne(placeFilter(place)).lean<CaseDoc>().exec();
    return d ? toCase(d) : null;
  });
}

export async function listCases(db: Db, filter: { platform?: Place['platform']; workspace?: string } = {}): Promise<Case[]> {
  return guard(async () => {
    const query: Record<string, string> = {};
    if (filter.platform !== undefined) query['place.platform'] = str(filter.platform);
    if (filter.workspace !== undefined) query['place.workspace'] = str(filter.workspace);
    const docs = await db.m.Case.find(query).sort({ createdAt: 1, _id: 1 }).lean<CaseDoc[]>().exec();
    return docs.map(toCase);
  });
}

export async function listDue(db: Db, now: string, limit: number, after?: { dueAt: string; id: string }): Promise<DueCase[]> {
  return guard(async () => {
    // After a page: later due times up to now, or the same due time and a later id (itself due by now, as it was paged).
    const filter = after
      ? { $or: [{ nextDueAt: trusted({ $gt: str(after.dueAt), $lte: str(now) }) }, { nextDueAt: str(after.dueAt), _id: trusted({ $gt: str(after.id) }) }] }
      : { nextDueAt: trusted({ $lte: str(now) }) };
    const docs = await db.m.Case.find(filter).sort({ nextDueAt: 1, _id: 1 }).limit(int(limit)).lean<CaseDoc[]>().exec();
    return docs.map((d) => ({ case: toCase(d), dueAt: d.nextDueAt ?? '' }));
  });
}

export async function snapshot(db: Db, caseId: string): Promise<CaseSnapshot | null> {
  return guard(() => settledSnapshot(db, { _id: str(caseId) }));
}

export async function loadCase(db: Db, place: Place): Promise<CaseSnapshot | null> {
  return guard(() => settledSnapshot(db, placeFilter(place)));
}

type Read = { settled: true; value: CaseSnapshot | null } | { settled: false };

function settledSnapshot(db: Db, which: Record<string, string>): Promise<CaseSnapshot | null> {
  return whenSettled(db.timing, () => (db.transactions
    ? inTransaction(db, (t) => readOnce(db, which, t.session))
    : readOnce(db, which, null)));
}

/** One attempt: the case and its records, or "not settled" when a commit is under way or landed in between. */
async function readOnce(db: Db, which: Record<string, string>, session: Session): Promise<Read> {
  const { m } = db;
  const c = await m.Case.findOne(which).session(session).lean<CaseDoc>().exec();
  if (!c) return { settled: true, value: null };
  if (isWriting(c, db.timing)) return { settled: false };
  const inCase = { caseId: str(c._id) };
  const sprints = await m.Sprint.find(inCase).sort({ number: 1 }).session(session).lean<SprintDoc[]>().exec();
  const decisions = await m.Decision.find(inCase).sort({ number: 1 }).session(session).lean<DecisionDoc[]>().exec();
  const evidence = await m.Evidence.find(inCase).sort({ decision: 1, position: 1 }).session(session).lean<EvidenceDoc[]>().exec();
  if (!session) {
    // No transaction to read in: make sure nothing was committed (or taken back) meanwhile.
    const again = await m.Case.findOne({ _id: str(c._id) }, { version: 1, writing: 1 }).lean<Pick<CaseDoc, 'version' | 'writing'>>().exec();
    if (!again || stamp(again) !== stamp(c)) return { settled: false };
  }
  return { settled: true, value: toSnapshot(c, sprints, decisions, evidence) };
}

// Changes ------------------------------------------------------------------------------

/** Committed order: by version, then as inserted (old changes, all at version 0, keep their insertion order). */
const COMMITTED_ORDER = { version: 1, order: 1 } as const;

export async function listChanges(db: Db, caseId: string, since: string, until: string): Promise<Change[]> {
  return guard(async () => {
    const docs = await db.m.Change.find({ caseId: str(caseId), at: trusted({ $gte: str(since), $lt: str(until) }) })
      .sort(COMMITTED_ORDER).lean<ChangeDoc[]>().exec();
    return docs.map(toChange);
  });
}

export async function changesAfter(db: Db, caseId: string, version: number): Promise<Change[]> {
  return guard(async () => {
    const docs = await db.m.Change.find({ caseId: str(caseId), version: trusted({ $gt: int(version) }) })
      .sort(COMMITTED_ORDER).lean<ChangeDoc[]>().exec();
    return docs.map(toChange);
  });
}

export async function getChange(db: Db, caseId: string, id: string): Promise<Change | null> {
  return guard(async () => {
    const d = await db.m.Change.findOne({ _id: str(id), caseId: str(caseId) }).lean<ChangeDoc>().exec();
    return d ? toChange(d) : null;
  });
}

export async function lastChange(db: Db, caseId: string, actorId: string, since: string): Promise<Change | null> {
  return guard(async () => {
    const d = await db.m.Change.findOne({
      caseId: str(caseId),
      'actor.id': str(actorId),
      at: trusted({ $gte: str(since) }),
      undoneAt: null,
    }).sort({ version: -1, order: -1 }).lean<ChangeDoc>().exec();
    return d ? toChange(d) : null;
  });
}
