/**
 * The domain: business cases, sprints, decisions and evidence.
 * Plain data only; every surface and every store speaks these types.
 */

export type Platform = 'slack' | 'teams' | 'console';

/** Where a case lives: one channel (or chat) in one workspace (or tenant). */
export interface Place {
  platform: Platform;
  workspace: string;
  channel: string;
}

/** Someone who did something: a platform user id and a display name. */
export interface Actor {
  id: string;
  name: string;
}

export type TemplateName = 'prototype' | 'five-case';

export type SprintUnit = 'days' | 'weeks';

export interface SprintLength {
  count: number;
  unit: SprintUnit;
}

/** One free-Markdown section of the business case, as a heading and its body. */
export interface Section {
  level: number;
  heading: string;
  /** Markdown kept verbatim; "" when the heading is followed directly by another. */
  body: string;
}

/**
 * How the document is laid out, so export reproduces what import read.
 * `inline`: "Decision 8: text" paragraphs; `heading`: "### Decision 8" then a paragraph.
 */
export interface DocumentLayout {
  /** Text between the title and the first heading. */
  preamble: string;
  sections: Section[];
  /** Index into `sections` before which the key decisions part is written. */
  decisionsAt: number;
  /** The heading that holds the sprints ("## Key decisions that shaped this"), or null when sprints are top-level. */
  decisionsHeading: { level: number; text: string; intro: string } | null;
  sprintLevel: number;
  decisionStyle: 'inline' | 'heading';
  /** How the imported document spelled each part, so export gives it back byte for byte; absent for cases begun in chat. */
  source?: SourceForm | null;
  /** The name of the file the case was imported from, so export and publishing write it back under that name. */
  fileName?: string | null;
  /**
   * A case kept in two files, the business case and its key decisions: the layout above is
   * the whole case as one document (the decisions heading standing for the second file's
   * title), and this says how to write each file back.
   */
  files?: CaseFiles | null;
}

export interface CaseFiles {
  /** The business case: the title, preamble and the sections before `decisionsAt`. */
  case: { name: string; source: SourceForm | null };
  /** The key decisions: the sprints and the sections after `decisionsAt`. */
  decisions: {
    name: string;
    /**
     * True when the file had its own heading over the sprints: then its title and intro are
     * `title` and `preamble`; else the decisions heading is its title and intro.
     */
    container: boolean;
    title: string | null;
    preamble: string;
    source: SourceForm | null;
  };
}

/**
 * An imported document's own spelling beyond what its parts mean: trailing spaces, runs of
 * blank lines, lines the importer could not place, line ends and a BOM.
 */
export interface SourceForm {
  bom: boolean;
  eol: '\n' | '\r\n';
  /** What came before the first part (blank lines). */
  lead: string;
  parts: SourcePart[];
}

/** One part of an imported document (a section, a sprint, a decision, a piece of evidence…) as written. */
export interface SourcePart {
  /** Which part: "title", "section:2", "decision:7", "evidence:7:0"… */
  key: string;
  /** A fingerprint of the part's normal form when imported: it is written as it was only while that still matches. */
  normal: string;
  /** The part's lines as written, from its first line to its last non-blank one, with \n line ends. */
  raw: string;
  /** What followed it up to the next part: blank lines, or the document's own ending. */
  after: string;
}

/** Whose public holidays are not working days: a UK nation's, or none (weekdays only). */
export type HolidayRegion = 'england-and-wales' | 'scotland' | 'northern-ireland' | 'none';

export interface ScheduleSettings {
  digestOn: boolean;
  /** 0 = Sunday … 6 = Saturday, as date-fns counts. */
  digestWeekday: number;
  /** "HH:MM" in the case's time zone. */
  digestTime: string;
  retroOn: boolean;
  retroTime: string;
  /** Whose public holidays working days skip; null or absent: the region the time zone implies. */
  holidays?: HolidayRegion | null;
}

export type PublishMode = 'pr' | 'commit';

/**
 * One file a case publishes, at its own path. Today a case is one file (`case`); a case
 * kept in two files (the business case, and its key decisions in a file of their own)
 * will publish each part at its own path, with its own `known` list.
 */
