/**
 * Reads a whole business case from Markdown, in either layout the brief describes:
 * sprints under a "Key decisions" heading with inline "Decision 8: …" paragraphs, or
 * top-level "## Sprint N" headings with "### Decision N" headings; or, with no decision in
 * those, as a decision log (log.ts). Front matter is kept as written.
 *
 * What it cannot turn into structure (a repeated label, a number out of order, a heading
 * at the wrong level) it keeps as text of the part before it and reports as a warning with
 * its line; `strict` refuses such a document instead. Either way the document's own
 * spelling is kept beside what it means (source-form.ts), so export gives it back byte for
 * byte.
 */
import type { DecisionStatus, DocumentLayout, Section, Sprint } from '../model';
import {
  closeOpenFence,
  readDecisionHeading,
  readDecidersLine,
  readDecisionLine,
  readEvidenceLine,
  readPhaseLine,
  readSprintHeading,
  readStatusLine,
  splitSourceTail,
  unescapeDocumentStart,
  unescapeUserText,
  type Heading,
  type StatusLine,
} from './escape';
import { Problems, readDocumentLines, readSections, SECTION_MAX_LEVEL, type ImportWarning, type Line } from './document-lines';
import { frontMatterTitle } from './front-matter';
import { joinLines } from './lines';
import { readDecisionLog } from './log';
import { readPointsLine } from '../service-standard';
import { captureSourceForm, type Span } from './source-form';
import { caseUnits, KEYS } from './units';

export interface ParsedDecision {
  number: number;
  sprint: number;
  text: string;
  status: DecisionStatus;
  statusReason: string | null;
  supersededBy: number | null;
  sourceUrl: string | null;
  deciders: string[];
  points: number[];
}

export interface ParsedEvidence {
  decision: number;
  letter: string | null;
  refersTo: string | null;
  position: number;
  text: string;
  sourceUrl: string | null;
  points: number[];
}

export type { ImportWarning } from './document-lines';
export { MarkdownFormatError } from './document-lines';

/** The layout a document was read in. */
export type Recognised =
  /** Sprint N headings holding "Decision N: …" paragraphs or "Decision N" headings (the brief's two layouts). */
  | 'sprints'
  /** A decision log: "## Decision N: …" headings or "**Decision:** …" lines, under whatever names its sprints. */
  | 'log'
  /** Sections only: no decision in any layout. */
  | 'sections'
  /** No Markdown heading at all (HTML or Liquid after front matter, say): one block of text. */
  | 'page'
  /** Architecture decision records, one decision per file (read by adr.ts, not here). */
  | 'adr';

export interface ParsedCase {
  title: string | null;
  layout: DocumentLayout;
  sprints: Sprint[];
  decisions: ParsedDecision[];
  evidence: ParsedEvidence[];
  warnings: ImportWarning[];
  recognised: Recognised;
  /** What a person should know that is not a problem ("Decision 1 comes after Decision 3, so it is Decision 4 here"). */
  notes: string[];
  /** With no decision found: the first heading that speaks of decisions, which suggests they were missed. */
  decisionsMentioned: { line: number; text: string } | null;
}

export interface ParseOptions {
  /** Refuse (MarkdownFormatError) what would otherwise be kept as text with a warning. */
  strict?: boolean;
}

/** "Decisions 7:", "decision 7 -", "Evidence 7 a:": close to a label, but not one the importer reads. */
const LOOKALIKE = /^(?:decisions?|evidence)\s*\d+\s*[a-z]*\s*[:.\-–]/i;

