import type {
  Actor, Case, CaseFields, CaseSnapshot, Change, ConversationRef, Decision, Evidence, Installation, Place, Sprint,
} from '../core/model';

/** A new decision: the store gives it the next number in its case. */
export interface NewDecision {
  sprint: number;
  text: string;
  author: Actor;
  at: string;
  sourceUrl: string | null;
  /** Evidence recorded with it in the same step (lettered a, b, …); undoing the record removes them too. */
  evidence?: string[];
}

/** New evidence: the store gives it the next free letter under its decision. */
export interface NewEvidence {
  decision: number;
  text: string;
  author: Actor;
  at: string;
  sourceUrl: string | null;
}

/** A change to record alongside a write, for undo; the store fills in undo steps it alone knows. */
export type ChangeInput = Omit<Change, 'undo'> & { undo?: Change['undo'] };

export type DecisionPatch = Partial<Pick<Decision, 'text' | 'status' | 'statusReason' | 'supersededBy' | 'revisions' | 'updatedAt'>>;

export interface ClaimResult {
  /** True when this caller now holds the claim and must do the work. */
  won: boolean;
  /**
   * How many times the key has been won, this time included: 1 for the first claim, 2 when
   * a second owner took it over after the first lease expired, and so on. When not won,
   * the count so far. Lets a caller give up on work that keeps failing.
   */
  attempt: number;
  /** True when the work has been completed: nobody will win it again. */
  done: boolean;
  /** When the current holder's lease ends (this caller's, when won). */
  leaseUntil: string;
}

/**
 * The port every store implements (SQLite, MongoDB). Each method is one atomic
 * unit: it either happens whole or not at all, and numbering never yields a
 * duplicate or a gap, whatever number of processes share the store.
 */
export interface Store {
  readonly kind: 'sqlite' | 'mongodb';

  // Cases
  /** The case of a place, made with `init` when there is none yet (one case per place, even under races). */
  ensureCase(place: Place, init: () => Case): Promise<Case>;
  getCase(id: string): Promise<Case | null>;
  findCase(place: Place): Promise<Case | null>;
  listCases(filter?: { platform?: Place['platform']; workspace?: string }): Promise<Case[]>;
  updateCase(id: string, fields: CaseFields, at: string, change?: Change): Promise<Case>;
  /** Removes a case and everything in it. */
  deleteCase(id: string): Promise<void>;

  // Sprints
  listSprints(caseId: string): Promise<Sprint[]>;
  /** Inserts the sprints that do not exist yet; leaves existing ones alone. */
  ensureSprints(caseId: string, sprints: Sprint[]): Promise<void>;
  /** Adds a sprint and records the change (its undo deletes the sprint). */
  addSprint(caseId: string, sprint: Sprint, change: ChangeInput): Promise<Sprint>;

  // Decisions
  /** Records a decision with the next number in the case, and the change that undoes it. */
  recordDecision(caseId: string, input: NewDecision, change: ChangeInput): Promise<Decision>;
  getDecision(caseId: string, number: number): Promise<Decision | null>;
  /** In number order; `sprint` narrows to one sprint. */
  listDecisions(caseId: string, filter?: { sprint?: number }): Promise<Decision[]>;
  /** Changes a decision; `change.undo` says how to put it back. */
  updateDecision(caseId: string, number: number, patch: DecisionPatch, change: Change): Promise<Decision>;

  // Evidence
  /** Adds evidence with the next free letter under its decision, and the change that undoes it. */
  addEvidence(caseId: string, input: NewEvidence, change: ChangeInput): Promise<Evidence>;
  /** In decision then position order; `decision` narrows to one decision. */
  listEvidence(caseId: string, filter?: { decision?: number }): Promise<Evidence[]>;

  // Undo
  /** The actor's latest change in the case not yet undone, at or after `since`. */
  lastChange(caseId: string, actorId: string, since: string): Promise<Change | null>;
  /** Applies the change's undo steps and marks it undone, atomically. */
  revertChange(change: Change): Promise<void>;

  // History (the weekly digest)
  /**
   * Every change recorded in the case with `since <= at < until`, undone ones included,
   * oldest first (ties in the order they were recorded). Each carries `subject` when it was
   * recorded with one, and `undoneAt`: when it was undone, or null.
   */
  listChanges(caseId: string, since: string, until: string): Promise<Change[]>;

  // Whole cases
  /** The case with all its sprints, decisions and evidence. */
  snapshot(caseId: string): Promise<CaseSnapshot | null>;
  /**
   * Writes a whole case atomically (import, copy). Refuses when the place already has a
   * case unless `replace`, which removes the old one first. Keeps ids and numbers as given.
   */
  putSnapshot(snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void>;

  // Slack installations (OAuth)
  saveInstallation(installation: Installation): Promise<void>;
  getInstallation(key: string): Promise<Installation | null>;
  deleteInstallation(key: string): Promise<void>;
  listInstallations(): Promise<Installation[]>;

  // Teams conversation references
  saveConversationRef(ref: ConversationRef): Promise<void>;
  getConversationRef(place: Place): Promise<ConversationRef | null>;
  listConversationRefs(): Promise<ConversationRef[]>;

  // Exactly-once work
  /**
   * Claims `key` for `owner` until `leaseUntil`. Wins when nobody holds it, or when the
   * holder's lease has expired and the work was never marked done.
   */
  claim(key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult>;
  /** Marks a claimed piece of work done: it is never claimed again. */
  completeClaim(key: string, owner: string, at: string): Promise<void>;

  close(): Promise<void>;
}

/** Thrown by a store when a write breaks a rule the caller must report in plain words. */
export class StoreConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflict';
  }
}

/** The message people see while the database cannot be reached. */
export const STORE_UNAVAILABLE_MESSAGE = 'The database is not reachable right now; please try again in a minute.';

/**
 * Thrown by a store when its database cannot be reached (at start, or a connection lost
 * later). The message is plain words safe to show in chat; `cause` keeps the driver's error.
 */
export class StoreUnavailable extends Error {
  constructor(message: string = STORE_UNAVAILABLE_MESSAGE, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}
