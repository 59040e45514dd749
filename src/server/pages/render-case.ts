/**
 * The whole business case as one HTML page, from the case's document view (the one the
 * Slack canvas is made from too), in the order of the Markdown export: title, preamble, the
 * sections before the key decisions part, the sprints with their decisions and evidence,
 * then the sections after it. Every piece of user text goes
 * through `markdown-html.ts` (Markdown, sanitised) or `escapeHtml` (plain text).
 */
import type { CaseSnapshot } from '../../core/model';
import { escapeUserText, joinNames } from '../../core/markdown';
import { caseDocumentView, citationLabel } from '../../core/document-view';
import type { CaseDocumentView, DocumentDecisionView, DocumentEvidenceView, DocumentSectionView } from '../../core/document-view';
import type { DecisionView } from '../../core/views';
import type { CitationResolver } from './markdown-html';
import { escapeHtml, isWebUrl, markdownPlainText, renderInlineMarkdown, renderMarkdown } from './markdown-html';

export interface CasePageLinks {
  stylesheetHref: string;
  /** The Markdown download (relative to the page), or null to leave it out. */
  markdownHref: string | null;
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
  const view = caseDocumentView(snapshot);
  const title = view.title;
  const plainTitle = title === null ? 'Business case' : markdownPlainText(title) || 'Business case';
  const citations = citationResolver(view.citable);
  const ids = new IdMaker();
  const outline: OutlineEntry[] = [];

  const sectionHtml = (s: DocumentSectionView): string => {
    const id = ids.make(`section-${markdownPlainText(s.heading)}`);
    const h = level(s.level);
    outline.push({ level: h, id, text: markdownPlainText(s.heading) || 'Untitled section' });
    const body = s.body.trim() === ''
      ? ''
      : `<div class="prose${s.toBeWritten ? ' to-be-written' : ''}">${renderMarkdown(escapeUserText(s.body, 'section'), { citations, minHeading: h + 1 })}</div>`;
    return `<h${h} id="${id}">${renderInlineMarkdown(s.heading)}</h${h}>\n${body}`;
  };

  const before = view.before.map(sectionHtml);
  const part = decisionsPartHtml(view, citations, ids, outline);
  const after = view.after.map(sectionHtml);

