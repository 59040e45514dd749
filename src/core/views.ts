/**
 * View models: what core answers with. Adapters render them (Block Kit, Adaptive
 * Cards, terminal text); user text in them is raw and each adapter escapes it.
 */
import type { Actor, DecisionStatus, PhaseKind, TemplateName } from './model';
import type { DigestView, RetroPromptView } from './digest-views';
import type { AssessmentView } from './assessment-views';
import type { NamedPerson } from './said';

/** One phase of the case, as `phase` lists it. */
export interface PhaseView {
  kind: PhaseKind;
  /** "Alpha", or the team's own name for it. */
  label: string;
  from: number;
  /** The last sprint in it, or null while it runs. */
  to: number | null;
  /** "from Sprint 2", "Sprints 0 to 1". */
  span: string;
  /** Decisions recorded in its sprints. */
  decisions: number;
  current: boolean;
}

export type Visibility = 'channel' | 'caller';

/** A point of the Service Standard: "5", "Make sure everyone can use the service". */
export interface PointView {
  number: number;
  title: string;
}

export interface EvidenceView {
  /** "8a", or the label a back-reference points at. */
  label: string;
  /** "Evidence 8a", or "Evidence 10a (see above)" for a back-reference: what every surface calls it. */
  title: string;
  text: string;
  author: Actor;
  /** Local time in the case's time zone, "26 Nov 2026, 09:14". */
  when: string;
  sourceUrl: string | null;
  /** The points of the Service Standard it speaks to, in order. */
  points: PointView[];
}

export interface RevisionView {
  text: string;
  editedBy: Actor;
  when: string;
}

export interface DecisionView {
  number: number;
  sprint: number;
  sprintHeading: string;
  /** The phase its sprint belongs to ("Alpha"), or null before the first phase. */
  phase: string | null;
  text: string;
  status: DecisionStatus;
  /** "withdrawn: the reason", "superseded by Decision 4"; null while the decision is active. */
  statusLabel: string | null;
  /** The facts behind the label: a withdrawal's reason as written, the replacing decision. */
  statusReason: string | null;
  supersededBy: number | null;
  /** Who took it, by name; empty when nobody was named. */
  deciders: string[];
  /** "Ana and Ben", or null: for a line such as "Decided by Ana and Ben". */
  decidedBy: string | null;
  author: Actor;
  when: string;
  /** Came in with an imported case: `when` is when it was imported, and nobody here recorded it. */
  imported: boolean;
  sourceUrl: string | null;
  evidence: EvidenceView[];
  revisions: RevisionView[];
  /** The points of the Service Standard it was tagged with, in order. */
  points: PointView[];
}

/** `tagged`: its points (or one of its evidence's) changed. */
export type DecisionEvent = 'recorded' | 'proposed' | 'accepted' | 'rejected' | 'evidence added' | 'edited' | 'withdrawn' | 'superseded' | 'tagged' | 'shown';

export interface SprintView {
  number: number;
  heading: string;
  /** The phase the sprint belongs to ("Alpha"), or null before the first phase. */
  phase: string | null;
  startsOn: string;
  endsOn: string;
  /** "2 weeks" */
  length: string;
  timeZone: string;
  decisionCount: number;
}

export interface SectionView {
  heading: string;
  level: number;
  empty: boolean;
  /** The template's question for an empty section. */
  prompt: string | null;
}

/** One of the files a case is kept in, as `export` offers it. */
export interface ExportFile {
  name: string;
  markdown: string;
  /** Its download link (PUBLIC_URL and SHARE_SECRET), or null. */
  url: string | null;
}

export interface HelpEntry {
  command: string;
  usage: string;
  summary: string;
  examples: string[];
  /** More lines `help <command>` shows (the points of the Service Standard for `tag`). */
  details?: string[];
}

export interface FormView {
  /** Sprints the decision may go in, newest first; `current` is preselected. */
  sprints: { number: number; heading: string }[];
  current: number;
  /** Text to start from (a message captured with a shortcut). */
  text: string;
  sourceUrl: string | null;
}

/** What a place's case holds now: an import replaces it. */
export interface CurrentCaseView {
  title: string | null;
  decisions: number;
  evidence: number;
  /** Sections with text of their own (not "To be written."). */
  writtenSections: number;
}

