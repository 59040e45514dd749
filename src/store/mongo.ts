/**
 * The MongoDB store, through mongoose, for several bot instances sharing one database
 * (a replica set or Atlas). It behaves as the SQLite store does: the same contract suite
 * runs against both (tests/store/contract.ts).
 *
 * How it keeps the Store's promises:
 * - Multi-document writes run in one transaction (`session.withTransaction`) when the
 *   server supports them (a replica set or a sharded cluster); transient write conflicts
 *   between instances are retried by the driver. On a standalone server there are no
 *   transactions: writes run in a careful order and a failure part-way undoes what was
 *   written (best effort: a process killed in the middle can leave a partial write).
 * - Decision numbers come from a counter document per case
 *   (`{ _id: 'decision:<caseId>', seq }`, `$inc` in findOneAndUpdate), so two instances
 *   never get the same number; undoing the last decision gives its number back only if
 *   it is still the last, so there is never a gap.
 * - Evidence letters and positions are the next after those under the decision; the
 *   unique indexes (case, decision, letter) and (case, decision, position) refuse a
 *   duplicate, and the write is retried.
 * - One case per place and one claim per key are unique indexes.
 * - User text never becomes a query operator: every filter value is cast to its type
 *   here, the connection has `sanitizeFilter` on and the schemas `strictQuery: 'throw'`
 *   (models/). The store's own operators are marked `mongoose.trusted()`.
 * - A database the driver cannot reach makes every method throw StoreUnavailable (a
 *   plain message for chat) while the driver keeps trying to reconnect.
 */
import { randomUUID } from 'node:crypto';
import mongoose, { type ClientSession, type Connection } from 'mongoose';
import {
  decisionCounterId, plainJson, registerModels, SCHEMA_VERSION,
  type CaseDoc, type ChangeDoc, type ConversationRefDoc, type DecisionDoc, type EvidenceDoc, type InstallationDoc,
  type Models, type SprintDoc,
} from '../../models';
import { letterFor, nextLetter } from '../core/letters';
import type {
  Case, CaseFields, CaseSnapshot, Change, ConversationRef, Decision, Evidence, Installation, Place, Sprint, UndoStep,
} from '../core/model';
import { checkSnapshot, describePlace } from './snapshot-check';
import {
  StoreConflict, StoreUnavailable,
  type ChangeInput, type ClaimResult, type DecisionPatch, type NewDecision, type NewEvidence, type Store,
} from './store';
import { redactUri, uriPassword } from './uri';

export interface MongoStoreOptions {
  /** Makes evidence ids (the store assigns them). Defaults to random UUIDs. */
  newId?: () => string;
  /** The time a change is marked undone. Defaults to the system clock. */
  now?: () => string;
  /** The database to use; defaults to the one named in the URI, else "decisions". */
  dbName?: string;
  /** How long to wait for a server before a command fails (default 5000 ms, unless the URI sets serverSelectionTimeoutMS). */
  serverSelectionTimeoutMS?: number;
  /** Forces transactions on or off; by default they are on when the server is a replica set or mongos. */
  transactions?: boolean;
}

/** The id of the counter document holding the schema version of the database. */
const SCHEMA_VERSION_ID = 'schemaVersion';
const DEFAULT_DB = 'decisions';
/** How long a transaction keeps retrying write conflicts with other instances. */
const TRANSACTION_RETRY_MS = 30_000;
const TRANSACTION_OPTIONS = {
  readPreference: 'primary',
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
} as const;

type Session = ClientSession | null;

/**
 * One write's context: its session (null without transactions) and, without
 * transactions, the steps that take back what it wrote if a later step fails.
 */
interface Tx {
  session: Session;
  onFailure(undo: () => Promise<unknown>): void;
}

// Filter values, cast to their type: whatever arrives, it is compared as a value.
const str = (v: unknown): string => String(v);
const int = (v: unknown): number => Number(v);
const { trusted } = mongoose;

function sessionOption(session: Session): { session?: ClientSession } {
  return session ? { session } : {};
}

// Documents -> domain ----------------------------------------------------------------

function toPlace(p: { platform: Place['platform']; workspace: string; channel: string }): Place {
  return { platform: p.platform, workspace: p.workspace, channel: p.channel };
}

