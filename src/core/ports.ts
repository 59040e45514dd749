/**
 * The ports: what core needs from storage, declared beside the domain so that stores
 * depend on core and never the other way. Split by who uses them: the case service uses
 * CaseStore, the scheduler ClaimStore, the Slack adapter InstallationStore, the Teams
 * adapter ConversationStore. Each adapter is handed only its own.
 *
 * Stores hold no business rules. A store loads the records of a case and commits a
 * CaseWrite that core has decided, conditionally on the case's version: that one check
 * is what makes every command safe against every other command, in any process.
 */
import type { Case, CaseSnapshot, Change, Decision, Evidence, Place, Sprint } from './model';
import { targetTakenWords } from './publishing/targets';

/**
 * Everything one command changes in one case, committed whole or not at all. `case` is
 * the case as it stands afterwards: its version is `expectedVersion + 1`, or 1 when the
 * write creates the case (`expectedVersion` null).
 */
export interface CaseWrite {
  case: Case;
  expectedVersion: number | null;
  putSprints: Sprint[];
  deleteSprints: number[];
  putDecisions: Decision[];
  deleteDecisions: number[];
  putEvidence: Evidence[];
  deleteEvidence: string[];
  addChanges: Change[];
  /** Changes this write undoes: marked with `undoneAt`. */
  undone: Array<{ id: string; at: string }>;
  /**
   * When the case's next scheduled work falls due (ISO; null: none), set when the write
   * changes what the schedule depends on (settings, time zone, sprints) or creates the
   * case; absent: the stored time stands.
   */
  nextDueAt?: string | null;
  /**
   * What the case holds in its repository after the write (publishing/targets.ts), each key
   * held by one case only: set when the publication changes; absent, the stored keys stand.
   * A key another case holds refuses the whole write with PublishTargetTaken.
   */
  publishTargets?: string[];
  /** True when the case's layout is the one read: the store need not write it again (it can be a megabyte). */
  layoutUnchanged?: boolean;
  /**
   * True when the case is kept in a canvas that must now be brought up to date: the store
   * marks the canvas due (CanvasStore), unless a change already waits for it.
   */
  canvasDue?: boolean;
}

/** A case whose scheduled work has fallen due, and the time it fell due (ISO). */
export interface DueCase {
  case: Case;
  dueAt: string;
}

/**
 * The due time a store gives a case written whole (import, copy) or migrated: long past,
 * so the next tick looks at it and works out its real one.
 */
export const DUE_AT_NEXT_TICK = '1970-01-01T00:00:00.000Z';

export interface CaseStore {
  findCase(place: Place): Promise<Case | null>;
  getCase(id: string): Promise<Case | null>;
  /** Cases in creation order; narrowed by platform and workspace. */
  listCases(filter?: { platform?: Place['platform']; workspace?: string }): Promise<Case[]>;
  /** The case with all its sprints, decisions and evidence, read at one version. */
  snapshot(caseId: string): Promise<CaseSnapshot | null>;
  /** As `snapshot`, found by place. */
  loadCase(place: Place): Promise<CaseSnapshot | null>;

  /**
   * Commits `write` if the case's version is still `expectedVersion` (for a new case: if
   * the place has no case and the id is free). True when committed; false when someone
   * else wrote first, in which case nothing was written.
   */
  commit(write: CaseWrite): Promise<boolean>;

  /**
   * Every change recorded in the case with `since <= at < until`, undone ones included
   * (`undoneAt` set), in the order they were committed.
   */
  listChanges(caseId: string, since: string, until: string): Promise<Change[]>;
  /** The changes committed after `version`, in version order, undone ones included. */
  changesAfter(caseId: string, version: number): Promise<Change[]>;
  /** One change by id, with `undoneAt`. */
  getChange(caseId: string, id: string): Promise<Change | null>;
  /** The actor's newest change at or after `since` that is not undone, with `undoneAt` null. */
  lastChange(caseId: string, actorId: string, since: string): Promise<Change | null>;

