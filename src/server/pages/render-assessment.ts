/**
 * The service assessment pack as a printable page: the summary, each of the 14 points of
 * the Service Standard with the decisions that shaped it and their evidence, the decisions
 * with no point, the proposals, the gaps, and the case over time. Built from core's one
 * view (assessment.ts); every piece of user text goes through `markdown-html.ts`
 * (Markdown, sanitised) or `escapeHtml` (plain text), as on the case page.
 */
import type { AssessedDecision, AssessmentView } from '../../core/assessment-views';
import { assessmentTitle } from '../../core/assessment-markdown';
import { escapeUserText } from '../../core/markdown';
import { withPhase } from '../../core/phases';
import { escapeHtml, renderMarkdown } from './markdown-html';
import { page } from './render-case';
import { pointsHtml } from './render-decision';
import { timelineHtml } from './timeline';

export interface AssessmentPageLinks {
  stylesheetHref: string;
  /** The case page (relative, with its token). */
  caseHref: string;
  /** The pack as Markdown (relative, with its token). */
  markdownHref: string;
}

function statusText(d: AssessedDecision): string {
  return d.statusLabel === null ? 'In force' : `${d.statusLabel[0]?.toUpperCase() ?? ''}${d.statusLabel.slice(1)}`;
}

/** One decision under a point (or in a list): number, sprint and phase, status, who, text, evidence. `id` is unique on the page. */
function decisionHtml(d: AssessedDecision, id: string, level: number): string {
  const h = Math.min(6, level);
  const facts = [
    `<dt>Sprint</dt><dd>${escapeHtml(withPhase(d.sprintHeading, d.phase))}</dd>`,
    `<dt>Status</dt><dd>${escapeHtml(statusText(d))}</dd>`,
    `<dt>Who</dt><dd>${d.who === null ? 'Not recorded' : escapeHtml(d.who)}</dd>`,
  ];
  const text = d.text.trim() === '' ? '' : `<div class="prose">${renderMarkdown(escapeUserText(d.text, 'decision'), { minHeading: h + 1 })}</div>`;
  const points = d.points.length > 0 ? pointsHtml(d.points, 'Service Standard') : '';
  const evidence = d.evidence.length === 0
    ? '<p class="meta">No evidence recorded.</p>'
    : `<ul class="evidence-list" aria-label="Evidence for Decision ${d.number}">\n${d.evidence.map((e) => `<li class="evidence">
<p class="evidence-label">${escapeHtml(e.title)}</p>
${e.text.trim() === '' ? '' : `<div class="prose">${renderMarkdown(escapeUserText(e.text, 'decision'), { minHeading: h + 1 })}</div>`}
${e.points.length > 0 ? pointsHtml(e.points, 'Service Standard') : ''}
</li>`).join('\n')}\n</ul>`;
  return `<article class="decision decision--${d.status}" id="${id}" aria-labelledby="${id}-title">
<h${h} class="decision-title" id="${id}-title">Decision ${d.number}</h${h}>
${text}
<dl class="decision-facts">${facts.join('')}</dl>
${points}
${evidence}
</article>`;
}

function decisionList(ds: AssessedDecision[], prefix: string, empty: string): string {
  if (ds.length === 0) return `<p class="empty-note">${empty}</p>`;
  return ds.map((d) => decisionHtml(d, `${prefix}-decision-${d.number}`, 3)).join('\n');
}

