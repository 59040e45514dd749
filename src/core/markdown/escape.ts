/**
 * The line syntax a case document reserves for its own structure, shared by import
 * and export, and the escaping that keeps user text from ever forming it.
 *
 * Escaping puts one backslash where a reserved form starts (or before the colon of
 * "Decision 9:"). A line that already has backslashes there gets one more, and
 * unescaping takes exactly one away, so the two are exact inverses and a user's own
 * backslashes survive. Lines inside fenced code blocks are never structure, so they
 * are never touched.
 */

import type { SprintPhase } from '../model';
import { PHASE_LABELS, phaseKind } from '../phases';

export type TextPlace = 'decision' | 'section';

export interface Heading {
  level: number;
  text: string;
}

/** An ATX heading as CommonMark reads it: up to three spaces, one to six hashes, then a space or the end. */
const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)/;

export function readHeading(line: string): Heading | null {
  const m = HEADING.exec(line);
  return m ? { level: m[1].length, text: line.slice(m[0].length).trim() } : null;
}

/** "Sprint 3: Alpha" gives 3 and ": Alpha". */
export function readSprintHeading(text: string): { number: number; suffix: string } | null {
  const m = /^Sprint (\d+)/i.exec(text);
  return m ? { number: Number(m[1]), suffix: text.slice(m[0].length) } : null;
}

/** "Decision 13" as a heading's whole text. */
export function readDecisionHeading(text: string): number | null {
  const m = /^Decision (\d+)$/.exec(text);
  return m ? Number(m[1]) : null;
}

/** "Decision 8: text": number and the text after the colon. */
export function readDecisionLine(line: string): { number: number; rest: string } | null {
  const m = /^Decision (\d+):/.exec(line);
  return m ? { number: Number(m[1]), rest: line.slice(m[0].length).trimStart() } : null;
}

/** "Evidence 8a: text": number, letters and the text after the colon. */
export function readEvidenceLine(line: string): { number: number; letters: string; rest: string } | null {
  const m = /^Evidence (\d+)([a-z]+):/.exec(line);
  return m ? { number: Number(m[1]), letters: m[2], rest: line.slice(m[0].length).trimStart() } : null;
}

// ---- Decision logs ------------------------------------------------------------------

/**
 * A decision log's decision heading: "Decision 4: Fix naming service auth", "Decision: Skill
 * content loading approach" (no number), "Decision 4 – Fix …" or "Decision 4". A number or a
 * title is needed: "Decision" alone, "Decisions" and "Decision log" are not decisions.
 */
export function readLogDecisionHeading(text: string): { label: number | null; title: string; bare: boolean } | null {
  const m = /^Decision(?:[ \t]+(\d{1,9}))?(?:([ \t]*:|[ \t]+[-–—](?=[ \t]|$))|(?=$))[ \t]*(.*)$/i.exec(text);
  if (!m) return null;
  const label = m[1] === undefined ? null : Number(m[1]);
  const title = (m[3] ?? '').trim();
  // "Decision 4" alone is also the Sprint N layout's decision heading.
  return label === null && title === '' ? null : { label, title, bare: m[2] === undefined };
}

const BOLD_DECISION = /^(?:\*\*|__)Decision(?:[ \t]+(\d{1,9}))?(?::(?:\*\*|__)|(?:\*\*|__)[ \t]*:)/i;

/** "**Decision:** We will …" or "**Decision 4:** …": the number (null when none) and the text after the label. */
export function readBoldDecisionLine(line: string): { label: number | null; rest: string } | null {
  const m = BOLD_DECISION.exec(line);
  return m ? { label: m[1] === undefined ? null : Number(m[1]), rest: line.slice(m[0].length).trimStart() } : null;
}

const SPRINT_WORDS = 'sprint|iteration|cycle|increment|phase|week|milestone|discovery|alpha|beta|live';
/** A sprint's or iteration's name: the word, then a label with a digit in it ("Sprint M2-S5", "Iteration 3", "Beta 1"). */
const SPRINT_NAME = new RegExp(String.raw`(?:^|[^\p{L}\p{N}])((?:${SPRINT_WORDS})[ \t]+\p{L}{0,8}\d[\p{L}\p{N}._-]*)`, 'iu');

