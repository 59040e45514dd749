/**
 * The 14 points of the Government Service Standard, with the short titles the standard
 * gives them, and how people name points: typed after `tag`, inline at the end of a
 * decision or evidence ("… [SS 1, 5]"), chosen in a form, or written in the case document
 * ("_Service Standard: 1 (Understand users and their needs), 5 (…)_").
 */

export const SERVICE_STANDARD: ReadonlyArray<{ number: number; title: string }> = [
  { number: 1, title: 'Understand users and their needs' },
  { number: 2, title: 'Solve a whole problem for users' },
  { number: 3, title: 'Provide a joined up experience across all channels' },
  { number: 4, title: 'Make the service simple to use' },
  { number: 5, title: 'Make sure everyone can use the service' },
  { number: 6, title: 'Have a multidisciplinary team' },
  { number: 7, title: 'Use agile ways of working' },
  { number: 8, title: 'Iterate and improve frequently' },
  { number: 9, title: 'Create a secure service which protects users\' privacy' },
  { number: 10, title: 'Define what success looks like and publish performance data' },
  { number: 11, title: 'Choose the right tools and technology' },
  { number: 12, title: 'Make new source code open' },
  { number: 13, title: 'Use and contribute to open standards, common components and patterns' },
  { number: 14, title: 'Operate a reliable service' },
];

export const POINT_COUNT = SERVICE_STANDARD.length;

/** "Understand users and their needs" for 1. */
export function pointTitle(n: number): string {
  return SERVICE_STANDARD[n - 1]?.title ?? `Point ${n}`;
}

/** Points as one set, ascending, each once. */
export function sortPoints(points: Iterable<number>): number[] {
  return [...new Set(points)].sort((a, b) => a - b);
}

/** "1, 5 and 13": point numbers as a person lists them. */
export function pointList(points: readonly number[]): string {
  if (points.length <= 1) return points.map(String).join('');
  return `${points.slice(0, -1).join(', ')} and ${points[points.length - 1]}`;
}

const WHAT = 'The Service Standard has 14 points, numbered 1 to 14: `help tag` lists them.';

/**
 * Points as typed ("1 5", "1, 5 and 13", "SS 4", "points 2 & 3", "#5"): each a number from
 * 1 to 14, or what is wrong in plain words. Nothing but numbers and separators is taken.
 */
export function readPoints(typed: string): number[] | { problem: string } {
  const text = typed.trim().replace(/^(?:ss|service\s+standard|points?)\b\s*:?\s*/i, '');
  const words = text.split(/\s*(?:,|;|&|\+|\band\b|\s)\s*/i).filter((w) => w !== '');
  if (words.length === 0) return { problem: `Name at least one point of the Service Standard, such as \`1\` or \`1, 5\`. ${WHAT}` };
  const out: number[] = [];
  for (const word of words) {
    const m = /^#?(\d{1,3})$/.exec(word);
    if (!m) return { problem: `"${[...word].slice(0, 30).join('')}" is not a point of the Service Standard. ${WHAT}` };
    const n = Number(m[1]);
    if (n < 1 || n > POINT_COUNT) return { problem: `There is no point ${n} of the Service Standard. ${WHAT}` };
    out.push(n);
  }
  return sortPoints(out);
}

/**
 * "[SS 1, 5]" at the very end of a decision or evidence, as typed: the text before it and
 * the points as written (checked later by readPoints); `points` null when there is none.
 */
export function takeInlinePoints(text: string): { text: string; points: string | null } {
  // From the last "[" only: one pass over the text whatever it holds (a regular expression
  // over all of it backtracks for ever on a long run of spaces).
  const at = text.lastIndexOf('[');
  if (at < 0) return { text, points: null };
  const m = /^\[\s*SS\b\s*:?\s*([^\]\n]*)\]\s*$/i.exec(text.slice(at));
  if (!m) return { text, points: null };
  return { text: text.slice(0, at).trimEnd(), points: m[1] ?? '' };
}

/** Points named in two places (typed inline and chosen in a form): both, or the first problem. */
export function mergePoints(...typed: Array<string | null | undefined>): number[] | { problem: string } {
  const all: number[] = [];
  for (const t of typed) {
    if (t === null || t === undefined || t.trim() === '') continue;
    const read = readPoints(t);
    if (!Array.isArray(read)) return read;
    all.push(...read);
  }
  return sortPoints(all);
}

/**
 * The line the case document gives a decision's or evidence's points, numbers with their
 * titles so a person can read it and edit it: "_Service Standard: 1 (Understand users and
 * their needs), 5 (Make sure everyone can use the service)_".
 */
export function pointsLine(points: readonly number[]): string {
  return `_Service Standard: ${points.map((n) => `${n} (${pointTitle(n)})`).join(', ')}_`;
}

/**
 * Reads a points line back: the numbers, each with or without its title in brackets (the
 * title is the standard's, so whatever a person wrote there is not kept). Null when the
 * line is not one, or names a point the standard does not have.
 */
export function readPointsLine(line: string): number[] | null {
  const m = /^_Service Standard: (.+)_$/.exec(line);
  if (!m) return null;
  // Split at commas that start another point: a title may hold a comma ("open standards, common components").
  const items: string[] = [];
  for (const piece of (m[1] ?? '').split(',')) {
    if (items.length === 0 || /^\s*\d/.test(piece)) items.push(piece);
    else items[items.length - 1] += `,${piece}`;
  }
  const out: number[] = [];
  for (const item of items) {
    const n = /^(\d{1,2})(?:\s*\([^\n]*\))?\s*$/.exec(item.trim());
    if (!n) return null;
    const k = Number(n[1]);
    if (k < 1 || k > POINT_COUNT) return null;
    out.push(k);
  }
  return out.length === 0 ? null : sortPoints(out);
}
