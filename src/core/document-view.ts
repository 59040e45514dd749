/**
 * The whole business case as one view model, in the order of the Markdown export: title,
 * preamble, the sections before the key decisions part, the sprints in runs by phase with
 * their decisions and evidence (points of the Service Standard included), then the sections
 * after it. The case page (src/server/pages) renders it as HTML and the Slack canvas
 * (canvas/markdown.ts) as canvas Markdown, so both show the same case the same way. User
 * text in it is raw; each renderer escapes it for its format.
 */
import { decisionView } from './format';
import { IMPORTER } from './import';
import type { CaseSnapshot, Decision, DocumentLayout, Evidence, Sprint } from './model';
import { phaseLabel, phaseLabeller } from './phases';
import { sprintHeading } from './sprints';
import { isEmptySection } from './templates';
import type { DecisionView, EvidenceView } from './views';

export interface DocumentSectionView {
  heading: string;
  /** As the document has it (2 for "##"). */
  level: number;
  /** Free Markdown as written; "" when the heading is followed directly by another. */
  body: string;
  /** Empty, or still "To be written.". */
  toBeWritten: boolean;
}

export interface DocumentEvidenceView {
  evidence: EvidenceView;
  /** Has a letter of its own ("8a"); false for a back-reference to evidence given earlier. */
  own: boolean;
  /** Came in with an imported case: when and by whom it was added says nothing. */
  imported: boolean;
}

export interface DocumentDecisionView {
  decision: DecisionView;
  /** The decisions this one superseded, in number order. */
  replaces: number[];
  evidence: DocumentEvidenceView[];
}

export interface DocumentSprintView {
  number: number;
  /** "Sprint 3: Alpha", or the name the case's document gives it ("Iteration 3"). */
  heading: string;
  /** Markdown under the heading, before its first decision. */
  intro: string;
  decisions: DocumentDecisionView[];
}

/**
 * A run of sprints in one phase (Discovery, Alpha, Beta, Live), in order: its first sprint is
 * where the phase starts. Sprints before the first phase, and every sprint of a case without
 * phases, are in one run with `phase` null, which renderers show without a phase heading.
 */
export interface DocumentPhaseView {
  /** "Alpha", or the team's own name for it ("Private beta"), as typed; null before the first phase. */
  phase: string | null;
  sprints: DocumentSprintView[];
}

export interface CaseDocumentView {
  /** The document's H1 as written, or null when it has none (or it is blank). */
  title: string | null;
  preamble: string;
  before: DocumentSectionView[];
  decisions: {
    /** The heading over the sprints ("## Key decisions that shaped this"), or null when sprints are top-level. */
    heading: DocumentLayout['decisionsHeading'];
    sprintLevel: number;
    phases: DocumentPhaseView[];
  };
  after: DocumentSectionView[];
  /** What citations such as "(3a, 4)" can point at: decision numbers, and evidence labels with a letter of their own. */
  citable: ReadonlySet<string>;
  timeZone: string;
}

/** The case's sprints in order, plus any a decision names that the list lacks (as the export does). */
function allSprints(snapshot: CaseSnapshot): Sprint[] {
  const byNumber = new Map<number, Sprint>(snapshot.sprints.map((s) => [s.number, s]));
  for (const d of snapshot.decisions) {
    if (!byNumber.has(d.sprint)) byNumber.set(d.sprint, { number: d.sprint, suffix: '', intro: '', startsOn: null });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

function sectionView(s: { heading: string; level: number; body: string }): DocumentSectionView {
  return { heading: s.heading, level: s.level, body: s.body, toBeWritten: isEmptySection(s.body) };
}

/** Each decision with its evidence, the decisions it replaced, and its phase, built once for the whole case. */
function decisionBlocks(snapshot: CaseSnapshot, sprints: Sprint[]): (d: Decision) => DocumentDecisionView {
  const c = snapshot.case;
  const evidenceOf = new Map<number, Evidence[]>();
  const ordered = [...snapshot.evidence].sort((a, b) => a.decision - b.decision || a.position - b.position);
  for (const e of ordered) evidenceOf.set(e.decision, [...(evidenceOf.get(e.decision) ?? []), e]);
  const replacedBy = new Map<number, number[]>();
  for (const d of [...snapshot.decisions].sort((a, b) => a.number - b.number)) {
    if (d.status === 'superseded' && d.supersededBy !== null) replacedBy.set(d.supersededBy, [...(replacedBy.get(d.supersededBy) ?? []), d.number]);
  }
  const phaseOf = phaseLabeller(sprints);
  return (d) => {
    const own = evidenceOf.get(d.number) ?? [];
    const view = decisionView(d, own, sprints, c, phaseOf);
    return {
      decision: view,
      replaces: replacedBy.get(d.number) ?? [],
      evidence: own.map((e, i) => ({ evidence: view.evidence[i] as EvidenceView, own: e.letter !== null, imported: e.author.id === IMPORTER.id })),
    };
  };
}

/** The sprints in runs, one a phase: a new run where a phase starts, so each run's first sprint starts its phase. */
function phaseRuns(sprints: Sprint[], sprintView: (s: Sprint) => DocumentSprintView): DocumentPhaseView[] {
  const runs: DocumentPhaseView[] = [];
  for (const s of sprints) {
    const current = runs[runs.length - 1];
    if (s.phase) runs.push({ phase: phaseLabel(s.phase), sprints: [sprintView(s)] });
    else if (current) current.sprints.push(sprintView(s));
    else runs.push({ phase: null, sprints: [sprintView(s)] });
  }
  return runs;
}

/** What citations such as "(3a, 4)" can point at. */
function citableLabels(snapshot: CaseSnapshot): Set<string> {
  const citable = new Set<string>(snapshot.decisions.map((d) => String(d.number)));
  for (const e of snapshot.evidence) if (e.letter !== null) citable.add(`${e.decision}${e.letter}`);
  return citable;
}

export function caseDocumentView(snapshot: CaseSnapshot): CaseDocumentView {
  const c = snapshot.case;
  const { layout } = c;
  const sprints = allSprints(snapshot);
  const block = decisionBlocks(snapshot, sprints);
  const bySprint = new Map<number, Decision[]>();
  for (const d of [...snapshot.decisions].sort((a, b) => a.number - b.number)) bySprint.set(d.sprint, [...(bySprint.get(d.sprint) ?? []), d]);
  const sprintView = (s: Sprint): DocumentSprintView => ({
    number: s.number,
    heading: sprintHeading(s, layout.sprintForms),
    intro: s.intro,
    decisions: (bySprint.get(s.number) ?? []).map(block),
  });
  const at = Math.min(Math.max(layout.decisionsAt, 0), layout.sections.length);
  return {
    title: c.title === null || c.title.trim() === '' ? null : c.title,
    preamble: layout.preamble,
    before: layout.sections.slice(0, at).map(sectionView),
    decisions: { heading: layout.decisionsHeading, sprintLevel: layout.sprintLevel, phases: phaseRuns(sprints, sprintView) },
    after: layout.sections.slice(at).map(sectionView),
    citable: citableLabels(snapshot),
    timeZone: c.timeZone,
  };
}

/** The label a citation names, as the case knows it ("08a" and "8a" are one). */
export function citationLabel(label: string): string {
  return label.replace(/^0+(?=\d)/, '');
}
