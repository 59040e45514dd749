/**
 * How far each case's canvas has been brought up to date, in columns of its case row beside
 * the case and outside its version. The claim on a canvas's next write is a conditional
 * update on the version the canvas shows: one process of any number wins it.
 */
import type { CanvasProgress } from '../../core/ports';
import type { GroupCommit } from './commit';
import type { Db } from './connection';

interface ProgressRow {
  id: string;
  version: number;
  canvas_shown_version: number;
  canvas_written_at: string | null;
  canvas_due_since: string | null;
  canvas_lease_until: string | null;
}

const COLUMNS = 'id, version, canvas_shown_version, canvas_written_at, canvas_due_since, canvas_lease_until';

function toProgress(r: ProgressRow): CanvasProgress {
  return {
    caseId: r.id,
    version: r.version,
    shownVersion: r.canvas_shown_version,
    writtenAt: r.canvas_written_at,
    dueSince: r.canvas_due_since,
    heldUntil: r.canvas_lease_until,
  };
}

export function canvasProgress(d: Db, caseId: string): Promise<CanvasProgress | null> {
  return d.read(() => {
    const row = d.sql(`SELECT ${COLUMNS} FROM cases WHERE id = ?`).get(caseId) as ProgressRow | undefined;
    return row ? toProgress(row) : null;
  });
}

export function canvasesDue(d: Db, limit: number): Promise<CanvasProgress[]> {
  return d.read(() => (d.sql(`SELECT ${COLUMNS} FROM cases WHERE canvas_due_since IS NOT NULL ORDER BY canvas_due_since, id LIMIT ?`)
    .all(limit) as ProgressRow[]).map(toProgress));
}

export function claimCanvas(d: Db, group: GroupCommit, caseId: string, shownVersion: number, owner: string, now: string, leaseUntil: string): Promise<boolean> {
  return group(() => d.sql(
    `UPDATE cases SET canvas_owner = ?, canvas_lease_until = ?
     WHERE id = ? AND canvas_shown_version = ? AND (canvas_lease_until IS NULL OR canvas_lease_until < ?)`,
  ).run(owner, leaseUntil, caseId, shownVersion, now).changes === 1);
}

export function releaseCanvas(d: Db, group: GroupCommit, caseId: string, owner: string, written: { version: number; at: string } | null): Promise<void> {
  return group(() => {
    if (written === null) {
      d.sql(`UPDATE cases SET canvas_owner = NULL, canvas_lease_until = NULL WHERE id = ? AND canvas_owner = ?`).run(caseId, owner);
      return;
    }
    const mine = d.sql(
      `UPDATE cases SET canvas_owner = NULL, canvas_lease_until = NULL,
         canvas_shown_version = MAX(canvas_shown_version, ?), canvas_written_at = ?
       WHERE id = ? AND canvas_owner = ?`,
    ).run(written.version, written.at, caseId, owner).changes === 1;
    if (mine) d.sql(`UPDATE cases SET canvas_due_since = NULL WHERE id = ? AND version <= canvas_shown_version`).run(caseId);
  });
}

export function settleCanvas(d: Db, group: GroupCommit, caseId: string, version: number): Promise<void> {
  return group(() => {
    d.sql(`UPDATE cases SET canvas_due_since = NULL WHERE id = ? AND version = ?`).run(caseId, version);
  });
}
