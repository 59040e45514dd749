/**
 * The whole business case as one HTML page, from the case's document view (the one the
 * Slack canvas is made from too), in the order of the Markdown export: title, preamble, the
 * sections before the key decisions part, the case over time, the sprints (each with its
 * phase) with their decisions and evidence, then the sections after it. Every piece of user
 * text goes through `markdown-html.ts` (Markdown, sanitised) or `escapeHtml` (plain text).
 */
import { escapeUserText } from '../../core/markdown';
import type { CaseDocumentView, DocumentSectionView, DocumentSprintView } from '../../core/document-view';
import type { TimelineView } from '../../core/timeline';
import { IdMaker, citationResolver, decisionAnchor } from './anchors';
import { decisionHtml } from './render-decision';
import type { DecisionContext } from './render-decision';
import type { CitationResolver } from './markdown-html';
import { TIMELINE_ID, timelineHtml } from './timeline';
import { escapeHtml, markdownPlainText, renderInlineMarkdown, renderMarkdown } from './markdown-html';

export interface CasePageLinks {
  stylesheetHref: string;
  /** The Markdown download (relative to the page), or null to leave it out. */
  markdownHref: string | null;
  /** The assessment pack's page (relative to the page), or null to leave it out. */
  assessmentHref?: string | null;
  /** A case kept in two files: each file's download, under its own name. */
  fileHrefs?: Array<{ name: string; href: string }>;
}

interface OutlineEntry {
  level: number;
  id: string;
  text: string;
}

/** What each part of the page adds to: the ids used so far, and the contents list. */
interface PageParts {
  citations: CitationResolver;
  ids: IdMaker;
  outline: OutlineEntry[];
}

/** Headings on the page run from h2 (h1 is the title) to h6. */
const level = (n: number): number => Math.min(6, Math.max(2, n));

function sectionHtml(s: DocumentSectionView, p: PageParts): string {
  const id = p.ids.make(`section-${markdownPlainText(s.heading)}`);
  const h = level(s.level);
  p.outline.push({ level: h, id, text: markdownPlainText(s.heading) || 'Untitled section' });
  const body = s.body.trim() === ''
    ? ''
    : `<div class="prose${s.toBeWritten ? ' to-be-written' : ''}">${renderMarkdown(escapeUserText(s.body, 'section'), { citations: p.citations, minHeading: h + 1 })}</div>`;
  return `<h${h} id="${id}">${renderInlineMarkdown(s.heading)}</h${h}>\n${body}`;
}

function downloadsHtml(links: CasePageLinks): string {
  const files = links.fileHrefs ?? [];
  const download = links.markdownHref === null
    ? ''
    : files.length > 1
      ? `<p>Download this business case as Markdown, in the team's ${files.length} files: ${files.map((f) => `<a href="${escapeHtml(f.href)}" download>${escapeHtml(f.name)}</a>`).join(' and ')} (or <a href="${escapeHtml(links.markdownHref)}" download>as one file</a>).</p>`
      : `<p><a href="${escapeHtml(links.markdownHref)}" download>Download this business case as Markdown</a></p>`;
  return download + (links.assessmentHref ? `\n<p><a href="${escapeHtml(links.assessmentHref)}">The service assessment pack: the decisions that shaped each point of the Service Standard</a></p>` : '');
}

