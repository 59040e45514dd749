/**
 * The weekly business-case digest, as a view model: what changed in the week, then the
 * gaps in the case, then counts per sprint and where to read the whole case.
 *
 * What counts as what (so the digest can be checked against a case):
 * - An import in the window (the latest not undone) is one event, "Case imported: 16
 *   decisions, 26 pieces of evidence", with a link to the case; what it brought is not new
 *   decisions or new evidence (it was decided before), so it is not listed as such.
 * - New decisions: recorded in the window (`createdAt`), whatever their status now; not
 *   those that came with an import.
 * - Edited, withdrawn, superseded: a change with that subject in the window that was not
 *   undone, and the decision still in that state (edited: still there); a decision recorded
 *   in the same window is reported as new only, not also as edited.
 * - New evidence: added in the window (`createdAt`), back-references included; not what
 *   came with an import.
 * - Sections changed: a `case <section> …` rewrite in the window, not undone, of a section
 *   the case still has; in the document's order.
 * - Gaps, for the case as it stands:
 *   - decisions with no evidence: active decisions with no evidence at all;
 *   - sections to be written: sections that read "To be written." or are empty, except
 *     a heading whose subsections follow it; with the template's question;
 *   - broken citations: citations (see citations.ts) naming a decision or evidence label the
 *     case does not have, once per section;
 *   - uncited evidence: lettered evidence under active decisions that no section cites by
 *     its label (citing "12" does not count as citing "12a").
 * A quiet week (nothing changed) says so in one line: the scheduled digest then leaves the
 * gaps and counts out; a preview keeps them.
 */
import type { CaseSnapshot, Change } from './model';
import { evidenceLabel } from './model';
import type { DigestSection, DigestView, PublishedLink } from './digest-views';
import type { DecisionView } from './views';
import type { DigestWindow } from './schedule';
import { checkCitations } from './citations';
import { count, decisionView, gist, localTime } from './format';
import { IMPORTER } from './import';
import { sprintHeading, sprintOn } from './sprints';
import { buildAssessment } from './assessment';
import type { AssessmentView } from './assessment-views';
import { phaseAt, phaseKey, phaseLabeller, phaseSpans, spanText, withPhase, type PhaseSpan } from './phases';
import { pointList } from './service-standard';
import { zoneDate } from './schedule';
import { isEmptySection, sectionPrompt, writableSections } from './templates';

export interface DigestOptions {
  /** The case's web page, when PUBLIC_URL makes one; otherwise the digest points at `export`. */
  linkUrl: string | null;
  /** A preview (the `digest` command) keeps the gaps on a quiet week. */
  preview?: boolean;
  /** This week's pull request or commit on GitHub. */
  published?: PublishedLink | null;
  /** The page of a phase's assessment pack (by its key), when there are pages to link to. */
  assessmentUrl?: ((phase: string) => string | null) | null;
}

/** At most this many decisions in a digest's "Decisions that shaped …": the assessment pack has them all. */
const SHAPED_MAX = 30;

/**
 * The phases that ended in the window: a phase started there (a change not undone) at a
 * sprint that still starts one, right after another phase. For each: the decisions that
 * shaped it (taken, not withdrawn, with their points) and the points no decision covers.
 */
function phasesEndedIn(snapshot: CaseSnapshot, live: Change[]): Array<{ span: PhaseSpan; view: AssessmentView }> {
  const spans = phaseSpans(snapshot.sprints);
  const ended = new Map<number, PhaseSpan>();
  for (const ch of live) {
    if (ch.subject?.kind !== 'phase') continue;
    const at = ch.subject.sprint;
    const before = spans.find((s) => s.to === at - 1);
    if (spans.some((s) => s.from === at) && before) ended.set(before.from, before);
  }
  return [...ended.values()].sort((a, b) => a.from - b.from)
    .map((span) => ({ span, view: buildAssessment(snapshot, { kind: 'phase', label: span.label, key: phaseKey(span), spans: [span] }) }));
}

/** "Sprint 7, Alpha" for the sprint the window ends in; null while the case has no phases. */
function phaseNow(snapshot: CaseSnapshot, window: DigestWindow): string | null {
  const spans = phaseSpans(snapshot.sprints);
  if (spans.length === 0) return null;
  const c = snapshot.case;
  const last = new Date(Math.max(0, Date.parse(window.until) - 1));
  const n = sprintOn(snapshot.sprints, c.sprintLength, zoneDate(last, c.timeZone)).number;
  const phase = phaseAt(spans, n);
  return phase ? withPhase(sprintHeading(snapshot.sprints.find((s) => s.number === n) ?? { number: n, suffix: '' }, c.layout.sprintForms), phase.label) : null;
}


