/**
 * The whole business case as one HTML page, in the order of the Markdown export:
 * title, preamble, the sections before the key decisions part, the sprints with their
 * decisions and evidence, then the sections after it. Every piece of user text goes
 * through `markdown-html.ts` (Markdown, sanitised) or `escapeHtml` (plain text).
 */
import { sprintHeading } from '../../core/sprints';
import type { CaseSnapshot, Decision, Evidence, Section, Sprint } from '../../core/model';
import { escapeUserText, joinNames } from '../../core/markdown';
import { IMPORTER } from '../../core/import';
import { localTime } from '../../core/format';
import { isEmptySection } from '../../core/templates';
import type { CitationResolver } from './markdown-html';
import { buildTimeline } from '../../core/timeline';
import { phaseLabel, phaseLabeller } from '../../core/phases';
import { pointTitle } from '../../core/service-standard';
import { TIMELINE_ID, timelineHtml } from './timeline';
import { escapeHtml, isWebUrl, markdownPlainText, renderInlineMarkdown, renderMarkdown } from './markdown-html';

export interface CasePageLinks {
  stylesheetHref: string;
  /** The Markdown download (relative to the page), or null to leave it out. */
  markdownHref: string | null;
  /** The assessment pack's page (relative to the page), or null to leave it out. */
  assessmentHref?: string | null;
  /** Draw the case over time (the default); false only to measure what it costs. */
  timeline?: boolean;
  /** A case kept in two files: each file's download, under its own name. */
  fileHrefs?: Array<{ name: string; href: string }>;
}

export const decisionAnchor = (n: number): string => `decision-${n}`;
export const evidenceAnchor = (label: string): string => `evidence-${label}`;

interface OutlineEntry {
  level: number;
  id: string;
  text: string;
}

/** Headings on the page run from h2 (h1 is the title) to h6. */
const level = (n: number): number => Math.min(6, Math.max(2, n));

export function renderCasePage(snapshot: CaseSnapshot, links: CasePageLinks): string {
  const c = snapshot.case;
  const { layout } = c;
  const title = c.title === null || c.title.trim() === '' ? null : c.title;
  const plainTitle = title === null ? 'Business case' : markdownPlainText(title) || 'Business case';
  const decisions = [...snapshot.decisions].sort((a, b) => a.number - b.number);
  const evidence = [...snapshot.evidence].sort((a, b) => a.decision - b.decision || a.position - b.position);
  const citations = citationResolver(decisions, evidence);
  const ids = new IdMaker();
  const outline: OutlineEntry[] = [];

  const sectionHtml = (s: Section): string => {
    const id = ids.make(`section-${markdownPlainText(s.heading)}`);
    const h = level(s.level);
    outline.push({ level: h, id, text: markdownPlainText(s.heading) || 'Untitled section' });
    const body = s.body.trim() === ''
      ? ''
      : `<div class="prose${isEmptySection(s.body) ? ' to-be-written' : ''}">${renderMarkdown(escapeUserText(s.body, 'section'), { citations, minHeading: h + 1 })}</div>`;
    return `<h${h} id="${id}">${renderInlineMarkdown(s.heading)}</h${h}>\n${body}`;
  };

  const at = Math.min(Math.max(layout.decisionsAt, 0), layout.sections.length);
  const before = layout.sections.slice(0, at).map(sectionHtml);
  const part = decisionsPartHtml(snapshot, decisions, evidence, citations, ids, outline, links.timeline !== false);
  const after = layout.sections.slice(at).map(sectionHtml);

  const preamble = layout.preamble.trim() === ''
    ? ''
    : `<div class="prose">${renderMarkdown(escapeUserText(layout.preamble, 'section'), { citations, minHeading: 2 })}</div>`;
  const contents = outline.length === 0
    ? ''
    : `<nav class="contents" aria-labelledby="contents-title">\n<h2 id="contents-title">Contents</h2>\n${contentsList(outline)}\n</nav>`;

  const main = [
    `<h1>${title === null ? 'Business case' : renderInlineMarkdown(title)}</h1>`,
    preamble,
    contents,
    ...before,
    ...part,
    ...after,
  ].filter((x) => x !== '').join('\n');

  const files = links.fileHrefs ?? [];
  const download = (links.markdownHref === null
    ? ''
    : files.length > 1
      ? `<p>Download this business case as Markdown, in the team's ${files.length} files: ${files.map((f) => `<a href="${escapeHtml(f.href)}" download>${escapeHtml(f.name)}</a>`).join(' and ')} (or <a href="${escapeHtml(links.markdownHref)}" download>as one file</a>).</p>`
      : `<p><a href="${escapeHtml(links.markdownHref)}" download>Download this business case as Markdown</a></p>`)
    + (links.assessmentHref ? `\n<p><a href="${escapeHtml(links.assessmentHref)}">The service assessment pack: the decisions that shaped each point of the Service Standard</a></p>` : '');
  return page(plainTitle, links.stylesheetHref, main, `${download}
<p>This page was shared by link: anyone with the link can read it. The team can cancel every link to it with <code>/decision share revoke</code>.</p>`);
}

