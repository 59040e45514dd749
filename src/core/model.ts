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
  /** YAML front matter before the document's first line of Markdown, kept as written. */
  frontMatter?: FrontMatter | null;
  /**
   * Sprints a document names other than "Sprint N" ("Sprint M2-S5", "Iteration 3", "Beta 1",
   * the one "Imported" sprint of decisions no heading placed), by sprint number: chat shows
   * the name, export writes the heading.
   */
  sprintForms?: Record<string, SprintForm> | null;
  /** A decision log ("## Decision 4: …", "**Decision:** …" under sprint headings) instead of the Sprint/Decision N layouts. */
  log?: DecisionLogLayout | null;
  /** A folder of architecture decision records, one file per decision, instead of one document. */
  adr?: AdrFolderLayout | null;
}

export interface FrontMatter {
  /** The YAML between the two `---` lines, in normal form. */
  yaml: string;
  /** True when the case title is its `title:` (the document has no # heading): a new title is written there. */
  title: boolean;
}

export interface SprintForm {
  /** How chat names the sprint: "Sprint M2-S5", "Iteration 3", "Imported". */
  name: string;
  /** Its heading as written; null when it has none of its own (the title names it, or it stands for decisions no heading placed). */
  heading: string | null;
  level: number;
}

/** How one decision of a decision log was written, so export writes it the same way. */
export interface LoggedDecision {
  style: 'heading' | 'bold';
  /** The heading's level (for "bold", the level headings under it start deeper than). */
  level: number;
  /**
   * The number as written: null for "## Decision: …"; a number smaller than the decision's
   * own when the log numbered again from 1 (each sprint its own Decision 1).
   */
  label: number | null;
}

export interface DecisionLogLayout {
  /** How a decision recorded in chat is written: a heading at `level`, or a "**Decision N:** …" line. */
  style: 'heading' | 'bold';
  level: number;
  /** False when the log's first decision has no number ("## Decision: …"): chat's are written without one too, where they come next. */
  numbered: boolean;
  /** By decision number. */
  decisions: Record<string, LoggedDecision>;
  /** Evidence written as a sub-section of its decision, by "decision:position": its heading. */
  evidence: Record<string, { level: number; heading: string }>;
}

/** What a part of an ADR is to the case. */
export type AdrSectionRole = 'status' | 'decision' | 'evidence' | 'other';

export interface AdrSection {
  level: number;
  heading: string;
  role: AdrSectionRole;
  /** The body as imported, in normal form: written as it is for "other", and for "status" while the status is the one it meant. */
  body: string;
}

/** What the ADR's status meant when imported; while the decision still has it, the ADR's own words are written. */
export interface AdrStatusMeant {
  status: DecisionStatus;
  statusReason: string | null;
  supersededBy: number | null;
}

export interface AdrRecord {
  decision: number;
  /** Where it lives in the folder, with "/" between parts ("0001-use-cloud.md", "0002-auth/index.md"). */
  path: string;
  frontMatter: FrontMatter | null;
  /** What comes before the title in its heading ("1. ", "ADR 001: "), or "" (the number is in the file name). */
  titlePrefix: string;
  /** Text between the title and the first section ("Date: 2020-01-15", MADR's status list). */
  preamble: string;
  /** The preamble line that gives the status ("* Status: accepted"): its index and what precedes the status word. */
  statusLine: { index: number; prefix: string } | null;
  /** The preamble line that names who decided ("* Deciders: Ana, Ben"), and the names it gave: written as it was while they are the decision's. */
  deciders: { line: { index: number; prefix: string } | null; meant: string[] };
  sections: AdrSection[];
  meant: AdrStatusMeant;
  /** True when its preamble said the phase of its sprint starts with it ("_Phase: Alpha_"): while the sprint starts one, it says so still. */
  startsPhase?: boolean;
  source: SourceForm | null;
}

export interface AdrFolderLayout {
  /** The folder's own page (a README.md or index.md at its top that is not an ADR): the case's title and sections. */
  index: { path: string; source: SourceForm | null } | null;
  /** By decision number. A decision recorded in chat has none: it is written as a new ADR, named and laid out like the last one. */
  records: AdrRecord[];
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
    /** Its own front matter, when it has some. */
    frontMatter?: FrontMatter | null;
    /** How many of the sections just before `decisionsAt` are its own (a decision log's, before its first decision); 0 when absent. */
    sectionsBefore?: number;
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
  /**
   * With a GitHub App: the installation the case publishes through, one a person of the case's
   * workspace tied to it (GitHubLinkStore). Absent or null with a token.
   */
  installation?: number | null;
  last: PublicationRecord | null;
}

/**
 * The Slack canvas the bot keeps the case in. Only `on` is a person's setting (a change, with
 * undo); the rest is what the bot found out making the canvas, kept beside it.
 */
export interface CaseCanvas {
  /** Kept current after every change (`canvas on`); false: left as it stands (`canvas off`). */
  on: boolean;
  /** Slack's id of the canvas the bot made (F…); null until it is made. */
  id: string | null;
  /**
   * `channel`: the channel's own canvas. `standalone`: the channel had a canvas of its own,
   * which the bot never overwrites, so it made one apart and shared it with the channel.
   */
  kind: 'channel' | 'standalone';
  /** Where people find a standalone canvas (its link), or null. */
  url: string | null;
  /** Why the canvas is not kept current, in plain words (what Slack refused), or null. */
  problem: string | null;
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
  /** The case kept in its Slack channel's canvas (`canvas on`); absent or null when it never was. */
  canvas?: CaseCanvas | null;
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
  | { op: 'putPublication'; publication: Publication | null }
  /** Switches keeping the canvas on or off again; what the bot found out about the canvas stays. */
  | { op: 'switchCanvas'; on: boolean };

/** The fields of a case that commands change. */
export type CaseFields = Partial<Pick<Case, 'title' | 'template' | 'timeZone' | 'sprintLength' | 'layout' | 'schedule' | 'shareVersion' | 'publication' | 'canvas'>>;

/**
 * What a change was about, as data, for the weekly digest ("sections changed", "edited").
 * Set by the service on the changes the digest reports; absent on the others.
 */
export type ChangeSubject =
  | { kind: 'decision'; number: number; action: 'edited' | 'withdrawn' | 'superseded' | 'accepted' | 'rejected' }
  | { kind: 'section'; heading: string }
  /** A phase started at this sprint: the phase before it ended there (the digest says what shaped it). */
  | { kind: 'phase'; sprint: number }
  /** A whole case imported: one event, however much history it brought. */
  | { kind: 'import'; decisions: number; evidence: number };

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

/** A whole case as import/export and store copy move it. */
export interface CaseSnapshot {
  case: Case;
  sprints: Sprint[];
  decisions: Decision[];
  evidence: Evidence[];
}