/** The sprint a heading names, anywhere in it ("Decisions Log — Sprint M2-S5: Naming"); `number` for "Sprint 3" and "Iteration 3". */
export function readSprintName(text: string): { phrase: string; at: number; number: number | null } | null {
  const m = SPRINT_NAME.exec(text);
  if (!m) return null;
  const phrase = (m[1] ?? '').replace(/[._-]+$/, '');
  const n = /^(?:sprint|iteration)[ \t]+(\d{1,6})$/i.exec(phrase);
  return { phrase, at: m.index + m[0].length - (m[1] ?? '').length, number: n ? Number(n[1]) : null };
}

export type StatusLine =
  | { status: 'withdrawn' | 'rejected'; reason: string | null }
  | { status: 'superseded'; by: number }
  | { status: 'proposed' };

export function readStatusLine(line: string): StatusLine | null {
  const closed = /^_(Withdrawn|Rejected)(?:: (.*))?_$/.exec(line);
  if (closed) return { status: closed[1] === 'Withdrawn' ? 'withdrawn' : 'rejected', reason: closed[2] ?? null };
  if (line === '_Proposed_') return { status: 'proposed' };
  const superseded = /^_Superseded by Decision (\d+)_$/.exec(line);
  return superseded ? { status: 'superseded', by: Number(superseded[1]) } : null;
}

/** "_Decided by Ana Smith, Ben and Cy_": who took a decision, as the export writes it. */
export function readDecidersLine(line: string): string[] | null {
  const m = /^_Decided by (.+)_$/.exec(line);
  if (!m) return null;
  const names = splitNames(m[1] ?? '');
  return names.length > 0 ? names : null;
}

/**
 * "_Phase: Alpha_", "_Phase: Beta (Private beta)_": the phase that starts at a sprint, as the
 * export writes it under the sprint's heading. The kind in any case; the name as written.
 */
export function readPhaseLine(line: string): SprintPhase | null {
  const m = /^_Phase: ([A-Za-z]+)(?: \((.+)\))?_$/.exec(line);
  const kind = m ? phaseKind(m[1] ?? '') : null;
  if (!m || kind === null) return null;
  const name = (m[2] ?? '').replace(/\s+/g, ' ').trim();
  return { kind, name: name === '' || name.toLowerCase() === PHASE_LABELS[kind].toLowerCase() ? null : name };
}

/** The line `readPhaseLine` reads back. */
export function phaseLine(p: SprintPhase): string {
  // A name is one line (chat and the import make it so); a line break could only end the line early.
  const name = p.name === null ? '' : p.name.replace(/\s+/g, ' ').trim();
  return name === '' ? `_Phase: ${PHASE_LABELS[p.kind]}_` : `_Phase: ${PHASE_LABELS[p.kind]} (${name})_`;
}

/** Names as people list them: "Ana, Ben and Cy", "@ana & @ben"; an @ before a name is dropped. */
export function splitNames(text: string): string[] {
  const names = text.split(/\s*(?:,|;|&|\band\b)\s*/).map((n) => n.trim().replace(/^@+/, '').replace(/^[_*\s]+|[_*\s]+$/g, '').trim()).filter((n) => n !== '');
  return [...new Set(names)];
}

/** Names joined as a person writes them: "Ana", "Ana and Ben", "Ana, Ben and Cy". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

// ---- Fenced code blocks -------------------------------------------------------------

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

interface Fence {
  char: string;
  length: number;
}

function opensFence(line: string): Fence | null {
  const m = FENCE.exec(line);
  // A backtick fence's info string may not hold a backtick (CommonMark), else it is inline code.
  if (!m || (m[1][0] === '`' && m[2].includes('`'))) return null;
  return { char: m[1][0], length: m[1].length };
}

function closesFence(line: string, open: Fence): boolean {
  const m = FENCE.exec(line);
  return m !== null && m[1][0] === open.char && m[1].length >= open.length && m[2].trim() === '';
}

/** For each line, whether it belongs to a fenced code block (its fence lines included). */
export function fencedLines(lines: readonly string[]): boolean[] {
  let open: Fence | null = null;
  return lines.map((line) => {
    if (open) {
      if (closesFence(line, open)) open = null;
      return true;
    }
    open = opensFence(line);
    return open !== null;
  });
}