/** The one "not found" page, whatever was wrong: no such case, no token, or a wrong or cancelled one. */
export function renderNotFoundPage(stylesheetHref: string): string {
  return page('Page not found', stylesheetHref, `<h1>Page not found</h1>
<div class="prose">
<p>If you typed the web address, check it is correct.</p>
<p>If you followed a share link, it may have been cancelled. Ask the team for a new one: they can make it with <code>/decision share</code>.</p>
</div>`, '');
}

export function page(title: string, stylesheetHref: string, main: string, footer: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(stylesheetHref)}">
<link rel="icon" href="data:,">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="page-header"><div class="width"><p>Decisions</p></div></header>
<div class="width">
<main id="main">
${main}
</main>
</div>
${footer === '' ? '' : `<footer class="page-footer"><div class="width">\n${footer}\n</div></footer>\n`}</body>
</html>
`;
}

/** Anchors the page has for each citable label: "8" a decision, "8a" an evidence item with its own letter. */
function citationResolver(decisions: Decision[], evidence: Evidence[]): CitationResolver {
  const anchors = new Map<string, string>();
  for (const d of decisions) anchors.set(String(d.number), decisionAnchor(d.number));
  for (const e of evidence) {
    if (e.letter !== null) anchors.set(`${e.decision}${e.letter}`, evidenceAnchor(`${e.decision}${e.letter}`));
  }
  // "08a" and "8a" name the same thing.
  return (label) => anchors.get(label.replace(/^0+(?=\d)/, '')) ?? null;
}

export class IdMaker {
  private readonly used = new Set<string>(['main', 'contents-title', TIMELINE_ID, 'timeline-svg-title', 'timeline-svg-desc', 'timeline-table-caption']);

  make(text: string): string {
    const base = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'section';
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }

  reserve(id: string): string {
    this.used.add(id);
    return id;
  }
}

function contentsList(entries: OutlineEntry[]): string {
  let html = '<ol>';
  const stack: number[] = [entries[0]?.level ?? 2];
  entries.forEach((e, i) => {
    if (i > 0) {
      if (e.level > (stack[stack.length - 1] ?? 2)) {
        html += '\n<ol>';
        stack.push(e.level);
      } else {
        html += '</li>';
        while (stack.length > 1 && e.level < (stack[stack.length - 1] ?? 2)) {
          stack.pop();
          html += '</ol></li>';
        }
      }
    }
    html += `\n<li><a href="#${e.id}">${escapeHtml(e.text)}</a>`;
  });
  html += '</li>';
  while (stack.length > 1) {
    stack.pop();
    html += '</ol></li>';
  }
  return `${html}\n</ol>`;
}

/** The case's sprints in order, plus any a decision names that the list lacks (as the export does). */
function allSprints(snapshot: CaseSnapshot): Sprint[] {
  const byNumber = new Map<number, Sprint>(snapshot.sprints.map((s) => [s.number, s]));
  for (const d of snapshot.decisions) {
    if (!byNumber.has(d.sprint)) byNumber.set(d.sprint, { number: d.sprint, suffix: '', intro: '', startsOn: null });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

function decisionsPartHtml(
  snapshot: CaseSnapshot, decisions: Decision[], evidence: Evidence[], citations: CitationResolver, ids: IdMaker, outline: OutlineEntry[], withTimeline: boolean,
): string[] {
  const { layout, timeZone } = snapshot.case;
  const sprints = allSprints(snapshot);
  const out: string[] = [];
  if (layout.decisionsHeading) {
    const h = level(layout.decisionsHeading.level);
    const text = markdownPlainText(layout.decisionsHeading.text) || 'Key decisions';
    const id = ids.make(text);
    outline.push({ level: h, id, text });
    out.push(`<h${h} id="${id}">${renderInlineMarkdown(layout.decisionsHeading.text)}</h${h}>`);
    if (layout.decisionsHeading.intro.trim() !== '') {
      out.push(`<div class="prose part-intro">${renderMarkdown(escapeUserText(layout.decisionsHeading.intro, 'section'), { citations, minHeading: h + 1 })}</div>`);
    }
  }
  if (sprints.length === 0) return out;
  const sprintLevel = level(layout.sprintLevel);
  const decisionLevel = Math.min(6, sprintLevel + 1);
  if (withTimeline) {
    outline.push({ level: sprintLevel, id: TIMELINE_ID, text: 'The case over time' });
    out.push(timelineHtml(buildTimeline(snapshot), { level: sprintLevel, tableOpen: false }));
  }
  const phaseOf = phaseLabeller(sprints);
  const replacedBy = new Map<number, number[]>();
  for (const d of decisions) {
    if (d.status === 'superseded' && d.supersededBy !== null) replacedBy.set(d.supersededBy, [...(replacedBy.get(d.supersededBy) ?? []), d.number]);
  }
  const numbers = new Set(decisions.map((d) => d.number));
  const ctx: DecisionContext = { citations, timeZone, decisionLevel, replacedBy, numbers };

  for (const sprint of sprints) {
    const heading = sprintHeading(sprint, layout.sprintForms);
    const id = ids.reserve(`sprint-${sprint.number}`);
    outline.push({ level: sprintLevel, id, text: markdownPlainText(heading) });
    // "Sprint 7, Alpha", as every surface says it; the comma is for screen readers.
    const phase = phaseOf(sprint.number);
    const phaseTag = phase === null ? '' : `<span class="visually-hidden">,</span> <span class="tag tag--phase">${escapeHtml(phase)}</span>`;
    out.push(`<h${sprintLevel} class="sprint-heading" id="${id}">${renderInlineMarkdown(heading)}${phaseTag}</h${sprintLevel}>`);
    if (sprint.phase) out.push(`<p class="phase-start">${escapeHtml(phaseLabel(sprint.phase))} starts here</p>`);
    if (sprint.intro.trim() !== '') {
      out.push(`<div class="prose sprint-intro">${renderMarkdown(escapeUserText(sprint.intro, 'decision'), { citations, minHeading: decisionLevel })}</div>`);
    }
    const inSprint = decisions.filter((d) => d.sprint === sprint.number);
    if (inSprint.length === 0) out.push('<p class="empty-note">No decisions recorded in this sprint.</p>');
    for (const d of inSprint) {
      ids.reserve(decisionAnchor(d.number));
      out.push(decisionHtml(d, evidence.filter((e) => e.decision === d.number), ctx, ids));
    }
  }
  return out;
}

interface DecisionContext {
  citations: CitationResolver;
  timeZone: string;
  decisionLevel: number;
  /** Decision number -> the decisions it superseded. */
  replacedBy: Map<number, number[]>;
  numbers: Set<number>;
}

function decisionLink(n: number, ctx: DecisionContext): string {
  return ctx.numbers.has(n)
    ? `<a href="#${decisionAnchor(n)}">Decision ${n}</a>`
    : `<span class="citation-missing">Decision ${n}<span class="visually-hidden"> (no such decision)</span></span>`;
}

function decisionHtml(d: Decision, evidence: Evidence[], ctx: DecisionContext, ids: IdMaker): string {
  const h = ctx.decisionLevel;
  const anchor = decisionAnchor(d.number);
  const TAGS: Record<Decision['status'], string> = { active: '', proposed: 'Proposed', rejected: 'Rejected', withdrawn: 'Withdrawn', superseded: 'Superseded' };
  const tag = TAGS[d.status] === '' ? '' : ` <strong class="tag tag--${d.status}">${TAGS[d.status]}</strong>`;
  const parts: string[] = [`<h${h} class="decision-title" id="${anchor}-title">Decision ${d.number}${tag}</h${h}>`];

  if (d.text.trim() !== '') {
    parts.push(`<div class="prose">${renderMarkdown(escapeUserText(d.text, 'decision'), { citations: ctx.citations, minHeading: h + 1 })}</div>`);
  }
  // After the text, as the Markdown export writes it: who decided, its points, then the status.
  if (d.deciders.length > 0) parts.push(`<p class="status">Decided by ${escapeHtml(joinNames(d.deciders))}</p>`);
  if (d.points.length > 0) parts.push(pointsHtml(d.points, 'Service Standard'));
  if (d.status === 'withdrawn' || d.status === 'rejected') {
    parts.push(`<p class="status">${d.status === 'withdrawn' ? 'Withdrawn' : 'Rejected'}${d.statusReason ? `: ${escapeHtml(d.statusReason)}` : ''}</p>`);
  } else if (d.status === 'proposed') {
    parts.push('<p class="status">Proposed, to be agreed</p>');
  } else if (d.status === 'superseded') {
    parts.push(`<p class="status">${d.supersededBy === null ? 'Superseded' : `Superseded by ${decisionLink(d.supersededBy, ctx)}`}</p>`);
  }
  const replaced = ctx.replacedBy.get(d.number) ?? [];
  if (replaced.length > 0) parts.push(`<p class="meta">Replaces ${replaced.map((n) => decisionLink(n, ctx)).join(', ')}</p>`);

  const meta = [recordedBy(d.author, d.createdAt, ctx.timeZone, 'Recorded'), sourceLink(d.sourceUrl)].filter((x) => x !== '');
  if (meta.length > 0) parts.push(`<p class="meta">${meta.join(' ')}</p>`);

  if (d.revisions.length > 0) {
    const items = [...d.revisions].reverse().map((r) => `<li>
