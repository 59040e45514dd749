/**
 * Turns the files a team already keeps into a whole case, ready for the Store: one business
 * case (in any layout the parser reads), a business case and its key decisions in a file of
 * their own (in any layout), or a folder of ADRs (with the folder's own page, if it has one).
 * Each file is reported with the layout recognised in it and what it holds.
 */
import type { Actor, CaseSnapshot, Place } from './model';
import { readAdrFolder, type AdrOutcome } from './adr-folder';
import { newCase } from './cases';
import { MarkdownFormatError, parseCaseMarkdown } from './markdown';
import type { ImportWarning, ParsedCase } from './markdown';
import { readAdr, type AdrRead } from './markdown/adr';
import { localDate, sprintDays, sprintHeading } from './sprints';
import { phaseLabel } from './phases';

export const IMPORTER: Actor = { id: 'import', name: 'Imported' };

/** The most files one import reads (a folder of ADRs); more is refused before any is parsed. */
export const MAX_IMPORT_FILES = 500;
/** The most text one import reads in all: the case (and its source, for export byte for byte) must fit one database record. */
export const MAX_IMPORT_TOTAL_BYTES = 4 * 1024 * 1024;

export interface ImportInput {
  id: string;
  place: Place;
  now: Date;
  newId: () => string;
  /** Refuse a document with anything the importer cannot place, instead of keeping it as text. */
  strict?: boolean;
}

/** What one file was read as. */
export interface FileFound {
  name: string;
  /** The layout recognised, in words: "a decision log (“## Decision N: …” headings under sprint headings)". */
  layout: string;
  decisions: number;
  evidence: number;
  sections: number;
  /** Why it was left out of the case (a template, a page that is not an ADR), or null. */
  skipped: string | null;
}

/** What an import read: the case, what it kept as text, and counts a person can check. */
export interface ImportReport {
  snapshot: CaseSnapshot;
  warnings: ImportWarning[];
  /** Per sprint, in order: its name, how many decisions and pieces of evidence it holds, and the phase it starts, if any. */
  sprints: Array<{ number: number; name: string; decisions: number; evidence: number; starts?: string }>;
  sections: number;
  /** Per file, in the order given. */
  files: FileFound[];
  /** What a person should know that is not a problem: numbers given, gaps, files skipped. */
  notes: string[];
}

/**
 * Parses `markdown` and builds the case for `place`; with `strict`, a document with
 * anything the importer cannot place is refused (MarkdownFormatError, with its line). The
 * last sprint in the document becomes the current one, from today.
 */
export function importCase(markdown: string, input: ImportInput): ImportReport {
  const report = importCaseFiles([{ name: 'business-case.md', markdown }], input);
  // Named by the caller, if at all (importCaseFiles keeps the file's name).
  delete report.snapshot.case.layout.fileName;
  return report;
}

/** A file to import: its name or its path in a folder (kept, so export writes it back there) and its text. */
export interface ImportFile {
  name: string;
  markdown: string;
  /**
   * For a file read from a folder: its path inside the folder ("decisions/0002-auth/index.md"),
   * which export writes it back under. Uploads have only a name.
   */
  path?: string;
}

/** Files that do not make one case, said in plain words. */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "template.md", "adr-template.md", "0000-template.md", "templates/…": a template, not a decision. */
function isTemplate(name: string): boolean {
  return /(?:^|[/\-_. ])templates?(?:[/\-_. ]|$)/i.test(name);
}

/** A README or index page at the top of the files given: the folder's own page. */
function isIndexPage(name: string, depth: number): boolean {
  return name.split('/').length === depth && /^(?:readme|index)\.(?:md|markdown|txt)$/i.test(name.split('/').pop() ?? '');
}

type Read = { file: ImportFile; adr: AdrRead } | { file: ImportFile; doc: ParsedCase };

/**
 * One file, or two (the business case and its key decisions, told apart by what they hold:
 * the one with decisions holds them, whatever they are called and whichever layout each is
 * in), or ADRs: every file that is an ADR is one decision, and one other page, at most, is
 * the case's own (a README, or the business case). Templates among several files are left
 * out, and said.
 */
