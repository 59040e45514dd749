/**
 * The case over time, as a view model: per sprint, its phase and how many decisions (by
 * status) and pieces of evidence it holds. The case page and the assessment page draw it
 * (an SVG picture and the same figures as a table); the digest links to it.
 */
import type { CaseSnapshot, DecisionStatus, PhaseKind } from './model';
import { count, localDay } from './format';
import { phaseSpans, phaseAt, spanText } from './phases';
import { sprintHeading } from './sprints';

export interface TimelineSprint {
  number: number;
  /** "Sprint 3" or "Sprint 3: Beta", as written. */
  heading: string;
  /** The phase it belongs to, or null before the first phase. */
  phase: { kind: PhaseKind; label: string } | null;
  /** Whether a phase starts at this sprint. */
  startsPhase: boolean;
  /** "3 Feb 2026", when the sprint's start is known. */
  startsOn: string | null;
  /** Decisions recorded in it, by status now. */
  decisions: Record<DecisionStatus, number>;
  /** Every decision in it, whatever its status. */
  decisionCount: number;
  /** Evidence under its decisions. */
  evidence: number;
}

export interface TimelineView {
  sprints: TimelineSprint[];
  phases: Array<{ kind: PhaseKind; label: string; from: number; to: number | null; span: string }>;
  totals: { decisions: number; evidence: number; withdrawn: number; superseded: number };
  /** The picture in words: what a screen reader announces for it. */
  summary: string;
}

const NO_DECISIONS = (): Record<DecisionStatus, number> => ({ active: 0, proposed: 0, rejected: 0, withdrawn: 0, superseded: 0 });

export function buildTimeline(snapshot: Pick<CaseSnapshot, 'case' | 'sprints' | 'decisions' | 'evidence'>): TimelineView {
  const { decisions, evidence } = snapshot;
  const spans = phaseSpans(snapshot.sprints);
  // Every sprint a decision names appears, as the export writes it.
  const numbers = new Set(snapshot.sprints.map((s) => s.number));
  for (const d of decisions) numbers.add(d.sprint);
  const byNumber = new Map(snapshot.sprints.map((s) => [s.number, s]));
  const rows = new Map<number, TimelineSprint>();
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const s = byNumber.get(n);
    const span = phaseAt(spans, n);
    rows.set(n, {
      number: n,
      heading: sprintHeading(s ?? { number: n, suffix: '' }, snapshot.case.layout.sprintForms),
      phase: span ? { kind: span.kind, label: span.label } : null,
      startsPhase: Boolean(s?.phase),
      startsOn: s?.startsOn ? localDay(s.startsOn) : null,
      decisions: NO_DECISIONS(),
      decisionCount: 0,
      evidence: 0,
    });
  }
  const sprintOf = new Map<number, number>();
  for (const d of decisions) {
    sprintOf.set(d.number, d.sprint);
    const row = rows.get(d.sprint) as TimelineSprint;
    row.decisions[d.status] += 1;
    row.decisionCount += 1;
  }
  for (const e of evidence) {
    const sprint = sprintOf.get(e.decision);
    const row = sprint === undefined ? undefined : rows.get(sprint);
    if (row) row.evidence += 1;
  }
  const sprints = [...rows.values()];
  const totals = {
    decisions: decisions.length,
    evidence: sprints.reduce((n, s) => n + s.evidence, 0),
    withdrawn: sprints.reduce((n, s) => n + s.decisions.withdrawn, 0),
    superseded: sprints.reduce((n, s) => n + s.decisions.superseded, 0),
  };
  const phases = spans.map((s) => ({ kind: s.kind, label: s.label, from: s.from, to: s.to, span: spanText(s) }));
  return { sprints, phases, totals, summary: timelineSummary(sprints, phases, totals) };
}

function timelineSummary(sprints: TimelineSprint[], phases: TimelineView['phases'], totals: TimelineView['totals']): string {
  if (sprints.length === 0) return 'No sprints yet.';
  const first = sprints[0] as TimelineSprint;
  const last = sprints[sprints.length - 1] as TimelineSprint;
  const range = first.number === last.number ? `in Sprint ${first.number}` : `over ${count(sprints.length, 'sprint')}, Sprint ${first.number} to Sprint ${last.number}`;
  const marked = [totals.withdrawn > 0 ? `${totals.withdrawn} withdrawn` : '', totals.superseded > 0 ? `${totals.superseded} superseded` : ''].filter((x) => x !== '');
  const inPhases = phases.length === 0 ? ' No phase started yet.' : ` Phases: ${phases.map((p) => `${p.label} (${p.span})`).join(', ')}.`;
  return `${count(totals.decisions, 'decision')}${marked.length > 0 ? ` (${marked.join(', ')})` : ''} and ${count(totals.evidence, 'piece of evidence', 'pieces of evidence')} ${range}.${inPhases}`;
}
