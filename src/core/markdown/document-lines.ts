/**
 * What every layout's reader shares: a document's lines (with their headings, code fences
 * and front matter marked), the problems found in them, and the reading of the free
 * sections that lie outside the decisions part.
 */
import type { Section } from '../model';
import { fencedLines, readDecisionHeading, readDecisionLine, readEvidenceLine, readHeading, readSprintHeading, unescapeUserText, type Heading } from './escape';
import { readFrontMatter } from './front-matter';
import { joinLines, splitLines } from './lines';
import type { Span } from './source-form';
import { KEYS } from './units';

/** Something the importer could not turn into structure, kept as text; `line` is 1-based. */
export interface ImportWarning {
  line: number;
  /** "Line 84: Evidence 7a appears twice under Decision 7; kept as text of Evidence 7b." */
  message: string;
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
export const SECTION_MAX_LEVEL = 3;

export interface Line {
  /** 1-based, as the user's editor counts. */
  no: number;
  text: string;
  /** Inside a fenced code block or the front matter: never structure. */
  fenced: boolean;
  heading: Heading | null;
}

export interface DocumentLines {
  lines: Line[];
  /** The front matter's YAML lines, when the document opens with some. */
  frontMatter: string[] | null;
  /** The index of the first line after the front matter (0 without one). */
  start: number;
}

export function readDocumentLines(markdown: string): DocumentLines {
  const texts = splitLines(markdown);
  const front = readFrontMatter(texts);
  const start = front?.end ?? 0;
  const fenced = [...texts.slice(0, start).map(() => true), ...fencedLines(texts.slice(start))];
  const lines = texts.map((text, i) => ({ no: i + 1, text, fenced: fenced[i] ?? false, heading: fenced[i] ? null : readHeading(text) }));
  return { lines, frontMatter: front?.yaml ?? null, start };
}

interface Problem {
  line: number;
  problem: string;
  /** Where the line was kept; null when `problem` says it. */
  keptIn: string | null;
}

/**
 * What a reader could not place, each kept as text of the part it is in. A document can be
 * read in more than one layout, so nothing is refused while reading: `refuseIfStrict`
 * refuses (with the first problem's line) once the layout is chosen.
 */
export class Problems {
  private readonly found: Problem[] = [];

  report(line: Line, problem: string, keptIn: string | null): void {
    this.found.push({ line: line.no, problem, keptIn });
  }

  get count(): number {
    return this.found.length;
  }

  get warnings(): ImportWarning[] {
    return this.found.map((p) => ({
      line: p.line,
      message: p.keptIn === null ? `Line ${p.line}: ${p.problem}` : `Line ${p.line}: ${p.problem.replace(/\.$/, '')}; kept as text of ${p.keptIn}.`,
    }));
  }

  refuseIfStrict(strict: boolean): void {
    const first = this.found[0];
    if (strict && first) throw new MarkdownFormatError(first.line, first.problem);
  }
}

export interface SectionsRead {
  title: string | null;
  preamble: string;
  sections: Section[];
  spans: Span[];
}

/**
 * Title, preamble and sections of the lines [from, to), which lie outside the decisions
 * part; `firstIndex` is the index in the case's sections of the first one read here.
 */
export function readSections(lines: Line[], from: number, to: number, atStart: boolean, problems: Problems, firstIndex = 0, sprintsLayout = true): SectionsRead {
  const outOfPart = sprintsLayout ? sprintOrDecisionOutOfPart : () => null;
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
    const line = lines[i] as Line;
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
      if (sprintsLayout && !line.fenced && (readDecisionLine(line.text) || readEvidenceLine(line.text))) {
        problems.report(line, `“${line.text.slice(0, 40)}” is not under a sprint`, keptIn());
      }
      body.push(line.text);
    }
  }
  for (const s of sections) s.section.body = unescapeUserText(joinLines(s.body), 'section');
  return { title, preamble: unescapeUserText(joinLines(preamble), 'section'), sections: sections.map((s) => s.section), spans };
}

/**
 * In the Sprint N / Decision N layouts, Sprint and Decision headings belong in the decisions
 * part only: why this one is out of place, or null. (A decision log places them itself.)
 */
function sprintOrDecisionOutOfPart(heading: Heading): string | null {
  const sprint = readSprintHeading(heading.text);
  if (sprint) return `Sprint ${sprint.number} comes after the key decisions part has ended. Keep all the sprints together.`;
  const decision = readDecisionHeading(heading.text);
  if (decision !== null) return `Decision ${decision} is not under a sprint. Decisions go under a Sprint heading.`;
  return null;
}
