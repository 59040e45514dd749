/** View models for the weekly digest and the sprint retro prompt (filled in by the schedules work). */
import type { DecisionView } from './views';

/** A titled group of one-line items ("New decisions": "Decision 5: We will …"), as every surface shows it. */
export interface DigestSection {
  title: string;
  items: string[];
}

export interface DigestView {
  caseTitle: string | null;
  /** "23 to 29 Nov 2026" */
  period: string;
  quiet: boolean;
  /**
   * What every surface shows, in order: what changed, the gaps, the counts per sprint;
   * only groups with items. Worked out from the fields below, which stay for counts and checks.
   */
  sections: DigestSection[];
  added: DecisionView[];
  edited: DecisionView[];
  withdrawn: DecisionView[];
  superseded: DecisionView[];
  /** Proposals accepted or rejected in the week, and still so. */
  accepted: DecisionView[];
  rejected: DecisionView[];
  newEvidence: { decision: number; label: string; text: string }[];
  sectionsChanged: string[];
  /**
   * The case imported in the window (the latest import, not undone): one event. What it
   * brought is not in `added` or `newEvidence`, which are what was recorded here.
   */
  imported: { when: string; decisions: number; evidence: number } | null;
  gaps: {
    decisionsWithoutEvidence: { number: number; text: string }[];
    emptySections: { heading: string; prompt: string | null }[];
    brokenCitations: { section: string; citation: string }[];
    uncitedEvidence: string[];
    /** Proposed decisions still waiting to be accepted or rejected. */
    awaitingDecision: { number: number; text: string }[];
  };
  perSprint: { sprint: number; heading: string; decisions: number; evidence: number }[];
  /** Where to read the whole case. */
  link: { kind: 'page' | 'export'; url: string | null };
  /** "Sprint 7, Alpha": the sprint the week ends in and its phase; null while the case has no phases. */
  phase: string | null;
  /** The case page's timeline, when there is a page to link to. */
  timelineUrl: string | null;
  /** Phases that ended in the week (the next one started), each with its assessment pack's page when there is one. */
  phasesEnded: Array<{ label: string; span: string; url: string | null }>;
  /** This week's publication on GitHub, when there is one to look at. */
  published: PublishedLink | null;
}

/** A publication's pull request or commit. */
export interface PublishedLink {
  kind: 'pull request' | 'commit';
  url: string;
  /** The pull request's number. */
  number: number | null;
  /** "acme/business-case" */
  repository: string;
  /** In words, for every surface: "pull request #3 in acme/case", "this week's commit in acme/case". */
  label: string;
}

export interface RetroPromptView {
  caseTitle: string | null;
  sprint: { number: number; heading: string };
  question: string;
  decisions: DecisionView[];
  withoutEvidence: DecisionView[];
  /** Every proposal in the case still waiting to be accepted or rejected, whichever sprint it is in. */
  proposals: DecisionView[];
}
