/** One decision (the confirmation after a change, or `show`) and lists of decisions. */
import type { DecisionView, EvidenceView, PointView, ReplyOf } from '../../../src/core/views';
import { withPhase } from '../../../src/core/phases';
import { count, importedWords } from '../../../src/core/format';
import { card, container, name, openUrl, rich, saidRuns, showCard, submit, text } from './elements';
import type { Action, AdaptiveCard, Element, Run } from './elements';
import { cut, fitItems } from './escape';
import { editInline, evidenceInline } from './forms';

/** Longest decision or evidence text shown in a list before it is cut. */
const LIST_TEXT_MAX = 500;

function statusText(d: DecisionView): string {
  return d.statusLabel === null ? '' : ` (${d.statusLabel})`;
}

/** "Service Standard 1 (Understand users and their needs), 5 (…)", or the numbers alone when `short`. */
export function pointsText(points: PointView[], short = false): string {
  return `Service Standard ${points.map((p) => (short ? String(p.number) : `${p.number} (${p.title})`)).join(', ')}`;
}

/** "Decision 8 · Sprint 2, Alpha (withdrawn: …)", the label bold, the user parts exactly as written. */
function decisionTitle(d: DecisionView, options: { size?: 'Medium' } = {}): Element {
  const points = d.points.length > 0 ? ` · ${pointsText(d.points, true)}` : '';
  return rich([{ text: `Decision ${d.number}`, weight: 'Bolder' }, ` · ${withPhase(d.sprintHeading, d.phase)}${statusText(d)}${d.decidedBy ? ` · decided by ${d.decidedBy}` : ''}${points}`], options);
}

function evidenceLine(e: EvidenceView, max: number): Element {
  const points = e.points.length > 0 ? [{ text: ` [${pointsText(e.points, true)}]`, italic: true }] : [];
  return rich([{ text: `${e.title}:`, weight: 'Bolder' }, ` ${cut(e.text, max)}`, ...points], { spacing: 'Small' });
}

/** A decision as a block of a list: title, text, evidence. */
export function decisionBlock(d: DecisionView, max = LIST_TEXT_MAX): Element {
  return container([
    decisionTitle(d),
    text(cut(d.text, max), { spacing: 'None' }),
    ...d.evidence.map((e) => evidenceLine(e, max)),
  ], { separator: true, spacing: 'Medium' });
}

/**
 * What happened, above the decision: who did it, without the decision's text, which the card
 * shows right below (the summary, which has it, is the notification's).
 */
function headline(reply: ReplyOf<'decision'>): Run[] | null {
  const d = reply.decision;
  switch (reply.event) {
    case 'recorded': return [`Recorded in ${d.sprintHeading} by `, name(d.author.name)];
    case 'proposed': return [`Proposed in ${d.sprintHeading} by `, name(d.author.name), ', to be agreed'];
    case 'evidence added': return [`Evidence ${reply.newEvidence ?? ''} added by `, name(d.evidence.find((e) => e.label === reply.newEvidence)?.author.name ?? 'someone')];
    case 'edited': return ['Edited by ', name(d.revisions[d.revisions.length - 1]?.editedBy.name ?? 'someone')];
    // These summaries name the decision by its number and give the reason, not its text.
    case 'withdrawn':
    case 'superseded':
    case 'accepted':
    case 'rejected':
    case 'tagged': return saidRuns(reply.summary, reply.people);
    case 'shown': return null;
  }
}

/** The confirmation of a change, or a decision shown whole, with Add evidence / Edit / Undo. */
export function decisionCard(reply: ReplyOf<'decision'>): AdaptiveCard {
  const d = reply.decision;
  const active = d.status === 'active' || d.status === 'proposed';
  const actions: Action[] = [];
  if (active) {
    actions.push(showCard('Add evidence', evidenceInline(d.number)));
    actions.push(showCard('Edit', editInline(d.number, d.text)));
  }
  if (reply.undo) actions.push(submit('Undo', { action: 'undo', change: reply.undo }));
  actions.push(...openUrl('Open the source message', d.sourceUrl));

  const said = headline(reply);
  const head: Element[] = said === null ? [] : [rich(said, { isSubtle: true, size: 'Small' })];
  const full = reply.event === 'shown';
  return fitItems(d.evidence, (shown, omitted) => {
    const body: Element[] = [
      ...head,
      decisionTitle(d, { size: 'Medium' }),
      text(d.text, { spacing: 'Small' }),
      ...(d.points.length > 0 ? [text(pointsText(d.points), { isSubtle: true, size: 'Small', spacing: 'Small' })] : []),
      ...shown.map((e) => evidenceLine(e, 3000)),
    ];
    if (omitted > 0) body.push(text(`${count(omitted, 'more piece', 'more pieces')} of evidence not shown here: use \`export\` for the whole case.`, { isSubtle: true }));
    if (d.status === 'proposed') body.push(text(`To be agreed: \`accept ${d.number}\` or \`reject ${d.number}\` settles it.`, { isSubtle: true }));
    if (full) {
      body.push(rich(d.imported ? [importedWords(d.when)] : ['Recorded by ', name(d.author.name), `, ${d.when}`], { isSubtle: true, size: 'Small', separator: true }));
      for (const r of d.revisions.slice(-5)) body.push(rich(['Earlier wording (changed by ', name(r.editedBy.name), `, ${r.when}): ${cut(r.text, LIST_TEXT_MAX)}`], { isSubtle: true, size: 'Small' }));
    }
    return card(body, actions);
  });
}

/** A list of decisions, cut to what fits with a pointer to the rest. */
export function decisionsCard(reply: ReplyOf<'decisions'>): AdaptiveCard {
  if (reply.decisions.length === 0) return card([text(reply.heading, { weight: 'Bolder' }), text(reply.emptyText)]);
  return fitItems(reply.decisions, (shown, omitted) => card([
    text(`${reply.heading} (${reply.total > reply.decisions.length ? `${reply.decisions.length} of ${reply.total}` : reply.decisions.length})`, { weight: 'Bolder', size: 'Medium' }),
    ...shown.map((d) => decisionBlock(d)),
    ...(omitted > 0 ? [text(`Showing ${shown.length} of ${reply.decisions.length}. For the rest, use \`list sprint\` with a sprint number, \`show\` with a decision number, or \`export\` for the whole case.`, { isSubtle: true, separator: true })] : []),
    ...(omitted === 0 && reply.next !== null ? [text(`Showing ${reply.decisions.length} of ${reply.total}. Next: \`${reply.next}\``, { isSubtle: true, separator: true })] : []),
  ]));
}