  /**
   * Writes a whole case atomically (import, copy), version as given. Refuses when the place
   * already has a case unless `replace`, which removes the old one first.
   */
  putSnapshot(snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void>;
  /** Removes a case and everything in it. */
  deleteCase(id: string): Promise<void>;
  /** The repository keys the case holds (CaseWrite.publishTargets), in no particular order. */
  publishTargetsOf(caseId: string): Promise<string[]>;

  /**
   * Cases whose next scheduled work is due at or before `now`, earliest first (then by id),
   * at most `limit`; `after` continues from the last one of a previous page.
   */
  listDue(now: string, limit: number, after?: { dueAt: string; id: string }): Promise<DueCase[]>;
  /**
   * Sets when the case's next scheduled work falls due (null: none), if the case is still
   * at `version`: a command that changed it since has set its own. True when set.
   */
  setNextDue(caseId: string, version: number, nextDueAt: string | null): Promise<boolean>;
}

export interface ClaimResult {
  /** True when this caller now holds the claim and must do the work. */
  won: boolean;
  /** How many times the key has been won, this time included; when not won, the count so far. */
  attempt: number;
  /** True when the work has been completed: nobody will win it again. */
  done: boolean;
  /** When the current holder's lease ends (this caller's, when won). */
  leaseUntil: string;
}

/** Exactly-once work (digests, retro prompts): a unique key per piece of work. */
export interface ClaimStore {
  /** Wins when nobody holds `key`, or when the holder's lease expired and the work was never done. */
  claim(key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult>;
  /** Marks claimed work done: it is never claimed again. */
  completeClaim(key: string, owner: string, at: string): Promise<void>;
}

/**
 * How far a case's canvas has been brought up to date: bookkeeping beside the case, outside
 * its version, so keeping it changes nothing the canvas shows.
 */
export interface CanvasProgress {
  caseId: string;
  /** The case's version now. */
  version: number;
  /** The case version the canvas shows (0: not yet written). */
  shownVersion: number;
  /** When the bot last wrote the canvas (ISO), or null. */
  writtenAt: string | null;
  /** Since when a change has waited to reach the canvas (ISO); null: none waits. */
  dueSince: string | null;
  /** When the claim on its next write runs out (ISO); null: nobody holds it. */
  heldUntil: string | null;
}

/**
 * Keeping canvases current exactly once, however many processes run: the next write of a
 * case's canvas is claimed on the version the canvas shows, so one process writes it, and
 * the claim passes to another only when its lease ran out.
 */
export interface CanvasStore {
  /** Null when there is no such case. */
  canvasProgress(caseId: string): Promise<CanvasProgress | null>;
  /** Cases with a change waiting for their canvas, the longest waiting first, at most `limit`. */
  canvasesDue(limit: number): Promise<CanvasProgress[]>;
  /** Wins the next write of the case's canvas when it still shows `shownVersion` and nobody holds it (or their lease ran out before `now`). */
  claimCanvas(caseId: string, shownVersion: number, owner: string, now: string, leaseUntil: string): Promise<boolean>;
  /**
   * The holder lets go of its claim. `written`: the canvas now shows that version (it never
   * goes back), written at `at`; when the case is still at that version, nothing waits any
   * more. Null: nothing was written (another process, or a later attempt, will).
   */
  releaseCanvas(caseId: string, owner: string, written: { version: number; at: string } | null): Promise<void>;
  /** Nothing waits for the canvas of a case still at `version` (it is switched off, or shows it already). */
  settleCanvas(caseId: string, version: number): Promise<void>;
}

/** Whether a store can take writes now; when not, the reason in plain words (it goes to /healthz). */
export type StoreHealth = { ok: true } | { ok: false; reason: string };

/** A repository on GitHub (or GitHub Enterprise Server), and with a GitHub App the installation to reach it through. */
export interface RepoAddress {
  owner: string;
  repo: string;
  /** With a GitHub App, every call names the installation the case may use: none is looked up for it. */
  installation?: number | null;
}

/** A GitHub App's installation on an account (a user or an organisation). */
export interface RepoInstallation {
  id: number;
  /** The account's login ("acme"). */
  account: string;
}

/**
 * Which workspaces may publish through which GitHub App installations: a person of the
 * workspace proved once, with GitHub's user authorisation, that they can reach the
 * installation. Workspaces are "slack:T123" or "teams:<tenant>".
 */
export interface GitHubLinkStore {
  linkInstallation(link: { workspace: string; installation: number; account: string; linkedBy: string; at: string }): Promise<void>;
  isLinked(workspace: string, installation: number): Promise<boolean>;
}

/**
 * A file on a branch, as GitHub holds it: its git blob id (the same bytes always have the
 * same id), its size, and its bytes, unread (null) when it is larger than the caller asked for.
 * What the bytes say is checked by core before anything parses them (publishing/incoming.ts).
 */
export interface RepoFile {
  blobSha: string;
  size: number;
  bytes: Uint8Array | null;
}

/** A commit, as a person sees it: who wrote it and its page. */
export interface RepoCommit {
  sha: string;
  url: string;
  /** The author as git records them ("Alice Smith"). */
  authorName: string;
  /** Their GitHub login when GitHub knows it. */
  authorLogin: string | null;
}

export interface RepoPullRequest {
  number: number;
  url: string;
}

/** What the configured credentials can do in a repository, checked when a case is connected. */
export interface RepoAccess {
  defaultBranch: string;
  /** Permissions the credentials lack for publishing: writing files, opening pull requests. */
  missing: Array<'contents' | 'pull requests'>;
}

/**
 * Why a repository call failed, in words safe for chat (never a token): `no repository`
 * (missing, or hidden from these credentials), `no permission`, `conflict` (the branch moved
 * while writing), `unavailable` (GitHub down, rate-limited, timed out), `bad credentials`.
 */
export class RepositoryError extends Error {
  constructor(readonly problem: 'no repository' | 'no permission' | 'conflict' | 'unavailable' | 'bad credentials', message: string) {
    super(message);
    this.name = 'RepositoryError';
  }
}

/**
 * The team's repositories, as publishing needs them: GitHub behind it (the adapter under
 * adapters/github), core never sees HTTP or a token. Every method throws RepositoryError.
 */
export interface Repositories {
  /** One line for messages: which GitHub this is ("GitHub", "GitHub at github.example.org"). */
  readonly description: string;
  /** With a GitHub App, its installation on the repository's account (RepositoryError 'no repository' when there is none); null with a token. */
  installationOf(repo: RepoAddress): Promise<RepoInstallation | null>;
  access(repo: RepoAddress): Promise<RepoAccess>;
  /** The commit a branch points at, or null when there is no such branch. */
  branchHead(repo: RepoAddress, branch: string): Promise<string | null>;
  /** A file on a branch (or at a commit), or null when it is not there; its bytes are not downloaded past `maxBytes`. */
  readFile(repo: RepoAddress, path: string, ref: string, maxBytes: number): Promise<RepoFile | null>;
  /** The bytes of a blob by its id, or null when the repository no longer has it or it is over `maxBytes`. */
  readBlob(repo: RepoAddress, blobSha: string, maxBytes: number): Promise<Uint8Array | null>;
  /** The newest commit on `ref` that changed `path`. */
  lastCommit(repo: RepoAddress, path: string, ref: string): Promise<RepoCommit | null>;
  /** Creates a branch at a commit; a branch that already exists is left as it is. */
  createBranch(repo: RepoAddress, branch: string, sha: string): Promise<void>;
  /** Points an existing branch at a commit, whatever it held. */
  resetBranch(repo: RepoAddress, branch: string, sha: string): Promise<void>;
  /**
   * Commits `content` to `path` on `branch` through the contents API. `replacing` is the
   * blob the file holds now (null: it must not exist yet); when that no longer holds, it
   * throws RepositoryError('conflict') and writes nothing.
   */
  writeFile(repo: RepoAddress, file: { path: string; branch: string; content: string; message: string; replacing: string | null }): Promise<{ commit: RepoCommit; blobSha: string }>;
  /** The open pull request from `head` into `base`, if any. */
  findPullRequest(repo: RepoAddress, head: string, base: string): Promise<RepoPullRequest | null>;
  /** Opens a pull request; when one from `head` into `base` is already open, that one. */
  openPullRequest(repo: RepoAddress, pr: { head: string; base: string; title: string; body: string }): Promise<RepoPullRequest>;
  updatePullRequest(repo: RepoAddress, number: number, pr: { title: string; body: string }): Promise<void>;
  /** Closes a pull request, saying why in its description; one already closed or merged is left as it is. */
  closePullRequest(repo: RepoAddress, number: number, note: string): Promise<void>;
}

/** Thrown by a store when a write breaks a rule the caller must report in plain words. */
export class StoreConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflict';
  }
}