export function importCaseFiles(files: readonly ImportFile[], input: ImportInput): ImportReport {
  if (files.length === 0) throw new ImportRefused('Choose a file to import.');
  if (files.length > MAX_IMPORT_FILES) throw new ImportRefused(`That is ${files.length} files; an import reads at most ${MAX_IMPORT_FILES}. Nothing imported.`);
  const encoder = new TextEncoder();
  const total = files.reduce((n, f) => n + encoder.encode(f.markdown).length, 0);
  if (total > MAX_IMPORT_TOTAL_BYTES) {
    throw new ImportRefused(`The files come to ${(total / 1024 / 1024).toFixed(1)} MB; an import reads at most ${MAX_IMPORT_TOTAL_BYTES / 1024 / 1024} MB in all. Nothing imported.`);
  }
  const strict = input.strict === true;
  const skipped: FileFound[] = [];
  const notes: string[] = [];
  const reads: Read[] = [];
  for (const file of files) {
    if (files.length > 1 && isTemplate(file.name)) {
      skipped.push(found(file.name, 'a template', null, `${file.name} is a template, so it was left out.`));
      continue;
    }
    // A document with decisions in the Sprint N or log layouts is that, whatever its name ("2024-case.md").
    const doc = parseCaseMarkdown(file.markdown);
    const adr = doc.decisions.length === 0 ? readAdr(file.name, file.markdown) : null;
    reads.push(adr ? { file, adr } : { file, doc: strict ? parseCaseMarkdown(file.markdown, { strict }) : doc });
  }
  const adrs = reads.filter((r): r is Extract<Read, { adr: AdrRead }> => 'adr' in r);
  const docs = reads.filter((r): r is Extract<Read, { doc: ParsedCase }> => 'doc' in r);
  let report: ImportReport;
  if (adrs.length > 0) report = importAdrs(adrs, docs, input, skipped);
  else if (docs.length === 1) report = importOne(docs[0] as (typeof docs)[number], input);
  else if (docs.length === 2) report = importTwo(docs as [(typeof docs)[number], (typeof docs)[number]], input);
  else if (docs.length === 0) throw new ImportRefused('Every file chosen is a template; nothing to import.');
  else throw new ImportRefused(`You chose ${docs.length} documents. Import one, or two (the business case and its key decisions), or a folder of ADRs.`);
  for (const s of skipped) if (s.skipped) notes.push(s.skipped);
  report.notes = [...report.notes, ...notes];
  // In the order the files were given.
  const byName = new Map([...report.files, ...skipped].map((f) => [f.name, f]));
  report.files = files.map((f) => byName.get(f.name)).filter((f): f is FileFound => f !== undefined);
  // What parsing found is refused there; this is what only the whole import shows (decisions spoken of, none found).
  if (strict && report.warnings.length > 0) {
    const first = report.warnings[0] as ImportWarning;
    const m = /^(?:(.+?): )?Line \d+: (.*)$/s.exec(first.message);
    throw new MarkdownFormatError(first.line, m ? `${m[2] ?? ''}${m[1] ? ` (${m[1]})` : ''}` : first.message);
  }
  return report;
}

function found(name: string, layout: string, parsed: ParsedCase | null, skipped: string | null = null): FileFound {
  return {
    name, layout, skipped,
    decisions: parsed?.decisions.length ?? 0, evidence: parsed?.evidence.length ?? 0, sections: parsed?.layout.sections.length ?? 0,
  };
}

/** The layout recognised in a document, in words. */
export function describeLayout(parsed: ParsedCase): string {
  const { layout } = parsed;
  const front = layout.frontMatter ? ', with front matter' : '';
  switch (parsed.recognised) {
    case 'sprints':
      return layout.decisionStyle === 'heading'
        ? `“Sprint N” headings with “Decision N” headings${front}`
        : `“Sprint N” headings with “Decision N: …” paragraphs${front}`;
    case 'log': {
      const style = layout.log?.style === 'bold' ? '“**Decision:** …” lines' : '“Decision N: …” headings';
      const forms = Object.values(layout.sprintForms ?? {});
      const under = forms.some((f) => f.heading === null && f.level === 1)
        ? `under the sprint its title names (${forms.find((f) => f.heading === null)?.name ?? ''})`
        : parsed.sprints.every((s) => layout.sprintForms?.[String(s.number)]?.heading === null)
          ? 'with no sprint named (one “Imported” sprint)'
          : `under headings that name sprints (${parsed.sprints.slice(0, 3).map((s) => sprintHeading(s, layout.sprintForms)).join(', ')}${parsed.sprints.length > 3 ? ', …' : ''})`;
      return `a decision log: ${style} ${under}${front}`;
    }
    case 'sections':
      return `sections only, no decisions${front}`;
    case 'page':
      return `a page with no Markdown heading, kept as one block${front}`;
    case 'adr':
      return 'architecture decision records';
  }
}