export function buildDigest(snapshot: CaseSnapshot, changes: Change[], window: DigestWindow, options: DigestOptions): DigestView {
  const { case: c, sprints, decisions, evidence } = snapshot;
  const inWindow = (iso: string): boolean => iso >= window.since && iso < window.until;
  const phaseOf = phaseLabeller(sprints);
  const view = (n: number) => {
    const d = decisions.find((x) => x.number === n);
    return d ? decisionView(d, evidence, sprints, c, phaseOf) : null;
  };
  const live = changes.filter((ch) => !ch.undoneAt && inWindow(ch.at));
  const decisionsWith = (action: 'edited' | 'withdrawn' | 'superseded' | 'accepted' | 'rejected'): number[] => {
    const numbers = new Set<number>();
    for (const ch of live) if (ch.subject?.kind === 'decision' && ch.subject.action === action) numbers.add(ch.subject.number);
    return [...numbers].sort((a, b) => a - b);
  };

  // What came with an import was decided before it: the import is the one event.
  const recordedHere = (a: { id: string }): boolean => a.id !== IMPORTER.id;
  const lastImport = live.filter((ch) => ch.subject?.kind === 'import').sort((a, b) => b.version - a.version)[0];
  const importSubject = lastImport?.subject?.kind === 'import' ? lastImport.subject : null;
  const imported: DigestView['imported'] = lastImport && importSubject
    ? { when: localTime(lastImport.at, c.timeZone), decisions: importSubject.decisions, evidence: importSubject.evidence }
    : null;
  const added = decisions.filter((d) => inWindow(d.createdAt) && recordedHere(d.author)).sort((a, b) => a.number - b.number);
  const addedNumbers = new Set(added.map((d) => d.number));
  const present = <T>(x: T | null): x is T => x !== null;
  const edited = decisionsWith('edited').filter((n) => !addedNumbers.has(n)).map(view).filter(present);
  const withdrawn = decisionsWith('withdrawn').map(view).filter(present).filter((d) => d.status === 'withdrawn');
  const superseded = decisionsWith('superseded').map(view).filter(present).filter((d) => d.status === 'superseded');
  const accepted = decisionsWith('accepted').map(view).filter(present).filter((d) => d.status === 'active');
  const rejected = decisionsWith('rejected').map(view).filter(present).filter((d) => d.status === 'rejected');
  const newEvidence = evidence.filter((e) => inWindow(e.createdAt) && recordedHere(e.author))
    .sort((a, b) => a.decision - b.decision || a.position - b.position)
    .map((e) => ({ decision: e.decision, label: evidenceLabel(e), text: e.text }));
  const rewritten = new Set<string>();
  for (const ch of live) if (ch.subject?.kind === 'section') rewritten.add(ch.subject.heading.toLowerCase());
  const sectionsChanged = c.layout.sections.filter((s) => rewritten.has(s.heading.toLowerCase())).map((s) => s.heading);

  const ended = phasesEndedIn(snapshot, live);
  const quiet = !imported && added.length + edited.length + withdrawn.length + superseded.length + accepted.length + rejected.length + newEvidence.length + sectionsChanged.length + ended.length === 0;
  const link: DigestView['link'] = options.linkUrl ? { kind: 'page', url: options.linkUrl } : { kind: 'export', url: null };
  const base = {
    caseTitle: c.title, period: window.label, quiet,
    added: added.map((d) => decisionView(d, evidence, sprints, c, phaseOf)), edited, withdrawn, superseded, accepted, rejected, newEvidence, sectionsChanged, imported, link,
    published: options.published ?? null,
    phase: phaseNow(snapshot, window),
    timelineUrl: options.linkUrl ? `${options.linkUrl}#timeline` : null,
    phasesEnded: ended.map(({ span }) => ({ label: span.label, span: spanText(span), url: options.assessmentUrl?.(phaseKey(span)) ?? null })),
  };
  const shaped = phaseSections(ended);
  if (quiet && !options.preview) {
    const nothing = { gaps: { decisionsWithoutEvidence: [], emptySections: [], brokenCitations: [], uncitedEvidence: [], awaitingDecision: [] }, perSprint: [] };
    return { ...base, ...nothing, sections: [...shaped, ...digestSections({ ...base, ...nothing })] };
  }

  // Gaps: the case as it stands.
  const active = decisions.filter((d) => d.status === 'active');
  const activeNumbers = new Set(active.map((d) => d.number));
  const withEvidence = new Set(evidence.map((e) => e.decision));
  const decisionsWithoutEvidence = active.filter((d) => !withEvidence.has(d.number)).map((d) => ({ number: d.number, text: d.text }));
  const awaitingDecision = decisions.filter((d) => d.status === 'proposed').map((d) => ({ number: d.number, text: d.text }));

  const written = writableSections(c.layout.sections);
  const emptySections = written.filter((s) => isEmptySection(s.body)).map((s) => ({ heading: s.heading, prompt: sectionPrompt(c.template, s.heading) }));

  const { cited, broken: brokenCitations } = checkCitations(written, decisions, evidence);
  const uncitedEvidence = evidence
    .filter((e) => e.letter !== null && activeNumbers.has(e.decision))
    .sort((a, b) => a.decision - b.decision || a.position - b.position)
    .map((e) => `${e.decision}${e.letter ?? ''}`)
    .filter((label) => !cited.has(label));

  // Counted in one pass over each list (a case can hold thousands of decisions over hundreds of sprints).
  const sprintOf = new Map<number, number>();
  const decisionCount = new Map<number, number>();
  for (const d of decisions) {
    sprintOf.set(d.number, d.sprint);
    decisionCount.set(d.sprint, (decisionCount.get(d.sprint) ?? 0) + 1);
  }
  const evidenceCount = new Map<number, number>();
  for (const e of evidence) {
    const sprint = sprintOf.get(e.decision);
    if (sprint !== undefined) evidenceCount.set(sprint, (evidenceCount.get(sprint) ?? 0) + 1);
  }
  const perSprint = [...sprints].sort((a, b) => a.number - b.number).map((s) => (
    { sprint: s.number, heading: sprintHeading(s, c.layout.sprintForms), decisions: decisionCount.get(s.number) ?? 0, evidence: evidenceCount.get(s.number) ?? 0 }
  ));

  const rest = { gaps: { decisionsWithoutEvidence, emptySections, brokenCitations, uncitedEvidence, awaitingDecision }, perSprint };
  return { ...base, ...rest, sections: [...shaped, ...digestSections({ ...base, ...rest })] };
}