export interface PublishedFile {
  /** The whole case in one file, or one of the two files of a case kept in two (layout.files). */
  part: 'case' | 'case-file' | 'decisions-file';
  /** Path in the repository, such as "docs/business-case.md". */
  path: string;
  /**
   * Git blob ids of this file's content as the bot last saw it on the base branch or wrote
   * it (newest first, a few): content with one of these ids holds no edit made on GitHub.
   */
  known: string[];
  /** Of those, the one the bot last saw (or wrote) on the base branch: what edits there start from. */
  seen: string | null;
  /**
   * A version on the base branch the case could not take in whole (too big, not UTF-8, parts
   * changed on both sides, numbers that skip…), with why: the channel was told once, and the
   * case goes as a pull request, never a commit over it, while the base branch holds it.
   */
  held?: { blobSha: string; reason: string } | null;
}

/** What one publication did, for `publish` and the digest's link. */
export interface PublicationRecord {
  /** ISO time. */
  at: string;
  /** The ISO week it belongs to ("2026-W49"): names the pull request's branch. */
  week: string;
  outcome: 'pull request' | 'commit' | 'nothing';
  /** The pull request's or the commit's page; null when there was nothing to publish. */
  url: string | null;
  /** The pull request's number, when there is one. */
  number: number | null;
  /** The base branch's commit it was made against: the week's branch is rebuilt when the base moves on. */
  base: string | null;
}

/** Where and how a case is published to GitHub (`publish github …`). */
export interface Publication {
  owner: string;
  repo: string;
  /** The branch publications go into: the repository's default when connected, unless named. */
  branch: string;
  mode: PublishMode;
  files: PublishedFile[];
  /** When it was connected (ISO): no weekly publication is due from before. */
  connectedAt: string;
  last: PublicationRecord | null;
}

