/** The weekly digest and the end-of-sprint retro prompt. */
import type { DigestView, RetroPromptView } from '../../../src/core/digest-views';
import { card, container, md, openUrl, rich, submit, text } from './elements';
import type { AdaptiveCard, Element } from './elements';
import { cut, fitItems } from './escape';

const ITEM_MAX = 300;

/** A titled block of bullet lines, shown exactly as written. */
function block(title: string, items: string[]): Element[] {
  if (items.length === 0) return [];
  return [container([
    text(title, { weight: 'Bolder' }),
    ...items.map((i) => text(`• ${cut(i, ITEM_MAX)}`, { spacing: 'None' })),
  ], { spacing: 'Medium' })];
}

export function digestCard(d: DigestView): AdaptiveCard {
  const blocks = d.sections.flatMap((s) => block(s.title, s.items));
  const actions = [
    ...openUrl('Read the whole case', d.link.url),
    ...openUrl('The case over time', d.timelineUrl),
    ...d.phasesEnded.flatMap((p) => openUrl(`${p.label} assessment pack`, p.url)),
    ...openUrl(d.published ? `Published to GitHub: ${d.published.label}` : '', d.published?.url ?? null),
  ];
  return fitItems(blocks, (shown, omitted) => card([
    text(`Weekly digest${d.caseTitle ? `: ${d.caseTitle}` : ''}`, { weight: 'Bolder', size: 'Medium' }),
    text(d.phase ? `${d.period} · ${d.phase}` : d.period, { isSubtle: true, spacing: 'None' }),
    ...d.phasesEnded.filter((p) => p.url === null).map((p) => md(`${p.label} has ended: \`assessment\` with its name gives its assessment pack.`, { isSubtle: true })),
    ...(d.quiet ? [md('A quiet week: nothing changed in the case.')] : []),
    ...shown,
    ...(omitted > 0 ? [md(`${omitted} more part${omitted === 1 ? '' : 's'} of the digest did not fit here.`, { isSubtle: true })] : []),
    ...(d.link.url ? [] : [text('Read the whole case with `export`.', { isSubtle: true, separator: true })]),
  ], actions));
}

export function retroCard(r: RetroPromptView): AdaptiveCard {
  const actions = [submit('Record a decision', { action: 'openForm' }, 'positive'), submit('Add evidence', { action: 'openEvidenceForm' })];
  const lines = r.decisions.map((d) => rich([
    { text: `Decision ${d.number}:`, weight: 'Bolder' }, ` ${cut(d.text, ITEM_MAX)}`,
    ...(d.points.length > 0 ? [{ text: ` [Service Standard ${d.points.map((p) => p.number).join(', ')}]`, italic: true }] : []),
    ...(d.evidence.length === 0 ? [{ text: ' (no evidence yet)', italic: true }] : []),
  ], { spacing: 'None' }));
  return fitItems(lines, (shown, omitted) => card([
    text(`Retro for ${r.sprint.heading}${r.caseTitle ? ` (${r.caseTitle})` : ''}`, { weight: 'Bolder', size: 'Medium' }),
    text(r.question),
    ...(r.decisions.length === 0 ? [md('No decisions were recorded this sprint.')] : shown),
    ...(omitted > 0 ? [text(`And ${omitted} more: use \`list\` to see them all.`, { isSubtle: true })] : []),
    ...block('Awaiting a decision', r.proposals.slice(0, 20).map((d) => `Decision ${d.number}: ${d.text}`)),
  ], actions));
}