<div class="prose">${renderMarkdown(escapeUserText(r.text, 'decision'), { citations: ctx.citations, minHeading: h + 1 })}</div>
<p class="meta">Wording until ${escapeHtml(localTime(r.editedAt, ctx.timeZone))}, changed by ${escapeHtml(r.editedBy.name)}.</p>
</li>`);
    const count = d.revisions.length === 1 ? '1 earlier version' : `${d.revisions.length} earlier versions`;
    parts.push(`<details class="history">
<summary>Revision history of Decision ${d.number} (${count})</summary>
<ol class="revisions">
${items.join('\n')}
</ol>
</details>`);
  }

  if (evidence.length > 0) {
    const items = evidence.map((e) => evidenceHtml(e, d, ctx, ids));
    parts.push(`<ul class="evidence-list" aria-label="Evidence for Decision ${d.number}">\n${items.join('\n')}\n</ul>`);
  } else if (d.status === 'active' || d.status === 'proposed') {
    parts.push('<p class="meta">No evidence recorded yet.</p>');
  }
  return `<article class="decision decision--${d.status}" id="${anchor}" aria-labelledby="${anchor}-title">\n${parts.join('\n')}\n</article>`;
}

/** A decision's or evidence's points of the Service Standard, each with its title. */
export function pointsHtml(points: readonly number[], label: string): string {
  return `<div class="points-block"><p class="points-title">${escapeHtml(label)}</p><ul class="points">${points.map((p) => `<li>${p}. ${escapeHtml(pointTitle(p))}</li>`).join('')}</ul></div>`;
}

function evidenceHtml(e: Evidence, d: Decision, ctx: DecisionContext, ids: IdMaker): string {
  const body = (e.text.trim() === ''
    ? ''
    : `<div class="prose">${renderMarkdown(escapeUserText(e.text, 'decision'), { citations: ctx.citations, minHeading: ctx.decisionLevel + 1 })}</div>`)
    + (e.points.length > 0 ? `\n${pointsHtml(e.points, 'Service Standard')}` : '');
  const meta = [recordedBy(e.author, e.createdAt, ctx.timeZone, 'Added'), sourceLink(e.sourceUrl)].filter((x) => x !== '');
  const metaHtml = meta.length > 0 ? `<p class="meta">${meta.join(' ')}</p>` : '';
  if (e.letter !== null) {
    const label = `${e.decision}${e.letter}`;
    const id = ids.reserve(evidenceAnchor(label));
    return `<li class="evidence" id="${id}">\n<p class="evidence-label">Evidence ${escapeHtml(label)}</p>\n${body}\n${metaHtml}</li>`;
  }
  // A back-reference ("Evidence 10a: See above" under a later decision) points at the original.
  const label = e.refersTo ?? String(e.decision);
  const target = ctx.citations(label);
  const from = /^\d+/.exec(label)?.[0];
  const id = ids.make(`decision-${d.number}-${evidenceAnchor(label)}`);
  const labelHtml = target === null
    ? `Evidence ${escapeHtml(label)} <span class="citation-missing">not found<span class="visually-hidden"> (no such evidence)</span></span>`
    : `<a href="#${target}">Evidence ${escapeHtml(label)}</a>${from !== undefined ? ` (first given under Decision ${from})` : ''}`;
  return `<li class="evidence evidence--ref" id="${id}">\n<p class="evidence-label">${labelHtml}</p>\n${body}\n${metaHtml}</li>`;
}

function recordedBy(author: { id: string; name: string }, at: string, timeZone: string, verb: string): string {
  // Imported items carry the import time, which says nothing about when they were decided.
  if (author.id === IMPORTER.id) return '';
  return `${verb} by ${escapeHtml(author.name)}, ${escapeHtml(localTime(at, timeZone))}.`;
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
