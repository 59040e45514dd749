/**
 * View models: what core answers with. Adapters render them (Block Kit, Adaptive
 * Cards, terminal text); user text in them is raw and each adapter escapes it.
 */
import type { Actor, DecisionStatus, TemplateName } from './model';
import type { DigestView, RetroPromptView } from './digest-views';

export type Visibility = 'channel' | 'caller';

export interface EvidenceView {
  /** "8a", or the label a back-reference points at. */
  label: string;
  text: string;
  author: Actor;
  /** Local time in the case's time zone, "26 Nov 2026, 09:14". */
  when: string;
  sourceUrl: string | null;
  /** True for "Evidence 10a: See above" under a later decision. */
  backReference: boolean;
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
  text: string;
  status: DecisionStatus;
  statusReason: string | null;
  supersededBy: number | null;
  author: Actor;
  when: string;
  sourceUrl: string | null;
  evidence: EvidenceView[];
  revisions: RevisionView[];
}

export type DecisionEvent = 'recorded' | 'evidence added' | 'edited' | 'withdrawn' | 'superseded' | 'shown';

export interface SprintView {
  number: number;
  heading: string;
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

export interface HelpEntry {
  command: string;
  usage: string;
  summary: string;
  examples: string[];
}

export interface FormView {
  /** Sprints the decision may go in, newest first; `current` is preselected. */
  sprints: { number: number; heading: string }[];
  current: number;
  /** Text to start from (a message captured with a shortcut). */
  text: string;
  sourceUrl: string | null;
}

export type Reply = { summary: string; visibility: Visibility; caseId?: string } & (
  /** `undo`: the id of the change this reply announces, for an Undo button; null when there is none. */
  | { kind: 'decision'; event: DecisionEvent; decision: DecisionView; newEvidence: string | null; undo: string | null }
  /**
   * `total`: how many there are in all (more than `decisions` when only a page is shown);
   * `next`: the command that shows the next page, or null.
   */
  | { kind: 'decisions'; heading: string; decisions: DecisionView[]; emptyText: string; total: number; next: string | null }
  /** `undid`: the change an undo took back, so a surface can mark its announcement as undone. */
  | { kind: 'notice'; undid?: string }
  | { kind: 'sprint'; sprint: SprintView }
  | { kind: 'case'; title: string | null; template: TemplateName; templateLabel: string; sections: SectionView[]; decisionCount: number; evidenceCount: number; sprintCount: number }
  | { kind: 'section'; heading: string; body: string; empty: boolean; prompt: string | null }
  | { kind: 'digest'; digest: DigestView }
  | { kind: 'retro'; retro: RetroPromptView }
  | { kind: 'export'; markdown: string; filename: string; url: string | null }
  | { kind: 'share'; url: string }
  /** `greeting`: an answer to a hello (or a word that is no command): the welcome comes first. */
  | { kind: 'help'; entries: HelpEntry[]; topic: string | null; greeting: boolean }
  | { kind: 'form'; form: FormView }
  | { kind: 'error'; message: string; suggestion: string | null; field: 'text' | 'evidence' | 'sprint' | 'decision' | null }
);

export type ReplyOf<K extends Reply['kind']> = Extract<Reply, { kind: K }>;
