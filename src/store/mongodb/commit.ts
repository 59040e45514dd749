/**
 * The conditional commit: a CaseWrite applies whole if the case is still at the version
 * the command read, and not at all otherwise (`false`: someone else wrote first).
 *
 * With transactions (a replica set or mongos) the version check and every record write
 * run in one transaction. A write conflict with another instance runs the transaction
 * again from the top, so the version is checked again on what the other one committed: a
 * lost race returns false.
 *
 * Without transactions (a standalone server) the case document is the lock:
 * 1. one conditional update moves the case from `expectedVersion` to its new version and
 *    sets `writing` to the end of a 30 s lease (a create inserts the case with the mark);
 *    only one of any number of racing commits can match, and the others return false;
 * 2. the record writes follow, after reading what they will overwrite;
 * 3. a conditional update on the new version takes the mark off.
 * Readers of the whole case (reads.ts) wait while the mark is on, so they never decide on
 * a half-applied write. If a record write fails, the write is taken back from what was
 * read before it (records, changes, the case's fields and version), and the error is
 * thrown. What remains at risk: a process that dies (or loses the server) between steps
 * 1 and 3 leaves a partly applied write under a mark that stops counting when its lease
 * ends; after that, readers see the partial write as it is. Run a replica set (even of
 * one member) to be rid of that risk.
 */
import type { CaseDoc, DecisionDoc, EvidenceDoc, SprintDoc } from '../../../models';
import { DUE_AT_NEXT_TICK, PublishTargetTaken, type CaseWrite } from '../../core/ports';
import { putBackRaw, sessionOption, type Db, type Session } from './context';
import { guard, isDuplicateKey, isDuplicateOf } from './errors';
import {
  caseDoc, caseFields, changeDoc, decisionFields, evidenceDoc, int, sprintFields, str, toCase, trusted,
} from './mapping';
import { Abandon, inTransaction } from './transaction';
import { leaseEnd, notWriting, nowIso, release, versionFilter } from './write-lock';

/** What the record writes got through, so a failure part-way can be taken back. */
interface Progress {
  addedChanges: string[];
  markedUndone: string[];
}

/** What the records a write overwrites looked like before it (raw documents, put back as they were). */
interface BeforeImages {
  sprints: SprintDoc[];
  decisions: DecisionDoc[];
  evidence: EvidenceDoc[];
}

export async function commit(db: Db, write: CaseWrite): Promise<boolean> {
  checkWrite(write);
  return guard(() => (db.transactions ? commitInTransaction(db, write) : commitWithMark(db, write)));
}

/** Refuses a write that contradicts itself (a mistake in the caller, never a race). */
function checkWrite(write: CaseWrite): void {
  const c = write.case;
  const expected = write.expectedVersion === null ? 1 : write.expectedVersion + 1;
  if (c.version !== expected) {
    throw new Error(`A write of case ${c.id} expecting version ${String(write.expectedVersion)} must bring it to ${expected}, not ${c.version}.`);
  }
  for (const change of write.addChanges) {
    if (change.caseId !== c.id) throw new Error(`Change ${change.id} is for case ${change.caseId}, not ${c.id}.`);
  }
}

async function commitInTransaction(db: Db, write: CaseWrite): Promise<boolean> {
  try {
    return await inTransaction(db, async ({ session }) => {
      // Each attempt starts here: after a write conflict, the version is checked afresh.
      if ((await takeVersion(db, write, session, null)) === false) throw new Abandon('version moved');
      await applyRecords(db, write, session, { addedChanges: [], markedUndone: [] });
      return true;
    });
  } catch (err) {
    if (err instanceof Abandon) return false;
    throw err;
  }
}

async function commitWithMark(db: Db, write: CaseWrite): Promise<boolean> {
  const before = await takeVersion(db, write, null, leaseEnd(db.timing));
  if (before === false) return false;
  const progress: Progress = { addedChanges: [], markedUndone: [] };
  let images: BeforeImages | null = null;
  try {
    images = await readBeforeImages(db, write);
    await applyRecords(db, write, null, progress);
  } catch (err) {
    await rollBack(db, write, before, images, progress).catch(() => undefined);
    throw err;
  }
  // Committed. Taking the mark off is tidiness: if it fails, the lease runs out.
  await release(db, write.case.id, write.case.version).catch(() => undefined);
  return true;
}

/**
 * Moves the case to its new version, or makes it: false when the version is no longer
 * `expectedVersion` (or, for a new case, the place has one or the id is taken). Returns
 * the case as it was before (null for a new case). `writing` sets the mark too.
 */
