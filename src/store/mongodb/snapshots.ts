/**
 * Whole cases in and out: `putSnapshot` (import, copy) and `deleteCase`. With
 * transactions each is one transaction. Without, the case carries the `writing` mark
 * while its records go in or out, so readers wait rather than see it half-written; a
 * failed put takes back what it wrote and puts back the case it replaced.
 */
import {
  legacyDecisionCounterId,
  type CaseDoc, type ChangeDoc, type DecisionDoc, type EvidenceDoc, type SprintDoc,
} from '../../../models';
import type { CaseSnapshot } from '../../core/model';
import { DUE_AT_NEXT_TICK, StoreConflict } from '../../core/ports';
import { checkSnapshot, describePlace } from '../snapshot-check';
import { putBackRaw, sessionOption, type Db, type Session } from './context';
import { guard } from './errors';
import { caseDoc, decisionDoc, evidenceDoc, placeFilter, sprintDoc, str, toPlace, trusted } from './mapping';
import { tx, type Tx } from './transaction';
import { leaseEnd, release } from './write-lock';

/** Every document of a case, as stored. */
interface RawCase {
  case: CaseDoc;
  sprints: SprintDoc[];
  decisions: DecisionDoc[];
  evidence: EvidenceDoc[];
  changes: ChangeDoc[];
}

export async function putSnapshot(db: Db, snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void> {
  checkSnapshot(snapshot);
  const c = snapshot.case;
  await guard(() => tx(db, async (t) => {
    const existing = await db.m.Case.findOne(placeFilter(c.place)).session(t.session).lean<CaseDoc>().exec();
    if (existing && !options.replace) {
      throw new StoreConflict(`A case already exists for ${describePlace(c.place)}; use --replace`);
    }
    // Every refusal comes before the first write.
    const sameId = await db.m.Case.findOne({ _id: str(c.id) }).session(t.session).lean<CaseDoc>().exec();
    if (sameId && sameId._id !== existing?._id) {
      throw new StoreConflict(`Case ${c.id} already exists for ${describePlace(toPlace(sameId.place))}; give the copy a new id.`);
    }
    if (snapshot.evidence.length) {
      const taken = await db.m.Evidence.findOne({
        _id: trusted({ $in: snapshot.evidence.map((e) => str(e.id)) }),
        ...(existing ? { caseId: trusted({ $ne: str(existing._id) }) } : {}),
      }, { caseId: 1 }).session(t.session).lean<Pick<EvidenceDoc, '_id' | 'caseId'>>().exec();
      if (taken) throw new StoreConflict(`Evidence id ${taken._id} is already used in case ${taken.caseId}; give the copy new ids.`);
    }
    if (existing) {
      const old = t.session ? null : await readRaw(db, existing);
      await deleteCaseDocs(db, existing._id, t.session);
      if (old) t.onFailure(() => restoreRaw(db, old));
    }
    await insertSnapshot(db, snapshot, t);
  }));
}

export async function deleteCase(db: Db, id: string): Promise<void> {
  await guard(() => tx(db, async (t) => {
    // Without transactions, readers wait while the records go; a delete cut short can be run again.
    if (!t.session) await db.m.Case.updateOne({ _id: str(id) }, { $set: { writing: leaseEnd(db.timing) } }, { timestamps: false }).exec();
    await deleteCaseDocs(db, id, t.session);
  }));
}

/** Removes a case's documents: its records first, the case last. */
async function deleteCaseDocs(db: Db, id: string, session: Session): Promise<void> {
  const { m } = db;
  const filter = { caseId: str(id) };
  const options = sessionOption(session);
  await m.Evidence.deleteMany(filter, options).exec();
  await m.Decision.deleteMany(filter, options).exec();
  await m.Sprint.deleteMany(filter, options).exec();
  await m.Change.deleteMany(filter, options).exec();
  await m.Counter.deleteOne({ _id: legacyDecisionCounterId(id) }, options).exec();
  await m.Case.deleteOne({ _id: str(id) }, options).exec();
}

/** Writes a whole case, at the version it carries; without transactions, under the mark, and removed again on failure. */
async function insertSnapshot(db: Db, snapshot: CaseSnapshot, t: Tx): Promise<void> {
  const { m } = db;
  const c = snapshot.case;
  const options = sessionOption(t.session);
  const mark = t.session ? {} : { writing: leaseEnd(db.timing) };
  // Due at once: the next tick works out when its scheduled work falls due.
  // A case kept in a canvas: its canvas is brought up to date.
  const canvasDue = c.canvas?.on === true ? { canvasDueSince: c.updatedAt } : {};
  await m.Case.insertMany([{ ...caseDoc(c), nextDueAt: DUE_AT_NEXT_TICK, ...canvasDue, ...mark }], options);
  // Only once the case is ours: a failure before that must not remove someone else's.
  t.onFailure(() => deleteCaseDocs(db, c.id, null));
  if (snapshot.sprints.length) await m.Sprint.insertMany(snapshot.sprints.map((s) => sprintDoc(c.id, s)), options);
  if (snapshot.decisions.length) await m.Decision.insertMany(snapshot.decisions.map((d) => decisionDoc(c.id, d)), options);
  if (snapshot.evidence.length) await m.Evidence.insertMany(snapshot.evidence.map((e) => evidenceDoc(c.id, e)), options);
  // Written. Taking the mark off is tidiness: if it fails, the lease runs out.
  if (!t.session) await release(db, c.id, c.version).catch(() => undefined);
}

async function readRaw(db: Db, c: CaseDoc): Promise<RawCase> {
  const filter = { caseId: str(c._id) };
  return {
    case: c,
    sprints: await db.m.Sprint.find(filter).lean<SprintDoc[]>().exec(),
    decisions: await db.m.Decision.find(filter).lean<DecisionDoc[]>().exec(),
    evidence: await db.m.Evidence.find(filter).lean<EvidenceDoc[]>().exec(),
    changes: await db.m.Change.find(filter).sort({ order: 1 }).lean<ChangeDoc[]>().exec(),
  };
}

/** Puts back a case exactly as it was read (through the driver: ids, history and all). */
async function restoreRaw(db: Db, raw: RawCase): Promise<void> {
  const { m } = db;
  await putBackRaw(m.Case, [raw.case]);
  await putBackRaw(m.Sprint, raw.sprints);
  await putBackRaw(m.Decision, raw.decisions);
  await putBackRaw(m.Evidence, raw.evidence);
  await putBackRaw(m.Change, raw.changes);
}
