/**
 * The week's digest as GitHub Markdown: the description of the week's pull request. People's
 * text is shown as text: one line each, Markdown characters escaped, and "@name" or "#12"
 * broken with an invisible space so a description cannot notify anyone on GitHub or tie
 * itself to an issue. The case's web link is left out: the repository may be public and the
 * link reads the whole case, history included.
 */
import { gist } from '../format';
import type { DigestView } from '../digest-views';

/** One line of someone's text, safe in a Markdown list item. */
export function markdownText(text: string, max = 300): string {
  return gist(text.replace(/\s*[\r\n]+\s*/g, ' '), max)
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/([@#])(?=[A-Za-z0-9])/g, '$1\u200b');
}

/** Longest line of the description: a digest section's item, already cut to its own length. */
const LINE_MAX = 400;

/** The digest's own sections (`digestSections`), as every surface shows them, in Markdown. */
export function digestMarkdown(d: DigestView): string {
  const out: string[] = [`## Weekly digest${d.caseTitle ? `: ${markdownText(d.caseTitle, 200)}` : ''} (${d.period}${d.phase ? `; ${markdownText(d.phase, 100)}` : ''})`, ''];
  if (d.quiet) out.push('A quiet week: nothing changed in the case.', '');
  for (const section of d.sections) {
    out.push(`### ${section.title}`, '', ...section.items.map((item) => `- ${markdownText(item, LINE_MAX)}`), '');
  }
  out.push('---', '', '_Opened by the Decisions bot from the team’s decision log. Edits made to the file on GitHub come back into the case at the next publication._', '');
  return out.join('\n');
}
