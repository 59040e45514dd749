/** Turns a Markdown business case into a whole case, ready for the Store. */
import type { Actor, CaseSnapshot, Place } from './model';
import { newCase } from './cases';
import { parseCaseMarkdown } from './markdown';
import type { ImportWarning, ParsedCase } from './markdown';
import { localDate } from './sprints';
import { phaseLabel } from './phases';

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
  /** Per sprint, in order: how many decisions and pieces of evidence it holds, and the phase it starts, if any. */
  sprints: Array<{ number: number; decisions: number; evidence: number; starts?: string }>;
  sections: number;
}

/**
 * Parses `markdown` and builds the case for `place`; with `strict`, a document with
 * anything the importer cannot place is refused (MarkdownFormatError, with its line). The
 * last sprint in the document becomes the current one, from today.
 */
export function importCase(markdown: string, input: ImportInput): ImportReport {
  return build(parseCaseMarkdown(markdown, { strict: input.strict === true }), input);
}

/** A file to import: its name (kept, so export writes it back under it) and its text. */
export interface ImportFile {
  name: string;
  markdown: string;
}

/** Two files that do not make one case, said in plain words. */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

/**
 * One file, or a case kept in two: the business case and its key decisions, told apart by
 * what they hold (the one with sprints holds the decisions), whatever they are called.
 */
export function importCaseFiles(files: readonly ImportFile[], input: ImportInput): ImportReport {
  const options = { strict: input.strict === true };
  if (files.length === 1) {
    const [only] = files as [ImportFile];
    const report = importCase(only.markdown, input);
    report.snapshot.case.layout.fileName = only.name;
    return report;
  }
  if (files.length !== 2) throw new ImportRefused('Import one file, or two: the business case and its key decisions.');
  const parsed = files.map((f) => ({ file: f, case: parseCaseMarkdown(f.markdown, options) }));
  const withSprints = parsed.filter((p) => p.case.sprints.length > 0);
  const [a, b] = files as [ImportFile, ImportFile];
  if (withSprints.length !== 1) {
    throw new ImportRefused(withSprints.length === 2
      ? `Both ${a.name} and ${b.name} have sprints; only the key decisions file should. Import them as two cases instead.`
      : `Neither ${a.name} nor ${b.name} has a Sprint heading, so neither holds the key decisions. Import each as its own case.`);
  }
  const d = withSprints[0] as (typeof parsed)[number];
  const c = parsed.find((p) => p !== d) as (typeof parsed)[number];
  const dl = d.case.layout;
  if (dl.decisionsAt > 0) {
    throw new ImportRefused(`${d.file.name} has sections before its first sprint (“${dl.sections[0]?.heading ?? ''}”). A key decisions file holds a title, an introduction and the sprints.`);
  }
  const container = dl.decisionsHeading !== null;
  const merged: ParsedCase = {
    title: c.case.title,
    layout: {
      preamble: c.case.layout.preamble,
      sections: [...c.case.layout.sections, ...dl.sections],
      decisionsAt: c.case.layout.sections.length,
      decisionsHeading: dl.decisionsHeading ?? { level: Math.max(1, dl.sprintLevel - 1), text: d.case.title ?? 'Key decisions', intro: dl.preamble },
      sprintLevel: dl.sprintLevel,
      decisionStyle: dl.decisionStyle,
      source: null,
      files: {
        case: { name: c.file.name, source: c.case.layout.source ?? null },
        decisions: { name: d.file.name, container, title: d.case.title, preamble: dl.preamble, source: dl.source ?? null },
      },
    },
    sprints: d.case.sprints,
    decisions: d.case.decisions,
    evidence: d.case.evidence,
    warnings: [],
  };
  const report = build(merged, input);
  // Say which file each warning is about.
  report.warnings = [
    ...c.case.warnings.map((w) => ({ ...w, message: `${c.file.name}: ${w.message}` })),
    ...d.case.warnings.map((w) => ({ ...w, message: `${d.file.name}: ${w.message}` })),
  ];
  return report;
}

function build(parsed: ParsedCase, input: ImportInput): ImportReport {
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
    return { number: s.number, decisions: numbers.size, evidence: snapshot.evidence.filter((e) => numbers.has(e.decision)).length, ...(s.phase ? { starts: phaseLabel(s.phase) } : {}) };
  });
  return { snapshot, warnings: parsed.warnings, sprints: counts, sections: parsed.layout.sections.length };
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What an import did, in lines a person can check against the document. */
export function importSummary(report: ImportReport, caseName: string): string[] {
  const { snapshot } = report;
  const lines = [
    `Imported "${snapshot.case.title ?? caseName}" as case ${caseName}: ${count(snapshot.decisions.length, 'decision', 'decisions')}, ${count(snapshot.evidence.length, 'piece of evidence', 'pieces of evidence')}, ${count(report.sections, 'section', 'sections')}.`,
    ...report.sprints.map((s) => `  Sprint ${s.number}${s.starts ? ` (${s.starts} starts)` : ''}: ${count(s.decisions, 'decision', 'decisions')}, ${count(s.evidence, 'piece of evidence', 'pieces of evidence')}`),
  ];
  if (report.warnings.length > 0) lines.push(`${count(report.warnings.length, 'line was', 'lines were')} kept as text; see the warnings.`);
  return lines;
}

/** The five-case template when the document has its Commercial, Financial or Management case. */
function guessTemplate(headings: string[]): 'prototype' | 'five-case' {
  return headings.some((h) => /^(commercial|financial|management) case$/i.test(h.trim())) ? 'five-case' : 'prototype';
}
