/**
 * A case written as Markdown, part by part, in normal form: the title, the preamble, each
 * section, the decisions heading, each sprint, each decision (with its status) and each
 * piece of evidence. Keys name the parts so an imported document's own spelling of each
 * can be matched to it (source-form.ts).
 */
import type { Decision, DecisionLogLayout, DocumentLayout, Evidence, FrontMatter, LoggedDecision, Section, Sprint } from '../model';
import { closeOpenFence, escapeDocumentStart, escapeUserText, isFenceLine, joinNames, phaseLine, withSourceTail } from './escape';
import { withFrontMatterTitle } from './front-matter';
import { pointsLine } from '../service-standard';
import { normaliseBlock } from './lines';

export interface Unit {
  key: string;
  /** The part in normal form; never empty. */
  text: string;
}

/** What writing a case needs: a CaseSnapshot's parts, or what the importer read. */
export interface CaseContent {
  title: string | null;
  layout: DocumentLayout;
  sprints: readonly Sprint[];
  decisions: ReadonlyArray<Pick<Decision, 'number' | 'sprint' | 'text' | 'status' | 'statusReason' | 'supersededBy' | 'sourceUrl' | 'deciders' | 'points'>>;
  evidence: ReadonlyArray<Pick<Evidence, 'decision' | 'letter' | 'refersTo' | 'position' | 'text' | 'sourceUrl' | 'points'>>;
}

/** The first number given to a log's decision written without one, when no decision comes before it. */
export const FIRST_UNNUMBERED = 1;

export const KEYS = {
  frontMatter: 'front',
  title: 'title',
  preamble: 'preamble',
  decisionsHeading: 'decisions',
  section: (index: number) => `section:${index}`,
  sprint: (n: number) => `sprint:${n}`,
  decision: (n: number) => `decision:${n}`,
  evidence: (decision: number, position: number) => `evidence:${decision}:${position}`,
} as const;

/**
 * Which document: the whole case, or for a case kept in two files (layout.files) the
 * business case file (everything before the decisions part) or the key decisions file
 * (its title and intro, the sprints, the sections after them).
 */
export type Document = 'whole' | 'case-file' | 'decisions-file';

export function caseUnits(content: CaseContent, document: Document = 'whole'): Unit[] {
  const { title, layout } = content;
  const at = Math.min(Math.max(layout.decisionsAt, 0), layout.sections.length);
  // A key decisions file's own sections before its decisions: in its file, not the business case's.
  const own = document === 'case-file' ? Math.min(layout.files?.decisions.sectionsBefore ?? 0, at) : 0;
  const units = document === 'decisions-file'
    ? decisionsFileUnits(content, at)
    : [
      frontMatterUnit(layout.frontMatter, title),
      unit(KEYS.title, title === null || layout.frontMatter?.title === true ? [] : [heading(1, title)]),
      unit(KEYS.preamble, [startEscaped(escapeUserText(layout.preamble, 'section'), title === null && !layout.frontMatter)]),
      ...layout.sections.slice(0, at - own).map((s, i) => sectionUnit(s, i)),
      ...(document === 'whole' ? [...decisionsPartUnits(content), ...layout.sections.slice(at).map((s, i) => sectionUnit(s, at + i))] : []),
    ];
  return units.filter((u): u is Unit => u !== null);
}

/** The key decisions file of a two-file case, keyed as when it was imported on its own. */
function decisionsFileUnits(content: CaseContent, at: number): Array<Unit | null> {
  const { layout } = content;
  const own = layout.files?.decisions;
  const heading0 = layout.decisionsHeading;
  const container = own?.container === true;
  const title = container ? own.title : own?.title === null ? null : heading0?.text ?? null;
  const preamble = container ? own.preamble : heading0?.intro ?? '';
  const part: CaseContent = { ...content, layout: { ...layout, decisionsHeading: container ? heading0 : null } };
  const front = own?.frontMatter ?? null;
  const before = Math.min(own?.sectionsBefore ?? 0, at);
  return [
    frontMatterUnit(front, null),
    unit(KEYS.title, title === null || front?.title === true ? [] : [heading(1, title)]),
    unit(KEYS.preamble, [escapeUserText(preamble, 'section')]),
    // Keyed as when the file was imported on its own: its sections count from 0.
    ...layout.sections.slice(at - before, at).map((s, i) => sectionUnit(s, i)),
    ...decisionsPartUnits(part),
    ...layout.sections.slice(at).map((s, i) => sectionUnit(s, before + i)),
  ];
}

/** Text that opens the document (no title, no front matter above it) cannot open front matter. */
function startEscaped(text: string, opensDocument: boolean): string {
  return opensDocument ? escapeDocumentStart(text) : text;
}

/** Blocks of one part, a blank line apart; a fence left open by one block is closed before the next. */
function unit(key: string, blocks: string[]): Unit | null {
  const written = blocks.filter((b) => b !== '');
  const text = normaliseBlock(written.map((b, i) => (i < written.length - 1 ? closeOpenFence(b) : b)).join('\n\n'));
  return text === '' ? null : { key, text };
}