/** "Decisions that shaped Alpha" and the points still without one, for each phase that ended. */
function phaseSections(ended: Array<{ span: PhaseSpan; view: AssessmentView }>): DigestSection[] {
  return ended.flatMap(({ span, view }) => {
    const stood = [...view.points.flatMap((p) => p.decisions), ...view.untagged]
      .filter((d, i, all) => d.status !== 'withdrawn' && all.findIndex((x) => x.number === d.number) === i)
      .sort((a, b) => a.number - b.number);
    const items = stood.slice(0, SHAPED_MAX).map((d) => `Decision ${d.number}: ${gist(d.text, ITEM_MAX)} (${d.points.length > 0 ? `Service Standard ${pointList(d.points.map((p) => p.number))}` : 'no point of the Service Standard yet'})`);
    if (stood.length > SHAPED_MAX) items.push(`And ${stood.length - SHAPED_MAX} more: the ${span.label} assessment pack has them all.`);
    if (items.length === 0) items.push(`No decisions were taken in ${span.label} (${spanText(span)}).`);
    return [
      { title: `Decisions that shaped ${span.label}`, items },
      { title: `Points of the Service Standard with no decision in ${span.label}`, items: view.uncovered.map((p) => `${p.number}. ${p.title}`) },
    ].filter((s) => s.items.length > 0);
  });
}

/** Longest decision or evidence text in a digest line: a digest points at things, it does not repeat them. */
const ITEM_MAX = 300;

