/**
 * Writes a whole case as Markdown, in the layout it was imported in (or the default
 * template's), so that `parseCaseMarkdown` reads back exactly what was written.
 */
import type { CaseSnapshot, Decision, DocumentLayout, Evidence, Section, Sprint } from '../model';
import { closeOpenFence, escapeUserText, isFenceLine, withSourceTail } from './escape';
import { normaliseMarkdown } from './parse';

export function renderCaseMarkdown(snapshot: CaseSnapshot): string {
  const { title, layout } = snapshot.case;
  const at = Math.min(Math.max(layout.decisionsAt, 0), layout.sections.length);
  const blocks = [
    title === null ? '' : heading(1, title),
    escapeUserText(layout.preamble, 'section'),
    ...layout.sections.slice(0, at).flatMap(sectionBlocks),
    ...decisionsPartBlocks(snapshot),
    ...layout.sections.slice(at).flatMap(sectionBlocks),
  ];
  return assemble(blocks);
}

/** Blocks separated by one blank line; a fence left open by user text is closed before the next block. */
function assemble(blocks: string[]): string {
  const written = blocks.filter((b) => b !== '');
  const closed = written.map((b, i) => (i < written.length - 1 ? closeOpenFence(b) : b));
  return normaliseMarkdown(closed.join('\n\n'));
}

function heading(level: number, text: string): string {
  return `${'#'.repeat(Math.min(Math.max(level, 1), 6))} ${text}`.trimEnd();
}

function sectionBlocks(section: Section): string[] {
  return [heading(section.level, section.heading), escapeUserText(section.body, 'section')];
}

function decisionsPartBlocks(snapshot: CaseSnapshot): string[] {
  const { layout } = snapshot.case;
  const sprints = allSprints(snapshot);
  const blocks: string[] = [];
  if (layout.decisionsHeading) {
    blocks.push(heading(layout.decisionsHeading.level, layout.decisionsHeading.text), escapeUserText(layout.decisionsHeading.intro, 'section'));
  }
  // Grouped once: a case can hold thousands of decisions and tens of thousands of evidence items.
  const decisionsBySprint = groupBy([...snapshot.decisions].sort((a, b) => a.number - b.number), (d) => d.sprint);
  const evidenceByDecision = groupBy(snapshot.evidence, (e) => e.decision);
  for (const group of evidenceByDecision.values()) group.sort((a, b) => a.position - b.position);
  for (const sprint of sprints) {
    blocks.push(heading(layout.sprintLevel, `Sprint ${sprint.number}${sprint.suffix}`), escapeUserText(sprint.intro, 'decision'));
    for (const d of decisionsBySprint.get(sprint.number) ?? []) {
      blocks.push(...decisionBlocks(d, evidenceByDecision.get(d.number) ?? [], layout));
    }
  }
  return blocks;
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
function allSprints(snapshot: CaseSnapshot): Sprint[] {
  const byNumber = new Map<number, Sprint>(snapshot.sprints.map((s) => [s.number, s]));
  for (const d of snapshot.decisions) {
    if (!byNumber.has(d.sprint)) byNumber.set(d.sprint, { number: d.sprint, suffix: '', intro: '', startsOn: null });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

function decisionBlocks(d: Decision, evidence: Evidence[], layout: DocumentLayout): string[] {
  const text = withSourceTail(escapeUserText(d.text, 'decision'), d.sourceUrl);
  const blocks =
    layout.decisionStyle === 'heading'
      ? [heading(layout.sprintLevel + 1, `Decision ${d.number}`), text]
      : [inlineItem(`Decision ${d.number}:`, text)];
  blocks.push(statusLine(d));
  for (const e of evidence) {
    // Every evidence line needs a label; one with neither a letter nor a pointer cannot be written.
    const label = e.letter !== null ? `${e.decision}${e.letter}` : e.refersTo;
    if (label !== null) blocks.push(inlineItem(`Evidence ${label}:`, withSourceTail(escapeUserText(e.text, 'decision'), e.sourceUrl)));
  }
  return blocks;
}

/**
 * "Decision 8: text". A text that opens with a code fence starts on the next line, where
 * the fence works as one (escaping relied on that when it skipped the fenced lines).
 */
function inlineItem(label: string, text: string): string {
  if (text === '') return label;
  const first = text.split(/\r\n|\r|\n/)[0];
  return isFenceLine(first) ? `${label}\n${text}` : `${label} ${text}`;
}

function statusLine(d: Decision): string {
  if (d.status === 'withdrawn') {
    // The status is one line; a reason with line breaks would end it early.
    return d.statusReason === null ? '_Withdrawn_' : `_Withdrawn: ${d.statusReason.replace(/\s*[\r\n]+\s*/g, ' ')}_`;
  }
  // Without the decision that replaced it there is nothing the importer could read back.
  if (d.status === 'superseded' && d.supersededBy !== null) return `_Superseded by Decision ${d.supersededBy}_`;
  return '';
}