  const preamble = view.preamble.trim() === ''
    ? ''
    : `<div class="prose">${renderMarkdown(escapeUserText(view.preamble, 'section'), { citations, minHeading: 2 })}</div>`;
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
  const download = links.markdownHref === null
    ? ''
    : files.length > 1
      ? `<p>Download this business case as Markdown, in the team's ${files.length} files: ${files.map((f) => `<a href="${escapeHtml(f.href)}" download>${escapeHtml(f.name)}</a>`).join(' and ')} (or <a href="${escapeHtml(links.markdownHref)}" download>as one file</a>).</p>`
      : `<p><a href="${escapeHtml(links.markdownHref)}" download>Download this business case as Markdown</a></p>`;
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
function citationResolver(citable: ReadonlySet<string>): CitationResolver {
  return (label) => {
    const known = citationLabel(label);
    if (!citable.has(known)) return null;
    return /[a-z]$/.test(known) ? evidenceAnchor(known) : decisionAnchor(Number(known));
  };
}

class IdMaker {
  private readonly used = new Set<string>(['main', 'contents-title']);

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

function decisionsPartHtml(view: CaseDocumentView, citations: CitationResolver, ids: IdMaker, outline: OutlineEntry[]): string[] {
  const { heading, sprintLevel: sprintDepth, phases } = view.decisions;
  const out: string[] = [];
  if (heading) {
    const h = level(heading.level);
    const text = markdownPlainText(heading.text) || 'Key decisions';
    const id = ids.make(text);
    outline.push({ level: h, id, text });
    out.push(`<h${h} id="${id}">${renderInlineMarkdown(heading.text)}</h${h}>`);
    if (heading.intro.trim() !== '') {
      out.push(`<div class="prose part-intro">${renderMarkdown(escapeUserText(heading.intro, 'section'), { citations, minHeading: h + 1 })}</div>`);
    }
  }
  const sprints = phases.flatMap((p) => p.sprints);
  if (sprints.length === 0) return out;
  const sprintLevel = level(sprintDepth);
  const decisionLevel = Math.min(6, sprintLevel + 1);
  const numbers = new Set(sprints.flatMap((s) => s.decisions.map((d) => d.decision.number)));
  const ctx: DecisionContext = { citations, timeZone: view.timeZone, decisionLevel, numbers };

  for (const phase of phases) {
    // Phases: when cases have them, each group of sprints is headed by its phase here.
    if (phase.phase !== null) out.push(`<p class="phase-heading">${escapeHtml(phase.phase)}</p>`);
    for (const sprint of phase.sprints) {
      const id = ids.reserve(`sprint-${sprint.number}`);
      outline.push({ level: sprintLevel, id, text: markdownPlainText(sprint.heading) });
      out.push(`<h${sprintLevel} class="sprint-heading" id="${id}">${renderInlineMarkdown(sprint.heading)}</h${sprintLevel}>`);
      if (sprint.intro.trim() !== '') {
        out.push(`<div class="prose sprint-intro">${renderMarkdown(escapeUserText(sprint.intro, 'decision'), { citations, minHeading: decisionLevel })}</div>`);
      }
      if (sprint.decisions.length === 0) out.push('<p class="empty-note">No decisions recorded in this sprint.</p>');
      for (const d of sprint.decisions) {
        ids.reserve(decisionAnchor(d.decision.number));
        out.push(decisionHtml(d, ctx, ids));
      }
    }
  }
  return out;
}

interface DecisionContext {
  citations: CitationResolver;
  timeZone: string;
  decisionLevel: number;
  numbers: Set<number>;
}

function decisionLink(n: number, ctx: DecisionContext): string {
  return ctx.numbers.has(n)
    ? `<a href="#${decisionAnchor(n)}">Decision ${n}</a>`
    : `<span class="citation-missing">Decision ${n}<span class="visually-hidden"> (no such decision)</span></span>`;
}

function decisionHtml(block: DocumentDecisionView, ctx: DecisionContext, ids: IdMaker): string {
  const d = block.decision;
  const h = ctx.decisionLevel;
  const anchor = decisionAnchor(d.number);
  const TAGS: Record<DecisionView['status'], string> = { active: '', proposed: 'Proposed', rejected: 'Rejected', withdrawn: 'Withdrawn', superseded: 'Superseded' };
  const tag = TAGS[d.status] === '' ? '' : ` <strong class="tag tag--${d.status}">${TAGS[d.status]}</strong>`;
  const parts: string[] = [`<h${h} class="decision-title" id="${anchor}-title">Decision ${d.number}${tag}</h${h}>`];

  if (d.text.trim() !== '') {
    parts.push(`<div class="prose">${renderMarkdown(escapeUserText(d.text, 'decision'), { citations: ctx.citations, minHeading: h + 1 })}</div>`);
  }
  // After the text, as the Markdown export writes it: who decided, then the status.
  if (d.deciders.length > 0) parts.push(`<p class="status">Decided by ${escapeHtml(joinNames(d.deciders))}</p>`);
  if (d.status === 'withdrawn' || d.status === 'rejected') {
    parts.push(`<p class="status">${d.status === 'withdrawn' ? 'Withdrawn' : 'Rejected'}${d.statusReason ? `: ${escapeHtml(d.statusReason)}` : ''}</p>`);
  } else if (d.status === 'proposed') {
    parts.push('<p class="status">Proposed, to be agreed</p>');
  } else if (d.status === 'superseded') {
    parts.push(`<p class="status">${d.supersededBy === null ? 'Superseded' : `Superseded by ${decisionLink(d.supersededBy, ctx)}`}</p>`);
  }
  if (block.replaces.length > 0) parts.push(`<p class="meta">Replaces ${block.replaces.map((n) => decisionLink(n, ctx)).join(', ')}</p>`);

  const meta = [recordedBy(d.imported ? null : d.author, d.when, 'Recorded'), sourceLink(d.sourceUrl)].filter((x) => x !== '');
  if (meta.length > 0) parts.push(`<p class="meta">${meta.join(' ')}</p>`);

  if (d.revisions.length > 0) {
    const items = [...d.revisions].reverse().map((r) => `<li>
<div class="prose">${renderMarkdown(escapeUserText(r.text, 'decision'), { citations: ctx.citations, minHeading: h + 1 })}</div>
<p class="meta">Wording until ${escapeHtml(r.when)}, changed by ${escapeHtml(r.editedBy.name)}.</p>
</li>`);
    const count = d.revisions.length === 1 ? '1 earlier version' : `${d.revisions.length} earlier versions`;
    parts.push(`<details class="history">
<summary>Revision history of Decision ${d.number} (${count})</summary>
<ol class="revisions">
${items.join('\n')}
</ol>
</details>`);
  }

  if (block.evidence.length > 0) {
    const items = block.evidence.map((e) => evidenceHtml(e, d, ctx, ids));
    parts.push(`<ul class="evidence-list" aria-label="Evidence for Decision ${d.number}">\n${items.join('\n')}\n</ul>`);
  } else if (d.status === 'active' || d.status === 'proposed') {
    parts.push('<p class="meta">No evidence recorded yet.</p>');
  }
  return `<article class="decision decision--${d.status}" id="${anchor}" aria-labelledby="${anchor}-title">\n${parts.join('\n')}\n</article>`;
}

function evidenceHtml(block: DocumentEvidenceView, d: DecisionView, ctx: DecisionContext, ids: IdMaker): string {
  const e = block.evidence;
  const body = e.text.trim() === ''
    ? ''
    : `<div class="prose">${renderMarkdown(escapeUserText(e.text, 'decision'), { citations: ctx.citations, minHeading: ctx.decisionLevel + 1 })}</div>`;
  const meta = [recordedBy(block.imported ? null : e.author, e.when, 'Added'), sourceLink(e.sourceUrl)].filter((x) => x !== '');
  const metaHtml = meta.length > 0 ? `<p class="meta">${meta.join(' ')}</p>` : '';
  if (block.own) {
    const id = ids.reserve(evidenceAnchor(e.label));
    return `<li class="evidence" id="${id}">\n<p class="evidence-label">Evidence ${escapeHtml(e.label)}</p>\n${body}\n${metaHtml}</li>`;
  }
  // A back-reference ("Evidence 10a: See above" under a later decision) points at the original.
  const label = e.label;
  const target = ctx.citations(label);
  const from = /^\d+/.exec(label)?.[0];
  const id = ids.make(`decision-${d.number}-${evidenceAnchor(label)}`);
  const labelHtml = target === null
    ? `Evidence ${escapeHtml(label)} <span class="citation-missing">not found<span class="visually-hidden"> (no such evidence)</span></span>`
    : `<a href="#${target}">Evidence ${escapeHtml(label)}</a>${from !== undefined ? ` (first given under Decision ${from})` : ''}`;
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