/** The digest's groups, each line in words, so every surface shows the same titles and items. */
export function digestSections(d: Omit<DigestView, 'sections'>): DigestSection[] {
  const decision = (x: { number: number; text: string }): string => `Decision ${x.number}: ${gist(x.text, ITEM_MAX)}`;
  // A new decision says when it is only proposed, and who took it when someone else did.
  const points = (x: DecisionView): string => (x.points.length > 0 ? ` [Service Standard ${pointList(x.points.map((p) => p.number))}]` : '');
  const added = (x: DecisionView): string => `Decision ${x.number}${x.status === 'proposed' ? ' (proposed)' : ''}: ${gist(x.text, ITEM_MAX)}${x.decidedBy ? ` (decided by ${x.decidedBy})` : ''}${points(x)}`;
  const all: DigestSection[] = [
    ...(d.imported ? [importSection(d.imported, d.link)] : []),
    { title: 'New decisions', items: d.added.map(added) },
    { title: 'Accepted', items: d.accepted.map((x) => `${decision(x)}${x.decidedBy ? ` (decided by ${x.decidedBy})` : ''}`) },
    { title: 'Rejected', items: d.rejected.map(decision) },
    { title: 'Edited', items: d.edited.map(decision) },
    { title: 'Withdrawn', items: d.withdrawn.map(decision) },
    { title: 'Superseded', items: d.superseded.map((x) => (x.supersededBy === null ? `Decision ${x.number}` : `Decision ${x.number} by Decision ${x.supersededBy}`)) },
    { title: 'New evidence', items: d.newEvidence.map((e) => `Evidence ${e.label}: ${gist(e.text, ITEM_MAX)}`) },
    { title: 'Sections changed', items: d.sectionsChanged },
    { title: 'Awaiting a decision', items: d.gaps.awaitingDecision.map(decision) },
    { title: 'Decisions with no evidence', items: d.gaps.decisionsWithoutEvidence.map(decision) },
    { title: 'Sections still to be written', items: d.gaps.emptySections.map((s) => `${s.heading}${s.prompt ? ` (${s.prompt})` : ''}`) },
    { title: 'Citations that point at nothing', items: d.gaps.brokenCitations.map((c) => `(${c.citation}) in ${c.section}`) },
    { title: 'Evidence no section cites', items: d.gaps.uncitedEvidence.map((l) => `Evidence ${l}`) },
    { title: 'Per sprint', items: d.perSprint.map((s) => `${s.heading}: ${count(s.decisions, 'decision')}, ${evidenceCount(s.evidence)}`) },
  ];
  return all.filter((s) => s.items.length > 0);
}

const evidenceCount = (n: number): string => count(n, 'piece of evidence', 'pieces of evidence');

/** "Case imported: 16 decisions, 26 pieces of evidence", as the digest and the channel say it. */
export function importedWords(decisions: number, evidence: number): string {
  return `Case imported: ${count(decisions, 'decision')}, ${evidenceCount(evidence)}`;
}

/** The import as the digest's first group: what it brought, when, and a link to the case. */
function importSection(i: NonNullable<DigestView['imported']>, link: DigestView['link']): DigestSection {
  // A Markdown link, which each surface shows as its own links.
  const where = link.url ? ` [Read the case](${link.url})` : ' `export` has the whole case.';
  return { title: importedWords(i.decisions, i.evidence), items: [`Imported on ${i.when}.${where}`] };
}

/** One line for notifications and logs. */
export function digestSummary(d: DigestView): string {
  const title = d.caseTitle ?? 'the business case';
  const when = d.phase ? `${d.period}; ${d.phase}` : d.period;
  if (d.quiet) return `A quiet week in ${title} (${when}): nothing changed.`;
  const parts: string[] = d.imported ? [importedWords(d.imported.decisions, d.imported.evidence).replace(/^Case/, 'case')] : [];
  const count = (n: number, one: string, many: string = `${one}s`) => { if (n > 0) parts.push(`${n} ${n === 1 ? one : many}`); };
  count(d.added.length, 'new decision');
  count(d.edited.length, 'edited decision');
  count(d.withdrawn.length, 'withdrawn decision');
  count(d.superseded.length, 'superseded decision');
  count(d.accepted.length, 'accepted proposal');
  count(d.rejected.length, 'rejected proposal');
  count(d.newEvidence.length, 'new piece of evidence', 'new pieces of evidence');
  count(d.sectionsChanged.length, 'section changed', 'sections changed');
  const g = d.gaps;
  const gaps = g.decisionsWithoutEvidence.length + g.emptySections.length + g.brokenCitations.length + g.uncitedEvidence.length;
  const waiting = g.awaitingDecision.length;
  for (const p of d.phasesEnded) parts.push(`${p.label} ended`);
  return `Weekly digest for ${title} (${when}): ${parts.join(', ')}${gaps > 0 ? `; ${gaps} gap${gaps === 1 ? '' : 's'} to fill` : ''}${waiting > 0 ? `; ${waiting} proposal${waiting === 1 ? '' : 's'} awaiting a decision` : ''}.`;
}
