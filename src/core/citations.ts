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

/** What the case's sections cite: the labels cited, and each citation naming nothing the case has (once per section). */
export interface CitationCheck {
  cited: Set<string>;
  broken: Array<{ section: string; citation: string }>;
}

/**
 * Checks every citation in the sections against the case's decisions and lettered
 * evidence: a citation names a decision ("12") or a piece of evidence ("12a"); one naming
 * neither is broken.
 */
export function checkCitations(
  sections: ReadonlyArray<{ heading: string; body: string }>,
  decisions: ReadonlyArray<{ number: number }>,
  evidence: ReadonlyArray<{ decision: number; letter: string | null }>,
): CitationCheck {
  const decisionNumbers = new Set(decisions.map((d) => d.number));
  const evidenceLabels = new Set(evidence.filter((e) => e.letter !== null).map((e) => `${e.decision}${e.letter ?? ''}`));
  const cited = new Set<string>();
  const broken: CitationCheck['broken'] = [];
  for (const s of sections) {
    const seen = new Set<string>();
    for (const citation of findCitations(s.body)) {
      const label = citation.letters === null ? String(citation.decision) : `${citation.decision}${citation.letters}`;
      cited.add(label);
      const exists = citation.letters === null ? decisionNumbers.has(citation.decision) : evidenceLabels.has(label);
      if (!exists && !seen.has(label)) {
        seen.add(label);
        broken.push({ section: s.heading, citation: citation.label });
      }
    }
  }
  return { cited, broken };
}