export function renderAssessmentPage(view: AssessmentView, links: AssessmentPageLinks, options: { highlight?: (sprint: number) => boolean } = {}): string {
  const title = assessmentTitle(view);
  const points = view.points.map((p) => {
    const status = p.decisions.length === 0 ? 'No decision yet.'
      : !p.covered ? 'No decision stands for this point: the only ones were withdrawn.'
        : `${p.decisions.length} decision${p.decisions.length === 1 ? '' : 's'}.`;
    return `<section class="point${p.covered ? '' : ' point--uncovered'}" aria-labelledby="point-${p.number}">
<h2 id="point-${p.number}">${p.number}. ${escapeHtml(p.title)}</h2>
<p class="point-status">${status}</p>
${p.decisions.map((d) => decisionHtml(d, `point-${p.number}-decision-${d.number}`, 3)).join('\n')}
</section>`;
  });
  const contents = [
    ...view.points.map((p) => `<li><a href="#point-${p.number}">${p.number}. ${escapeHtml(p.title)}</a>${p.covered ? '' : ' <span class="meta">(nothing yet)</span>'}</li>`),
    '<li><a href="#untagged">Decisions with no point of the Service Standard</a></li>',
    ...(view.proposals.length > 0 ? ['<li><a href="#proposals">Proposals, not decisions taken</a></li>'] : []),
    '<li><a href="#gaps">Gaps</a></li>',
    '<li><a href="#timeline">The case over time</a></li>',
  ];
  const gaps = view.gaps;
  const list = (items: string[], none: string): string => (items.length === 0 ? `<p class="empty-note">${none}</p>` : `<ul class="gap-list">\n${items.map((i) => `<li>${i}</li>`).join('\n')}\n</ul>`);
  const main = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="lead">${escapeHtml(view.summary)}</p>`,
    `<p>${escapeHtml(view.scope.kind === 'case' ? 'The whole case' : view.scope.label)}, ${escapeHtml(view.scope.sprints)}: ${view.decisionCount.toLocaleString('en-GB')} decision${view.decisionCount === 1 ? '' : 's'} taken and ${view.evidenceCount.toLocaleString('en-GB')} pieces of evidence. For each point of the Service Standard, what the team decided and what showed them.</p>`,
    `<nav class="contents" aria-labelledby="contents-title">\n<h2 id="contents-title">Contents</h2>\n<ol>\n${contents.join('\n')}\n</ol>\n</nav>`,
    ...points,
    `<section class="point" aria-labelledby="untagged">\n<h2 id="untagged">Decisions with no point of the Service Standard</h2>\n${decisionList(view.untagged, 'untagged', 'None: every decision names a point.')}\n</section>`,
    ...(view.proposals.length > 0 ? [`<section class="point" aria-labelledby="proposals">\n<h2 id="proposals">Proposals, not decisions taken</h2>\n<p>Proposed or rejected: listed here, never as decisions that shaped a point.</p>\n${decisionList(view.proposals, 'proposal', '')}\n</section>`] : []),
    `<section class="point" aria-labelledby="gaps">
<h2 id="gaps">Gaps</h2>
<h3 id="gaps-points">Points with no decision</h3>
${list(view.uncovered.map((p) => `<a href="#point-${p.number}">${p.number}. ${escapeHtml(p.title)}</a>`), 'None: every point has a decision.')}
<h3 id="gaps-evidence">Active decisions without evidence</h3>
${list(gaps.withoutEvidence.map((d) => `Decision ${d.number} (${escapeHtml(d.sprintHeading)}): ${escapeHtml(firstLine(d.text))}`), 'None.')}
<h3 id="gaps-chains">Superseded chains</h3>
${list(gaps.chains.map((c) => c.links.map((l) => `Decision ${l.number} <span class="meta">(${escapeHtml(l.status ?? 'not in this case')})</span>`).join(' <span aria-hidden="true">→</span><span class="visually-hidden">, replaced by</span> ')), 'None.')}
<h3 id="gaps-citations">Citations that point at nothing</h3>
${list(gaps.brokenCitations.map((b) => `(${escapeHtml(b.citation)}) in ${escapeHtml(b.where)}`), 'None.')}
</section>`,
    timelineHtml(view.timeline, { level: 2, tableOpen: true, ...(options.highlight ? { highlight: options.highlight } : {}) })
      || '<section aria-labelledby="timeline"><h2 id="timeline">The case over time</h2><p class="empty-note">No sprints yet.</p></section>',
  ].join('\n');
  const footer = `<p><a href="${escapeHtml(links.caseHref)}">The whole business case</a></p>
<p><a href="${escapeHtml(links.markdownHref)}" download>Download this assessment pack as Markdown</a></p>
<p>This page was shared by link: anyone with the link can read it. It prints as it reads: use your browser's Print. The team can cancel every link to it with <code>/decision share revoke</code>.</p>`;
  return page(title, links.stylesheetHref, main, footer);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return [...line].length > 200 ? `${[...line].slice(0, 199).join('')}…` : line;
}
