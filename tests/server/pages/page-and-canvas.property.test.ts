/**
 * The case page and the Slack canvas are two renderings of one document view: for any case,
 * both show the same phases, sprint headings and decisions, in the same order.
 */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { caseDocumentView } from '../../../src/core/document-view';
import { buildTimeline } from '../../../src/core/timeline';
import { canvasMarkdown } from '../../../src/core/canvas/markdown';
import type { CaseSnapshot } from '../../../src/core/model';
import { renderCasePage } from '../../../src/server/pages/render-case';
import { caseSnapshots } from '../../helpers/arbitrary-cases';
import { decodeEntities, textOf } from '../helpers';

type Part = ['phase' | 'sprint', string] | ['decision', number];

const PAGE = 'https://decisions.example.org/cases/case-arb?token=t';
const md = new MarkdownIt({ html: false, linkify: false });
/** As a reader sees a name: the canvas's invisible breaks in mentions gone, space as one. */
const plain = (text: string): string => text.replace(/\u2060/g, '').replace(/\s+/g, ' ').trim();

/** The page's parts: each sprint heading (a phase starting there comes just before it) and each decision. */
function pageParts(html: string): Part[] {
  const parts: Part[] = [];
  const tags: Array<string | null> = [];
  const re = /<h[2-6] class="sprint-heading" id="sprint-\d+">([\s\S]*?)<\/h[2-6]>|<p class="phase-start">([\s\S]*?) starts here<\/p>|<article class="decision decision--[a-z]+" id="decision-(\d+)"/g;
  for (const m of html.matchAll(re)) {
    if (m[1] !== undefined) {
      const [heading = '', tag] = m[1].split('<span class="visually-hidden">,</span> <span class="tag tag--phase">');
      tags.push(tag === undefined ? null : plain(decodeEntities(tag.replace(/<\/span>$/, ''))));
      parts.push(['sprint', plain(textOf(heading))]);
    } else if (m[2] !== undefined) {
      // Said under the heading of the sprint it starts at.
      expect(parts[parts.length - 1]?.[0]).toBe('sprint');
      parts.splice(parts.length - 1, 0, ['phase', plain(decodeEntities(m[2]))]);
    } else {
      parts.push(['decision', Number(m[3])]);
    }
  }
  // Each sprint's tag names the phase it is in.
  let phase: string | null = null;
  const inPhase: Array<string | null> = [];
  for (const [kind, text] of parts) {
    if (kind === 'phase') phase = text;
    if (kind === 'sprint') inPhase.push(phase);
  }
  expect(tags).toEqual(inPhase);
  return parts;
}

/** The canvas's parts, within the key decisions: a heading straight above another is a phase's, the others sprints'; decisions by their links. */
function canvasParts(markdown: string, snap: CaseSnapshot): Part[] {
  const tokens = md.parse(markdown, {});
  const { layout } = snap.case;
  const at = Math.min(Math.max(layout.decisionsAt, 0), layout.sections.length);
  const headings = tokens.map((t, i) => (t.type === 'heading_open' ? i : -1)).filter((i) => i >= 0);
  // The title, the sections before, the key decisions heading; and the sections after.
  const first = headings[1 + at + (layout.decisionsHeading ? 1 : 0)] ?? tokens.length;
  const end = headings[headings.length - (layout.sections.length - at)] ?? tokens.length;
  const parts: Part[] = [];
  for (let i = first; i < Math.min(end, tokens.length); i += 1) {
    const t = tokens[i];
    if (t?.type === 'heading_open') {
      const text = plain((tokens[i + 1]?.children ?? []).map((c) => c.content).join(''));
      parts.push([tokens[i + 3]?.type === 'heading_open' ? 'phase' : 'sprint', text]);
    }
    for (const c of t?.children ?? []) {
      const n = c.type === 'link_open' ? /#decision-(\d+)$/.exec(String(c.attrGet('href')))?.[1] : undefined;
      if (n !== undefined) parts.push(['decision', Number(n)]);
    }
  }
  return parts;
}

it('property: the page and the canvas show the same phases, sprint headings and decisions, in the same order', () => {
  let phased = 0;
  fc.assert(fc.property(caseSnapshots, (snap) => {
    const view = caseDocumentView(snap);
    const page = pageParts(renderCasePage(view, buildTimeline(snap), { stylesheetHref: '/a.css', markdownHref: null }));
    const canvas = canvasParts(canvasMarkdown(view, { page: PAGE }).markdown, snap);
    expect(canvas).toEqual(page);
    // And both are the case: every decision once in number order, every sprint once.
    expect(page.filter((p) => p[0] === 'decision').map((p) => p[1])).toEqual(snap.decisions.map((d) => d.number));
    expect(page.filter((p) => p[0] === 'sprint').length).toBe(new Set([...snap.sprints.map((s) => s.number), ...snap.decisions.map((d) => d.sprint)]).size);
    if (page.some((p) => p[0] === 'phase')) phased += 1;
  }), { numRuns: 400 });
  // Cases with phases were among them, many times.
  expect(phased).toBeGreaterThan(100);
});