/** Thrown by a store's commit when another case holds one of the write's `publishTargets`; nothing was written. */
export class PublishTargetTaken extends StoreConflict {
  constructor(readonly key: string) {
    super(targetTakenWords(key));
    this.name = 'PublishTargetTaken';
  }
}

/** The message people see while the database cannot be reached. */
export const STORE_UNAVAILABLE_MESSAGE = 'The database is not reachable right now; please try again in a minute.';

/**
 * Thrown by a store when its database cannot be reached. The message is plain words safe
 * to show in chat; `cause` keeps the driver's error.
 */
export class StoreUnavailable extends Error {
  constructor(message: string = STORE_UNAVAILABLE_MESSAGE, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

/**
 * Why a chat platform would not make or write a canvas: `refused` with what it means and the
 * platform's own code (for logs and /healthz; never a token), `rate limited` with how long to
 * wait, or `unavailable` (the platform could not be reached, or failed on its side).
 */
export type CanvasFailureKind =
  | { kind: 'refused'; reason: CanvasRefusal; code: string }
  | { kind: 'rate limited'; retryAfterMs: number }
  | { kind: 'unavailable'; detail: string };

/**
 * What a refusal means: the workspace's plan has no channel canvases (`plan`), canvases are
 * switched off there (`disabled`), the canvas is gone (`not found`), the bot is not in the
 * channel, lacks the permission, may not do it, is no longer installed, the content is too
 * big, or anything else.
 */
export type CanvasRefusal = 'plan' | 'disabled' | 'not found' | 'not in channel' | 'missing scope' | 'restricted' | 'not installed' | 'too big' | 'other';

export class CanvasFailure extends Error {
  constructor(readonly failure: CanvasFailureKind) {
    super(failure.kind === 'refused' ? `canvas refused: ${failure.code}` : failure.kind === 'rate limited' ? `rate limited for ${failure.retryAfterMs} ms` : failure.detail);
    this.name = 'CanvasFailure';
  }
}

/**
 * A chat platform's canvases (Slack's, behind adapters/slack): core decides what to make and
 * write, and never sees HTTP or a token. Every method throws CanvasFailure.
 */
export interface ChannelCanvases {
  /**
   * Makes the channel's own canvas holding `markdown`. When the channel has one already, says
   * so instead: its id when it can be found, and whether this bot made it (only then may the
   * bot write over it).
   */
  createChannelCanvas(place: Place, title: string, markdown: string): Promise<{ created: string } | { exists: { id: string | null; ours: boolean } }>;
  /** Makes a canvas of the bot's own, apart from the channel, with its link when the platform gives one. */
  createStandalone(place: Place, title: string, markdown: string): Promise<{ id: string; url: string | null }>;
  /** Lets everyone in the channel read the canvas. */
  shareWithChannel(place: Place, canvasId: string): Promise<void>;
  /** Replaces the whole canvas with `markdown`. */
  replace(place: Place, canvasId: string, markdown: string): Promise<void>;
}