/** The warning for a document that speaks of decisions but holds none the importer could read. */
function missedDecisions(name: string | null, parsed: ParsedCase): ImportWarning[] {
  const m = parsed.decisionsMentioned;
  if (m === null) return [];
  const where = name === null ? '' : `${name}: `;
  return [{
    line: m.line,
    message: `${where}Line ${m.line}: “${m.text.slice(0, 80)}” speaks of decisions, but none was found. Write each as “## Decision 1: …” (under a heading that names its sprint), “**Decision:** …”, or “Decision 1: …” under “## Sprint 1”; the document was kept as sections.`,
  }];
}

function importOne(read: { file: ImportFile; doc: ParsedCase }, input: ImportInput): ImportReport {
  const report = build(read.doc, input);
  report.snapshot.case.layout.fileName = read.file.name;
  report.warnings = [...report.warnings, ...missedDecisions(null, read.doc)];
  report.files = [found(read.file.name, describeLayout(read.doc), read.doc)];
  report.notes = read.doc.notes;
  return report;
}

function importTwo(reads: [{ file: ImportFile; doc: ParsedCase }, { file: ImportFile; doc: ParsedCase }], input: ImportInput): ImportReport {
  const parsed = reads.map((r) => ({ file: r.file, case: r.doc }));
  const [a, b] = reads.map((r) => r.file) as [ImportFile, ImportFile];
  const withSprints = parsed.filter((p) => p.case.sprints.length > 0);
  if (withSprints.length !== 1) {
    throw new ImportRefused(withSprints.length === 2
      ? `Both ${a.name} and ${b.name} have sprints; only the key decisions file should. Import them as two cases instead.`
      : `Neither ${a.name} nor ${b.name} has a sprint or a decision the importer can read, so neither holds the key decisions. Import each as its own case.`);
  }
  const d = withSprints[0] as (typeof parsed)[number];
  const c = parsed.find((p) => p !== d) as (typeof parsed)[number];
  const dl = d.case.layout;
  if (dl.decisionsAt > 0 && !dl.log) {
    throw new ImportRefused(`${d.file.name} has sections before its first sprint (“${dl.sections[0]?.heading ?? ''}”). A key decisions file holds a title, an introduction and the sprints.`);
  }
  const container = dl.decisionsHeading !== null;
  const caseSections = c.case.layout.sections;
  const merged: ParsedCase = {
    title: c.case.title,
    layout: {
      preamble: c.case.layout.preamble,
      sections: [...caseSections, ...dl.sections],
      // A decision log's own sections before its first decision stay in its file, before its decisions.
      decisionsAt: caseSections.length + dl.decisionsAt,
      decisionsHeading: dl.decisionsHeading ?? { level: Math.max(1, dl.sprintLevel - 1), text: d.case.title ?? 'Key decisions', intro: dl.preamble },
      sprintLevel: dl.sprintLevel,
      decisionStyle: dl.decisionStyle,
      source: null,
      frontMatter: c.case.layout.frontMatter ?? null,
      sprintForms: dl.sprintForms ?? null,
      log: dl.log ?? null,
      files: {
        case: { name: c.file.name, source: c.case.layout.source ?? null },
        decisions: {
          name: d.file.name, container, title: d.case.title, preamble: dl.preamble, source: dl.source ?? null,
          frontMatter: dl.frontMatter ?? null, sectionsBefore: dl.decisionsAt,
        },
      },
    },
    sprints: d.case.sprints,
    decisions: d.case.decisions,
    evidence: d.case.evidence,
    warnings: [],
    recognised: d.case.recognised,
    notes: [...c.case.notes, ...d.case.notes],
    decisionsMentioned: null,
  };
  const report = build(merged, input);
  // Say which file each warning is about.
  report.warnings = [
    ...c.case.warnings.map((w) => ({ ...w, message: `${c.file.name}: ${w.message}` })),
    ...d.case.warnings.map((w) => ({ ...w, message: `${d.file.name}: ${w.message}` })),
  ];
  report.files = [
    found(c.file.name, `the business case: ${describeLayout(c.case)}`, c.case),
    found(d.file.name, `its key decisions: ${describeLayout(d.case)}`, d.case),
  ];
  report.notes = merged.notes;
  return report;
}

