/**
 * Reading cases and their history. Reads take no write lock and never write. Each runs
 * inside a transaction of its caller: the store's read (index.ts) or a write deciding on it.
 */
import type { Case, CaseSnapshot, Change, Place } from '../../core/model';
import type { DueCase } from '../../core/ports';
import type { Db } from './connection';
import {
  toCase, toChange, toDecision, toEvidence, toSprint,
  type CaseRow, type ChangeRow, type DecisionRow, type EvidenceRow, type SprintRow,
} from './rows';

export function caseById(d: Db, id: string): Case | null {
  const row = d.sql(`SELECT * FROM cases WHERE id = ?`).get(id) as CaseRow | undefined;
  return row ? toCase(row) : null;
}

export function caseAt(d: Db, place: Place): Case | null {
  const row = d.sql(`SELECT * FROM cases WHERE platform = ? AND workspace = ? AND channel = ?`)
    .get(place.platform, place.workspace, place.channel) as CaseRow | undefined;
  return row ? toCase(row) : null;
}

/** Which case a place has, at which version: all a command needs when its records are cached. */
export function caseVersionAt(d: Db, place: Place): { id: string; version: number; updatedAt: string } | null {
  const row = d.sql(`SELECT id, version, updated_at FROM cases WHERE platform = ? AND workspace = ? AND channel = ?`)
    .get(place.platform, place.workspace, place.channel) as { id: string; version: number; updated_at: string } | undefined;
  return row ? { id: row.id, version: row.version, updatedAt: row.updated_at } : null;
}

export function listCases(d: Db, filter: { platform?: Place['platform']; workspace?: string }): Case[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.platform !== undefined) {
    where.push('platform = ?');
    params.push(filter.platform);
  }
  if (filter.workspace !== undefined) {
    where.push('workspace = ?');
    params.push(filter.workspace);
  }
  const rows = d.sql(`SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`)
    .all(...params) as CaseRow[];
  return rows.map(toCase);
}

export function listDue(d: Db, now: string, limit: number, after?: { dueAt: string; id: string }): DueCase[] {
  const rows = (after
    ? d.sql(`SELECT * FROM cases WHERE next_due_at <= ? AND (next_due_at > ? OR (next_due_at = ? AND id > ?)) ORDER BY next_due_at, id LIMIT ?`)
      .all(now, after.dueAt, after.dueAt, after.id, limit)
    : d.sql(`SELECT * FROM cases WHERE next_due_at <= ? ORDER BY next_due_at, id LIMIT ?`).all(now, limit)) as Array<CaseRow & { next_due_at: string }>;
  return rows.map((r) => ({ case: toCase(r), dueAt: r.next_due_at }));
}

/** The case and all its records; run in one read transaction, so they belong to one version. */
export function snapshot(d: Db, found: Case | null): CaseSnapshot | null {
  if (!found) return null;
  const sprints = (d.sql(`SELECT * FROM sprints WHERE case_id = ? ORDER BY number`).all(found.id) as SprintRow[]).map(toSprint);
  const decisions = (d.sql(`SELECT * FROM decisions WHERE case_id = ? ORDER BY number`).all(found.id) as DecisionRow[])
    .map(toDecision);
  const evidence = (d.sql(`SELECT * FROM evidence WHERE case_id = ? ORDER BY decision, position`).all(found.id) as EvidenceRow[])
    .map(toEvidence);
  return { case: found, sprints, decisions, evidence };
}

/**
 * How far the time of a change may be behind that of one committed before it: two
 * processes' clocks may differ. Reading history newest first, this far past the start of
 * the period asked for, every change of the period has been seen.
 */
const CLOCK_SKEW_MS = 60 * 60 * 1000;

/**
 * A case's changes newest first (by version, the order they committed), until they are
 * older than `since` by more than clocks differ: the one index on history serves every
 * read of it, and a read of the last minutes or days does not read the whole history.
 */
function* newestBack(d: Db, caseId: string, since: string): Generator<ChangeRow> {
  const sinceMs = Date.parse(since);
  // A time that is not one (an empty string) sets no floor: every change is read.
  const floor = Number.isNaN(sinceMs) ? '' : new Date(Math.max(0, sinceMs - CLOCK_SKEW_MS)).toISOString();
  const rows = d.sql(`SELECT * FROM changes WHERE case_id = ? ORDER BY version DESC, rowid DESC`).iterate(caseId) as IterableIterator<ChangeRow>;
  for (const row of rows) {
    if (row.at < floor) return;
    yield row;
  }
}

export function listChanges(d: Db, caseId: string, since: string, until: string): Change[] {
  const within: ChangeRow[] = [];
  for (const row of newestBack(d, caseId, since)) if (row.at >= since && row.at < until) within.push(row);
  return within.reverse().map(toChange);
}

export function changesAfter(d: Db, caseId: string, version: number): Change[] {
  return (d.sql(`SELECT * FROM changes WHERE case_id = ? AND version > ? ORDER BY version, rowid`)
    .all(caseId, version) as ChangeRow[]).map(toChange);
}

export function getChange(d: Db, caseId: string, id: string): Change | null {
  const row = d.sql(`SELECT * FROM changes WHERE case_id = ? AND id = ?`).get(caseId, id) as ChangeRow | undefined;
  return row ? toChange(row) : null;
}

export function lastChange(d: Db, caseId: string, actorId: string, since: string): Change | null {
  for (const row of newestBack(d, caseId, since)) {
    if (row.actor_id === actorId && row.at >= since && row.undone_at === null) return toChange(row);
  }
  return null;
}