function toCase(d: CaseDoc): Case {
  return {
    id: d._id,
    place: toPlace(d.place),
    title: d.title ?? null,
    template: d.template,
    timeZone: d.timeZone,
    sprintLength: { count: d.sprintLength.count, unit: d.sprintLength.unit },
    layout: d.layout,
    schedule: {
      digestOn: d.schedule.digestOn,
      digestWeekday: d.schedule.digestWeekday,
      digestTime: d.schedule.digestTime,
      retroOn: d.schedule.retroOn,
      retroTime: d.schedule.retroTime,
    },
    shareVersion: d.shareVersion,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

function toSprint(d: SprintDoc): Sprint {
  return { number: d.number, suffix: d.suffix, intro: d.intro, startsOn: d.startsOn ?? null };
}

function toDecision(d: DecisionDoc): Decision {
  return {
    number: d.number,
    sprint: d.sprint,
    text: d.text,
    author: { id: d.author.id, name: d.author.name },
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    status: d.status,
    statusReason: d.statusReason ?? null,
    supersededBy: d.supersededBy ?? null,
    sourceUrl: d.sourceUrl ?? null,
    revisions: (d.revisions ?? []).map((r) => ({
      text: r.text, editedBy: { id: r.editedBy.id, name: r.editedBy.name }, editedAt: r.editedAt,
    })),
  };
}

function toEvidence(d: EvidenceDoc): Evidence {
  return {
    id: d._id,
    decision: d.decision,
    letter: d.letter ?? null,
    refersTo: d.refersTo ?? null,
    position: d.position,
    text: d.text,
    author: { id: d.author.id, name: d.author.name },
    createdAt: d.createdAt,
    sourceUrl: d.sourceUrl ?? null,
  };
}

/** A change as undo reads it: `subject` only when it has one, no `undoneAt` (listChanges adds it). */
function toChange(d: ChangeDoc): Change {
  return {
    id: d._id,
    caseId: d.caseId,
    actor: { id: d.actor.id, name: d.actor.name },
    at: d.at,
    description: d.description,
    undo: d.undo,
    ...(d.subject != null ? { subject: d.subject } : {}),
  };
}

function toInstallation(d: InstallationDoc): Installation {
  return { key: d._id, data: d.data, updatedAt: d.updatedAt };
}

function toConversationRef(d: ConversationRefDoc): ConversationRef {
  return { place: toPlace(d.place), reference: d.reference, updatedAt: d.updatedAt };
}

// Domain -> documents (fields picked one by one: nothing else reaches the database) ---

function placeFields(p: Place): Place {
  return { platform: str(p.platform) as Place['platform'], workspace: str(p.workspace), channel: str(p.channel) };
}

function placeFilter(p: Place): Record<string, string> {
  return { 'place.platform': str(p.platform), 'place.workspace': str(p.workspace), 'place.channel': str(p.channel) };
}

function caseDoc(c: Case): Omit<CaseDoc, 'schemaVersion'> {
  return {
    _id: c.id,
    place: placeFields(c.place),
    title: c.title,
    template: c.template,
    timeZone: c.timeZone,
    sprintLength: { count: c.sprintLength.count, unit: c.sprintLength.unit },
    layout: plainJson(c.layout),
    schedule: plainJson(c.schedule),
    shareVersion: c.shareVersion,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** The `$set` of the case fields given, as updateCase and the putCase undo apply them. */
function caseFieldsSet(fields: CaseFields, at: string | null): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  if (fields.title !== undefined) set.title = fields.title;
  if (fields.template !== undefined) set.template = fields.template;
  if (fields.timeZone !== undefined) set.timeZone = fields.timeZone;
  if (fields.sprintLength !== undefined) set.sprintLength = { count: fields.sprintLength.count, unit: fields.sprintLength.unit };
  if (fields.layout !== undefined) set.layout = plainJson(fields.layout);
  if (fields.schedule !== undefined) set.schedule = plainJson(fields.schedule);
  if (fields.shareVersion !== undefined) set.shareVersion = fields.shareVersion;
  if (at !== null) set.updatedAt = at;
  return set;
}

function sprintDoc(caseId: string, s: Sprint): Omit<SprintDoc, 'schemaVersion'> {
  return { caseId, number: s.number, suffix: s.suffix, intro: s.intro, startsOn: s.startsOn };
}

/** A decision's own fields, without its key (case, number). */
function decisionFields(d: Decision): Omit<DecisionDoc, 'caseId' | 'number' | 'evidenceWrites' | 'schemaVersion'> {
  return {
    sprint: d.sprint,
    text: d.text,
    author: { id: d.author.id, name: d.author.name },
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    status: d.status,
    statusReason: d.statusReason,
    supersededBy: d.supersededBy,
    sourceUrl: d.sourceUrl,
    revisions: d.revisions.map((r) => ({
      text: r.text, editedBy: { id: r.editedBy.id, name: r.editedBy.name }, editedAt: r.editedAt,
    })),
  };
}

function decisionDoc(caseId: string, d: Decision): Omit<DecisionDoc, 'evidenceWrites' | 'schemaVersion'> {
  return { caseId, number: d.number, ...decisionFields(d) };
}

function evidenceDoc(caseId: string, e: Evidence): Omit<EvidenceDoc, 'schemaVersion'> {
  return {
    _id: e.id,
    caseId,
    decision: e.decision,
    letter: e.letter,
    refersTo: e.refersTo,
    position: e.position,
    text: e.text,
    author: { id: e.author.id, name: e.author.name },
    createdAt: e.createdAt,
    sourceUrl: e.sourceUrl,
  };
}

function changeDoc(c: Change): Omit<ChangeDoc, 'order' | 'schemaVersion'> {
  return {
    _id: c.id,
    caseId: c.caseId,
    actor: { id: c.actor.id, name: c.actor.name },
    at: c.at,
    description: c.description,
    undo: plainJson(c.undo),
    ...(c.subject ? { subject: plainJson(c.subject) } : {}),
    undoneAt: null,
  };
}

function withUndo(change: ChangeInput, caseId: string, step: UndoStep): Change {
  if (change.caseId !== caseId) throw new Error(`Change ${change.id} is for case ${change.caseId}, not ${caseId}.`);
  return { ...change, undo: [step, ...(change.undo ?? [])] };
}

// Errors -----------------------------------------------------------------------------

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  writeErrors?: unknown;
  errorLabelSet?: unknown;
}

/** Server error codes that mean "no primary to talk to right now". */
const UNREACHABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const UNREACHABLE_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongooseServerSelectionError',
  'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError', 'PoolClearedError',
  'PoolClearedOnNetworkError', 'MongoPoolClosedError', 'MongoServerClosedError', 'MongoClientClosedError',
]);

/** Whether an error from the driver or mongoose means the database cannot be reached. */
export function isUnreachable(err: unknown): boolean {
  for (let e = err as ErrorLike | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as ErrorLike, depth += 1) {
    if (typeof e.name === 'string' && UNREACHABLE_NAMES.has(e.name)) return true;
    if (typeof e.code === 'number' && UNREACHABLE_CODES.has(e.code)) return true;
    if (e.name === 'MongooseError' && typeof e.message === 'string'
      && /buffering timed out|before initial connection|connection .*closed/i.test(e.message)) return true;
  }
  return false;
}

