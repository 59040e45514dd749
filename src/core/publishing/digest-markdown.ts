/**
 * The week's digest as GitHub Markdown: the description of the week's pull request. People's
 * text is shown as text: one line each, Markdown characters escaped, and "@name" or "#12"
 * broken with an invisible space so a description cannot notify anyone on GitHub or tie
 * itself to an issue. The case's web link is left out: the repository may be public and the
 * link reads the whole case, history included.
 */
import { count, gist } from '../format';
import type { DigestView } from '../digest-views';

/** One line of someone's text, safe in a Markdown list item. */
export function markdownText(text: string, max = 300): string {
  return gist(text.replace(/\s*[\r\n]+\s*/g, ' '), max)
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/([@#])(?=[A-Za-z0-9])/g, '$1\u200b');
}

export function digestMarkdown(d: DigestView): string {
  const out: string[] = [`## Weekly digest${d.caseTitle ? `: ${markdownText(d.caseTitle, 200)}` : ''} (${d.period})`, ''];
  if (d.quiet) out.push('A quiet week: nothing changed in the case.', '');
  const block = (title: string, items: string[]) => {
    if (items.length > 0) out.push(`### ${title}`, '', ...items.map((i) => `- ${i}`), '');
  };
  const decision = (x: { number: number; text: string }) => `**Decision ${x.number}:** ${markdownText(x.text)}`;
  block('New decisions', d.added.map(decision));
  block('Edited', d.edited.map(decision));
  block('Withdrawn', d.withdrawn.map(decision));
  block('Superseded', d.superseded.map((x) => `**Decision ${x.number}** by Decision ${x.supersededBy ?? '?'}`));
  block('New evidence', d.newEvidence.map((e) => `**Evidence ${markdownText(e.label, 20)}:** ${markdownText(e.text)}`));
  block('Sections changed', d.sectionsChanged.map((s) => markdownText(s, 200)));
  block('Decisions with no evidence', d.gaps.decisionsWithoutEvidence.map(decision));
  block('Sections still to be written', d.gaps.emptySections.map((s) => `${markdownText(s.heading, 200)}${s.prompt ? ` (${markdownText(s.prompt)})` : ''}`));
  block('Citations that point at nothing', d.gaps.brokenCitations.map((c) => `(${markdownText(c.citation, 40)}) in ${markdownText(c.section, 200)}`));
  block('Evidence no section cites', d.gaps.uncitedEvidence.map((l) => `Evidence ${markdownText(l, 20)}`));
  if (d.perSprint.length > 0) out.push(d.perSprint.map((s) => `${markdownText(s.heading, 200)}: ${count(s.decisions, 'decision')}, ${s.evidence} evidence`).join(' · '), '');
  out.push('---', '', '_Opened by the Decisions bot from the team’s decision log. Edits made to the file on GitHub come back into the case at the next publication._', '');
  return out.join('\n');
}
