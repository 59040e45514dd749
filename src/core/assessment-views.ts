/** View models for the service assessment pack (assessment.ts builds them). */
import type { DecisionStatus } from './model';
import type { TimelineView } from './timeline';
import type { PointView } from './views';

export interface AssessedEvidence {
  /** "8a", or the label a back-reference points at. */
  label: string;
  /** "Evidence 8a", or "Evidence 10a (see above)". */
  title: string;
  text: string;
  points: PointView[];
}

/** A decision as the pack shows it: number, sprint, status, text, who, with its evidence. */
export interface AssessedDecision {
  number: number;
  sprint: number;
  sprintHeading: string;
  phase: string | null;
  status: DecisionStatus;
  /** "superseded by Decision 9", "withdrawn: the reason"; null while active. */
  statusLabel: string | null;
  text: string;
  /** Who took it: the people named as deciding it, else who recorded it; null for an imported decision nobody was named for. */
  who: string | null;
  /** Its own points and its evidence's, in order. */
  points: PointView[];
  evidence: AssessedEvidence[];
}

export interface AssessmentPoint extends PointView {
  /** Decisions taken in scope that shaped it (tagged, or with evidence tagged), active, superseded or withdrawn. */
  decisions: AssessedDecision[];
  /** Whether an active or superseded decision shaped it (a withdrawn one alone does not). */
  covered: boolean;
}

/** One superseded chain: Decision 3, replaced by 7, replaced by 9. */
export interface SupersededChain {
  links: Array<{ number: number; status: DecisionStatus | null; text: string | null }>;
}

export interface AssessmentView {
  caseTitle: string | null;
  /** What it covers: "Alpha" and "Sprints 2 to 6", or the whole case. */
  scope: { kind: 'phase' | 'case'; label: string; key: string | null; sprints: string };
  /** Decisions taken in scope (active, superseded or withdrawn): proposals are counted apart. */
  decisionCount: number;
  evidenceCount: number;
  /** All 14, in order. */
  points: AssessmentPoint[];
  covered: number[];
  /** Points of the Service Standard no decision in scope shaped. */
  uncovered: PointView[];
  /** Decisions taken in scope with no point on them or their evidence. */
  untagged: AssessedDecision[];
  /** Proposed and rejected decisions in scope: not decisions that shaped a point. */
  proposals: AssessedDecision[];
  gaps: {
    /** Active decisions in scope with no evidence. */
    withoutEvidence: AssessedDecision[];
    /** Chains of superseded decisions that reach into the scope. */
    chains: SupersededChain[];
    /** Citations in the case (its sections, and evidence pointing back) that name nothing it has. */
    brokenCitations: Array<{ where: string; citation: string }>;
  };
  timeline: TimelineView;
  /** "Alpha: 13 decisions, 5 of 14 points covered; nothing yet for 2, 3 and 4." */
  summary: string;
}