function hasErrorLabel(err: unknown, label: string): boolean {
  const e = err as { hasErrorLabel?: (label: string) => boolean; errorLabels?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.hasErrorLabel === 'function') return e.hasErrorLabel(label);
  return Array.isArray(e.errorLabels) && e.errorLabels.includes(label);
}

/** Whether a write failed on a unique index (E11000), alone or in a batch. */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as ErrorLike | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 11000 || e.code === 11001) return true;
  if (Array.isArray(e.writeErrors)) return e.writeErrors.some((w: { code?: unknown; err?: { code?: unknown } }) => w?.code === 11000 || w?.err?.code === 11000);
  return false;
}

/** Turns what the driver threw into what the Store promises: StoreConflict stays, an unreachable database becomes StoreUnavailable. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreConflict || err instanceof StoreUnavailable) return err;
  if (isUnreachable(err)) return new StoreUnavailable(undefined, { cause: err });
  return err;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim() || 'unknown error';
}

function hasDatabaseName(uri: string): boolean {
  const m = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri);
  return m !== null && m[1] !== '';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The store --------------------------------------------------------------------------

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  private closed = false;

  constructor(
    /** The connection: for tests and diagnostics only; go through the Store methods. */
    readonly conn: Connection,
    private readonly m: Models,
    /** True when multi-document writes run in transactions (replica set or mongos). */
    readonly transactions: boolean,
    private readonly newId: () => string,
    private readonly now: () => string,
  ) {}

  /** Runs one Store method, turning an unreachable database into StoreUnavailable. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(err);
    }
  }

  /**
   * Runs a write that touches several documents: in one transaction when the server has
   * them; else in order, taking back what was written if a later step fails.
   */
  private async tx<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    if (this.transactions) return this.inTransaction(fn);
    const undo: Array<() => Promise<unknown>> = [];
    try {
      return await fn({ session: null, onFailure: (step) => { undo.push(step); } });
    } catch (err) {
      for (const step of undo.reverse()) {
        try {
          await step();
        } catch {
          // Best effort: the original error is the one to report.
        }
      }
      throw err;
    }
  }

  /**
   * One transaction, run again while it loses write conflicts to other instances (for up
   * to TRANSACTION_RETRY_MS). Unlike `session.withTransaction`, which retries for two
   * minutes, it gives up at once when the server cannot be reached, so a command during
   * an outage fails quickly with a plain message.
   */
  private async inTransaction<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    const session = await this.conn.startSession();
    const deadline = Date.now() + TRANSACTION_RETRY_MS;
    const retryable = (err: unknown, label: string): boolean =>
      hasErrorLabel(err, label) && !isUnreachable(err) && Date.now() < deadline;
    try {
      for (let attempt = 1; ; attempt += 1) {
        session.startTransaction(TRANSACTION_OPTIONS);
        let result: T;
        try {
          result = await fn({ session, onFailure: () => undefined });
        } catch (err) {
          if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
          if (retryable(err, 'TransientTransactionError')) {
            await delay(Math.random() * Math.min(50, 2 * attempt));
            continue;
          }
          throw err;
        }
        if (await this.commit(session, retryable)) return result;
        await delay(Math.random() * Math.min(50, 2 * attempt));
      }
    } finally {
      await session.endSession();
    }
  }

  /** Commits; true when done, false when the whole transaction must run again. */
  private async commit(session: ClientSession, retryable: (err: unknown, label: string) => boolean): Promise<boolean> {
    for (;;) {
      try {
        await session.commitTransaction();
        return true;
      } catch (err) {
        // The outcome is unknown (a network blip after sending it): committing again is safe.
        if (retryable(err, 'UnknownTransactionCommitResult')) continue;
        if (retryable(err, 'TransientTransactionError')) return false;
        throw err;
      }
    }
  }

  /**
   * Retries `fn` when it loses a race on a unique index (another instance wrote the same
   * key first): the next attempt reads what that instance wrote.
   */
  private async retryOnDuplicate<T>(fn: () => Promise<T>, attempts = 20, onDuplicate?: () => Promise<void>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn();
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= attempts) throw err;
        if (onDuplicate) await onDuplicate();
        await delay(Math.random() * 5 * attempt);
      }
    }
  }

  // Document access --------------------------------------------------------------------

  private async caseById(id: string, session: Session): Promise<Case | null> {
    const d = await this.m.Case.findOne({ _id: str(id) }).session(session).lean<CaseDoc>().exec();
    return d ? toCase(d) : null;
  }

  private async caseAt(place: Place, session: Session): Promise<Case | null> {
    const d = await this.m.Case.findOne(placeFilter(place)).session(session).lean<CaseDoc>().exec();
    return d ? toCase(d) : null;
  }

  private async requireCase(id: string, session: Session): Promise<Case> {
    const found = await this.caseById(id, session);
    if (!found) throw new StoreConflict(`There is no case ${id}.`);
    return found;
  }

  private async decisionDocAt(caseId: string, number: number, session: Session): Promise<DecisionDoc | null> {
    return this.m.Decision.findOne({ caseId: str(caseId), number: int(number) }).session(session).lean<DecisionDoc>().exec();
  }

  private async insertChange(change: Change, t: Tx): Promise<void> {
    await this.m.Change.insertMany([changeDoc(change)], sessionOption(t.session));
    t.onFailure(() => this.m.Change.deleteOne({ _id: str(change.id) }).exec());
  }

  /** Sets a case's fields; without transactions, remembers how to put them back. */
  private async setCaseFields(id: string, fields: CaseFields, at: string | null, t: Tx): Promise<void> {
    const set = caseFieldsSet(fields, at);
    if (Object.keys(set).length === 0) return;
    if (!t.session) {
      const before = await this.m.Case.findOne({ _id: str(id) }).lean<CaseDoc>().exec();
      if (before) {
        const restore = caseFieldsSet(toCase(before), before.updatedAt);
        t.onFailure(() => this.m.Case.updateOne({ _id: str(id) }, { $set: restore }).exec());
      }
    }
    await this.m.Case.updateOne({ _id: str(id) }, { $set: set }, sessionOption(t.session)).exec();
  }

  /** Gives the next decision number of a case (the counter goes up by one). */
  private async nextDecisionNumber(caseId: string, t: Tx): Promise<number> {
    const _id = decisionCounterId(caseId);
    const counter = await this.m.Counter.findOneAndUpdate(
      { _id },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after', ...sessionOption(t.session) },
    ).lean().exec();
    if (!counter) throw new Error(`The decision counter of case ${caseId} did not come back.`);
    const number = counter.seq - 1;
    t.onFailure(() => this.m.Counter.updateOne({ _id, seq: number + 1 }, { $inc: { seq: -1 } }).exec());
    return number;
  }

  /** One past the highest decision number of a case: what its counter should hold. */
  private async decisionsEnd(caseId: string, session: Session): Promise<number> {
    const last = await this.m.Decision.findOne({ caseId: str(caseId) }, { number: 1 })
      .sort({ number: -1 }).session(session).lean<Pick<DecisionDoc, 'number'>>().exec();
    return last ? last.number + 1 : 0;
  }

  /**
   * Puts the decision counter of a case back in step with its decisions, when something
   * outside the store (a restore, a hand edit) left it behind. Never lowers it.
   */
  private async catchUpDecisionCounter(caseId: string): Promise<void> {
    const end = await this.decisionsEnd(caseId, null);
    await this.m.Counter.updateOne({ _id: decisionCounterId(caseId) }, { $max: { seq: end } }, { upsert: true }).exec();
  }

  private async deleteCaseDocs(id: string, session: Session): Promise<void> {
    // Children first, the case last: a delete cut short can be run again.
    const filter = { caseId: str(id) };
    const options = sessionOption(session);
    await this.m.Evidence.deleteMany(filter, options).exec();
    await this.m.Decision.deleteMany(filter, options).exec();
    await this.m.Sprint.deleteMany(filter, options).exec();
    await this.m.Change.deleteMany(filter, options).exec();
    await this.m.Counter.deleteOne({ _id: decisionCounterId(id) }, options).exec();
    await this.m.Case.deleteOne({ _id: str(id) }, options).exec();
  }

  private async readSnapshot(caseId: string, session: Session): Promise<CaseSnapshot | null> {
    const found = await this.caseById(caseId, session);
    if (!found) return null;
    const filter = { caseId: str(caseId) };
    const sprints = await this.m.Sprint.find(filter).sort({ number: 1 }).session(session).lean<SprintDoc[]>().exec();
    const decisions = await this.m.Decision.find(filter).sort({ number: 1 }).session(session).lean<DecisionDoc[]>().exec();
    const evidence = await this.m.Evidence.find(filter).sort({ decision: 1, position: 1 }).session(session).lean<EvidenceDoc[]>().exec();
    return {
      case: found,
      sprints: sprints.map(toSprint),
      decisions: decisions.map(toDecision),
      evidence: evidence.map(toEvidence),
    };
  }

  /** Writes a whole case; without transactions, remembers how to remove it again. */
  private async insertSnapshot(snapshot: CaseSnapshot, t: Tx): Promise<void> {
    const c = snapshot.case;
    const options = sessionOption(t.session);
    t.onFailure(() => this.deleteCaseDocs(c.id, null));
    await this.m.Case.insertMany([caseDoc(c)], options);
    if (snapshot.sprints.length) await this.m.Sprint.insertMany(snapshot.sprints.map((s) => sprintDoc(c.id, s)), options);
    if (snapshot.decisions.length) await this.m.Decision.insertMany(snapshot.decisions.map((d) => decisionDoc(c.id, d)), options);
    if (snapshot.evidence.length) await this.m.Evidence.insertMany(snapshot.evidence.map((e) => evidenceDoc(c.id, e)), options);
    const end = snapshot.decisions.reduce((max, d) => Math.max(max, d.number + 1), 0);
    await this.m.Counter.updateOne({ _id: decisionCounterId(c.id) }, { $set: { seq: end } }, { upsert: true, ...options }).exec();
  }

  // Cases ------------------------------------------------------------------------------

  async ensureCase(place: Place, init: () => Case): Promise<Case> {
    return this.guard(async () => {
      const existing = await this.caseAt(place, null);
      if (existing) return existing;
      const made: Case = { ...init(), place: { ...place } };
      try {
        await this.m.Case.insertMany([caseDoc(made)]);
        return made;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Another call made the case for this place first: that one is the case.
        const winner = await this.caseAt(place, null);
        if (winner) return winner;
        throw new StoreConflict(`Case ${made.id} already exists for another place; give the new case another id.`);
      }
    });
  }

  async getCase(id: string): Promise<Case | null> {
    return this.guard(() => this.caseById(id, null));
  }

  async findCase(place: Place): Promise<Case | null> {
    return this.guard(() => this.caseAt(place, null));
  }

  async listCases(filter: { platform?: Place['platform']; workspace?: string } = {}): Promise<Case[]> {
    return this.guard(async () => {
      const query: Record<string, string> = {};
      if (filter.platform !== undefined) query['place.platform'] = str(filter.platform);
      if (filter.workspace !== undefined) query['place.workspace'] = str(filter.workspace);
      const docs = await this.m.Case.find(query).sort({ createdAt: 1, _id: 1 }).lean<CaseDoc[]>().exec();
      return docs.map(toCase);
    });
  }

  async updateCase(id: string, fields: CaseFields, at: string, change?: Change): Promise<Case> {
    return this.guard(() => this.tx(async (t) => {
      await this.requireCase(id, t.session);
      await this.setCaseFields(id, fields, at, t);
      if (change) await this.insertChange(change, t);
      return this.requireCase(id, t.session);
    }));
  }

  async deleteCase(id: string): Promise<void> {
    await this.guard(() => this.tx((t) => this.deleteCaseDocs(id, t.session)));
  }

  // Sprints ----------------------------------------------------------------------------

  async listSprints(caseId: string): Promise<Sprint[]> {
    return this.guard(async () => {
      const docs = await this.m.Sprint.find({ caseId: str(caseId) }).sort({ number: 1 }).lean<SprintDoc[]>().exec();
      return docs.map(toSprint);
    });
  }

  async ensureSprints(caseId: string, sprints: Sprint[]): Promise<void> {
    // Each insert stands alone (inserting a missing sprint twice changes nothing), so
    // this needs no transaction.
    await this.guard(async () => {
      await this.requireCase(caseId, null);
      for (const s of sprints) {
        const { suffix, intro, startsOn } = sprintDoc(caseId, s);
        await this.retryOnDuplicate(() => this.m.Sprint.updateOne(
          { caseId: str(caseId), number: int(s.number) },
          { $setOnInsert: { suffix, intro, startsOn } },
          { upsert: true },
        ).exec());
      }
    });
  }

  async addSprint(caseId: string, sprint: Sprint, change: ChangeInput): Promise<Sprint> {
    return this.guard(() => this.tx(async (t) => {
      await this.requireCase(caseId, t.session);
      const exists = await this.m.Sprint.exists({ caseId: str(caseId), number: int(sprint.number) }).session(t.session).exec();
      if (exists) throw new StoreConflict(`Sprint ${sprint.number} already exists.`);
      try {
        await this.m.Sprint.insertMany([sprintDoc(caseId, sprint)], sessionOption(t.session));
      } catch (err) {
        if (isDuplicateKey(err)) throw new StoreConflict(`Sprint ${sprint.number} already exists.`);
        throw err;
      }
      t.onFailure(() => this.m.Sprint.deleteOne({ caseId: str(caseId), number: int(sprint.number) }).exec());
      await this.insertChange(withUndo(change, caseId, { op: 'deleteSprint', number: sprint.number }), t);
      return { number: sprint.number, suffix: sprint.suffix, intro: sprint.intro, startsOn: sprint.startsOn };
    }));
  }

  // Decisions --------------------------------------------------------------------------

  async recordDecision(caseId: string, input: NewDecision, change: ChangeInput): Promise<Decision> {
    const record = () => this.tx(async (t) => {
      await this.requireCase(caseId, t.session);
      const number = await this.nextDecisionNumber(caseId, t);
      const decision: Decision = {
        number,
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
      await this.m.Decision.insertMany([decisionDoc(caseId, decision)], sessionOption(t.session));
      t.onFailure(() => this.m.Decision.deleteOne({ caseId: str(caseId), number: int(number) }).exec());
      // Evidence recorded with it, lettered a, b, … (undoing the record removes it too).
      const evidence: Evidence[] = (input.evidence ?? []).map((text, position) => ({
        id: this.newId(), decision: number, letter: letterFor(position), refersTo: null, position, text,
        author: decision.author, createdAt: input.at, sourceUrl: null,
      }));
      if (evidence.length) {
        await this.m.Evidence.insertMany(evidence.map((e) => evidenceDoc(caseId, e)), sessionOption(t.session));
        t.onFailure(() => this.m.Evidence.deleteMany({ _id: trusted({ $in: evidence.map((e) => e.id) }) }).exec());
      }
      await this.insertChange(withUndo(change, caseId, { op: 'deleteDecision', number }), t);
      return decision;
    });
    // A duplicate number means the counter fell behind the decisions (a restore from an
    // old backup, a hand edit): bring it level and take the next number.
    return this.guard(() => this.retryOnDuplicate(record, 3, () => this.catchUpDecisionCounter(caseId)));
  }

  async getDecision(caseId: string, number: number): Promise<Decision | null> {
    return this.guard(async () => {
      const d = await this.decisionDocAt(caseId, number, null);
      return d ? toDecision(d) : null;
    });
  }

  async listDecisions(caseId: string, filter: { sprint?: number } = {}): Promise<Decision[]> {
    return this.guard(async () => {
      const query: Record<string, unknown> = { caseId: str(caseId) };
      if (filter.sprint !== undefined) query.sprint = int(filter.sprint);
      const docs = await this.m.Decision.find(query).sort({ number: 1 }).lean<DecisionDoc[]>().exec();
      return docs.map(toDecision);
    });
  }

  async updateDecision(caseId: string, number: number, patch: DecisionPatch, change: Change): Promise<Decision> {
    return this.guard(() => this.tx(async (t) => {
      const found = await this.decisionDocAt(caseId, number, t.session);
      if (!found) throw new StoreConflict(`There is no Decision ${number}.`);
      const current = toDecision(found);
      const updated: Decision = {
        ...current,
        ...(patch.text !== undefined ? { text: patch.text } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.statusReason !== undefined ? { statusReason: patch.statusReason } : {}),
        ...(patch.supersededBy !== undefined ? { supersededBy: patch.supersededBy } : {}),
        ...(patch.revisions !== undefined ? { revisions: patch.revisions } : {}),
        updatedAt: patch.updatedAt ?? change.at,
      };
      const key = { caseId: str(caseId), number: int(number) };
      await this.m.Decision.updateOne(key, { $set: decisionFields(updated) }, sessionOption(t.session)).exec();
      t.onFailure(() => this.m.Decision.updateOne(key, { $set: decisionFields(current) }).exec());
      await this.insertChange(change, t);
      return updated;
    }));
  }

  // Evidence ---------------------------------------------------------------------------

  async addEvidence(caseId: string, input: NewEvidence, change: ChangeInput): Promise<Evidence> {
    const add = () => this.tx(async (t) => {
      // Touching the decision is the existence check, and makes this transaction conflict
      // with one that deletes the decision (or adds evidence under it) at the same time.
      const decision = await this.m.Decision.findOneAndUpdate(
        { caseId: str(caseId), number: int(input.decision) },
        { $inc: { evidenceWrites: 1 } },
        { projection: { _id: 1 }, timestamps: false, ...sessionOption(t.session) },
      ).lean().exec();
      if (!decision) throw new StoreConflict(`There is no Decision ${input.decision}.`);
      const under = await this.m.Evidence.find({ caseId: str(caseId), decision: int(input.decision) }, { letter: 1, position: 1 })
        .session(t.session).lean<Array<Pick<EvidenceDoc, 'letter' | 'position'>>>().exec();
      const evidence: Evidence = {
        id: this.newId(),
        decision: input.decision,
        // Back-references (letter null) do not use up letters.
        letter: nextLetter(under.map((e) => e.letter ?? null)),
        refersTo: null,
        position: under.reduce((max, e) => Math.max(max, e.position + 1), 0),
        text: input.text,
        author: { id: input.author.id, name: input.author.name },
        createdAt: input.at,
        sourceUrl: input.sourceUrl,
      };
      await this.m.Evidence.insertMany([evidenceDoc(caseId, evidence)], sessionOption(t.session));
      t.onFailure(() => this.m.Evidence.deleteOne({ _id: str(evidence.id) }).exec());
      await this.insertChange(withUndo(change, caseId, { op: 'deleteEvidence', id: evidence.id }), t);
      return evidence;
    });
    // Without transactions two instances can pick the same letter: the unique index
    // refuses the second, which tries again with the next letter.
    return this.guard(() => this.retryOnDuplicate(add));
  }

  async listEvidence(caseId: string, filter: { decision?: number } = {}): Promise<Evidence[]> {
    return this.guard(async () => {
      const query: Record<string, unknown> = { caseId: str(caseId) };
      if (filter.decision !== undefined) query.decision = int(filter.decision);
      const docs = await this.m.Evidence.find(query).sort({ decision: 1, position: 1 }).lean<EvidenceDoc[]>().exec();
      return docs.map(toEvidence);
    });
  }

  // Undo -------------------------------------------------------------------------------

  async lastChange(caseId: string, actorId: string, since: string): Promise<Change | null> {
    return this.guard(async () => {
      const d = await this.m.Change.findOne({
        caseId: str(caseId),
        'actor.id': str(actorId),
        at: trusted({ $gte: str(since) }),
        undoneAt: null,
      }).sort({ at: -1, order: -1 }).lean<ChangeDoc>().exec();
      return d ? toChange(d) : null;
    });
  }

  async revertChange(change: Change): Promise<void> {
    await this.guard(() => this.tx(async (t) => {
      const id = str(change.id);
      const row = await this.m.Change.findOne({ _id: id, caseId: str(change.caseId) }, { undoneAt: 1 })
        .session(t.session).lean<Pick<ChangeDoc, 'undoneAt'>>().exec();
      if (!row) throw new StoreConflict(`There is no record of that change (${change.description}) to undo.`);
      const alreadyUndone = new StoreConflict(`That change (${change.description}) has already been undone.`);
      if (row.undoneAt != null) throw alreadyUndone;
      const marked = await this.m.Change.updateOne({ _id: id, undoneAt: null }, { $set: { undoneAt: this.now() } }, sessionOption(t.session)).exec();
      if (marked.modifiedCount === 0) throw alreadyUndone; // another instance undid it just now
      t.onFailure(() => this.m.Change.updateOne({ _id: id }, { $set: { undoneAt: null } }).exec());
      for (const step of change.undo) await this.applyUndo(change.caseId, step, t);
    }));
  }

  // History ----------------------------------------------------------------------------

  async listChanges(caseId: string, since: string, until: string): Promise<Change[]> {
    return this.guard(async () => {
      const docs = await this.m.Change.find({ caseId: str(caseId), at: trusted({ $gte: str(since), $lt: str(until) }) })
        .sort({ at: 1, order: 1 }).lean<ChangeDoc[]>().exec();
      return docs.map((d) => ({ ...toChange(d), undoneAt: d.undoneAt ?? null }));
    });
  }

  private async applyUndo(caseId: string, step: UndoStep, t: Tx): Promise<void> {
    const session = t.session;
    const options = sessionOption(session);
    const inCase = { caseId: str(caseId) };
    switch (step.op) {
      case 'deleteDecision': {
        const n = int(step.number);
        const later = await this.m.Decision.findOne({ ...inCase, number: trusted({ $gt: n }) }, { number: 1 })
          .sort({ number: 1 }).session(session).lean<Pick<DecisionDoc, 'number'>>().exec();
        if (later) {
          // Removing it would leave a gap in the numbering that people already cite.
          throw new StoreConflict(
            `Decision ${step.number} can't be removed because Decision ${later.number} was recorded after it. Withdraw it instead.`,
          );
        }
        const decision = await this.decisionDocAt(caseId, n, session);
        if (!decision) return;
        const evidence = await this.m.Evidence.find({ ...inCase, decision: n }).session(session).lean<EvidenceDoc[]>().exec();
        await this.m.Evidence.deleteMany({ ...inCase, decision: n }, options).exec();
        await this.m.Decision.deleteOne({ ...inCase, number: n }, options).exec();
        t.onFailure(async () => {
          await this.m.Decision.insertMany([decision]);
          if (evidence.length) await this.m.Evidence.insertMany(evidence);
        });
        // Give the number back, but only while it is still the last one given out.
        const counterId = decisionCounterId(caseId);
        const back = await this.m.Counter.updateOne({ _id: counterId, seq: n + 1 }, { $inc: { seq: -1 } }, options).exec();
        if (back.matchedCount === 1) {
          t.onFailure(() => this.m.Counter.updateOne({ _id: counterId, seq: n }, { $inc: { seq: 1 } }).exec());
          return;
        }
        if (session) {
          // In a transaction nobody can be recording at the same time (that would be a
          // write conflict on the counter): the counter was out of step. Put it level.
          await this.m.Counter.updateOne({ _id: counterId }, { $set: { seq: await this.decisionsEnd(caseId, session) } }, { upsert: true, ...options }).exec();
          return;
        }
        throw new StoreConflict(`Decision ${step.number} can't be removed because another decision is being recorded in this case right now. Try undo again in a moment.`);
      }
      case 'putDecision': {
        const d = step.decision;
        const key = { ...inCase, number: int(d.number) };
        const before = await this.decisionDocAt(caseId, d.number, session);
        await this.m.Decision.updateOne(key, { $set: decisionFields(d) }, { upsert: true, ...options }).exec();
        t.onFailure(() => (before
          ? this.m.Decision.updateOne(key, { $set: decisionFields(toDecision(before)) }).exec()
          : this.m.Decision.deleteOne(key).exec()));
        // A decision put back past the end moves the end.
        await this.m.Counter.updateOne({ _id: decisionCounterId(caseId) }, { $max: { seq: d.number + 1 } }, { upsert: true, ...options }).exec();
        return;
      }
      case 'deleteEvidence': {
        const filter = { ...inCase, _id: str(step.id) };
        const before = await this.m.Evidence.findOne(filter).session(session).lean<EvidenceDoc>().exec();
        if (!before) return;
        await this.m.Evidence.deleteOne(filter, options).exec();
        t.onFailure(() => this.m.Evidence.insertMany([before]));
        return;
      }
      case 'putCase':
        await this.requireCase(caseId, session);
        await this.setCaseFields(caseId, step.fields, null, t);
        return;
      case 'deleteSprint': {
        const n = int(step.number);
        const used = await this.m.Decision.exists({ ...inCase, sprint: n }).session(session).exec();
        if (used) throw new StoreConflict(`Sprint ${step.number} can't be removed because it has decisions in it.`);
        const before = await this.m.Sprint.findOne({ ...inCase, number: n }).session(session).lean<SprintDoc>().exec();
        if (!before) return;
        await this.m.Sprint.deleteOne({ ...inCase, number: n }, options).exec();
        t.onFailure(() => this.m.Sprint.insertMany([before]));
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
    // In a transaction the reads see one consistent state, as SQLite's read transaction does.
    return this.guard(() => (this.transactions ? this.tx((t) => this.readSnapshot(caseId, t.session)) : this.readSnapshot(caseId, null)));
  }

  async putSnapshot(snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void> {
    checkSnapshot(snapshot);
    const c = snapshot.case;
    await this.guard(() => this.tx(async (t) => {
      const existing = await this.caseAt(c.place, t.session);
      if (existing && !options.replace) {
        throw new StoreConflict(`A case already exists for ${describePlace(c.place)}; use --replace`);
      }
      // Every refusal comes before the first write.
      const sameId = await this.caseById(c.id, t.session);
      if (sameId && sameId.id !== existing?.id) {
        throw new StoreConflict(`Case ${c.id} already exists for ${describePlace(sameId.place)}; give the copy a new id.`);
      }
      if (snapshot.evidence.length) {
        const taken = await this.m.Evidence.findOne({
          _id: trusted({ $in: snapshot.evidence.map((e) => str(e.id)) }),
          ...(existing ? { caseId: trusted({ $ne: str(existing.id) }) } : {}),
        }, { caseId: 1 }).session(t.session).lean<Pick<EvidenceDoc, '_id' | 'caseId'>>().exec();
        if (taken) throw new StoreConflict(`Evidence id ${taken._id} is already used in case ${taken.caseId}; give the copy new ids.`);
      }
      if (existing) {
        const old = t.session ? null : await this.readSnapshot(existing.id, null);
        await this.deleteCaseDocs(existing.id, t.session);
        if (old) t.onFailure(() => this.insertSnapshot(old, { session: null, onFailure: () => undefined }));
      }
      await this.insertSnapshot(snapshot, t);
    }));
  }

  // Slack installations ----------------------------------------------------------------

  async saveInstallation(installation: Installation): Promise<void> {
    await this.guard(() => this.retryOnDuplicate(() => this.m.Installation.updateOne(
      { _id: str(installation.key) },
      { $set: { data: installation.data, updatedAt: installation.updatedAt } },
      { upsert: true },
    ).exec()));
  }

  async getInstallation(key: string): Promise<Installation | null> {
    return this.guard(async () => {
      const d = await this.m.Installation.findOne({ _id: str(key) }).lean<InstallationDoc>().exec();
      return d ? toInstallation(d) : null;
    });
  }

  async deleteInstallation(key: string): Promise<void> {
    await this.guard(() => this.m.Installation.deleteOne({ _id: str(key) }).exec());
  }

  async listInstallations(): Promise<Installation[]> {
    return this.guard(async () => {
      const docs = await this.m.Installation.find({}).sort({ _id: 1 }).lean<InstallationDoc[]>().exec();
      return docs.map(toInstallation);
    });
  }

  // Teams conversation references ------------------------------------------------------

  async saveConversationRef(ref: ConversationRef): Promise<void> {
    await this.guard(() => this.retryOnDuplicate(() => this.m.ConversationRef.updateOne(
      placeFilter(ref.place),
      { $set: { reference: ref.reference, updatedAt: ref.updatedAt } },
      { upsert: true },
    ).exec()));
  }

  async getConversationRef(place: Place): Promise<ConversationRef | null> {
    return this.guard(async () => {
      const d = await this.m.ConversationRef.findOne(placeFilter(place)).lean<ConversationRefDoc>().exec();
      return d ? toConversationRef(d) : null;
    });
  }

  async listConversationRefs(): Promise<ConversationRef[]> {
    return this.guard(async () => {
      const docs = await this.m.ConversationRef.find({})
        .sort({ 'place.platform': 1, 'place.workspace': 1, 'place.channel': 1 }).lean<ConversationRefDoc[]>().exec();
      return docs.map(toConversationRef);
    });
  }

  // Exactly-once work ------------------------------------------------------------------

  async claim(key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult> {
    return this.guard(async () => {
      const _id = str(key);
      const claimant = { owner: str(owner), claimedAt: str(now), leaseUntil: str(leaseUntil) };
      for (;;) {
        try {
          // The unique _id lets exactly one of any number of racing instances insert it.
          await this.m.Claim.insertMany([{ _id, ...claimant, doneAt: null, attempts: 1 }]);
          return { won: true, attempt: 1, done: false, leaseUntil: claimant.leaseUntil };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        // Held already: it can be taken over only when its lease ran out and the work was never done.
        const taken = await this.m.Claim.findOneAndUpdate(
          { _id, doneAt: null, leaseUntil: trusted({ $lt: claimant.claimedAt }) },
          { $set: claimant, $inc: { attempts: 1 } },
          { returnDocument: 'after', projection: { attempts: 1 } },
        ).lean().exec();
        if (taken) return { won: true, attempt: taken.attempts, done: false, leaseUntil: claimant.leaseUntil };
        const held = await this.m.Claim.findOne({ _id }, { attempts: 1, doneAt: 1, leaseUntil: 1 }).lean().exec();
        if (held) return { won: false, attempt: held.attempts ?? 1, done: held.doneAt != null, leaseUntil: held.leaseUntil };
        // Removed in between (by hand): claim it afresh.
      }
    });
  }

  async completeClaim(key: string, owner: string, at: string): Promise<void> {
    await this.guard(() => this.m.Claim.updateOne(
      { _id: str(key), owner: str(owner), doneAt: null },
      { $set: { doneAt: str(at) } },
    ).exec());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close();
  }
}

/** Whether the server can run transactions: a replica set member or a mongos. */
async function supportsTransactions(conn: Connection): Promise<boolean> {
  const hello = await conn.getClient().db('admin').command({ hello: 1 });
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

/**
 * Makes the collections and indexes (idempotent, so every instance does it at start), and
 * refuses a database written by a newer version of the bot.
 */
async function prepare(models: Models): Promise<void> {
  for (const model of Object.values(models) as Array<Models[keyof Models]>) {
    await model.createCollection();
    await model.createIndexes();
  }
  const stamp = () => models.Counter.findOneAndUpdate(
    { _id: SCHEMA_VERSION_ID },
    { $max: { seq: SCHEMA_VERSION } },
    { upsert: true, returnDocument: 'before' },
  ).lean().exec();
  // Two instances starting on a new database at once: one inserts, the other reads it.
  const version = await stamp().catch((err: unknown) => {
    if (isDuplicateKey(err)) return stamp();
    throw err;
  });
  if (version && version.seq > SCHEMA_VERSION) {
    throw new Error(`The database has schema version ${version.seq}, newer than this version of the bot knows (${SCHEMA_VERSION}). Upgrade the bot.`);
  }
}

/**
 * Connects to MongoDB at `uri` and prepares its collections. Throws StoreUnavailable with
 * one line ("Cannot reach MongoDB at <uri without password>: <reason>") when it can't.
 */
export async function openMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const shown = redactUri(uri);
  const password = uriPassword(uri);
  const reason = (err: unknown): string => {
    const line = firstLine(err);
    return password ? line.split(password).join('[secret]') : line;
  };
  const connectOptions: mongoose.ConnectOptions = {
    // Fail a command (and the start) after this long without a server, instead of
    // buffering it in memory; the driver keeps reconnecting in the background.
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    // Drop undefined fields as JSON does (SQLite keeps these fields as JSON).
    ignoreUndefined: true,
  };
  if (!/[?&]serverSelectionTimeoutMS=/i.test(uri)) connectOptions.serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? 5000;
  if (options.dbName !== undefined) connectOptions.dbName = options.dbName;
  else if (!hasDatabaseName(uri)) connectOptions.dbName = DEFAULT_DB;

  let conn: Connection | undefined;
  try {
    conn = mongoose.createConnection(uri, connectOptions);
    await conn.asPromise();
  } catch (err) {
    await conn?.close().catch(() => undefined);
    throw new StoreUnavailable(`Cannot reach MongoDB at ${shown}: ${reason(err)}`, { cause: err });
  }
  try {
    const models = registerModels(conn);
    await prepare(models);
    const transactions = options.transactions ?? await supportsTransactions(conn);
    return new MongoStore(
      conn, models, transactions,
      options.newId ?? (() => randomUUID()),
      options.now ?? (() => new Date().toISOString()),
    );
  } catch (err) {
    await conn.close().catch(() => undefined);
    if (isUnreachable(err)) throw new StoreUnavailable(`Cannot reach MongoDB at ${shown}: ${reason(err)}`, { cause: err });
    throw new Error(`Cannot use MongoDB at ${shown}: ${reason(err)}`, { cause: err });
  }
}