/** The page of `view`, with the picture of the case over time when `timeline` is given (null leaves it out). */
export function renderCasePage(view: CaseDocumentView, timeline: TimelineView | null, links: CasePageLinks): string {
  const title = view.title;
  const plainTitle = title === null ? 'Business case' : markdownPlainText(title) || 'Business case';
  const p: PageParts = { citations: citationResolver(view.citable), ids: new IdMaker(), outline: [] };
  const before = view.before.map((s) => sectionHtml(s, p));
  const part = decisionsPartHtml(view, timeline, p);
  const after = view.after.map((s) => sectionHtml(s, p));
  const preamble = view.preamble.trim() === ''
    ? ''
    : `<div class="prose">${renderMarkdown(escapeUserText(view.preamble, 'section'), { citations: p.citations, minHeading: 2 })}</div>`;
  const contents = p.outline.length === 0
    ? ''
    : `<nav class="contents" aria-labelledby="contents-title">\n<h2 id="contents-title">Contents</h2>\n${contentsList(p.outline)}\n</nav>`;
  const main = [
    `<h1>${title === null ? 'Business case' : renderInlineMarkdown(title)}</h1>`,
    preamble,
    contents,
    ...before,
    ...part,
    ...after,
  ].filter((x) => x !== '').join('\n');
  return page(plainTitle, links.stylesheetHref, main, `${downloadsHtml(links)}
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

/** The key decisions part: its heading and intro, the case over time, then each sprint in its phase. */
function decisionsPartHtml(view: CaseDocumentView, timeline: TimelineView | null, p: PageParts): string[] {
  const { heading, sprintLevel: depth, phases } = view.decisions;
  const out: string[] = [];
  if (heading) {
    const h = level(heading.level);
    const text = markdownPlainText(heading.text) || 'Key decisions';
    const id = p.ids.make(text);
    p.outline.push({ level: h, id, text });
    out.push(`<h${h} id="${id}">${renderInlineMarkdown(heading.text)}</h${h}>`);
    if (heading.intro.trim() !== '') {
      out.push(`<div class="prose part-intro">${renderMarkdown(escapeUserText(heading.intro, 'section'), { citations: p.citations, minHeading: h + 1 })}</div>`);
    }
  }
  const sprints = phases.flatMap((run) => run.sprints);
  if (sprints.length === 0) return out;
  const sprintLevel = level(depth);
  if (timeline !== null) {
    p.outline.push({ level: sprintLevel, id: TIMELINE_ID, text: 'The case over time' });
    out.push(timelineHtml(timeline, { level: sprintLevel, tableOpen: false }));
  }
  const ctx: DecisionContext = {
    citations: p.citations,
    decisionLevel: Math.min(6, sprintLevel + 1),
    numbers: new Set(sprints.flatMap((s) => s.decisions.map((d) => d.decision.number))),
  };
  for (const run of phases) {
    run.sprints.forEach((sprint, i) => out.push(...sprintHtml(sprint, { phase: run.phase, starts: i === 0 && run.phase !== null }, sprintLevel, ctx, p)));
  }
  return out;
}

/** A sprint: its heading with its phase ("Sprint 7, Alpha"), where a phase starts, its intro and its decisions. */
function sprintHtml(sprint: DocumentSprintView, phase: { phase: string | null; starts: boolean }, h: number, ctx: DecisionContext, p: PageParts): string[] {
  const out: string[] = [];
  const id = p.ids.reserve(`sprint-${sprint.number}`);
  p.outline.push({ level: h, id, text: markdownPlainText(sprint.heading) });
  // The comma is for screen readers.
  const phaseTag = phase.phase === null ? '' : `<span class="visually-hidden">,</span> <span class="tag tag--phase">${escapeHtml(phase.phase)}</span>`;
  out.push(`<h${h} class="sprint-heading" id="${id}">${renderInlineMarkdown(sprint.heading)}${phaseTag}</h${h}>`);
  if (phase.starts) out.push(`<p class="phase-start">${escapeHtml(phase.phase ?? '')} starts here</p>`);
  if (sprint.intro.trim() !== '') {
    out.push(`<div class="prose sprint-intro">${renderMarkdown(escapeUserText(sprint.intro, 'decision'), { citations: ctx.citations, minHeading: ctx.decisionLevel })}</div>`);
  }
  if (sprint.decisions.length === 0) out.push('<p class="empty-note">No decisions recorded in this sprint.</p>');
  for (const d of sprint.decisions) {
    p.ids.reserve(decisionAnchor(d.decision.number));
    out.push(decisionHtml(d, ctx, p.ids));
  }
  return out;
}
