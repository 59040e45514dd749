/**
 * Writing a case: the conditional commit of one command's CaseWrite, and whole-case puts
 * (import, copy). Each is one BEGIN IMMEDIATE transaction: SQLite's single write lock
 * serialises writers across every process on the file, and the version check inside it
 * refuses a write decided on a state that is no longer current.
 */
import type { Case, CaseSnapshot, Decision, Evidence, Sprint } from '../../core/model';
import { DUE_AT_NEXT_TICK, PublishTargetTaken, StoreConflict, type CaseWrite } from '../../core/ports';
import { checkSnapshot, describePlace } from '../snapshot-check';
import type { Db } from './connection';
import { caseAt, caseById } from './reads';
import {
  CASE_COLUMNS, CHANGE_COLUMNS, DECISION_COLUMNS, EVIDENCE_COLUMNS,
  canvasJson, caseParams, changeParams, decisionParams, evidenceParams, sprintPhaseParam,
} from './rows';

function insertCase(d: Db, c: Case, nextDueAt: string | null): void {
  d.sql(`INSERT INTO cases (${CASE_COLUMNS}, next_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...caseParams(c), nextDueAt);
}

/** Sets every field of the case (its layout only when it changed) if its version is still `expected`; true when it was. */
function updateCaseIf(d: Db, c: Case, expected: number, layoutUnchanged: boolean): boolean {
  const fields = [c.title, c.template, c.timeZone, JSON.stringify(c.sprintLength), JSON.stringify(c.schedule),
    c.shareVersion, c.version, c.updatedAt, c.publication === null ? null : JSON.stringify(c.publication), canvasJson(c)];
  const set = `title = ?, template = ?, time_zone = ?, sprint_length = ?, schedule = ?, share_version = ?, version = ?, updated_at = ?, publication = ?, canvas = ?`;
  return (layoutUnchanged
    ? d.sql(`UPDATE cases SET ${set} WHERE id = ? AND version = ?`).run(...fields, c.id, expected)
    : d.sql(`UPDATE cases SET ${set}, layout = ? WHERE id = ? AND version = ?`).run(...fields, JSON.stringify(c.layout), c.id, expected)
  ).changes === 1;
}

function upsertSprint(d: Db, caseId: string, s: Sprint): void {
  d.sql(
    `INSERT INTO sprints (case_id, number, suffix, intro, starts_on, phase) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (case_id, number) DO UPDATE SET suffix = excluded.suffix, intro = excluded.intro, starts_on = excluded.starts_on,
       phase = excluded.phase`,
  ).run(caseId, s.number, s.suffix, s.intro, s.startsOn, sprintPhaseParam(s));
}

function upsertDecision(d: Db, caseId: string, decision: Decision): void {
  // An upsert, never INSERT OR REPLACE: REPLACE deletes the row first, and the foreign key
  // would cascade that delete to the decision's evidence.
  d.sql(
    `INSERT INTO decisions (${DECISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (case_id, number) DO UPDATE SET
       sprint = excluded.sprint, text = excluded.text, author_id = excluded.author_id,
       author_name = excluded.author_name, created_at = excluded.created_at, updated_at = excluded.updated_at,
       status = excluded.status, status_reason = excluded.status_reason, superseded_by = excluded.superseded_by,
       source_url = excluded.source_url, revisions = excluded.revisions, deciders = excluded.deciders,
       points = excluded.points`,
  ).run(...decisionParams(caseId, decision));
}

function upsertEvidence(d: Db, caseId: string, e: Evidence): void {
  d.sql(
    `INSERT INTO evidence (${EVIDENCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET decision = excluded.decision, letter = excluded.letter,
       refers_to = excluded.refers_to, position = excluded.position, text = excluded.text,
       author_id = excluded.author_id, author_name = excluded.author_name, created_at = excluded.created_at,
       source_url = excluded.source_url, points = excluded.points
     WHERE evidence.case_id = excluded.case_id`,
  ).run(...evidenceParams(caseId, e));
}

/**
 * Group commit: the commands that reach the store together share one transaction and one
 * fsync. Each runs in its own savepoint (better-sqlite3 nests transactions that way), so one
 * that fails rolls back only itself; each is answered only once the shared commit is
 * durable (`synchronous = FULL` stays). Commands arrive together when the server is busy:
 * while one transaction holds the event loop, the requests behind it queue, and the next
 * turn of the loop gathers their commits into the next batch. An idle server commits one at
 * a time, one event-loop turn later than before.
 */
/** A failure of one write itself (a constraint, a bug), not of the storage under it. */
function isOwnFault(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || !code.startsWith('SQLITE_') || code.startsWith('SQLITE_CONSTRAINT');
}

/** Runs statements in the next shared transaction, in a savepoint of their own. */
export type GroupCommit = <T>(statements: () => T) => Promise<T>;

export function groupCommitter(d: Db): GroupCommit {
  interface Waiting { statements: () => unknown; resolve: (value: unknown) => void; reject: (err: unknown) => void }
  let queue: Waiting[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = queue;
    queue = [];
    type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };
    let outcomes: Outcome[];
    try {
      // Tried again whole while another process holds the lock: each attempt starts afresh.
      outcomes = await d.write(() => batch.map((w): Outcome => {
        try {
          return { ok: true, value: d.db.transaction(w.statements)() };
        } catch (err) {
          // The storage failing (full, read-only, busy, damaged) fails the whole batch, said
          // in plain words below; a write that breaks a rule fails alone.
          if (!isOwnFault(err)) throw err;
          return { ok: false, err };
        }
      }));
    } catch (err) {
      // The shared commit failed (storage full, busy too long, file replaced): none is saved.
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) w.resolve(o.value);
      else w.reject(o.err);
    });
  }

  return <T>(statements: () => T) => new Promise<T>((resolve, reject) => {
    queue.push({ statements, resolve: resolve as (value: unknown) => void, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => { void flush(); });
    }
  });
}

/** One command's write, inside a transaction: false (nothing written) when the case moved on. */
export function applyWrite(d: Db, w: CaseWrite): boolean {
  const id = w.case.id;
  if (w.expectedVersion === null) {
    if (caseAt(d, w.case.place) || caseById(d, id)) return false;
    insertCase(d, w.case, w.nextDueAt === undefined ? DUE_AT_NEXT_TICK : w.nextDueAt);
  } else if (!updateCaseIf(d, w.case, w.expectedVersion, w.layoutUnchanged === true)) {
    return false;
  } else if (w.nextDueAt !== undefined) {
    d.sql(`UPDATE cases SET next_due_at = ? WHERE id = ?`).run(w.nextDueAt, id);
  }
  if (w.canvasDue === true) d.sql(`UPDATE cases SET canvas_due_since = COALESCE(canvas_due_since, ?) WHERE id = ?`).run(w.case.updatedAt, id);
  for (const e of w.deleteEvidence) d.sql(`DELETE FROM evidence WHERE case_id = ? AND id = ?`).run(id, e);
  for (const n of w.deleteDecisions) {
    d.sql(`DELETE FROM evidence WHERE case_id = ? AND decision = ?`).run(id, n);
    d.sql(`DELETE FROM decisions WHERE case_id = ? AND number = ?`).run(id, n);
  }
  for (const n of w.deleteSprints) d.sql(`DELETE FROM sprints WHERE case_id = ? AND number = ?`).run(id, n);
  for (const s of w.putSprints) upsertSprint(d, id, s);
  for (const decision of w.putDecisions) upsertDecision(d, id, decision);
  for (const e of w.putEvidence) upsertEvidence(d, id, e);
  for (const c of w.addChanges) {
    d.sql(`INSERT INTO changes (${CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...changeParams(c));
  }
  for (const u of w.undone) {
    d.sql(`UPDATE changes SET undone_at = ? WHERE case_id = ? AND id = ? AND undone_at IS NULL`).run(u.at, id, u.id);
  }
  if (w.publishTargets !== undefined) holdTargets(d, id, w.publishTargets);
  return true;
}

/** Replaces the keys a case holds; a key held by another case throws, and the savepoint takes the whole write back. */
function holdTargets(d: Db, caseId: string, keys: readonly string[]): void {
  d.sql(`DELETE FROM publish_targets WHERE case_id = ?`).run(caseId);
  for (const key of keys) {
    const held = d.sql(`INSERT INTO publish_targets (key, case_id) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`).run(key, caseId).changes === 1;
    if (!held) throw new PublishTargetTaken(key);
  }
}

function deleteCaseRows(d: Db, id: string): void {
  // The foreign keys cascade too; deleting children first keeps this correct without them.
  for (const table of ['evidence', 'decisions', 'sprints', 'changes', 'publish_targets']) d.sql(`DELETE FROM ${table} WHERE case_id = ?`).run(id);
  d.sql(`DELETE FROM cases WHERE id = ?`).run(id);
}

export function deleteCase(d: Db, id: string): Promise<void> {
  return d.write(() => deleteCaseRows(d, id));
}

export async function putSnapshot(d: Db, snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void> {
  checkSnapshot(snapshot);
  const c = snapshot.case;
  await d.write(() => {
    const existing = caseAt(d, c.place);
    if (existing) {
      if (!options.replace) throw new StoreConflict(`A case already exists for ${describePlace(c.place)}; use --replace`);
      deleteCaseRows(d, existing.id);
    }
    const sameId = caseById(d, c.id);
    if (sameId) throw new StoreConflict(`Case ${c.id} already exists for ${describePlace(sameId.place)}; give the copy a new id.`);
    insertCase(d, c, DUE_AT_NEXT_TICK);
    // A case put whole that is kept in a canvas: its canvas is brought up to date.
    if (c.canvas?.on === true) d.sql(`UPDATE cases SET canvas_due_since = ? WHERE id = ?`).run(c.updatedAt, c.id);
    for (const s of snapshot.sprints) upsertSprint(d, c.id, s);
    for (const decision of snapshot.decisions) upsertDecision(d, c.id, decision);
    for (const e of snapshot.evidence) {
      const taken = d.sql(`SELECT case_id FROM evidence WHERE id = ?`).get(e.id) as { case_id: string } | undefined;
      if (taken) throw new StoreConflict(`Evidence id ${e.id} is already used in case ${taken.case_id}; give the copy new ids.`);
      upsertEvidence(d, c.id, e);
    }
  });
}

export function setNextDue(d: Db, group: GroupCommit, caseId: string, version: number, nextDueAt: string | null): Promise<boolean> {
  return group(() => d.sql(`UPDATE cases SET next_due_at = ? WHERE id = ? AND version = ?`).run(nextDueAt, caseId, version).changes === 1);
}
