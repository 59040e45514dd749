/**
 * The service assessment pack, as one view model: for each of the 14 points of the Service
 * Standard, the decisions that shaped it in the phase (or the whole case), with their
 * evidence; then the decisions with no point, the proposals, and the gaps.
 *
 * What counts as what (so the pack can be checked against a case):
 * - In scope: decisions recorded in a sprint of the phase (every phase of that kind, for
 *   `assessment beta` in a case with a private and a public beta); evidence goes with its decision.
 * - Decisions taken are active, superseded or withdrawn ones; proposed and rejected ones
 *   are proposals, listed apart and never counted as shaping a point.
 * - A decision shaped a point when it, or a piece of its evidence, is tagged with it.
 * - A point is covered when an active or superseded decision shaped it: a withdrawn one is
 *   shown under the point, with its status, but covers nothing.
 * - Gaps: points no decision covers; active decisions with no evidence; chains of
 *   superseded decisions that reach into the scope, whole (from the first decision replaced
 *   to the one that stands); citations in the case's sections, and evidence pointing back,
 *   that name nothing the case has.
 */
import type { AssessedDecision, AssessmentPoint, AssessmentView, SupersededChain } from './assessment-views';
import { checkCitations } from './citations';
import { count, evidenceView, pointViews, statusLabel } from './format';
import { IMPORTER } from './import';
import { joinNames } from './markdown/escape';
import type { CaseSnapshot, Decision, DecisionStatus, Evidence } from './model';
import { evidenceLabel } from './model';
import { inScope, phaseLabeller, resolvePhase, type PhaseScope, spanText } from './phases';
import { zoneDate } from './schedule';
import { POINT_COUNT, pointList, SERVICE_STANDARD, sortPoints } from './service-standard';
import { sprintHeading, sprintOn } from './sprints';
import { writableSections } from './templates';
import { buildTimeline } from './timeline';

/**
 * The pack of the phase a page asks for (`?phase=alpha`; null: the current one), for the
 * case as stored: its current sprint from the calendar at `now`. A problem in plain words
 * when the case has no such phase.
 */
export function assessmentOf(snapshot: CaseSnapshot, phase: string | null, now: Date): AssessmentView | { problem: string } {
  const c = snapshot.case;
  const window = sprintOn(snapshot.sprints, c.sprintLength, zoneDate(now, c.timeZone));
  const scope = resolvePhase(snapshot.sprints, window.number, phase);
  return 'problem' in scope ? scope : buildAssessment(snapshot, scope);
}

const TAKEN: ReadonlySet<DecisionStatus> = new Set(['active', 'superseded', 'withdrawn']);

export function buildAssessment(snapshot: CaseSnapshot, scope: PhaseScope): AssessmentView {
  const { case: c, sprints, decisions, evidence } = snapshot;
  const phaseOf = phaseLabeller(sprints);
  const sprintByNumber = new Map(sprints.map((s) => [s.number, s]));
  const evidenceOf = new Map<number, Evidence[]>();
  for (const e of [...evidence].sort((a, b) => a.decision - b.decision || a.position - b.position)) {
    const under = evidenceOf.get(e.decision);
    if (under) under.push(e);
    else evidenceOf.set(e.decision, [e]);
  }
  const pointsOf = (d: Decision): number[] => sortPoints([...d.points, ...(evidenceOf.get(d.number) ?? []).flatMap((e) => e.points)]);
  const assessed = (d: Decision): AssessedDecision => ({
    number: d.number,
    sprint: d.sprint,
    sprintHeading: sprintHeading(sprintByNumber.get(d.sprint) ?? { number: d.sprint, suffix: '' }, c.layout.sprintForms),
    phase: phaseOf(d.sprint),
    status: d.status,
    statusLabel: statusLabel(d),
    text: d.text,
    who: d.deciders.length > 0 ? joinNames(d.deciders) : d.author.id === IMPORTER.id ? null : d.author.name,
    points: pointViews(pointsOf(d)),
    evidence: (evidenceOf.get(d.number) ?? []).map((e) => {
      const v = evidenceView(e, c.timeZone);
      return { label: v.label, title: v.title, text: v.text, points: v.points };
    }),
  });

  const inside = [...decisions].filter((d) => inScope(scope, d.sprint)).sort((a, b) => a.number - b.number);
  const views = new Map(inside.map((d) => [d.number, assessed(d)]));
  const view = (d: Decision): AssessedDecision => views.get(d.number) as AssessedDecision;
  const taken = inside.filter((d) => TAKEN.has(d.status));

  const points: AssessmentPoint[] = SERVICE_STANDARD.map((p) => {
    const shaped = taken.filter((d) => view(d).points.some((x) => x.number === p.number));
    return { ...p, decisions: shaped.map(view), covered: shaped.some((d) => d.status === 'active' || d.status === 'superseded') };
  });
  const covered = points.filter((p) => p.covered).map((p) => p.number);
  const uncovered = points.filter((p) => !p.covered).map((p) => ({ number: p.number, title: p.title }));

  const evidenceLabels = new Set(evidence.filter((e) => e.letter !== null).map((e) => evidenceLabel(e)));
  const { broken } = checkCitations(writableSections(c.layout.sections), decisions, evidence);
  const pointingNowhere = inside.flatMap((d) => (evidenceOf.get(d.number) ?? [])
    .filter((e) => e.letter === null && e.refersTo !== null && !evidenceLabels.has(e.refersTo))
    .map((e) => ({ where: `Decision ${d.number}`, citation: e.refersTo ?? '' })));

  const scopeView: AssessmentView['scope'] = scope.kind === 'case'
    ? { kind: 'case', label: 'The whole case', key: null, sprints: sprintRange(sprints.map((s) => s.number)) }
    : { kind: 'phase', label: scope.label, key: scope.key, sprints: scope.spans.map(spanText).join('; ') };
  const inScopeNumbers = new Set(inside.map((d) => d.number));
  const base = {
    caseTitle: c.title,
    scope: scopeView,
    decisionCount: taken.length,
    evidenceCount: taken.reduce((n, d) => n + (evidenceOf.get(d.number)?.length ?? 0), 0),
    points, covered, uncovered,
    untagged: taken.filter((d) => view(d).points.length === 0).map(view),
    proposals: inside.filter((d) => !TAKEN.has(d.status)).map(view),
    gaps: {
      withoutEvidence: inside.filter((d) => d.status === 'active' && (evidenceOf.get(d.number)?.length ?? 0) === 0).map(view),
      chains: supersededChains(decisions).filter((chain) => chain.links.some((l) => inScopeNumbers.has(l.number))),
      brokenCitations: [...broken.map((b) => ({ where: `the ${b.section} section`, citation: b.citation })), ...pointingNowhere],
    },
    timeline: buildTimeline(snapshot),
  };
  return { ...base, summary: assessmentSummary(base) };
}