function fenceOpenAtEnd(lines: readonly string[]): Fence | null {
  let open: Fence | null = null;
  for (const line of lines) open = open ? (closesFence(line, open) ? null : open) : opensFence(line);
  return open;
}

export function isFenceLine(line: string): boolean {
  return FENCE.test(line);
}

/** A fence left open would swallow the rest of the document, so close it. */
export function closeOpenFence(text: string): string {
  // No fence can open without three backticks or tildes in a row: most text has neither.
  if (!text.includes('```') && !text.includes('~~~')) return text;
  const open = fenceOpenAtEnd(text.split(/\r\n|\r|\n/));
  return open ? `${text}\n${open.char.repeat(open.length)}` : text;
}

// ---- The source link that ends a decision or evidence --------------------------------

/** A link target: bare, or in angle brackets only when it needs them (spaces or parentheses). */
const URL = String.raw`(?:[^\s()<>]+|<(?=[^<>\r\n]*[\s()])[^<>\r\n]*>)`;
const SOURCE_TAIL = new RegExp(String.raw`(^|[ \n])\(\[source\]\((${URL})\)\)$`);
/** User text that would read as a source link once written; trailing whitespace is dropped on export. */
const SOURCE_LOOKALIKE = new RegExp(String.raw`(^[ \t]*|[ \r\n])(\\*)(?=\(\[source\]\(${URL}\)\)\s*$)`);

/** Splits " ([source](url))" off the end of (still escaped) decision or evidence text. */
export function splitSourceTail(text: string): { text: string; sourceUrl: string | null } {
  const m = SOURCE_TAIL.exec(text);
  if (!m) return { text, sourceUrl: null };
  const target = m[2];
  const sourceUrl = target.startsWith('<') ? target.slice(1, -1) : target;
  return { text: text.slice(0, m.index), sourceUrl };
}

