/** Turns a Markdown business case into a whole case, ready for the Store. */
import type { Actor, CaseSnapshot, Place } from './model';
import { newCase } from './cases';
import { parseCaseMarkdown } from './markdown';
import type { ImportWarning } from './markdown';
import { localDate } from './sprints';

export const IMPORTER: Actor = { id: 'import', name: 'Imported' };

export interface ImportInput {
  id: string;
  place: Place;
  now: Date;
  newId: () => string;
  /** Refuse a document with anything the importer cannot place, instead of keeping it as text. */
  strict?: boolean;
}

/** What an import read: the case, what it kept as text, and counts a person can check. */
export interface ImportReport {
  snapshot: CaseSnapshot;
  warnings: ImportWarning[];
  /** Per sprint, in order: how many decisions and pieces of evidence it holds. */
  sprints: Array<{ number: number; decisions: number; evidence: number }>;
  sections: number;
}

/**
 * Parses `markdown` and builds the case for `place`; with `strict`, a document with
 * anything the importer cannot place is refused (MarkdownFormatError, with its line). The
 * last sprint in the document becomes the current one, from today.
 */
export function importCase(markdown: string, input: ImportInput): ImportReport {
  const parsed = parseCaseMarkdown(markdown, { strict: input.strict === true });
  const now = input.now.toISOString();
  const base = newCase({ id: input.id, place: input.place, now, title: parsed.title });
  const c = { ...base, layout: parsed.layout, template: guessTemplate(parsed.layout.sections.map((s) => s.heading)) };
  const sprints = parsed.sprints.map((s) => ({ ...s }));
  const last = sprints[sprints.length - 1];
  if (last) last.startsOn = localDate(input.now, c.timeZone);
  const snapshot: CaseSnapshot = {
    case: c,
    sprints,
    decisions: parsed.decisions.map((d) => ({
      ...d, author: IMPORTER, createdAt: now, updatedAt: now, revisions: [],
    })),
    evidence: parsed.evidence.map((e) => ({
      ...e, id: input.newId(), author: IMPORTER, createdAt: now,
    })),
  };
  const counts = sprints.map((s) => {
    const numbers = new Set(snapshot.decisions.filter((d) => d.sprint === s.number).map((d) => d.number));
    return { number: s.number, decisions: numbers.size, evidence: snapshot.evidence.filter((e) => numbers.has(e.decision)).length };
  });
  return { snapshot, warnings: parsed.warnings, sprints: counts, sections: parsed.layout.sections.length };
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What an import did, in lines a person can check against the document. */
export function importSummary(report: ImportReport, caseName: string): string[] {
  const { snapshot } = report;
  const lines = [
    `Imported "${snapshot.case.title ?? caseName}" as case ${caseName}: ${count(snapshot.decisions.length, 'decision', 'decisions')}, ${count(snapshot.evidence.length, 'piece of evidence', 'pieces of evidence')}, ${count(report.sections, 'section', 'sections')}.`,
    ...report.sprints.map((s) => `  Sprint ${s.number}: ${count(s.decisions, 'decision', 'decisions')}, ${count(s.evidence, 'piece of evidence', 'pieces of evidence')}`),
  ];
  if (report.warnings.length > 0) lines.push(`${count(report.warnings.length, 'line was', 'lines were')} kept as text; see the warnings.`);
  return lines;
}

/** The case a document holds (see `importCase`). */
export function caseFromMarkdown(markdown: string, input: ImportInput): CaseSnapshot {
  return importCase(markdown, input).snapshot;
}

/** The five-case template when the document has its Commercial, Financial or Management case. */
function guessTemplate(headings: string[]): 'prototype' | 'five-case' {
  return headings.some((h) => /^(commercial|financial|management) case$/i.test(h.trim())) ? 'five-case' : 'prototype';
}
