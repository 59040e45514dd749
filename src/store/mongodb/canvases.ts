/**
 * How far each case's canvas has been brought up to date, in fields of its case document
 * beside the case and outside its version. The claim on a canvas's next write is one
 * conditional update on the version the canvas shows: one instance of any number wins it.
 */
import type { CaseDoc } from '../../../models';
import type { CanvasProgress } from '../../core/ports';
import type { Db } from './context';
import { guard } from './errors';
import { int, str, trusted } from './mapping';

type ProgressDoc = Pick<CaseDoc, '_id' | 'version' | 'canvasShownVersion' | 'canvasWrittenAt' | 'canvasDueSince' | 'canvasLeaseUntil'>;

const PROJECTION = { version: 1, canvasShownVersion: 1, canvasWrittenAt: 1, canvasDueSince: 1, canvasLeaseUntil: 1 } as const;

function toProgress(d: ProgressDoc): CanvasProgress {
  return {
    caseId: d._id,
    version: d.version ?? 0,
    shownVersion: d.canvasShownVersion ?? 0,
    writtenAt: d.canvasWrittenAt ?? null,
    dueSince: d.canvasDueSince ?? null,
    heldUntil: d.canvasLeaseUntil ?? null,
  };
}

/** The filter on the version a canvas shows; documents from before canvases have none (0). */
function shownFilter(version: number): number | { $in: Array<number | null> } {
  return version === 0 ? trusted({ $in: [0, null] }) : int(version);
}

export function canvasProgress(db: Db, caseId: string): Promise<CanvasProgress | null> {
  return guard(async () => {
    const d = await db.m.Case.findOne({ _id: str(caseId) }, PROJECTION).lean<ProgressDoc>().exec();
    return d ? toProgress(d) : null;
  });
}

export function canvasesDue(db: Db, limit: number): Promise<CanvasProgress[]> {
  return guard(async () => {
    const docs = await db.m.Case.find({ canvasDueSince: trusted({ $type: 'string' }) }, PROJECTION)
      .sort({ canvasDueSince: 1, _id: 1 }).limit(int(limit)).lean<ProgressDoc[]>().exec();
    return docs.map(toProgress);
  });
}

export function claimCanvas(db: Db, caseId: string, shownVersion: number, owner: string, now: string, leaseUntil: string): Promise<boolean> {
  return guard(async () => {
    const won = await db.m.Case.updateOne(
      {
        _id: str(caseId), canvasShownVersion: shownFilter(int(shownVersion)),
        $or: [{ canvasLeaseUntil: null }, { canvasLeaseUntil: trusted({ $lt: str(now) }) }],
      },
      { $set: { canvasOwner: str(owner), canvasLeaseUntil: str(leaseUntil) } },
      { timestamps: false },
    ).exec();
    return won.matchedCount === 1;
  });
}

export function releaseCanvas(db: Db, caseId: string, owner: string, written: { version: number; at: string } | null): Promise<void> {
  return guard(async () => {
    const mine = { _id: str(caseId), canvasOwner: str(owner) };
    const free = { canvasOwner: null, canvasLeaseUntil: null };
    if (written === null) {
      await db.m.Case.updateOne(mine, { $set: free }, { timestamps: false }).exec();
      return;
    }
    const done = await db.m.Case.updateOne(
      mine,
      { $set: { ...free, canvasWrittenAt: str(written.at) }, $max: { canvasShownVersion: int(written.version) } },
      { timestamps: false },
    ).exec();
    if (done.matchedCount !== 1) return;
    // Nothing waits any more only while the case is still at the version written (or one before).
    await db.m.Case.updateOne(
      { _id: str(caseId), version: trusted({ $lte: int(written.version) }) },
      { $set: { canvasDueSince: null } },
      { timestamps: false },
    ).exec();
  });
}

export function settleCanvas(db: Db, caseId: string, version: number): Promise<void> {
  return guard(async () => {
    await db.m.Case.updateOne({ _id: str(caseId), version: int(version) }, { $set: { canvasDueSince: null } }, { timestamps: false }).exec();
  });
}