async function takeVersion(db: Db, write: CaseWrite, session: Session, writing: string | null): Promise<CaseDoc | null | false> {
  const c = write.case;
  const mark = writing !== null ? { writing } : {};
  const due = {
    ...(write.nextDueAt !== undefined ? { nextDueAt: write.nextDueAt } : {}),
    // With the version, in one update: a canvas written at the old version is still due after it.
    ...(write.canvasDue === true ? { canvasDueSince: str(c.updatedAt) } : {}),
  };
  const targets = write.publishTargets;
  // An empty list is left off: the unique index then holds nothing of this case.
  const held = targets !== undefined && targets.length > 0 ? { publishTargets: targets.map(str) } : {};
  const released = targets !== undefined && targets.length === 0 ? { $unset: { publishTargets: 1 } } : {};
  if (write.expectedVersion === null) {
    try {
      await db.m.Case.insertMany([{ ...caseDoc(c), nextDueAt: DUE_AT_NEXT_TICK, ...due, ...mark, ...held }], sessionOption(session));
    } catch (err) {
      if (targets && isDuplicateOf(err, PUBLISH_TARGET_INDEX)) throw await targetTaken(db, c.id, targets);
      // One case per place and one case per id: unique indexes refuse the second.
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    return null;
  }
  let before: CaseDoc | null;
  try {
    before = await db.m.Case.findOneAndUpdate(
      { _id: str(c.id), version: versionFilter(write.expectedVersion), ...notWriting(db.timing) },
      { $set: { ...withoutLayout(caseFields(c), write.layoutUnchanged === true), ...due, ...mark, ...held }, ...released },
      { returnDocument: 'before', ...sessionOption(session) },
    ).lean<CaseDoc>().exec();
  } catch (err) {
    // Another case holds one of the keys: the update did not apply, so there is nothing to take back.
    if (targets && isDuplicateOf(err, PUBLISH_TARGET_INDEX)) throw await targetTaken(db, c.id, targets);
    throw err;
  }
  return before ?? false;
}

const PUBLISH_TARGET_INDEX = 'one_case_per_publish_target';

/** The case's fields to set, its layout left out when it is the one read. */
function withoutLayout<T extends { layout: unknown }>(fields: T, unchanged: boolean): Omit<T, 'layout'> | T {
  if (!unchanged) return fields;
  const { layout: _layout, ...rest } = fields;
  return rest;
}

/** The refusal, naming the first of `targets` that another case holds (the server's error names the index, not the key). */
async function targetTaken(db: Db, caseId: string, targets: string[]): Promise<PublishTargetTaken> {
  const other = await db.m.Case.findOne(
    { _id: trusted({ $ne: str(caseId) }), publishTargets: trusted({ $in: targets.map(str) }) },
    { publishTargets: 1 },
  ).lean<Pick<CaseDoc, 'publishTargets'>>().exec().catch(() => null);
  const held = new Set(other?.publishTargets ?? []);
  return new PublishTargetTaken(targets.find((t) => held.has(t)) ?? targets[0] ?? '');
}

/** Reads the records the write will overwrite or remove, as they are now. */
async function readBeforeImages(db: Db, write: CaseWrite): Promise<BeforeImages> {
  const inCase = { caseId: str(write.case.id) };
  const evidenceIds = [...write.deleteEvidence, ...write.putEvidence.map((e) => e.id)].map(str);
  const decisionNumbers = [...write.deleteDecisions, ...write.putDecisions.map((d) => d.number)].map(int);
  const sprintNumbers = [...write.deleteSprints, ...write.putSprints.map((s) => s.number)].map(int);
  const evidence = new Map<string, EvidenceDoc>();
  if (evidenceIds.length) {
    for (const e of await db.m.Evidence.find({ ...inCase, _id: trusted({ $in: evidenceIds }) }).lean<EvidenceDoc[]>().exec()) evidence.set(e._id, e);
  }
  if (write.deleteDecisions.length) {
    const under = await db.m.Evidence.find({ ...inCase, decision: trusted({ $in: write.deleteDecisions.map(int) }) }).lean<EvidenceDoc[]>().exec();
    for (const e of under) evidence.set(e._id, e);
  }
  return {
    evidence: [...evidence.values()],
    decisions: decisionNumbers.length
      ? await db.m.Decision.find({ ...inCase, number: trusted({ $in: decisionNumbers }) }).lean<DecisionDoc[]>().exec()
      : [],
    sprints: sprintNumbers.length
      ? await db.m.Sprint.find({ ...inCase, number: trusted({ $in: sprintNumbers }) }).lean<SprintDoc[]>().exec()
      : [],
  };
}

/**
 * The record writes, in order: removals first, so a put may take a letter, a position or
 * a number that a removal frees. Evidence put is removed and inserted again (rather than
 * updated in place), so evidence that trades letters or positions passes the unique keys.
 */
async function applyRecords(db: Db, write: CaseWrite, session: Session, progress: Progress): Promise<void> {
  const { m } = db;
  const options = sessionOption(session);
  const caseId = str(write.case.id);
  const inCase = { caseId };

  const evidenceOut = [...write.deleteEvidence, ...write.putEvidence.map((e) => e.id)].map(str);
  if (evidenceOut.length) await m.Evidence.deleteMany({ ...inCase, _id: trusted({ $in: evidenceOut }) }, options).exec();
  if (write.deleteDecisions.length) {
    const numbers = write.deleteDecisions.map(int);
    await m.Evidence.deleteMany({ ...inCase, decision: trusted({ $in: numbers }) }, options).exec();
    await m.Decision.deleteMany({ ...inCase, number: trusted({ $in: numbers }) }, options).exec();
  }
  if (write.deleteSprints.length) {
    await m.Sprint.deleteMany({ ...inCase, number: trusted({ $in: write.deleteSprints.map(int) }) }, options).exec();
  }
  for (const s of write.putSprints) {
    await m.Sprint.updateOne({ ...inCase, number: int(s.number) }, { $set: sprintFields(s) }, { upsert: true, ...options }).exec();
  }
  for (const d of write.putDecisions) {
    await m.Decision.updateOne({ ...inCase, number: int(d.number) }, { $set: decisionFields(d) }, { upsert: true, ...options }).exec();
  }
  if (write.putEvidence.length) await m.Evidence.insertMany(write.putEvidence.map((e) => evidenceDoc(caseId, e)), options);
  for (const change of write.addChanges) {
    await m.Change.insertMany([changeDoc(caseId, change)], options);
    progress.addedChanges.push(str(change.id));
  }
  for (const u of write.undone) {
    const marked = await m.Change.updateOne(
      { ...inCase, _id: str(u.id), undoneAt: null },
      { $set: { undoneAt: str(u.at) } },
      options,
    ).exec();
    if (marked.modifiedCount === 1) progress.markedUndone.push(str(u.id));
  }
}

/**
 * Takes back a write that failed part-way (no transactions): the records as they were,
 * the changes it added and the marks it made, then the case (its fields and version, or
 * its removal when the write made it). The case goes last: until then its mark holds
 * readers off. Its `writing` is left at the time of the failure, a lease already over,
 * so a reader that read the case across the failed write sees it changed and reads again.
 */
async function rollBack(db: Db, write: CaseWrite, before: CaseDoc | null, images: BeforeImages | null, progress: Progress): Promise<void> {
  const { m } = db;
  const caseId = str(write.case.id);
  const inCase = { caseId };
  const attempt = async (step: () => Promise<unknown>): Promise<void> => {
    try {
      await step();
    } catch {
      // Best effort: put back as much as can be put back.
    }
  };
  if (images) {
    const restored = images;
    const evidenceIds = [...write.putEvidence.map((e) => e.id), ...restored.evidence.map((e) => e._id)].map(str);
    if (evidenceIds.length) await attempt(() => m.Evidence.deleteMany({ ...inCase, _id: trusted({ $in: evidenceIds }) }).exec());
    const numbers = [...write.putDecisions.map((d) => d.number), ...write.deleteDecisions].map(int);
    if (numbers.length) await attempt(() => m.Decision.deleteMany({ ...inCase, number: trusted({ $in: numbers }) }).exec());
    const sprints = [...write.putSprints.map((s) => s.number), ...write.deleteSprints].map(int);
    if (sprints.length) await attempt(() => m.Sprint.deleteMany({ ...inCase, number: trusted({ $in: sprints }) }).exec());
    // The documents as read, through the driver: exactly what was there, ids and all.
    await attempt(() => putBackRaw(m.Sprint, restored.sprints));
    await attempt(() => putBackRaw(m.Decision, restored.decisions));
    await attempt(() => putBackRaw(m.Evidence, restored.evidence));
  }
  if (progress.addedChanges.length) {
    await attempt(() => m.Change.deleteMany({ ...inCase, _id: trusted({ $in: progress.addedChanges }) }).exec());
  }
  for (const id of progress.markedUndone) {
    await attempt(() => m.Change.updateOne({ ...inCase, _id: id }, { $set: { undoneAt: null } }).exec());
  }
  const mine = { _id: caseId, version: versionFilter(write.case.version) };
  if (before === null) {
    await m.Case.deleteOne(mine).exec();
    return;
  }
  await m.Case.updateOne(mine, { $set: { ...caseFields(toCase(before)), nextDueAt: before.nextDueAt ?? DUE_AT_NEXT_TICK, writing: nowIso(db.timing) } }).exec();
}

/** Sets when the case's next scheduled work falls due, if the case is still at `version`. */
export async function setNextDue(db: Db, caseId: string, version: number, nextDueAt: string | null): Promise<boolean> {
  return guard(async () => {
    const done = await db.m.Case.updateOne(
      { _id: str(caseId), version: versionFilter(int(version)) },
      { $set: { nextDueAt: nextDueAt === null ? null : str(nextDueAt) } },
      { timestamps: false },
    ).exec();
    return done.matchedCount === 1;
  });
}