/** "Sprints 0 to 6", "Sprint 3", or "no sprints yet". */
function sprintRange(numbers: number[]): string {
  if (numbers.length === 0) return 'no sprints yet';
  const lo = Math.min(...numbers);
  const hi = Math.max(...numbers);
  return lo === hi ? `Sprint ${lo}` : `Sprints ${lo} to ${hi}`;
}

/**
 * Every chain of superseded decisions, whole: from a decision replaced that replaced none,
 * through each replacement, to the first that is not itself superseded (or a number the case
 * does not have). A loop (3 replaced by 7, 7 by 3), which only a hand-edited document can
 * hold, is one chain, ending where it would repeat.
 */
export function supersededChains(decisions: readonly Decision[]): SupersededChain[] {
  const byNumber = new Map(decisions.map((d) => [d.number, d]));
  const replaces = new Set<number>();
  for (const d of decisions) if (d.status === 'superseded' && d.supersededBy !== null) replaces.add(d.supersededBy);
  const superseded = decisions.filter((d) => d.status === 'superseded' && d.supersededBy !== null).sort((a, b) => a.number - b.number);
  const seen = new Set<number>();
  const chains: SupersededChain[] = [];
  const walk = (start: Decision): void => {
    const links: SupersededChain['links'] = [];
    // Chains may meet (3 and 5 both replaced by 7): each is shown whole; `here` stops a loop.
    const here = new Set<number>();
    let at: Decision | undefined = start;
    let n = start.number;
    while (at !== undefined && !here.has(n)) {
      here.add(n);
      seen.add(n);
      links.push({ number: n, status: at.status, text: at.text });
      if (at.status !== 'superseded' || at.supersededBy === null) break;
      n = at.supersededBy;
      at = byNumber.get(n);
      if (at === undefined) links.push({ number: n, status: null, text: null });
    }
    chains.push({ links });
  };
  for (const d of superseded) if (!replaces.has(d.number) && !seen.has(d.number)) walk(d);
  // What is left is in a loop.
  for (const d of superseded) if (!seen.has(d.number)) walk(d);
  return chains;
}

/** "Alpha: 13 decisions, 5 of 14 points covered; nothing yet for 2, 3 and 4." */
export function assessmentSummary(a: Omit<AssessmentView, 'summary'>): string {
  const missing = a.uncovered.map((p) => p.number);
  const rest = missing.length === 0 ? 'every point covered' : `${a.covered.length} of ${POINT_COUNT} points covered; nothing yet for ${pointList(missing)}`;
  const proposals = a.proposals.length > 0 ? ` ${count(a.proposals.length, 'proposal')} not yet taken.` : '';
  return `${a.scope.label}: ${count(a.decisionCount, 'decision')}, ${rest}.${proposals}`;
}