/** What the chosen files would bring in, for a person to check before anything changes. */
export interface ImportPreviewView {
  title: string | null;
  /** The files as the importer told them apart: the business case first, then its key decisions. */
  files: string[];
  decisions: number;
  evidence: number;
  sections: number;
  /** One line a sprint, as the import report words them: "Sprint 1: 3 decisions, 5 pieces of evidence". */
  sprints: string[];
  /** One line a file: the layout recognised in it and what it holds ("log.md: a decision log …; 3 decisions, 4 pieces of evidence"). */
  found: string[];
  /** What a person should know that is not a problem: numbers given, gaps, files left out. */
  notes: string[];
  /** What was kept as text, each naming its line (and its file, for two). */
  warnings: string[];
  /** The import report, line by line, as the command line prints it. */
  report: string[];
}

export interface ImportView {
  /** The case version this was worked out against (null: no case yet); a confirmation carries it back. */
  version: number | null;
  /** The case an import replaces; null when the place has none. */
  current: CurrentCaseView | null;
  /** What the chosen files hold; null until files are chosen (Slack then opens its form). */
  preview: ImportPreviewView | null;
  /** Shown again because the case changed after the person last looked: they must look again. */
  changed: boolean;
}

/**
 * `people`: who the summary (or an error's message, the same words) names, and where, so a
 * surface can show them its own way; absent when it names nobody.
 */
/**
 * `warning`: what the person should know about what was kept (citations that point at
 * nothing), shown after the reply; absent when there is nothing to say.
 */
export type Reply = { summary: string; visibility: Visibility; caseId?: string; people?: NamedPerson[]; warning?: string } & (
  /** `undo`: the id of the change this reply announces, for an Undo button; null when there is none. */
  | { kind: 'decision'; event: DecisionEvent; decision: DecisionView; newEvidence: string | null; undo: string | null }
  /**
   * `total`: how many there are in all (more than `decisions` when only a page is shown);
   * `next`: the command that shows the next page, or null.
   */
  | { kind: 'decisions'; heading: string; decisions: DecisionView[]; emptyText: string; total: number; next: string | null }
  /**
   * `undid`: the change an undo took back, so a surface can mark its announcement as undone.
   * `undo`: the change this notice announces, for an Undo button (an import).
   */
  | { kind: 'notice'; undid?: string; undo?: string }
  | { kind: 'sprint'; sprint: SprintView }
  | { kind: 'case'; title: string | null; template: TemplateName; templateLabel: string; sections: SectionView[]; decisionCount: number; evidenceCount: number; sprintCount: number }
  | { kind: 'section'; heading: string; body: string; empty: boolean; prompt: string | null }
  | { kind: 'digest'; digest: DigestView }
  | { kind: 'retro'; retro: RetroPromptView }
  /**
   * `markdown`, `filename`, `url`: the case as one file. `files`: the files the team keeps it
   * in (one, or the business case and its key decisions), each with its download link.
   * `describes`: what the file is, in words ("the business case", "the Alpha assessment pack").
   */
  | { kind: 'export'; markdown: string; filename: string; url: string | null; files: ExportFile[]; describes: string }
  /** `phase`: the case's phases and where the current sprint stands; `undo`, after `phase start`, the change for an Undo button. */
  | { kind: 'phases'; phases: PhaseView[]; sprint: { number: number; heading: string; phase: string | null }; undo: string | null }
  /** `url`: the assessment page, when sharing is on. */
  | { kind: 'assessment'; assessment: AssessmentView; url: string | null }
  | { kind: 'share'; url: string }
  /** `greeting`: an answer to a hello (or a word that is no command): the welcome comes first. */
  | { kind: 'help'; entries: HelpEntry[]; topic: string | null; greeting: boolean }
  | { kind: 'form'; form: FormView }
  | { kind: 'import'; import: ImportView }
  | { kind: 'error'; message: string; suggestion: string | null; field: 'text' | 'evidence' | 'sprint' | 'decision' | 'deciders' | 'points' | null }
);

export type ReplyOf<K extends Reply['kind']> = Extract<Reply, { kind: K }>;