/** Appends the source link the way `splitSourceTail` reads it back. */
export function withSourceTail(text: string, sourceUrl: string | null): string {
  if (sourceUrl === null || sourceUrl === '') return text;
  // These characters cannot appear in a link target at all; percent-encoding keeps the link working.
  const url = sourceUrl.replace(/[<>\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  const target = /^[^\s()<>]+$/.test(url) ? url : `<${url}>`;
  const tail = `([source](${target}))`;
  if (text === '') return tail;
  const closed = closeOpenFence(text);
  const lines = closed.split('\n');
  // After a closing fence the link goes on its own line: "``` (…)" would no longer close the fence.
  return `${closed}${isFenceLine(lines[lines.length - 1]) ? '\n' : ' '}${tail}`;
}

// ---- Escaping --------------------------------------------------------------------------

/**
 * A reserved form. Group 1 is what comes before the backslashes, group 2 the backslashes;
 * the form itself is matched by a lookahead, so escaping never changes which rule applies.
 */
interface Rule {
  pattern: RegExp;
  /** Extra condition on the line before, which escaping never changes from blank to non-blank. */
  afterText?: boolean;
}

const BOLD_RULES: Rule[] = [
  { pattern: /^((?:\*\*|__)Decision(?:[ \t]+\d+)?)(\\*)(?=:(?:\*\*|__))/i },
  { pattern: /^((?:\*\*|__)Decision(?:[ \t]+\d+)?(?:\*\*|__)[ \t]*)(\\*)(?=:)/i },
];

const DECISION_RULES: Rule[] = [
  { pattern: /^( {0,3})(\\*)(?=#{1,6}(?:[ \t]|$))/ },
  { pattern: /^(Decision \d+)(\\*)(?=:)/ },
  { pattern: /^(Evidence \d+[a-z]+)(\\*)(?=:)/ },
  { pattern: /^()(\\*)(?=(?:_(?:Withdrawn|Rejected)(?:: .*)?_|_Superseded by Decision \d+_|_Proposed_|_Decided by .+_|_Service Standard: .+_|_Phase: .+_)[ \t]*$)/ },
  // A decision log's "**Decision:**" line: the backslash goes before the colon, so the bold stays bold.
  ...BOLD_RULES,
  // A run of = or - under a line of text would make that text a (setext) heading.
  { pattern: /^( {0,3})(\\*)(?=(?:=+|-+)[ \t]*$)/, afterText: true },
];

const SECTION_RULES: Rule[] = [
  // Level 4+ headings are ordinary content of a section; 1 to 3 would start a new section.
  { pattern: /^( {0,3})(\\*)(?=#{1,3}(?:[ \t]|$))/ },
  { pattern: /^( {0,3})(\\*)(?=#{1,6}[ \t]+Sprint \d)/i },
  { pattern: /^( {0,3})(\\*)(?=#{1,6}[ \t]+Decision \d+[ \t]*$)/ },
  // A decision log's decision headings ("#### Decision: …") and lines ("**Decision:** …").
  { pattern: /^( {0,3})(\\*)(?=#{1,6}[ \t]+Decision(?:[ \t]+\d+)?(?:[ \t]*:|[ \t]+[-–—](?:[ \t]|$)|[ \t]*$))/i },
  ...BOLD_RULES,
  // An ADR's points end its Decision or evidence section and its phase is in its preamble; a log's
  // phase can stand just before its first decision, after a section.
  { pattern: /^()(\\*)(?=(?:_Service Standard: .+_|_Phase: .+_)[ \t]*$)/ },
];

const BLANK = /^[ \t]*$/;

/** Adds (+1) or removes (-1) one backslash in a matched form; removing needs one to be there. */
function shift(text: string, pattern: RegExp, by: 1 | -1): string {
  return text.replace(pattern, (_m, before: string, slashes: string) => before + (by > 0 ? `${slashes}\\` : slashes.slice(1)));
}

function shiftLines(text: string, where: TextPlace, by: 1 | -1): string {
  const rules = where === 'decision' ? DECISION_RULES : SECTION_RULES;
  // Keep the line breaks as they are, so the result is an exact inverse even for \r\n text.
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines = parts.filter((_p, i) => i % 2 === 0);
  const fenced = fencedLines(lines);
  return parts
    .map((part, i) => {
      if (i % 2 === 1 || fenced[i / 2]) return part;
      const before = i > 0 ? parts[i - 2] : undefined;
      const rule = rules.find((r) => r.pattern.test(part) && (!r.afterText || (before !== undefined && !BLANK.test(before))));
      return rule ? shift(part, rule.pattern, by) : part;
    })
    .join('');
}

/**
 * A document whose first line is "---" opens with front matter: text that would be written
 * there (a preamble with no title above it) gets a backslash, taken away on reading.
 */
export function escapeDocumentStart(text: string): string {
  return text.replace(/^(\\*)(?=---(?:\n|$))/, '$1\\');
}

export function unescapeDocumentStart(text: string): string {
  return text.replace(/^\\(\\*)(?=---(?:\n|$))/, '$1');
}

/** Makes user text safe to write into the document at `where`. */
export function escapeUserText(text: string, where: TextPlace): string {
  const escaped = shiftLines(text, where, 1);
  return where === 'decision' ? shift(escaped, SOURCE_LOOKALIKE, 1) : escaped;
}

/** Text that ends in something read as a source link ("([source](…))") gets a backslash before it, so it stays text. */
export function escapeSourceLookalike(text: string): string {
  return shift(text, SOURCE_LOOKALIKE, 1);
}

export function unescapeSourceLookalike(text: string): string {
  return shift(text, SOURCE_LOOKALIKE, -1);
}

/** The exact inverse of `escapeUserText`. */
export function unescapeUserText(text: string, where: TextPlace): string {
  const lines = where === 'decision' ? shift(text, SOURCE_LOOKALIKE, -1) : text;
  return shiftLines(lines, where, -1);
}