export interface Case {
  id: string;
  place: Place;
  /** The document's H1 as written, or null when it has none. */
  title: string | null;
  template: TemplateName;
  timeZone: string;
  sprintLength: SprintLength;
  layout: DocumentLayout;
  schedule: ScheduleSettings;
  /** Bumped by `share revoke`: share tokens carry it. */
  shareVersion: number;
  /** The GitHub repository the case is published to, or null. */
  publication: Publication | null;
  /**
   * Advanced by every write to anything in the case (its sprints, decisions, evidence,
   * sections, settings). A write commits only if the version it read is still current.
   */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The phases of a government service, in the order a service moves through them. */
export type PhaseKind = 'discovery' | 'alpha' | 'beta' | 'live';

/** A phase that starts at a sprint: its kind, and the team's own name for it ("Private beta"), if any. */
export interface SprintPhase {
  kind: PhaseKind;
  name: string | null;
}

export interface Sprint {
  number: number;
  /** Text after "Sprint N" in the heading, as written (": Alpha", " (3 to 14 Feb)"), or "". */
  suffix: string;
  /** Intro text under the sprint heading before its first decision. */
  intro: string;
  /** Local date (YYYY-MM-DD, case time zone) it started, when known. */
  startsOn: string | null;
  /**
   * The phase that starts at this sprint (`phase start`); later sprints belong to it until
   * the next phase starts. Absent or null: no phase starts here.
   */
  phase?: SprintPhase | null;
}

/**
 * `proposed`: recorded to be agreed (`propose`), then `accept` makes it active or `reject`
 * settles it as rejected. Withdrawn and superseded are for decisions that were taken.
 */
export type DecisionStatus = 'active' | 'proposed' | 'rejected' | 'withdrawn' | 'superseded';

export interface Revision {
  text: string;
  editedBy: Actor;
  editedAt: string;
}

export interface Decision {
  number: number;
  sprint: number;
  text: string;
  author: Actor;
  createdAt: string;
  updatedAt: string;
  status: DecisionStatus;
  /** Reason given on withdraw or reject, if any. */
  statusReason: string | null;
  /** Who took the decision (`record … by @ana`, `accept 3 by @ana`), by name; empty when nobody was named. Who typed it is `author`. */
  deciders: string[];
  supersededBy: number | null;
  /** Permalink of the chat message it was captured from. */
  sourceUrl: string | null;
  /** Earlier texts, oldest first. */
  revisions: Revision[];
  /** The points of the Service Standard (1 to 14) it was tagged with, ascending; empty when none. */
  points: number[];
}

export interface Evidence {
  id: string;
  /** The decision it sits under. */
  decision: number;
  /** Its own letter (a, b, … z, aa) or null when it only points back at earlier evidence. */
  letter: string | null;
  /** For "Evidence 10a: See above" under Decision 13: the label it points back at. */
  refersTo: string | null;
  /** Order under its decision. */
  position: number;
  text: string;
  author: Actor;
  createdAt: string;
  sourceUrl: string | null;
  /** The points of the Service Standard (1 to 14) it speaks to, ascending; empty when none. */
  points: number[];
}

/** The label people cite: "8a", or the pointed-at label for a back-reference. */
export function evidenceLabel(e: Pick<Evidence, 'decision' | 'letter' | 'refersTo'>): string {
  return e.letter !== null ? `${e.decision}${e.letter}` : (e.refersTo ?? `${e.decision}`);
}

/** What `undo` must put back, as plain data a Store can apply. */
export type UndoStep =
  | { op: 'deleteDecision'; number: number }
  | { op: 'putDecision'; decision: Decision }
  | { op: 'deleteEvidence'; id: string }
  | { op: 'putCase'; fields: CaseFields }
  | { op: 'putSection'; heading: string; body: string }
  | { op: 'deleteSprint'; number: number }
  /** Puts a sprint back as it was (a phase started at it). */
  | { op: 'putSprint'; sprint: Sprint }
  /** Puts a piece of evidence back as it was (its points changed). */
  | { op: 'putEvidence'; evidence: Evidence }
  /**
   * Puts a whole case back as it was (an import replaced it): its fields and every sprint,
   * decision and piece of evidence. The case's id, place and creation time never change.
   */
  | { op: 'restoreCase'; snapshot: CaseSnapshot }
  /** Puts back publication settings; what the bot has recorded since (files it saw, the last publication) stays. */
  | { op: 'putPublication'; publication: Publication | null };

/** The fields of a case that commands change. */
export type CaseFields = Partial<Pick<Case, 'title' | 'template' | 'timeZone' | 'sprintLength' | 'layout' | 'schedule' | 'shareVersion' | 'publication'>>;

/**
 * What a change was about, as data, for the weekly digest ("sections changed", "edited").
 * Set by the service on the changes the digest reports; absent on the others.
 */
export type ChangeSubject =
  | { kind: 'decision'; number: number; action: 'edited' | 'withdrawn' | 'superseded' | 'accepted' | 'rejected' }
  | { kind: 'section'; heading: string }
  /** A phase started at this sprint: the phase before it ended there (the digest says what shaped it). */
  | { kind: 'phase'; sprint: number };

/** One change someone made, kept so they can undo it. */
export interface Change {
  id: string;
  caseId: string;
  actor: Actor;
  at: string;
  /** The case version this change committed (0 for changes made before versions existed). */
  version: number;
  /**
   * What it wrote, as keys ("decision.3", "evidence.<id>", "case.layout.section.benefits",
   * "sprint.4", or "*" for the whole case: an import). An undo is refused when a later change
   * touched a key equal to, inside or containing one of these.
   */
  touches: string[];
  /** Plain words: "recorded Decision 8". */
  description: string;
  undo: UndoStep[];
  /** What it changed, when the digest needs to know; absent otherwise. */
  subject?: ChangeSubject;
  /** When it was undone, or null; stores report it on every change they read. */
  undoneAt?: string | null;
}

/** A Slack workspace install (OAuth), token already encrypted by the caller. */
export interface Installation {
  /** Team id, or enterprise id for org-wide installs. */
  key: string;
  /** The installation as Bolt gives it, with tokens encrypted. */
  data: string;
  updatedAt: string;
}

/** A Teams ConversationReference for proactive posts, as JSON. */
export interface ConversationRef {
  place: Place;
  reference: string;
  updatedAt: string;
}

/** A whole case as import/export and store copy move it. */
export interface CaseSnapshot {
  case: Case;
  sprints: Sprint[];
  decisions: Decision[];
  evidence: Evidence[];
}
