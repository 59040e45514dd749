/**
 * Reads a whole business case from Markdown, in either layout the brief describes:
 * sprints under a "Key decisions" heading with inline "Decision 8: …" paragraphs, or
 * top-level "## Sprint N" headings with "### Decision N" headings.
 *
 * It accepts only documents it can write back exactly (apart from trailing spaces and
 * runs of blank lines); anything else is refused with the line to fix.
 */
import type { DecisionStatus, DocumentLayout, Section, Sprint } from '../model';
import {
  fencedLines,
  readDecisionHeading,
  readDecisionLine,
  readEvidenceLine,
  readHeading,
  readSprintHeading,
  readStatusLine,
  splitSourceTail,
  unescapeUserText,
  type Heading,
  type StatusLine,
} from './escape';

export interface ParsedDecision {
  number: number;
  sprint: number;
  text: string;
  status: DecisionStatus;
  statusReason: string | null;
  supersededBy: number | null;
  sourceUrl: string | null;
}

export interface ParsedEvidence {
  decision: number;
  letter: string | null;
  refersTo: string | null;
  position: number;
  text: string;
  sourceUrl: string | null;
}

export interface ParsedCase {
  title: string | null;
  layout: DocumentLayout;
  sprints: Sprint[];
  decisions: ParsedDecision[];
  evidence: ParsedEvidence[];
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

function splitLines(markdown: string): string[] {
  return markdown.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((l) => l.replace(/[ \t]+$/, ''));
}

function readLines(markdown: string): Line[] {
  const texts = splitLines(markdown);
  const fenced = fencedLines(texts);
  return texts.map((text, i) => ({ no: i + 1, text, fenced: fenced[i], heading: fenced[i] ? null : readHeading(text) }));
}

/** Lines without trailing spaces, one blank line at most between blocks, none at either end. */
function joinLines(lines: readonly string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/**
 * The form export writes and round-trips compare against: \n line ends, no trailing
 * spaces, single blank lines between blocks, one newline at the end ("" stays "").
 */
export function normaliseMarkdown(markdown: string): string {
  const text = joinLines(splitLines(markdown));
  return text === '' ? '' : `${text}\n`;
}

export function parseCaseMarkdown(markdown: string): ParsedCase {
  const lines = readLines(markdown);
  const partStart = lines.findIndex((l) => l.heading !== null && readSprintHeading(l.heading.text) !== null);
  const top = readSections(lines, 0, partStart < 0 ? lines.length : partStart, true);
  if (partStart < 0) {
    const layout: DocumentLayout = {
      preamble: top.preamble,
      sections: top.sections,
      decisionsAt: top.sections.length,
      decisionsHeading: null,
      sprintLevel: 3,
      decisionStyle: 'inline',
    };
    return { title: top.title, layout, sprints: [], decisions: [], evidence: [] };
  }

  const sprintLevel = (lines[partStart].heading as Heading).level;
  const decisionsHeading = takeContainer(top.sections, sprintLevel);
  const part = new DecisionsPartReader(sprintLevel);
  const end = part.read(lines, partStart);
  const after = readSections(lines, end, lines.length, false);
  const layout: DocumentLayout = {
    preamble: top.preamble,
    sections: [...top.sections, ...after.sections],
    decisionsAt: top.sections.length,
    decisionsHeading,
    sprintLevel,
    decisionStyle: part.style ?? 'inline',
  };
  return { title: top.title, layout, sprints: part.sprints, decisions: part.decisions, evidence: part.evidence };
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

/** Title, preamble and sections of the lines [from, to), which lie outside the decisions part. */
function readSections(lines: Line[], from: number, to: number, atStart: boolean): { title: string | null; preamble: string; sections: Section[] } {
  let title: string | null = null;
  let i = from;
  const first = lines.slice(from, to).find((l) => l.text !== '');
  // Only an H1 that opens the document is its title: export always writes the title first.
  if (atStart && first?.heading?.level === 1) {
    refuseOutsidePart(first, first.heading);
    title = first.heading.text;
    i = first.no;
  }
  const preamble: string[] = [];
  const sections: Array<{ section: Section; body: string[] }> = [];
  let body = preamble;
  for (; i < to; i++) {
    const line = lines[i];
    if (line.heading) refuseOutsidePart(line, line.heading);
    if (line.heading && line.heading.level <= SECTION_MAX_LEVEL) {
      body = [];
      sections.push({ section: { level: line.heading.level, heading: line.heading.text, body: '' }, body });
    } else {
      body.push(line.text);
    }
  }
  for (const s of sections) s.section.body = unescapeUserText(joinLines(s.body), 'section');
  return { title, preamble: unescapeUserText(joinLines(preamble), 'section'), sections: sections.map((s) => s.section) };
}

/** Sprint and Decision headings belong in the decisions part only. */
function refuseOutsidePart(line: Line, heading: Heading): void {
  const sprint = readSprintHeading(heading.text);
  if (sprint) {
    throw new MarkdownFormatError(line.no, `Sprint ${sprint.number} comes after the key decisions part has ended. Keep all the sprints together.`);
  }
  const decision = readDecisionHeading(heading.text);
  if (decision !== null) {
    throw new MarkdownFormatError(line.no, `Decision ${decision} is not under a sprint. Decisions go under a Sprint heading.`);
  }
}

/** Text being collected, and what it will become. */
type Block =
  | { kind: 'intro'; sprint: Sprint; lines: string[] }
  | { kind: 'decision'; decision: ParsedDecision; lines: string[] }
  | { kind: 'status'; decision: ParsedDecision }
  | { kind: 'evidence'; evidence: ParsedEvidence; lines: string[] };

/** Reads the sprints, decisions and evidence, line by line, from the first Sprint heading on. */
class DecisionsPartReader {
  readonly sprints: Sprint[] = [];
  readonly decisions: ParsedDecision[] = [];
  readonly evidence: ParsedEvidence[] = [];
  style: DocumentLayout['decisionStyle'] | null = null;
  private block: Block | null = null;
  /** The decision that evidence now sits under; none at the start of a sprint. */
  private current: ParsedDecision | null = null;
  private readonly decisionLines = new Map<number, number>();

  constructor(private readonly sprintLevel: number) {}

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
    this.addText(line);
  }

  private readHeadingLine(line: Line, h: Heading): void {
    const sprint = readSprintHeading(h.text);
    if (sprint) {
      if (h.level !== this.sprintLevel) {
        throw new MarkdownFormatError(line.no, `The heading for Sprint ${sprint.number} should be level ${this.sprintLevel} (${'#'.repeat(this.sprintLevel)}), like the first sprint.`);
      }
      return this.startSprint(line, sprint.number, sprint.suffix);
    }
    const decision = readDecisionHeading(h.text);
    if (decision !== null) {
      const level = this.sprintLevel + 1;
      if (h.level !== level) {
        throw new MarkdownFormatError(line.no, `The heading for Decision ${decision} should be level ${level} (${'#'.repeat(level)}), one below its sprint.`);
      }
      return this.startDecision(line, decision, 'heading', null);
    }
    throw new MarkdownFormatError(line.no, `The heading “${h.text}” is inside the key decisions part, where only Sprint and Decision headings can go.`);
  }

  private startSprint(line: Line, number: number, suffix: string): void {
    const last = this.sprints[this.sprints.length - 1];
    if (this.sprints.some((s) => s.number === number)) {
      throw new MarkdownFormatError(line.no, `Sprint ${number} appears twice.`);
    }
    if (last !== undefined && number < last.number) {
      throw new MarkdownFormatError(line.no, `Sprint ${number} comes after Sprint ${last.number}. Sprints must go in order.`);
    }
    this.finishBlock();
    const sprint: Sprint = { number, suffix, intro: '', startsOn: null };
    this.sprints.push(sprint);
    this.current = null;
    this.block = { kind: 'intro', sprint, lines: [] };
  }

  private startDecision(line: Line, number: number, style: 'inline' | 'heading', rest: string | null): void {
    this.checkStyle(line, number, style);
    const seen = this.decisionLines.get(number);
    if (seen !== undefined) {
      throw new MarkdownFormatError(line.no, `Decision ${number} appears twice: it is also on line ${seen}.`);
    }
    const last = this.decisions[this.decisions.length - 1];
    if (last !== undefined && number < last.number) {
      throw new MarkdownFormatError(line.no, `Decision ${number} comes after Decision ${last.number}. Decisions must be numbered in order.`);
    }
    this.finishBlock();
    const sprint = this.sprints[this.sprints.length - 1].number;
    const decision: ParsedDecision = { number, sprint, text: '', status: 'active', statusReason: null, supersededBy: null, sourceUrl: null };
    this.decisions.push(decision);
    this.decisionLines.set(number, line.no);
    this.current = decision;
    this.block = { kind: 'decision', decision, lines: rest === null ? [] : [rest] };
  }

  /** The first decision sets the style; export writes one style, so a mix could not come back as written. */
  private checkStyle(line: Line, number: number, style: 'inline' | 'heading'): void {
    if (this.style === null) {
      this.style = style;
      return;
    }
    if (style === this.style) return;
    const first = this.decisions[0].number;
    const how = (s: 'inline' | 'heading') => (s === 'heading' ? 'as a heading' : 'inline ("Decision N: …")');
    throw new MarkdownFormatError(line.no, `Decision ${number} is written ${how(style)}, but Decision ${first} is written ${how(this.style)}. Write every decision the same way.`);
  }

  private startEvidence(line: Line, number: number, letters: string, rest: string): void {
    const label = `${number}${letters}`;
    const under = this.current;
    if (under === null) {
      const sprint = this.sprints[this.sprints.length - 1].number;
      const where = this.decisions.length === 0 ? '' : ` in Sprint ${sprint}`;
      throw new MarkdownFormatError(line.no, `Evidence ${label} comes before any decision${where}.`);
    }
    if (number > under.number) {
      throw new MarkdownFormatError(line.no, `Evidence ${label} is under Decision ${under.number}, but names the later Decision ${number}.`);
    }
    const own = number === under.number;
    const siblings = this.evidence.filter((e) => e.decision === under.number);
    if (own && siblings.some((e) => e.letter === letters)) {
      throw new MarkdownFormatError(line.no, `Evidence ${label} appears twice under Decision ${under.number}.`);
    }
    this.finishBlock();
    const evidence: ParsedEvidence = {
      decision: under.number,
      letter: own ? letters : null,
      refersTo: own ? null : label,
      position: siblings.length,
      text: '',
      sourceUrl: null,
    };
    this.evidence.push(evidence);
    this.block = { kind: 'evidence', evidence, lines: [rest] };
  }

  private setStatus(line: Line, status: StatusLine): void {
    const block = this.block;
    if (block?.kind !== 'decision') {
      const d = this.current;
      const problem =
        d === null
          ? `“${line.text}” comes before any decision in Sprint ${this.sprints[this.sprints.length - 1].number}.`
          : block?.kind === 'status'
            ? `Decision ${d.number} already has a status.`
            : `The status of Decision ${d.number} must come straight after its text, before its evidence.`;
      throw new MarkdownFormatError(line.no, problem);
    }
    const d = block.decision;
    if (status.status === 'withdrawn') {
      d.status = 'withdrawn';
      d.statusReason = status.reason;
    } else {
      d.status = 'superseded';
      d.supersededBy = status.by;
    }
    this.finishBlock();
    this.block = { kind: 'status', decision: d };
  }

  private addText(line: Line): void {
    const block = this.block as Block;
    if (block.kind !== 'status') {
      block.lines.push(line.text);
    } else if (line.text !== '') {
      throw new MarkdownFormatError(line.no, `Only evidence can follow the status of Decision ${block.decision.number}.`);
    }
  }

  private finishBlock(): void {
    const block = this.block;
    this.block = null;
    if (block === null || block.kind === 'status') return;
    const raw = joinLines(block.lines);
    if (block.kind === 'intro') {
      block.sprint.intro = unescapeUserText(raw, 'decision');
      return;
    }
    const { text, sourceUrl } = splitSourceTail(raw);
    const target = block.kind === 'decision' ? block.decision : block.evidence;
    target.text = unescapeUserText(text, 'decision');
    target.sourceUrl = sourceUrl;
  }
}