function heading(level: number, text: string): string {
  return `${'#'.repeat(Math.min(Math.max(level, 1), 6))} ${text}`.trimEnd();
}

function sectionUnit(section: Section, index: number): Unit | null {
  return unit(KEYS.section(index), [heading(section.level, section.heading), escapeUserText(section.body, 'section')]);
}

/** The front matter, with its title changed when the case's title lives there and was changed in chat. */
function frontMatterUnit(front: FrontMatter | null | undefined, title: string | null): Unit | null {
  if (!front) return null;
  const yaml = front.title && title !== null ? withFrontMatterTitle(front.yaml, title) : front.yaml;
  // Not through `unit`: a blank line inside the YAML is the YAML's own.
  return { key: KEYS.frontMatter, text: `---\n${normaliseBlock(yaml)}${yaml.trim() === '' ? '' : '\n'}---` };
}

function decisionsPartUnits(content: CaseContent): Array<Unit | null> {
  const { layout } = content;
  if (layout.log) return logPartUnits(content, layout.log);
  const units: Array<Unit | null> = [];
  if (layout.decisionsHeading) {
    units.push(unit(KEYS.decisionsHeading, [heading(layout.decisionsHeading.level, layout.decisionsHeading.text), escapeUserText(layout.decisionsHeading.intro, 'section')]));
  }
  // Grouped once: a case can hold thousands of decisions and tens of thousands of evidence items.
  const decisionsBySprint = groupBy([...content.decisions].sort((a, b) => a.number - b.number), (d) => d.sprint);
  const evidenceByDecision = groupBy([...content.evidence], (e) => e.decision);
  for (const group of evidenceByDecision.values()) group.sort((a, b) => a.position - b.position);
  for (const sprint of allSprints(content)) {
    // A sprint that starts no phase gets no line: a document without phases is written as it was read.
    const phase = sprint.phase ? phaseLine(sprint.phase) : '';
    units.push(unit(KEYS.sprint(sprint.number), [heading(layout.sprintLevel, `Sprint ${sprint.number}${sprint.suffix}`), phase, escapeUserText(sprint.intro, 'decision')]));
    for (const d of decisionsBySprint.get(sprint.number) ?? []) {
      units.push(decisionUnit(d, layout));
      for (const e of evidenceByDecision.get(d.number) ?? []) units.push(evidenceUnit(e));
    }
  }
  return units;
}

/**
 * A decision log's sprints, decisions and evidence, each written the way the log wrote it
 * (log.ts reads back exactly this): a sprint under its own heading, or none when the title
 * names it; a decision as a heading or a "**Decision:**" line, under the number it was
 * written with where that still reads back as the same decision; evidence as a sub-section
 * or an "Evidence 4a:" line. What chat adds is written like the log's first decision.
 * Phases and points are the Sprint N layouts' lines (log.ts says where they are read).
 */
function logPartUnits(content: CaseContent, log: DecisionLogLayout): Array<Unit | null> {
  const { layout } = content;
  const units: Array<Unit | null> = [];
  // Only when the whole of a two-file case is one document: the key decisions file's title.
  if (layout.decisionsHeading) {
    units.push(unit(KEYS.decisionsHeading, [heading(layout.decisionsHeading.level, layout.decisionsHeading.text), escapeUserText(layout.decisionsHeading.intro, 'section')]));
  }
  const decisionsBySprint = groupBy([...content.decisions].sort((a, b) => a.number - b.number), (d) => d.sprint);
  const evidenceByDecision = groupBy([...content.evidence], (e) => e.decision);
  for (const group of evidenceByDecision.values()) group.sort((a, b) => a.position - b.position);
  let previous: number | null = null;
  for (const sprint of allSprints(content)) {
    const form = layout.sprintForms?.[String(sprint.number)];
    const head = form ? (form.heading === null ? '' : heading(form.level, form.heading)) : heading(layout.sprintLevel, `Sprint ${sprint.number}${sprint.suffix}`);
    // With no heading of its own, the phase line stands just before the sprint's first decision.
    const phase = sprint.phase ? phaseLine(sprint.phase) : '';
    units.push(unit(KEYS.sprint(sprint.number), [head, phase, escapeUserText(sprint.intro, 'decision')]));
    for (const d of decisionsBySprint.get(sprint.number) ?? []) {
      const written = log.decisions[String(d.number)] ?? { style: log.style, level: log.level, label: log.numbered ? d.number : null };
      const label = labelFor(written.label, d.number, previous);
      units.push(logDecisionUnit(d, written, label));
      const evidenceLabel = label ?? d.number;
      for (const e of evidenceByDecision.get(d.number) ?? []) {
        const section = log.evidence[`${d.number}:${e.position}`];
        units.push(section ? logEvidenceSectionUnit(e, section) : evidenceUnit(e, evidenceLabel));
      }
      previous = d.number;
    }
  }
  return units;
}

/**
 * The number to write a decision under (null: none), so that reading it back gives it its
 * own number: unnumbered only where it comes next, an earlier number only where the log
 * numbers again and it comes next; else its own.
 */