/** HTML tags and Liquid or Nunjucks tags, which site generators keep in Markdown pages. */
const MARKUP = /<\/?[a-zA-Z][\w-]*(?:[\s/>]|$)|\{%|\{\{/;

type Read = Omit<ParsedCase, 'warnings' | 'decisionsMentioned'> & { spans: Span[]; problems: Problems };

/**
 * Reads a document in the layout it is written in: the Sprint N / Decision N layouts when it
 * has a decision in them (so every document those read is read as before), else a decision
 * log when it has one, else sections. Front matter is kept as written; its title is the
 * case's where the document has no # heading.
 */
export function parseCaseMarkdown(markdown: string, options: ParseOptions = {}): ParsedCase {
  const doc = readDocumentLines(markdown);
  const { lines, start } = doc;
  let read = readSprintsLayout(lines, start);
  if (read.decisions.length === 0) read = readLog(lines, start) ?? read;
  const { spans, problems, ...parsed } = read;
  // A page of front matter and HTML or Liquid (a design-history page) with no heading is
  // brought in whole; plain text with no heading is no case at all (the import says so).
  const firstText = lines.slice(start).find((l) => l.text.trim() !== '');
  const marked = doc.frontMatter !== null || lines.some((l, i) => i >= start && MARKUP.test(l.text));
  if (firstText && marked && parsed.title === null && parsed.layout.sections.length === 0 && parsed.sprints.length === 0) {
    parsed.recognised = 'page';
    problems.report(firstText, 'The page has no Markdown heading (a line such as “# Title”), so it is kept whole, as one block of text before any section.', null);
  }
  if (doc.frontMatter === null && parsed.title === null) parsed.layout.preamble = unescapeDocumentStart(parsed.layout.preamble);
  if (doc.frontMatter !== null) {
    const yaml = joinLines(doc.frontMatter);
    const title = parsed.title === null ? frontMatterTitle(yaml) : null;
    parsed.layout.frontMatter = { yaml, title: title !== null };
    if (title !== null) parsed.title = title;
    spans.unshift({ key: KEYS.frontMatter, line: 0 });
  }
  problems.refuseIfStrict(options.strict === true);
  const source = captureSourceForm(markdown, spans, caseUnits(parsed));
  const mentioned = parsed.decisions.length === 0 && parsed.sprints.length === 0
    ? lines.find((l) => l.heading !== null && /\bdecisions?\b/i.test(l.heading.text)) ?? null
    : null;
  return {
    ...parsed,
    layout: { ...parsed.layout, source },
    warnings: problems.warnings,
    decisionsMentioned: mentioned === null ? null : { line: mentioned.no, text: mentioned.text },
  };
}

/** The brief's layouts: sprints under a "Key decisions" heading, or top-level "## Sprint N". */
function readSprintsLayout(lines: Line[], from: number): Read {
  const problems = new Problems();
  const found = lines.findIndex((l, i) => i >= from && l.heading !== null && readSprintHeading(l.heading.text) !== null);
  const partStart = found < 0 ? lines.length : found;
  const top = readSections(lines, from, partStart, true, problems);
  if (found < 0) {
    const layout: DocumentLayout = {
      preamble: top.preamble,
      sections: top.sections,
      decisionsAt: top.sections.length,
      decisionsHeading: null,
      sprintLevel: 3,
      decisionStyle: 'inline',
    };
    return { title: top.title, layout, sprints: [], decisions: [], evidence: [], recognised: 'sections', notes: [], spans: top.spans, problems };
  }
  const sprintLevel = (lines[partStart]?.heading as Heading).level;
  const decisionsHeading = takeContainer(top.sections, sprintLevel);
  // The container's heading was read as the last section: it is the decisions heading.
  if (decisionsHeading) (top.spans[top.spans.length - 1] as Span).key = KEYS.decisionsHeading;
  const part = new DecisionsPartReader(sprintLevel, problems);
  const end = part.read(lines, partStart);
  const after = readSections(lines, end, lines.length, false, problems, top.sections.length);
  const layout: DocumentLayout = {
    preamble: top.preamble,
    sections: [...top.sections, ...after.sections],
    decisionsAt: top.sections.length,
    decisionsHeading,
    sprintLevel,
    decisionStyle: part.style ?? 'inline',
  };
  return {
    title: top.title, layout, sprints: part.sprints, decisions: part.decisions, evidence: part.evidence,
    recognised: 'sprints', notes: [], spans: [...top.spans, ...part.spans, ...after.spans], problems,
  };
}

/** The document as a decision log, or null when it has no decision in a log's forms. */
function readLog(lines: Line[], from: number): Read | null {
  const problems = new Problems();
  const log = readDecisionLog(lines, from, problems);
  if (log === null || log.decisions.length === 0) return null;
  const layout: DocumentLayout = {
    preamble: log.top.preamble,
    sections: [...log.top.sections, ...log.after.sections],
    decisionsAt: log.top.sections.length,
    decisionsHeading: null,
    sprintLevel: log.sprintLevel,
    decisionStyle: 'heading',
    sprintForms: log.sprintForms,
    log: log.log,
  };
  return {
    title: log.top.title, layout, sprints: log.sprints, decisions: log.decisions, evidence: log.evidence,
    recognised: 'log', notes: log.notes, spans: [...log.top.spans, ...log.spans, ...log.after.spans], problems,
  };
}

/**
 * The heading just before the first sprint holds the sprints when it is one level above
 * them ("## Key decisions that shaped this" over "### Sprint 0"). Its body is the intro.
 */
function takeContainer(sections: Section[], sprintLevel: number): DocumentLayout['decisionsHeading'] {
  const last = sections[sections.length - 1];
  if (last === undefined || last.level !== sprintLevel - 1) return null;
  sections.pop();
  return { level: last.level, text: last.heading, intro: last.body };
}

/** Text being collected, and what it will become. */
type Block =
  | { kind: 'intro'; sprint: Sprint; lines: string[] }
  | { kind: 'decision'; decision: ParsedDecision; lines: string[] }
  /** After a status line: further text belongs to the decision (kept with a warning). */
  | { kind: 'status'; decision: ParsedDecision; lines: string[] }
  /** After the line naming who decided: only its points, a status line or evidence follows. */
  | { kind: 'decided'; decision: ParsedDecision; lines: string[] }
  /** After the decision's Service Standard points: only a status line or evidence follows. */
  | { kind: 'pointed'; decision: ParsedDecision; lines: string[] }
  | { kind: 'evidence'; evidence: ParsedEvidence; lines: string[] }
  /** After the evidence's Service Standard points: only the next evidence, decision or sprint. */
  | { kind: 'evidence pointed'; evidence: ParsedEvidence; lines: string[] };

/** Reads the sprints, decisions and evidence, line by line, from the first Sprint heading on. */
class DecisionsPartReader {
  readonly sprints: Sprint[] = [];
  readonly decisions: ParsedDecision[] = [];
  readonly evidence: ParsedEvidence[] = [];
  readonly spans: Span[] = [];
  style: DocumentLayout['decisionStyle'] | null = null;
  private block: Block | null = null;
  /** The decision that evidence now sits under; none at the start of a sprint. */
  private current: ParsedDecision | null = null;
  private readonly decisionLines = new Map<number, number>();
  /** Each decision's evidence so far: looked up once a line, not by scanning all of it. */
  private readonly evidenceOf = new Map<number, ParsedEvidence[]>();

  constructor(private readonly sprintLevel: number, private readonly problems: Problems) {}

  /** Returns the index of the line that ends the part (or the line count). */
  read(lines: Line[], start: number): number {
    for (let i = start; i < lines.length; i++) {
      const line = lines[i];
      if (line.heading && this.endsPart(line.heading)) {
        this.finishBlock();
        return i;
      }
      this.readLine(line);
    }
    this.finishBlock();
    return lines.length;
  }

  /**
   * A section heading at or above the sprints' level ends the part. Sprint and Decision
   * headings never do: at the wrong level they are mistakes, reported where they are.
   */
  private endsPart(h: Heading): boolean {
    if (readSprintHeading(h.text) || readDecisionHeading(h.text) !== null) return false;
    return h.level <= SECTION_MAX_LEVEL && h.level <= this.sprintLevel;
  }

  private readLine(line: Line): void {
    if (line.fenced) return this.addText(line);
    if (line.heading) return this.readHeadingLine(line, line.heading);
    const decision = readDecisionLine(line.text);
    if (decision) return this.startDecision(line, decision.number, 'inline', decision.rest);
    const evidence = readEvidenceLine(line.text);
    if (evidence) return this.startEvidence(line, evidence.number, evidence.letters, evidence.rest);
    const status = readStatusLine(line.text);
    if (status) return this.setStatus(line, status);
    const deciders = readDecidersLine(line.text);
    if (deciders) return this.setDeciders(line, deciders);
    const points = readPointsLine(line.text);
    if (points) return this.setPoints(line, points);
    const phase = readPhaseLine(line.text);
    if (phase) return this.setPhase(line, phase);
    if (LOOKALIKE.test(line.text)) {
      return this.keep(line, `“${line.text.slice(0, 40)}” looks like a decision or evidence label, but is not written “Decision 7:” or “Evidence 7a:”`);
    }
    this.addText(line);
  }

  private readHeadingLine(line: Line, h: Heading): void {
    const sprint = readSprintHeading(h.text);
    if (sprint) {
      if (h.level !== this.sprintLevel) {
        return this.keep(line, `The heading for Sprint ${sprint.number} should be level ${this.sprintLevel} (${'#'.repeat(this.sprintLevel)}), like the first sprint.`);
      }
      return this.startSprint(line, sprint.number, sprint.suffix);
    }
    const decision = readDecisionHeading(h.text);
    if (decision !== null) {
      const level = this.sprintLevel + 1;
      if (h.level !== level) {
        return this.keep(line, `The heading for Decision ${decision} should be level ${level} (${'#'.repeat(level)}), one below its sprint.`);
      }
      return this.startDecision(line, decision, 'heading', null);
    }
    this.keep(line, `The heading “${h.text}” is inside the key decisions part, where only Sprint and Decision headings can go.`);
  }

  private startSprint(line: Line, number: number, suffix: string): void {
    const last = this.sprints[this.sprints.length - 1];
    if (this.sprints.some((s) => s.number === number)) return this.keep(line, `Sprint ${number} appears twice.`);
    if (last !== undefined && number < last.number) {
      return this.keep(line, `Sprint ${number} comes after Sprint ${last.number}. Sprints must go in order.`);
    }
    this.finishBlock();
    const sprint: Sprint = { number, suffix, intro: '', startsOn: null };
    this.sprints.push(sprint);
    this.current = null;
    this.block = { kind: 'intro', sprint, lines: [] };
    this.spans.push({ key: KEYS.sprint(number), line: line.no - 1 });
  }

  private startDecision(line: Line, number: number, style: 'inline' | 'heading', rest: string | null): void {
    const mixed = this.mixedStyle(number, style);
    if (mixed) return this.keep(line, mixed);
    const seen = this.decisionLines.get(number);
    if (seen !== undefined) return this.keep(line, `Decision ${number} appears twice: it is also on line ${seen}.`);
    const last = this.decisions[this.decisions.length - 1];
    if (last !== undefined && number < last.number) {
      return this.keep(line, `Decision ${number} comes after Decision ${last.number}. Decisions must be numbered in order.`);
    }
    this.style ??= style;
    this.finishBlock();
    const sprint = this.sprints[this.sprints.length - 1].number;
    const decision: ParsedDecision = { number, sprint, text: '', status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, deciders: [], points: [] };
    this.decisions.push(decision);
    this.decisionLines.set(number, line.no);
    this.current = decision;
    this.block = { kind: 'decision', decision, lines: rest === null ? [] : [rest] };
    this.spans.push({ key: KEYS.decision(number), line: line.no - 1 });
  }

  /** The first decision sets the style; export writes one style, so a mix could not come back as written. */
  private mixedStyle(number: number, style: 'inline' | 'heading'): string | null {
    if (this.style === null || style === this.style) return null;
    const first = this.decisions[0].number;
    const how = (s: 'inline' | 'heading') => (s === 'heading' ? 'as a heading' : 'inline ("Decision N: …")');
    return `Decision ${number} is written ${how(style)}, but Decision ${first} is written ${how(this.style)}. Write every decision the same way.`;
  }

  private startEvidence(line: Line, number: number, letters: string, rest: string): void {
    const label = `${number}${letters}`;
    const under = this.current;
    if (under === null) {
      const sprint = this.sprints[this.sprints.length - 1].number;
      const where = this.decisions.length === 0 ? '' : ` in Sprint ${sprint}`;
      return this.keep(line, `Evidence ${label} comes before any decision${where}.`);
    }
    if (number > under.number) {
      return this.keep(line, `Evidence ${label} is under Decision ${under.number}, but names the later Decision ${number}.`);
    }
    const own = number === under.number;
    const siblings = this.evidenceOf.get(under.number) ?? [];
    if (own && siblings.some((e) => e.letter === letters)) {
      return this.keep(line, `Evidence ${label} appears twice under Decision ${under.number}.`);
    }
    this.finishBlock();
    const evidence: ParsedEvidence = {
      decision: under.number,
      letter: own ? letters : null,
      refersTo: own ? null : label,
      position: siblings.length,
      text: '',
      sourceUrl: null,
      points: [],
    };
    this.evidence.push(evidence);
    this.evidenceOf.set(under.number, [...siblings, evidence]);
    this.block = { kind: 'evidence', evidence, lines: [rest] };
    this.spans.push({ key: KEYS.evidence(under.number, evidence.position), line: line.no - 1 });
  }

  private setDeciders(line: Line, deciders: string[]): void {
    const block = this.block;
    if (block?.kind !== 'decision') {
      const d = this.current;
      const problem =
        d === null
          ? `“${line.text.slice(0, 40)}” comes before any decision in Sprint ${this.sprints[this.sprints.length - 1].number}.`
          : block?.kind === 'decided'
            ? `Decision ${d.number} already names who decided it.`
            : block?.kind === 'status'
              ? `Who decided Decision ${d.number} must come before its status.`
              : block?.kind === 'pointed'
                ? `Who decided Decision ${d.number} must come before its Service Standard points.`
                : `Who decided Decision ${d.number} must come straight after its text, before its evidence.`;
      return this.keep(line, problem);
    }
    block.decision.deciders = deciders;
    this.block = { kind: 'decided', decision: block.decision, lines: block.lines };
  }

  /**
   * A decision's points straight after its text (and who decided it), or after its status;
   * a piece of evidence's straight after it.
   */
  private setPoints(line: Line, points: number[]): void {
    const block = this.block;
    if (block?.kind === 'evidence') {
      block.evidence.points = points;
      this.block = { kind: 'evidence pointed', evidence: block.evidence, lines: block.lines };
      return;
    }
    if (block?.kind === 'decision' || block?.kind === 'decided' || (block?.kind === 'status' && block.decision.points.length === 0)) {
      block.decision.points = points;
      if (block.kind !== 'status') this.block = { kind: 'pointed', decision: block.decision, lines: block.lines };
      return;
    }
    const sprint = this.sprints[this.sprints.length - 1].number;
    const problem = block?.kind === 'intro'
      ? `“${line.text.slice(0, 40)}” comes before any decision in Sprint ${sprint}: Service Standard points go under the decision or evidence they are about.`
      : `${this.describeBlock()} already has its Service Standard points.`;
    this.keep(line, problem);
  }

  /** The phase that starts at the sprint: under its heading, before its first decision; once. */
  private setPhase(line: Line, phase: NonNullable<Sprint['phase']>): void {
    const block = this.block;
    if (block?.kind === 'intro' && !block.sprint.phase) {
      block.sprint.phase = phase;
      return;
    }
    const sprint = this.sprints[this.sprints.length - 1].number;
    this.keep(line, block?.kind === 'intro'
      ? `Sprint ${sprint} already starts a phase.`
      : `A phase starts at a sprint: “${line.text.slice(0, 40)}” goes straight under the heading of Sprint ${sprint}, before its decisions.`);
  }

  private setStatus(line: Line, status: StatusLine): void {
    const block = this.block;
    if (block?.kind !== 'decision' && block?.kind !== 'decided' && block?.kind !== 'pointed') {
      const d = this.current;
      const problem =
        d === null
          ? `“${line.text}” comes before any decision in Sprint ${this.sprints[this.sprints.length - 1].number}.`
          : block?.kind === 'status'
            ? `Decision ${d.number} already has a status.`
            : `The status of Decision ${d.number} must come straight after its text, before its evidence.`;
      return this.keep(line, problem);
    }
    const d = block.decision;
    switch (status.status) {
      case 'withdrawn':
      case 'rejected':
        d.status = status.status;
        d.statusReason = status.reason;
        break;
      case 'proposed':
        d.status = 'proposed';
        break;
      case 'superseded':
        d.status = 'superseded';
        d.supersededBy = status.by;
        break;
    }
    this.block = { kind: 'status', decision: d, lines: block.lines };
  }

  /** A line that cannot be structure here: refused when strict, else text of the part it is in. */
  private keep(line: Line, problem: string): void {
    this.problems.report(line, problem, this.describeBlock());
    (this.block as Block).lines.push(line.text);
  }

  private describeBlock(): string {
    const block = this.block as Block;
    switch (block.kind) {
      case 'intro': return `Sprint ${block.sprint.number}`;
      case 'decision':
      case 'decided':
      case 'pointed':
      case 'status': return `Decision ${block.decision.number}`;
      case 'evidence':
      case 'evidence pointed': return `Evidence ${block.evidence.letter === null ? block.evidence.refersTo ?? '' : `${block.evidence.decision}${block.evidence.letter}`}`;
    }
  }

  private addText(line: Line): void {
    const block = this.block as Block;
    if (block.kind === 'status' && line.text !== '') {
      return this.keep(line, `Only evidence can follow the status of Decision ${block.decision.number}.`);
    }
    if (block.kind === 'decided' && line.text !== '') {
      return this.keep(line, `Only its status or evidence can follow who decided Decision ${block.decision.number}.`);
    }
    if (block.kind === 'pointed' && line.text !== '') {
      return this.keep(line, `Only its status or evidence can follow the Service Standard points of Decision ${block.decision.number}.`);
    }
    if (block.kind === 'evidence pointed' && line.text !== '') {
      return this.keep(line, `Only more evidence or the next decision can follow the Service Standard points of ${this.describeBlock()}.`);
    }
    block.lines.push(line.text);
  }

  private finishBlock(): void {
    const block = this.block;
    this.block = null;
    if (block === null) return;
    const raw = joinLines(block.lines);
    if (block.kind === 'intro') {
      block.sprint.intro = unescapeUserText(raw, 'decision');
      return;
    }
    // A source link inside a code fence left open is code, not a link.
    const { text, sourceUrl } = closeOpenFence(raw) === raw ? splitSourceTail(raw) : { text: raw, sourceUrl: null };
    const target = block.kind === 'evidence' || block.kind === 'evidence pointed' ? block.evidence : block.decision;
    // Text kept after a status (or the lines that precede it) is written before it: a code fence it opens must close there.
    const after = block.kind === 'status' || block.kind === 'decided' || block.kind === 'pointed' || block.kind === 'evidence pointed';
    target.text = unescapeUserText(after ? closeOpenFence(text) : text, 'decision');
    target.sourceUrl = sourceUrl;
  }
}
