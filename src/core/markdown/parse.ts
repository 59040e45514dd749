/**
 * Reads a whole business case from Markdown, in either layout the brief describes:
 * sprints under a "Key decisions" heading with inline "Decision 8: …" paragraphs, or
 * top-level "## Sprint N" headings with "### Decision N" headings.
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
  fencedLines,
  readDecisionHeading,
  readDecidersLine,
  readDecisionLine,
  readEvidenceLine,
  readHeading,
  readPhaseLine,
  readSprintHeading,
  readStatusLine,
  splitSourceTail,
  unescapeUserText,
  type Heading,
  type StatusLine,
} from './escape';
import { joinLines, splitLines } from './lines';
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

/** Something the importer could not turn into structure, kept as text; `line` is 1-based. */
export interface ImportWarning {
  line: number;
  /** "Line 84: Evidence 7a appears twice under Decision 7; kept as text of Evidence 7b." */
  message: string;
}

export interface ParsedCase {
  title: string | null;
  layout: DocumentLayout;
  sprints: Sprint[];
  decisions: ParsedDecision[];
  evidence: ParsedEvidence[];
  warnings: ImportWarning[];
}

export interface ParseOptions {
  /** Refuse (MarkdownFormatError) what would otherwise be kept as text with a warning. */
  strict?: boolean;
}

/** A document the importer refuses; `line` is 1-based and the message names it. */
export class MarkdownFormatError extends Error {
  readonly line: number;

  constructor(line: number, problem: string) {
    super(`Line ${line}: ${problem}`);
    this.name = 'MarkdownFormatError';
    this.line = line;
  }
}

/** Headings up to this level start a section; deeper ones are part of a section's body. */
const SECTION_MAX_LEVEL = 3;

interface Line {
  /** 1-based, as the user's editor counts. */
  no: number;
  text: string;
  /** Inside a fenced code block: never structure. */
  fenced: boolean;
  heading: Heading | null;
}

function readLines(markdown: string): Line[] {
  const texts = splitLines(markdown);
  const fenced = fencedLines(texts);
  return texts.map((text, i) => ({ no: i + 1, text, fenced: fenced[i], heading: fenced[i] ? null : readHeading(text) }));
}

/** Where problems go: refused when strict, else kept as text and reported. */
class Problems {
  readonly warnings: ImportWarning[] = [];

  constructor(private readonly strict: boolean) {}

  /** Throws when strict; else records the warning, saying where the line was kept. */
  report(line: Line, problem: string, keptIn: string): void {
    if (this.strict) throw new MarkdownFormatError(line.no, problem);
    this.warnings.push({ line: line.no, message: `Line ${line.no}: ${problem.replace(/\.$/, '')}; kept as text of ${keptIn}.` });
  }
}

/** "Decisions 7:", "decision 7 -", "Evidence 7 a:": close to a label, but not one the importer reads. */
const LOOKALIKE = /^(?:decisions?|evidence)\s*\d+\s*[a-z]*\s*[:.\-–]/i;

export function parseCaseMarkdown(markdown: string, options: ParseOptions = {}): ParsedCase {
  const lines = readLines(markdown);
  const problems = new Problems(options.strict === true);
  const partStart = lines.findIndex((l) => l.heading !== null && readSprintHeading(l.heading.text) !== null);
  const top = readSections(lines, 0, partStart < 0 ? lines.length : partStart, true, problems);
  let parsed: Omit<ParsedCase, 'warnings'>;
  let spans: Span[];
  if (partStart < 0) {
    const layout: DocumentLayout = {
      preamble: top.preamble,
      sections: top.sections,
      decisionsAt: top.sections.length,
      decisionsHeading: null,
      sprintLevel: 3,
      decisionStyle: 'inline',
    };
    parsed = { title: top.title, layout, sprints: [], decisions: [], evidence: [] };
    spans = top.spans;
  } else {
    const sprintLevel = (lines[partStart].heading as Heading).level;
    const decisionsHeading = takeContainer(top.sections, sprintLevel);
    // The container's heading was read as the last section: it is the decisions heading.
    if (decisionsHeading) top.spans[top.spans.length - 1].key = KEYS.decisionsHeading;
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
    parsed = { title: top.title, layout, sprints: part.sprints, decisions: part.decisions, evidence: part.evidence };
    spans = [...top.spans, ...part.spans, ...after.spans];
  }
  const source = captureSourceForm(markdown, spans, caseUnits(parsed));
  return { ...parsed, layout: { ...parsed.layout, source }, warnings: problems.warnings };
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

interface SectionsRead {
  title: string | null;
  preamble: string;
  sections: Section[];
  spans: Span[];
}

/**
 * Title, preamble and sections of the lines [from, to), which lie outside the decisions
 * part; `firstIndex` is the index in the case's sections of the first one read here.
 */
function readSections(lines: Line[], from: number, to: number, atStart: boolean, problems: Problems, firstIndex = 0): SectionsRead {
  let title: string | null = null;
  const spans: Span[] = [];
  let i = from;
  const first = lines.slice(from, to).find((l) => l.text !== '');
  // Only an H1 that opens the document is its title: export always writes the title first.
  if (atStart && first?.heading?.level === 1 && !outOfPart(first.heading)) {
    title = first.heading.text;
    spans.push({ key: KEYS.title, line: first.no - 1 });
    i = first.no;
  }
  if (atStart && i < to) spans.push({ key: KEYS.preamble, line: i });
  const preamble: string[] = [];
  const sections: Array<{ section: Section; body: string[] }> = [];
  let body = preamble;
  for (; i < to; i++) {
    const line = lines[i];
    const misplaced = line.heading ? outOfPart(line.heading) : null;
    const keptIn = (): string => {
      const current = sections[sections.length - 1];
      return current ? `the “${current.section.heading}” section` : 'the text before the first section';
    };
    if (misplaced) {
      problems.report(line, misplaced, keptIn());
      body.push(line.text);
    } else if (line.heading && line.heading.level <= SECTION_MAX_LEVEL) {
      body = [];
      spans.push({ key: KEYS.section(firstIndex + sections.length), line: i });
      sections.push({ section: { level: line.heading.level, heading: line.heading.text, body: '' }, body });
    } else {
      if (!line.fenced && (readDecisionLine(line.text) || readEvidenceLine(line.text))) {
        problems.report(line, `“${line.text.slice(0, 40)}” is not under a sprint`, keptIn());
      }
      body.push(line.text);
    }
  }
  for (const s of sections) s.section.body = unescapeUserText(joinLines(s.body), 'section');
  return { title, preamble: unescapeUserText(joinLines(preamble), 'section'), sections: sections.map((s) => s.section), spans };
}

/** Sprint and Decision headings belong in the decisions part only: why this one is out of place, or null. */
function outOfPart(heading: Heading): string | null {
  const sprint = readSprintHeading(heading.text);
  if (sprint) return `Sprint ${sprint.number} comes after the key decisions part has ended. Keep all the sprints together.`;
  const decision = readDecisionHeading(heading.text);
  if (decision !== null) return `Decision ${decision} is not under a sprint. Decisions go under a Sprint heading.`;
  return null;
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
    const siblings = this.evidence.filter((e) => e.decision === under.number);
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
