/**
 * One decision on the case page, from the case's document view: its number and status, text,
 * who decided, its points of the Service Standard, what it replaces, who recorded it, its
 * earlier wording and its evidence. User text goes through `markdown-html.ts` (Markdown,
 * sanitised) or `escapeHtml` (plain text).
 */
import { escapeUserText } from '../../core/markdown';
import type { DocumentDecisionView, DocumentEvidenceView } from '../../core/document-view';
import type { DecisionView, PointView } from '../../core/views';
import { decisionAnchor, evidenceAnchor } from './anchors';
import type { IdMaker } from './anchors';
import type { CitationResolver } from './markdown-html';
import { escapeHtml, isWebUrl, renderMarkdown } from './markdown-html';

export interface DecisionContext {
  citations: CitationResolver;
  /** The level of each decision's heading (3 to 6). */
  decisionLevel: number;
  /** Every decision the case has, for links that may point at none. */
  numbers: ReadonlySet<number>;
}

const TAGS: Record<DecisionView['status'], string> = { active: '', proposed: 'Proposed', rejected: 'Rejected', withdrawn: 'Withdrawn', superseded: 'Superseded' };

function decisionLink(n: number, ctx: DecisionContext): string {
  return ctx.numbers.has(n)
    ? `<a href="#${decisionAnchor(n)}">Decision ${n}</a>`
    : `<span class="citation-missing">Decision ${n}<span class="visually-hidden"> (no such decision)</span></span>`;
}

/** A decision's or evidence's points of the Service Standard, each with its title. */
export function pointsHtml(points: readonly PointView[], label: string): string {
  return `<div class="points-block"><p class="points-title">${escapeHtml(label)}</p><ul class="points">${points.map((p) => `<li>${p.number}. ${escapeHtml(p.title)}</li>`).join('')}</ul></div>`;
}

function prose(text: string, ctx: DecisionContext, minHeading: number): string {
  return `<div class="prose">${renderMarkdown(escapeUserText(text, 'decision'), { citations: ctx.citations, minHeading })}</div>`;
}

/** Where it stands, when not in force: "Withdrawn: reason", "Superseded by Decision 4". */
function statusHtml(d: DecisionView, ctx: DecisionContext): string {
  switch (d.status) {
    case 'withdrawn':
    case 'rejected':
      return `<p class="status">${d.status === 'withdrawn' ? 'Withdrawn' : 'Rejected'}${d.statusReason ? `: ${escapeHtml(d.statusReason)}` : ''}</p>`;
    case 'proposed':
      return '<p class="status">Proposed, to be agreed</p>';
    case 'superseded':
      return `<p class="status">${d.supersededBy === null ? 'Superseded' : `Superseded by ${decisionLink(d.supersededBy, ctx)}`}</p>`;
    case 'active':
      return '';
  }
}

function historyHtml(d: DecisionView, ctx: DecisionContext): string {
  const items = [...d.revisions].reverse().map((r) => `<li>
${prose(r.text, ctx, ctx.decisionLevel + 1)}
<p class="meta">Wording until ${escapeHtml(r.when)}, changed by ${escapeHtml(r.editedBy.name)}.</p>
</li>`);
  const count = d.revisions.length === 1 ? '1 earlier version' : `${d.revisions.length} earlier versions`;
  return `<details class="history">
<summary>Revision history of Decision ${d.number} (${count})</summary>
<ol class="revisions">
${items.join('\n')}
</ol>
</details>`;
}

