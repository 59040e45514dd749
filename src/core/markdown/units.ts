/**
 * A case written as Markdown, part by part, in normal form: the title, the preamble, each
 * section, the decisions heading, each sprint, each decision (with its status) and each
 * piece of evidence. Keys name the parts so an imported document's own spelling of each
 * can be matched to it (source-form.ts).
 */
import type { Decision, DocumentLayout, Evidence, Section, Sprint } from '../model';
import { closeOpenFence, escapeUserText, isFenceLine, joinNames, phaseLine, withSourceTail } from './escape';
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

export const KEYS = {
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
  const units = document === 'decisions-file'
    ? decisionsFileUnits(content, at)
    : [
      unit(KEYS.title, title === null ? [] : [heading(1, title)]),
      unit(KEYS.preamble, [escapeUserText(layout.preamble, 'section')]),
      ...layout.sections.slice(0, at).map((s, i) => sectionUnit(s, i)),
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
  return [
    unit(KEYS.title, title === null ? [] : [heading(1, title)]),
    unit(KEYS.preamble, [escapeUserText(preamble, 'section')]),
    ...decisionsPartUnits(part),
    ...layout.sections.slice(at).map((s, i) => sectionUnit(s, i)),
  ];
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

function decisionsPartUnits(content: CaseContent): Array<Unit | null> {
  const { layout } = content;
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

function evidenceUnit(e: CaseContent['evidence'][number]): Unit | null {
  // Every evidence line needs a label; one with neither a letter nor a pointer cannot be written.
  const label = e.letter !== null ? `${e.decision}${e.letter}` : e.refersTo;
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