function labelFor(written: number | null, number: number, previous: number | null): number | null {
  const next = previous === null ? FIRST_UNNUMBERED : previous + 1;
  if (written === null) return number === next ? null : number;
  if (written !== number && previous !== null && written <= previous && number === next) return written;
  return number;
}

function logDecisionUnit(d: CaseContent['decisions'][number], written: LoggedDecision, label: number | null): Unit | null {
  const text = withSourceTail(escapeUserText(d.text, 'decision'), d.sourceUrl);
  // As in the Sprint N layouts: who decided, its points, then the status, each a line only when there is one.
  const lines = [d.deciders.length > 0 ? `_Decided by ${joinNames(d.deciders)}_` : '', d.points.length > 0 ? pointsLine(d.points) : '', statusLine(d)];
  if (written.style === 'bold') {
    return unit(KEYS.decision(d.number), [inlineItem(label === null ? '**Decision:**' : `**Decision ${label}:**`, text), ...lines]);
  }
  const { title, body } = titleOf(text);
  // "Decision:" needs a title to be a decision heading at all.
  const word = label === null && title !== '' ? 'Decision' : `Decision ${label ?? d.number}`;
  return unit(KEYS.decision(d.number), [heading(written.level, title === '' ? `${word}:` : `${word}: ${title}`), body, ...lines]);
}

/** A decision's first line as its heading's title when it reads back as the same text; else no title. */
function titleOf(text: string): { title: string; body: string } {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  const rest = end < 0 ? '' : text.slice(end);
  const fits = first !== '' && first === first.trim() && !isFenceLine(first) && (rest === '' || (rest.startsWith('\n\n') && rest[2] !== '\n'));
  return fits ? { title: first, body: rest.slice(2) } : { title: '', body: text };
}

function logEvidenceSectionUnit(e: CaseContent['evidence'][number], section: { level: number; heading: string }): Unit | null {
  const points = e.points.length > 0 ? pointsLine(e.points) : '';
  return unit(KEYS.evidence(e.decision, e.position), [heading(section.level, section.heading), withSourceTail(escapeUserText(e.text, 'decision'), e.sourceUrl), points]);
}

/** The items in their order, grouped by key. */
function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The case's sprints in order, plus any a decision names that the list lacks, so no decision is dropped. */
function allSprints(content: CaseContent): Sprint[] {
  const byNumber = new Map<number, Sprint>(content.sprints.map((s) => [s.number, s]));
  for (const d of content.decisions) {
    if (!byNumber.has(d.sprint)) byNumber.set(d.sprint, { number: d.sprint, suffix: '', intro: '', startsOn: null });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

function decisionUnit(d: CaseContent['decisions'][number], layout: DocumentLayout): Unit | null {
  const text = withSourceTail(escapeUserText(d.text, 'decision'), d.sourceUrl);
  const blocks =
    layout.decisionStyle === 'heading'
      ? [heading(layout.sprintLevel + 1, `Decision ${d.number}`), text]
      : [inlineItem(`Decision ${d.number}:`, text)];
  // Only what the decision has: a document that names nobody and proposes nothing gets no line.
  if (d.deciders.length > 0) blocks.push(`_Decided by ${joinNames(d.deciders)}_`);
  if (d.points.length > 0) blocks.push(pointsLine(d.points));
  blocks.push(statusLine(d));
  return unit(KEYS.decision(d.number), blocks);
}

function evidenceUnit(e: CaseContent['evidence'][number], decisionLabel: number = e.decision): Unit | null {
  // Every evidence line needs a label; one with neither a letter nor a pointer cannot be written.
  const label = e.letter !== null ? `${decisionLabel}${e.letter}` : e.refersTo;
  if (label === null) return null;
  const points = e.points.length > 0 ? pointsLine(e.points) : '';
  return unit(KEYS.evidence(e.decision, e.position), [inlineItem(`Evidence ${label}:`, withSourceTail(escapeUserText(e.text, 'decision'), e.sourceUrl)), points]);
}

/**
 * "Decision 8: text". A text that opens with a code fence starts on the next line, where
 * the fence works as one (escaping relied on that when it skipped the fenced lines); so
 * does one that opens with spaces, which the label's line would lose.
 */
function inlineItem(label: string, text: string): string {
  if (text === '') return label;
  const first = text.split(/\r\n|\r|\n/)[0];
  return isFenceLine(first) || /^[ \t]/.test(first) ? `${label}\n${text}` : `${label} ${text}`;
}

function statusLine(d: CaseContent['decisions'][number]): string {
  if (d.status === 'withdrawn' || d.status === 'rejected') {
    const word = d.status === 'withdrawn' ? 'Withdrawn' : 'Rejected';
    // The status is one line; a reason with line breaks would end it early.
    return d.statusReason === null ? `_${word}_` : `_${word}: ${d.statusReason.replace(/\s*[\r\n]+\s*/g, ' ')}_`;
  }
  if (d.status === 'proposed') return '_Proposed_';
  // Without the decision that replaced it there is nothing the importer could read back.
  if (d.status === 'superseded' && d.supersededBy !== null) return `_Superseded by Decision ${d.supersededBy}_`;
  return '';
}
