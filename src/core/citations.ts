/**
 * Citations in the business case's section text: "(3a, 4)", "(7b)", "(11b, 14a)", "(12)".
 *
 * The rule, so people can predict it:
 * - A citation list is a pair of round brackets holding only citations separated by commas
 *   or semicolons, for example `(3a, 4)` or `(7b; 9)`. Space around the separators is free.
 * - A citation is a decision number of one to three digits, optionally followed by evidence
 *   letters in lower case: `12` cites Decision 12, `11b` cites Evidence 11b, `0aa` Evidence 0aa.
 * - Brackets holding anything else are ordinary prose and are ignored whole: `(see below)`,
 *   `(2020)` (four digits read as a year), `(5G)` (capitals), `(3a and 4)`, `(p. 12)`.
 * - Link targets are not citations: the `(12)` in `[text](12)` is ignored, as is text inside
 *   `inline code`.
 */

export interface Citation {
  /** As written, trimmed: "11b". */
  label: string;
  decision: number;
  /** The evidence letters, or null for a citation of a decision. */
  letters: string | null;
}

const TOKEN = /^(\d{1,3})([a-z]+)?$/;

/** The citations in one piece of Markdown, in the order written (duplicates kept). */
export function findCitations(markdown: string): Citation[] {
  const text = markdown.replace(/`[^`\n]*`/g, (m) => ' '.repeat(m.length));
  const found: Citation[] = [];
  for (const m of text.matchAll(/\(([^()\n]*)\)/g)) {
    const start = m.index ?? 0;
    if (start > 0 && text[start - 1] === ']') continue; // a Markdown link target
    const inner = m[1] ?? '';
    const tokens = inner.split(/[,;]/).map((t) => t.trim());
    const parsed = tokens.map((t) => TOKEN.exec(t));
    if (parsed.length === 0 || parsed.some((p) => p === null)) continue;
    for (const p of parsed) {
      if (!p) continue;
      found.push({ label: p[0], decision: Number(p[1]), letters: p[2] ?? null });
    }
  }
  return found;
}
