import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { letterFor, nextLetter } from '../core/letters';
import type {
  Actor, Case, CaseFields, CaseSnapshot, Change, ChangeSubject, ConversationRef, Decision, Evidence, Installation, Place, Sprint,
  UndoStep,
} from '../core/model';
import { migrate } from './sqlite-migrations';
import { checkSnapshot, describePlace } from './snapshot-check';
import {
  StoreConflict,
  type ChangeInput, type ClaimResult, type DecisionPatch, type NewDecision, type NewEvidence, type Store,
} from './store';

export interface SqliteStoreOptions {
  /** Makes evidence ids (the store assigns them). Defaults to random UUIDs. */
  newId?: () => string;
  /** The time a change is marked undone (revertChange takes no time). Defaults to the system clock. */
  now?: () => string;
}

// Row shapes, as SQLite returns them.
interface CaseRow {
  id: string;
  platform: Place['platform'];
  workspace: string;
  channel: string;
  title: string | null;
  template: Case['template'];
  time_zone: string;
  sprint_length: string;
  layout: string;
  schedule: string;
  share_version: number;
  created_at: string;
  updated_at: string;
}

interface SprintRow {
  number: number;
  suffix: string;
  intro: string;
  starts_on: string | null;
}

interface DecisionRow {
  number: number;
  sprint: number;
  text: string;
  author_id: string;
  author_name: string;
  created_at: string;
  updated_at: string;
  status: Decision['status'];
  status_reason: string | null;
  superseded_by: number | null;
  source_url: string | null;
  revisions: string;
}

interface EvidenceRow {
  id: string;
  decision: number;
  letter: string | null;
  refers_to: string | null;
  position: number;
  text: string;
  author_id: string;
  author_name: string;
  created_at: string;
  source_url: string | null;
}

interface ChangeRow {
  id: string;
  case_id: string;
  actor: string;
  at: string;
  description: string;
  undo: string;
  subject: string | null;
  undone_at: string | null;
}

interface InstallationRow {
  key: string;
  data: string;
  updated_at: string;
}

interface ConversationRefRow {
  platform: Place['platform'];
  workspace: string;
  channel: string;
  reference: string;
  updated_at: string;
}

interface ClaimRow {
  owner: string;
  lease_until: string;
  done_at: string | null;
  attempts: number;
}