function importAdrs(
  adrs: Array<{ file: ImportFile; adr: AdrRead }>, docs: Array<{ file: ImportFile; doc: ParsedCase }>, input: ImportInput, skipped: FileFound[],
): ImportReport {
  // The case's own page: a README or index at the top, else the one other document there is.
  const depth = Math.min(...[...adrs, ...docs].map((r) => r.file.name.split('/').length));
  const index = docs.find((r) => isIndexPage(r.file.name, depth)) ?? (docs.length === 1 ? docs[0] : undefined);
  if (index && index.doc.decisions.length > 0) {
    throw new ImportRefused(`${index.file.name} holds decisions of its own (${count(index.doc.decisions.length, 'decision', 'decisions')}) beside ${count(adrs.length, 'ADR', 'ADRs')}. Import the ADRs on their own, or ${index.file.name} on its own.`);
  }
  for (const r of docs) {
    if (r !== index) skipped.push(found(r.file.name, describeLayout(r.doc), r.doc, `${r.file.name} is not an ADR (no number with a Status or Decision section), so it was left out.`));
  }
  const base = newCase({ id: input.id, place: input.place, now: input.now.toISOString() });
  const { parsed, outcomes } = readAdrFolder({
    adrs: adrs.map((r) => r.adr),
    index: index ? { path: index.file.name, parsed: index.doc } : null,
    sprintDays: sprintDays(base.sprintLength),
  });
  const report = build(parsed, input);
  report.warnings = index ? index.doc.warnings.map((w) => ({ ...w, message: `${index.file.name}: ${w.message}` })) : [];
  const byPath = new Map<string, AdrOutcome>(outcomes.map((o) => [o.path, o]));
  report.files = [
    ...(index ? [found(index.file.name, `the case's own page: ${describeLayout(index.doc)}`, index.doc)] : []),
    ...adrs.map((r) => {
      const o = byPath.get(r.file.name) as AdrOutcome;
      return { name: r.file.name, layout: `an ADR: Decision ${o.decision}, ${o.status}`, decisions: 1, evidence: o.evidence, sections: 0, skipped: null };
    }),
  ];
  report.notes = parsed.notes;
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
  // Counted in one pass over each list: a case can hold thousands of decisions over hundreds of sprints.
  const sprintOf = new Map(snapshot.decisions.map((d) => [d.number, d.sprint]));
  const decisionsIn = new Map<number, number>();
  const evidenceIn = new Map<number, number>();
  for (const d of snapshot.decisions) decisionsIn.set(d.sprint, (decisionsIn.get(d.sprint) ?? 0) + 1);
  for (const e of snapshot.evidence) {
    const sprint = sprintOf.get(e.decision);
    if (sprint !== undefined) evidenceIn.set(sprint, (evidenceIn.get(sprint) ?? 0) + 1);
  }
  const counts = sprints.map((s) => ({
    number: s.number, name: sprintHeading(s, c.layout.sprintForms), decisions: decisionsIn.get(s.number) ?? 0, evidence: evidenceIn.get(s.number) ?? 0,
    ...(s.phase ? { starts: phaseLabel(s.phase) } : {}),
  }));
  return { snapshot, warnings: parsed.warnings, sprints: counts, sections: parsed.layout.sections.length, files: [], notes: [] };
}

/** What an import did, in lines a person can check against the documents. */
export function importSummary(report: ImportReport, caseName: string): string[] {
  const { snapshot } = report;
  const lines = [
    `Imported "${snapshot.case.title ?? caseName}" as case ${caseName}: ${count(snapshot.decisions.length, 'decision', 'decisions')}, ${count(snapshot.evidence.length, 'piece of evidence', 'pieces of evidence')}, ${count(report.sections, 'section', 'sections')}.`,
    ...report.sprints.map((s) => `  ${s.name}${s.starts ? ` (${s.starts} starts)` : ''}: ${count(s.decisions, 'decision', 'decisions')}, ${count(s.evidence, 'piece of evidence', 'pieces of evidence')}`),
    ...fileLines(report),
    ...report.notes.map((n) => `Note: ${n}`),
  ];
  if (report.warnings.length > 0) lines.push(`${count(report.warnings.length, 'line was', 'lines were')} kept as text; see the warnings.`);
  return lines;
}

/** One line a file: what it was read as, and what it holds. */
export function fileLines(report: ImportReport): string[] {
  return report.files.filter((f) => f.skipped === null).map((f) => {
    const holds = f.decisions === 0 && f.evidence === 0
      ? count(f.sections, 'section', 'sections')
      : `${count(f.decisions, 'decision', 'decisions')}, ${count(f.evidence, 'piece of evidence', 'pieces of evidence')}${f.sections > 0 ? `, ${count(f.sections, 'section', 'sections')}` : ''}`;
    return `  ${f.name}: ${f.layout}; ${holds}`;
  });
}

/** The five-case template when the document has its Commercial, Financial or Management case. */
function guessTemplate(headings: string[]): 'prototype' | 'five-case' {
  return headings.some((h) => /^(commercial|financial|management) case$/i.test(h.trim())) ? 'five-case' : 'prototype';
}
