/**
 * The whole business case as one view model, in the order of the Markdown export: title,
 * preamble, the sections before the key decisions part, the sprints with their decisions
 * and evidence, then the sections after it. The case page (src/server/pages) renders it as
 * HTML and the Slack canvas (canvas/markdown.ts) as canvas Markdown, so both show the same
 * case the same way. User text in it is raw; each renderer escapes it for its format.
 */
import { decisionView } from './format';
import { IMPORTER } from './import';
import type { CaseSnapshot, Decision, DocumentLayout, Evidence, Sprint } from './model';
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
 * Sprints grouped by the phase they belong to (Discovery, Alpha, Beta, Live). The model has
 * no phases yet, so there is one group with `phase` null and every renderer shows its sprints
 * without a phase heading; when cases have phases, this is where they group the sprints, and
 * every renderer heads each group with its phase.
 */
export interface DocumentPhaseView {
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

export function caseDocumentView(snapshot: CaseSnapshot): CaseDocumentView {
  const c = snapshot.case;
  const { layout } = c;
  const decisions = [...snapshot.decisions].sort((a, b) => a.number - b.number);
  const evidence = [...snapshot.evidence].sort((a, b) => a.decision - b.decision || a.position - b.position);
  const sprints = allSprints(snapshot);

  const evidenceOf = new Map<number, Evidence[]>();
  for (const e of evidence) evidenceOf.set(e.decision, [...(evidenceOf.get(e.decision) ?? []), e]);
  const replacedBy = new Map<number, number[]>();
  for (const d of decisions) {
    if (d.status === 'superseded' && d.supersededBy !== null) replacedBy.set(d.supersededBy, [...(replacedBy.get(d.supersededBy) ?? []), d.number]);
  }
  const citable = new Set<string>(decisions.map((d) => String(d.number)));
  for (const e of evidence) if (e.letter !== null) citable.add(`${e.decision}${e.letter}`);

  const decisionBlock = (d: Decision): DocumentDecisionView => {
    const own = evidenceOf.get(d.number) ?? [];
    const view = decisionView(d, own, sprints, c);
    return {
      decision: view,
      replaces: replacedBy.get(d.number) ?? [],
      evidence: own.map((e, i) => ({ evidence: view.evidence[i] as EvidenceView, own: e.letter !== null, imported: e.author.id === IMPORTER.id })),
    };
  };

  const at = Math.min(Math.max(layout.decisionsAt, 0), layout.sections.length);
  return {
    title: c.title === null || c.title.trim() === '' ? null : c.title,
    preamble: layout.preamble,
    before: layout.sections.slice(0, at).map(sectionView),
    decisions: {
      heading: layout.decisionsHeading,
      sprintLevel: layout.sprintLevel,
      phases: [{
        phase: null,
        sprints: sprints.map((s) => ({
          number: s.number,
          heading: sprintHeading(s, layout.sprintForms),
          intro: s.intro,
          decisions: decisions.filter((d) => d.sprint === s.number).map(decisionBlock),
        })),
      }],
    },
    after: layout.sections.slice(at).map(sectionView),
    citable,
    timeZone: c.timeZone,
  };
}

/** The label a citation names, as the case knows it ("08a" and "8a" are one). */
export function citationLabel(label: string): string {
  return label.replace(/^0+(?=\d)/, '');
}