export function decisionHtml(block: DocumentDecisionView, ctx: DecisionContext, ids: IdMaker): string {
  const d = block.decision;
  const h = ctx.decisionLevel;
  const anchor = decisionAnchor(d.number);
  const tag = TAGS[d.status] === '' ? '' : ` <strong class="tag tag--${d.status}">${TAGS[d.status]}</strong>`;
  const parts: string[] = [`<h${h} class="decision-title" id="${anchor}-title">Decision ${d.number}${tag}</h${h}>`];
  if (d.text.trim() !== '') parts.push(prose(d.text, ctx, h + 1));
  // After the text, as the Markdown export writes it: who decided, its points, then the status.
  if (d.decidedBy !== null) parts.push(`<p class="status">Decided by ${escapeHtml(d.decidedBy)}</p>`);
  if (d.points.length > 0) parts.push(pointsHtml(d.points, 'Service Standard'));
  parts.push(statusHtml(d, ctx));
  if (block.replaces.length > 0) parts.push(`<p class="meta">Replaces ${block.replaces.map((n) => decisionLink(n, ctx)).join(', ')}</p>`);
  const meta = [recordedBy(d.imported ? null : d.author, d.when, 'Recorded'), sourceLink(d.sourceUrl)].filter((x) => x !== '');
  if (meta.length > 0) parts.push(`<p class="meta">${meta.join(' ')}</p>`);
  if (d.revisions.length > 0) parts.push(historyHtml(d, ctx));
  if (block.evidence.length > 0) {
    const items = block.evidence.map((e) => evidenceHtml(e, d, ctx, ids));
    parts.push(`<ul class="evidence-list" aria-label="Evidence for Decision ${d.number}">\n${items.join('\n')}\n</ul>`);
  } else if (d.status === 'active' || d.status === 'proposed') {
    parts.push('<p class="meta">No evidence recorded yet.</p>');
  }
  return `<article class="decision decision--${d.status}" id="${anchor}" aria-labelledby="${anchor}-title">\n${parts.filter((p) => p !== '').join('\n')}\n</article>`;
}

function evidenceHtml(block: DocumentEvidenceView, d: DecisionView, ctx: DecisionContext, ids: IdMaker): string {
  const e = block.evidence;
  const body = (e.text.trim() === '' ? '' : prose(e.text, ctx, ctx.decisionLevel + 1))
    + (e.points.length > 0 ? `\n${pointsHtml(e.points, 'Service Standard')}` : '');
  const meta = [recordedBy(block.imported ? null : e.author, e.when, 'Added'), sourceLink(e.sourceUrl)].filter((x) => x !== '');
  const metaHtml = meta.length > 0 ? `<p class="meta">${meta.join(' ')}</p>` : '';
  if (block.own) {
    const id = ids.reserve(evidenceAnchor(e.label));
    return `<li class="evidence" id="${id}">\n<p class="evidence-label">Evidence ${escapeHtml(e.label)}</p>\n${body}\n${metaHtml}</li>`;
  }
  // A back-reference ("Evidence 10a: See above" under a later decision) points at the original.
  const target = ctx.citations(e.label);
  const from = /^\d+/.exec(e.label)?.[0];
  const id = ids.make(`decision-${d.number}-${evidenceAnchor(e.label)}`);
  const labelHtml = target === null
    ? `Evidence ${escapeHtml(e.label)} <span class="citation-missing">not found<span class="visually-hidden"> (no such evidence)</span></span>`
    : `<a href="#${target}">Evidence ${escapeHtml(e.label)}</a>${from !== undefined ? ` (first given under Decision ${from})` : ''}`;
  return `<li class="evidence evidence--ref" id="${id}">\n<p class="evidence-label">${labelHtml}</p>\n${body}\n${metaHtml}</li>`;
}

/** "Recorded by Ana, 26 Nov 2026, 10:00."; nothing for imported items, whose time is the import's and says nothing. */
function recordedBy(author: { name: string } | null, when: string, verb: string): string {
  if (author === null) return '';
  return `${verb} by ${escapeHtml(author.name)}, ${escapeHtml(when)}.`;
}

/** "From a Slack message", as a link that does not pass on the page's address. */
function sourceLink(url: string | null): string {
  if (!isWebUrl(url)) return '';
  const host = new URL(url).hostname.toLowerCase();
  const from = /(^|\.)slack(-gov)?\.com$/.test(host)
    ? 'From a Slack message'
    : /(^|\.)teams\.(microsoft|live)\.com$/.test(host) || /(^|\.)teams\.microsoft\.us$/.test(host)
      ? 'From a Teams message'
      : `Source (${host})`;
  return `<a href="${escapeHtml(url)}" rel="noreferrer noopener">${escapeHtml(from)}</a>`;
}