function toCase(r: CaseRow): Case {
  return {
    id: r.id,
    place: { platform: r.platform, workspace: r.workspace, channel: r.channel },
    title: r.title,
    template: r.template,
    timeZone: r.time_zone,
    sprintLength: JSON.parse(r.sprint_length),
    layout: JSON.parse(r.layout),
    schedule: JSON.parse(r.schedule),
    shareVersion: r.share_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function caseParams(c: Case): unknown[] {
  return [
    c.id, c.place.platform, c.place.workspace, c.place.channel, c.title, c.template, c.timeZone,
    JSON.stringify(c.sprintLength), JSON.stringify(c.layout), JSON.stringify(c.schedule), c.shareVersion,
    c.createdAt, c.updatedAt,
  ];
}

function toSprint(r: SprintRow): Sprint {
  return { number: r.number, suffix: r.suffix, intro: r.intro, startsOn: r.starts_on };
}

function toDecision(r: DecisionRow): Decision {
  return {
    number: r.number,
    sprint: r.sprint,
    text: r.text,
    author: { id: r.author_id, name: r.author_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    statusReason: r.status_reason,
    supersededBy: r.superseded_by,
    sourceUrl: r.source_url,
    revisions: JSON.parse(r.revisions),
  };
}

function decisionParams(caseId: string, d: Decision): unknown[] {
  return [
    caseId, d.number, d.sprint, d.text, d.author.id, d.author.name, d.createdAt, d.updatedAt, d.status,
    d.statusReason, d.supersededBy, d.sourceUrl, JSON.stringify(d.revisions),
  ];
}

function toEvidence(r: EvidenceRow): Evidence {
  return {
    id: r.id,
    decision: r.decision,
    letter: r.letter,
    refersTo: r.refers_to,
    position: r.position,
    text: r.text,
    author: { id: r.author_id, name: r.author_name },
    createdAt: r.created_at,
    sourceUrl: r.source_url,
  };
}

function evidenceParams(caseId: string, e: Evidence): unknown[] {
  return [
    e.id, caseId, e.decision, e.letter, e.refersTo, e.position, e.text, e.author.id, e.author.name, e.createdAt,
    e.sourceUrl,
  ];
}

/** A change as undo reads it: `subject` only when it has one, no `undoneAt`. */
function toChange(r: ChangeRow): Change {
  return {
    id: r.id,
    caseId: r.case_id,
    actor: JSON.parse(r.actor) as Actor,
    at: r.at,
    description: r.description,
    undo: JSON.parse(r.undo) as UndoStep[],
    ...(r.subject !== null ? { subject: JSON.parse(r.subject) as ChangeSubject } : {}),
  };
}

const CASE_COLUMNS = `id, platform, workspace, channel, title, template, time_zone, sprint_length, layout, schedule,
  share_version, created_at, updated_at`;
const DECISION_COLUMNS = `case_id, number, sprint, text, author_id, author_name, created_at, updated_at, status,
  status_reason, superseded_by, source_url, revisions`;
const EVIDENCE_COLUMNS = `id, case_id, decision, letter, refers_to, position, text, author_id, author_name, created_at,
  source_url`;

/**
 * The embedded store: one SQLite file through better-sqlite3, in WAL mode.
 *
 * Every write is one BEGIN IMMEDIATE transaction, which takes SQLite's single write lock
 * before reading anything, so "read the highest number, insert the next" cannot
 * interleave with another connection's write, in this process or any other sharing
 * the file. Readers never block in WAL mode. Waiting writers retry for `busy_timeout`.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  /** The connection: for tests and diagnostics only; go through the Store methods. */
  readonly db: Database.Database;
  private readonly newId: () => string;
  private readonly now: () => string;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string, options: SqliteStoreOptions = {}) {
    if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.newId = options.newId ?? (() => randomUUID());
    this.now = options.now ?? (() => new Date().toISOString());
    try {
      // busy_timeout first: switching to WAL takes a lock another process may hold.
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('journal_mode = WAL');
      // FULL, not NORMAL: in WAL mode NORMAL already survives the process being killed,
      // but may lose the last commits on power loss or an OS crash. The bot tells people
      // "Recorded Decision 8" once the commit returns, and writes arrive at human pace,
      // so one fsync per commit is cheap and that reply stays true.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** Runs `fn` as one BEGIN IMMEDIATE transaction. */
  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Runs reads in one transaction, so they see one consistent state. */
  private read<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }

  /** A prepared statement, cached by its text. */
  private sql(source: string): Database.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  // Row access -------------------------------------------------------------------------

  private caseRow(id: string): Case | null {
    const row = this.sql(`SELECT * FROM cases WHERE id = ?`).get(id) as CaseRow | undefined;
    return row ? toCase(row) : null;
  }

  private caseAt(place: Place): Case | null {
    const row = this.sql(`SELECT * FROM cases WHERE platform = ? AND workspace = ? AND channel = ?`)
      .get(place.platform, place.workspace, place.channel) as CaseRow | undefined;
    return row ? toCase(row) : null;
  }

  private requireCase(id: string): Case {
    const found = this.caseRow(id);
    if (!found) throw new StoreConflict(`There is no case ${id}.`);
    return found;
  }

  private insertCase(c: Case): void {
    this.sql(`INSERT INTO cases (${CASE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...caseParams(c));
  }

  private applyCaseFields(id: string, fields: CaseFields, at: string | null): void {
    const sets: string[] = [];
    const params: unknown[] = [];
    const set = (column: string, value: unknown): void => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (fields.title !== undefined) set('title', fields.title);
    if (fields.template !== undefined) set('template', fields.template);
    if (fields.timeZone !== undefined) set('time_zone', fields.timeZone);
    if (fields.sprintLength !== undefined) set('sprint_length', JSON.stringify(fields.sprintLength));
    if (fields.layout !== undefined) set('layout', JSON.stringify(fields.layout));
    if (fields.schedule !== undefined) set('schedule', JSON.stringify(fields.schedule));
    if (fields.shareVersion !== undefined) set('share_version', fields.shareVersion);
    if (at !== null) set('updated_at', at);
    if (sets.length === 0) return;
    this.sql(`UPDATE cases SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  }

  private decisionRow(caseId: string, number: number): Decision | null {
    const row = this.sql(`SELECT * FROM decisions WHERE case_id = ? AND number = ?`)
      .get(caseId, number) as DecisionRow | undefined;
    return row ? toDecision(row) : null;
  }

  private upsertDecision(caseId: string, d: Decision): void {
    // An upsert, never INSERT OR REPLACE: REPLACE deletes the row first, and the
    // foreign key would cascade that delete to the decision's evidence.
    this.sql(
      `INSERT INTO decisions (${DECISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (case_id, number) DO UPDATE SET
         sprint = excluded.sprint, text = excluded.text, author_id = excluded.author_id,
         author_name = excluded.author_name, created_at = excluded.created_at, updated_at = excluded.updated_at,
         status = excluded.status, status_reason = excluded.status_reason, superseded_by = excluded.superseded_by,
         source_url = excluded.source_url, revisions = excluded.revisions`,
    ).run(...decisionParams(caseId, d));
  }

  private insertEvidence(caseId: string, e: Evidence): void {
    this.sql(`INSERT INTO evidence (${EVIDENCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(...evidenceParams(caseId, e));
  }

  private insertSprint(caseId: string, s: Sprint, ignoreExisting: boolean): number {
    return this.sql(
      `INSERT ${ignoreExisting ? 'OR IGNORE ' : ''}INTO sprints (case_id, number, suffix, intro, starts_on) VALUES (?, ?, ?, ?, ?)`,
    ).run(caseId, s.number, s.suffix, s.intro, s.startsOn).changes;
  }

  private insertChange(change: Change): void {
    this.sql(
      `INSERT INTO changes (id, case_id, actor_id, actor, at, description, undo, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(change.id, change.caseId, change.actor.id, JSON.stringify(change.actor), change.at, change.description,
      JSON.stringify(change.undo), change.subject ? JSON.stringify(change.subject) : null);
  }

  private withUndo(change: ChangeInput, caseId: string, step: UndoStep): Change {
    if (change.caseId !== caseId) throw new Error(`Change ${change.id} is for case ${change.caseId}, not ${caseId}.`);
    return { ...change, undo: [step, ...(change.undo ?? [])] };
  }

  private deleteCaseRows(id: string): void {
    // The foreign keys cascade too; deleting children first keeps this correct without them.
    this.sql(`DELETE FROM evidence WHERE case_id = ?`).run(id);
    this.sql(`DELETE FROM decisions WHERE case_id = ?`).run(id);
    this.sql(`DELETE FROM sprints WHERE case_id = ?`).run(id);
    this.sql(`DELETE FROM changes WHERE case_id = ?`).run(id);
    this.sql(`DELETE FROM cases WHERE id = ?`).run(id);
  }

  // Cases ------------------------------------------------------------------------------

  async ensureCase(place: Place, init: () => Case): Promise<Case> {
    // Nearly always the case is there: read it without taking the write lock.
    const found = this.caseAt(place);
    if (found) return found;
    return this.write(() => {
      const existing = this.caseAt(place);
      if (existing) return existing;
      const made: Case = { ...init(), place: { ...place } };
      this.insertCase(made);
      return made;
    });
  }

  async getCase(id: string): Promise<Case | null> {
    return this.caseRow(id);
  }

  async findCase(place: Place): Promise<Case | null> {
    return this.caseAt(place);
  }

  async listCases(filter: { platform?: Place['platform']; workspace?: string } = {}): Promise<Case[]> {
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
    const rows = this.sql(
      `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`,
    ).all(...params) as CaseRow[];
    return rows.map(toCase);
  }

  async updateCase(id: string, fields: CaseFields, at: string, change?: Change): Promise<Case> {
    return this.write(() => {
      this.requireCase(id);
      this.applyCaseFields(id, fields, at);
      if (change) this.insertChange(change);
      return this.requireCase(id);
    });
  }

  async deleteCase(id: string): Promise<void> {
    this.write(() => this.deleteCaseRows(id));
  }

  // Sprints ----------------------------------------------------------------------------

  async listSprints(caseId: string): Promise<Sprint[]> {
    const rows = this.sql(`SELECT * FROM sprints WHERE case_id = ? ORDER BY number`).all(caseId) as SprintRow[];
    return rows.map(toSprint);
  }

  async ensureSprints(caseId: string, sprints: Sprint[]): Promise<void> {
    this.write(() => {
      this.requireCase(caseId);
      for (const s of sprints) this.insertSprint(caseId, s, true);
    });
  }

  async addSprint(caseId: string, sprint: Sprint, change: ChangeInput): Promise<Sprint> {
    return this.write(() => {
      this.requireCase(caseId);
      if (this.insertSprint(caseId, sprint, true) === 0) throw new StoreConflict(`Sprint ${sprint.number} already exists.`);
      this.insertChange(this.withUndo(change, caseId, { op: 'deleteSprint', number: sprint.number }));
      return { ...sprint };
    });
  }

  // Decisions --------------------------------------------------------------------------

  async recordDecision(caseId: string, input: NewDecision, change: ChangeInput): Promise<Decision> {
    return this.write(() => {
      this.requireCase(caseId);
      const { next } = this.sql(`SELECT COALESCE(MAX(number) + 1, 0) AS next FROM decisions WHERE case_id = ?`)
        .get(caseId) as { next: number };
      const decision: Decision = {
        number: next,
        sprint: input.sprint,
        text: input.text,
        author: { id: input.author.id, name: input.author.name },
        createdAt: input.at,
        updatedAt: input.at,
        status: 'active',
        statusReason: null,
        supersededBy: null,
        sourceUrl: input.sourceUrl,
        revisions: [],
      };
      this.upsertDecision(caseId, decision);
      (input.evidence ?? []).forEach((text, position) => {
        this.insertEvidence(caseId, {
          id: this.newId(), decision: next, letter: letterFor(position), refersTo: null, position, text,
          author: decision.author, createdAt: input.at, sourceUrl: null,
        });
      });
      this.insertChange(this.withUndo(change, caseId, { op: 'deleteDecision', number: next }));
      return decision;
    });
  }

  async getDecision(caseId: string, number: number): Promise<Decision | null> {
    return this.decisionRow(caseId, number);
  }

  async listDecisions(caseId: string, filter: { sprint?: number } = {}): Promise<Decision[]> {
    const rows = (filter.sprint === undefined
      ? this.sql(`SELECT * FROM decisions WHERE case_id = ? ORDER BY number`).all(caseId)
      : this.sql(`SELECT * FROM decisions WHERE case_id = ? AND sprint = ? ORDER BY number`).all(caseId, filter.sprint)
    ) as DecisionRow[];
    return rows.map(toDecision);
  }

  async updateDecision(caseId: string, number: number, patch: DecisionPatch, change: Change): Promise<Decision> {
    return this.write(() => {
      const current = this.decisionRow(caseId, number);
      if (!current) throw new StoreConflict(`There is no Decision ${number}.`);
      const updated: Decision = {
        ...current,
        ...(patch.text !== undefined ? { text: patch.text } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.statusReason !== undefined ? { statusReason: patch.statusReason } : {}),
        ...(patch.supersededBy !== undefined ? { supersededBy: patch.supersededBy } : {}),
        ...(patch.revisions !== undefined ? { revisions: patch.revisions } : {}),
        updatedAt: patch.updatedAt ?? change.at,
      };
      this.upsertDecision(caseId, updated);
      this.insertChange(change);
      return updated;
    });
  }

  // Evidence ---------------------------------------------------------------------------

  async addEvidence(caseId: string, input: NewEvidence, change: ChangeInput): Promise<Evidence> {
    return this.write(() => {
      if (!this.decisionRow(caseId, input.decision)) throw new StoreConflict(`There is no Decision ${input.decision}.`);
      // Letters sort by length then alphabet (z < aa); back-references (NULL) don't count.
      const highest = this.sql(
        `SELECT letter FROM evidence WHERE case_id = ? AND decision = ? AND letter IS NOT NULL
         ORDER BY length(letter) DESC, letter DESC LIMIT 1`,
      ).get(caseId, input.decision) as { letter: string } | undefined;
      const { position } = this.sql(
        `SELECT COALESCE(MAX(position) + 1, 0) AS position FROM evidence WHERE case_id = ? AND decision = ?`,
      ).get(caseId, input.decision) as { position: number };
      const evidence: Evidence = {
        id: this.newId(),
        decision: input.decision,
        letter: nextLetter(highest === undefined ? [] : [highest.letter]),
        refersTo: null,
        position,
        text: input.text,
        author: { id: input.author.id, name: input.author.name },
        createdAt: input.at,
        sourceUrl: input.sourceUrl,
      };
      this.insertEvidence(caseId, evidence);
      this.insertChange(this.withUndo(change, caseId, { op: 'deleteEvidence', id: evidence.id }));
      return evidence;
    });
  }

  async listEvidence(caseId: string, filter: { decision?: number } = {}): Promise<Evidence[]> {
    const rows = (filter.decision === undefined
      ? this.sql(`SELECT * FROM evidence WHERE case_id = ? ORDER BY decision, position`).all(caseId)
      : this.sql(`SELECT * FROM evidence WHERE case_id = ? AND decision = ? ORDER BY position`)
        .all(caseId, filter.decision)
    ) as EvidenceRow[];
    return rows.map(toEvidence);
  }

  // Undo -------------------------------------------------------------------------------

  async lastChange(caseId: string, actorId: string, since: string): Promise<Change | null> {
    const row = this.sql(
      `SELECT * FROM changes WHERE case_id = ? AND actor_id = ? AND at >= ? AND undone_at IS NULL
       ORDER BY at DESC, rowid DESC LIMIT 1`,
    ).get(caseId, actorId, since) as ChangeRow | undefined;
    return row ? toChange(row) : null;
  }

  async revertChange(change: Change): Promise<void> {
    this.write(() => {
      const row = this.sql(`SELECT undone_at FROM changes WHERE id = ? AND case_id = ?`).get(change.id, change.caseId) as
        { undone_at: string | null } | undefined;
      if (!row) throw new StoreConflict(`There is no record of that change (${change.description}) to undo.`);
      if (row.undone_at !== null) throw new StoreConflict(`That change (${change.description}) has already been undone.`);
      this.sql(`UPDATE changes SET undone_at = ? WHERE id = ?`).run(this.now(), change.id);
      for (const step of change.undo) this.applyUndo(change.caseId, step);
    });
  }

  // History -----------------------------------------------------------------------------

  async listChanges(caseId: string, since: string, until: string): Promise<Change[]> {
    const rows = this.sql(
      `SELECT * FROM changes WHERE case_id = ? AND at >= ? AND at < ? ORDER BY at, rowid`,
    ).all(caseId, since, until) as ChangeRow[];
    return rows.map((r) => ({ ...toChange(r), undoneAt: r.undone_at }));
  }

  private applyUndo(caseId: string, step: UndoStep): void {
    switch (step.op) {
      case 'deleteDecision': {
        const { later } = this.sql(`SELECT MIN(number) AS later FROM decisions WHERE case_id = ? AND number > ?`)
          .get(caseId, step.number) as { later: number | null };
        if (later !== null) {
          // Removing it would leave a gap in the numbering that people already cite.
          throw new StoreConflict(
            `Decision ${step.number} can't be removed because Decision ${later} was recorded after it. Withdraw it instead.`,
          );
        }
        this.sql(`DELETE FROM evidence WHERE case_id = ? AND decision = ?`).run(caseId, step.number);
        this.sql(`DELETE FROM decisions WHERE case_id = ? AND number = ?`).run(caseId, step.number);
        return;
      }
      case 'putDecision':
        this.upsertDecision(caseId, step.decision);
        return;
      case 'deleteEvidence':
        this.sql(`DELETE FROM evidence WHERE case_id = ? AND id = ?`).run(caseId, step.id);
        return;
      case 'putCase':
        this.requireCase(caseId);
        this.applyCaseFields(caseId, step.fields, null);
        return;
      case 'deleteSprint': {
        const { used } = this.sql(`SELECT COUNT(*) AS used FROM decisions WHERE case_id = ? AND sprint = ?`)
          .get(caseId, step.number) as { used: number };
        if (used > 0) throw new StoreConflict(`Sprint ${step.number} can't be removed because it has decisions in it.`);
        this.sql(`DELETE FROM sprints WHERE case_id = ? AND number = ?`).run(caseId, step.number);
        return;
      }
      default: {
        const unknown: never = step;
        throw new Error(`Unknown undo step ${JSON.stringify(unknown)}`);
      }
    }
  }

  // Whole cases ------------------------------------------------------------------------

  async snapshot(caseId: string): Promise<CaseSnapshot | null> {
    return this.read(() => {
      const found = this.caseRow(caseId);
      if (!found) return null;
      const sprints = (this.sql(`SELECT * FROM sprints WHERE case_id = ? ORDER BY number`).all(caseId) as SprintRow[])
        .map(toSprint);
      const decisions = (this.sql(`SELECT * FROM decisions WHERE case_id = ? ORDER BY number`).all(caseId) as DecisionRow[])
        .map(toDecision);
      const evidence = (this.sql(`SELECT * FROM evidence WHERE case_id = ? ORDER BY decision, position`)
        .all(caseId) as EvidenceRow[]).map(toEvidence);
      return { case: found, sprints, decisions, evidence };
    });
  }

  async putSnapshot(snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void> {
    checkSnapshot(snapshot);
    const c = snapshot.case;
    this.write(() => {
      const existing = this.caseAt(c.place);
      if (existing) {
        if (!options.replace) {
          throw new StoreConflict(`A case already exists for ${describePlace(c.place)}; use --replace`);
        }
        this.deleteCaseRows(existing.id);
      }
      const sameId = this.caseRow(c.id);
      if (sameId) {
        throw new StoreConflict(`Case ${c.id} already exists for ${describePlace(sameId.place)}; give the copy a new id.`);
      }
      this.insertCase(c);
      for (const s of snapshot.sprints) this.insertSprint(c.id, s, false);
      for (const d of snapshot.decisions) this.upsertDecision(c.id, d);
      for (const e of snapshot.evidence) {
        const taken = this.sql(`SELECT case_id FROM evidence WHERE id = ?`).get(e.id) as { case_id: string } | undefined;
        if (taken) throw new StoreConflict(`Evidence id ${e.id} is already used in case ${taken.case_id}; give the copy new ids.`);
        this.insertEvidence(c.id, e);
      }
    });
  }

  // Slack installations ----------------------------------------------------------------

  async saveInstallation(installation: Installation): Promise<void> {
    this.write(() => {
      this.sql(
        `INSERT INTO installations (key, data, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
      ).run(installation.key, installation.data, installation.updatedAt);
    });
  }

  async getInstallation(key: string): Promise<Installation | null> {
    const row = this.sql(`SELECT * FROM installations WHERE key = ?`).get(key) as InstallationRow | undefined;
    return row ? { key: row.key, data: row.data, updatedAt: row.updated_at } : null;
  }

  async deleteInstallation(key: string): Promise<void> {
    this.write(() => {
      this.sql(`DELETE FROM installations WHERE key = ?`).run(key);
    });
  }

  async listInstallations(): Promise<Installation[]> {
    const rows = this.sql(`SELECT * FROM installations ORDER BY key`).all() as InstallationRow[];
    return rows.map((row) => ({ key: row.key, data: row.data, updatedAt: row.updated_at }));
  }

  // Teams conversation references ------------------------------------------------------

  async saveConversationRef(ref: ConversationRef): Promise<void> {
    this.write(() => {
      this.sql(
        `INSERT INTO conversation_refs (platform, workspace, channel, reference, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (platform, workspace, channel) DO UPDATE SET
           reference = excluded.reference, updated_at = excluded.updated_at`,
      ).run(ref.place.platform, ref.place.workspace, ref.place.channel, ref.reference, ref.updatedAt);
    });
  }

  async getConversationRef(place: Place): Promise<ConversationRef | null> {
    const row = this.sql(`SELECT * FROM conversation_refs WHERE platform = ? AND workspace = ? AND channel = ?`)
      .get(place.platform, place.workspace, place.channel) as ConversationRefRow | undefined;
    return row ? toConversationRef(row) : null;
  }

  async listConversationRefs(): Promise<ConversationRef[]> {
    const rows = this.sql(`SELECT * FROM conversation_refs ORDER BY platform, workspace, channel`)
      .all() as ConversationRefRow[];
    return rows.map(toConversationRef);
  }

  // Exactly-once work ------------------------------------------------------------------

  async claim(key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult> {
    return this.write(() => {
      const row = this.sql(`SELECT owner, lease_until, done_at, attempts FROM claims WHERE key = ?`).get(key) as
        ClaimRow | undefined;
      if (!row) {
        this.sql(`INSERT INTO claims (key, owner, claimed_at, lease_until, attempts) VALUES (?, ?, ?, ?, 1)`)
          .run(key, owner, now, leaseUntil);
        return { won: true, attempt: 1, done: false, leaseUntil };
      }
      if (row.done_at === null && row.lease_until < now) {
        this.sql(`UPDATE claims SET owner = ?, claimed_at = ?, lease_until = ?, attempts = attempts + 1 WHERE key = ?`)
          .run(owner, now, leaseUntil, key);
        return { won: true, attempt: row.attempts + 1, done: false, leaseUntil };
      }
      return { won: false, attempt: row.attempts, done: row.done_at !== null, leaseUntil: row.lease_until };
    });
  }

  async completeClaim(key: string, owner: string, at: string): Promise<void> {
    this.write(() => {
      this.sql(`UPDATE claims SET done_at = ? WHERE key = ? AND owner = ? AND done_at IS NULL`).run(at, key, owner);
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toConversationRef(row: ConversationRefRow): ConversationRef {
  return {
    place: { platform: row.platform, workspace: row.workspace, channel: row.channel },
    reference: row.reference,
    updatedAt: row.updated_at,
  };
}

/** Opens (creating if need be) the SQLite store in `file`, bringing its schema up to date. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(file, options);
}
