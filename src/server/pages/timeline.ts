/**
 * The case over time, drawn on the server: an SVG picture (no script, no inline style:
 * colours come from the page's stylesheet by class) of decisions and evidence per sprint,
 * on bands coloured by phase, with superseded and withdrawn decisions marked by their own
 * pattern as well as colour; then the same figures as a table, which is what a screen
 * reader reads (the picture is one image with a name and a summary).
 */
import type { TimelineSprint, TimelineView } from '../../core/timeline';
import { escapeHtml } from './markdown-html';

export const TIMELINE_ID = 'timeline';

export interface TimelineOptions {
  /** The heading's level on the page (2 to 6). */
  level: number;
  /** Open the table at once (the printable assessment page); closed on the case page. */
  tableOpen: boolean;
  /** Sprints to pick out (an assessment's phase): the rest are drawn paler. */
  highlight?: (sprint: number) => boolean;
}

const PLOT_TOP = 34;
const PLOT_HEIGHT = 150;
const LEFT = 44;
const RIGHT = 12;
const BOTTOM = 44;

/** Whole numbers as the page shows them. */
const n = (x: number): string => x.toLocaleString('en-GB');

/** A rounded coordinate: SVG needs no more, and the page stays small for a case of hundreds of sprints. */
const r = (x: number): string => String(Math.round(x * 10) / 10);

/** Bars whose fill is a pattern defined in the picture: a presentation attribute, as a stylesheet's url(#…) may not reach it. */
const PATTERNS: Record<string, string> = { 'tl-superseded-bar': 'url(#tl-hatch)', 'tl-withdrawn-bar': 'url(#tl-dots)' };

function rect(cls: string, x: number, y: number, w: number, h: number, title?: string): string {
  if (h <= 0 || w <= 0) return '';
  const t = title === undefined ? '' : `<title>${escapeHtml(title)}</title>`;
  const pattern = PATTERNS[cls.split(' ')[0] ?? ''];
  return `<rect class="${cls}" x="${r(x)}" y="${r(y)}" width="${r(w)}" height="${r(h)}"${pattern ? ` fill="${pattern}"` : ''}>${t}</rect>`;
}

function sprintWords(s: TimelineSprint): string {
  const d = s.decisions;
  const marked = [d.superseded > 0 ? `${n(d.superseded)} superseded` : '', d.withdrawn > 0 ? `${n(d.withdrawn)} withdrawn` : '', d.proposed + d.rejected > 0 ? `${n(d.proposed + d.rejected)} proposals` : ''].filter((x) => x !== '');
  return `${s.heading}${s.phase ? `, ${s.phase.label}` : ''}: ${n(s.decisionCount)} decision${s.decisionCount === 1 ? '' : 's'}${marked.length > 0 ? ` (${marked.join(', ')})` : ''}, ${n(s.evidence)} evidence`;
}

export function timelineSvg(view: TimelineView, options: Pick<TimelineOptions, 'highlight'> = {}): string {
  const sprints = view.sprints;
  const count = Math.max(1, sprints.length);
  const width = Math.max(480, Math.min(960, LEFT + RIGHT + count * 30));
  const col = (width - LEFT - RIGHT) / count;
  const height = PLOT_TOP + PLOT_HEIGHT + BOTTOM;
  const max = Math.max(1, ...sprints.map((s) => Math.max(s.decisionCount, s.evidence)));
  const scale = PLOT_HEIGHT / max;
  const base = PLOT_TOP + PLOT_HEIGHT;
  const xOf = (i: number): number => LEFT + i * col;
  const index = new Map(sprints.map((s, i) => [s.number, i]));
  const parts: string[] = [];

  parts.push(`<defs>
<pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="tl-superseded" width="6" height="6"></rect><line class="tl-hatch-line" x1="0" y1="0" x2="0" y2="6"></line></pattern>
<pattern id="tl-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect class="tl-withdrawn" width="5" height="5"></rect><circle class="tl-dot" cx="2.5" cy="2.5" r="1.2"></circle></pattern>
</defs>`);

  // Phase bands, each with its name when there is room for it.
  for (const p of view.phases) {
    const from = index.get(p.from);
    if (from === undefined) continue;
    const to = p.to;
    const last = to === null ? sprints.length - 1 : sprints.reduce((m, s, i) => (s.number <= to ? Math.max(m, i) : m), from);
    const x = xOf(from);
    const w = (last - from + 1) * col;
    parts.push(rect(`tl-band tl-band--${p.kind}`, x, 4, w, base - 4, `${p.label}: ${p.span}`));
    if (w >= Math.min(10 + p.label.length * 7, 160)) {
      parts.push(`<text class="tl-phase" x="${r(x + 4)}" y="20">${escapeHtml([...p.label].slice(0, Math.max(1, Math.floor((w - 8) / 7))).join(''))}</text>`);
    }
  }

  // Axis: the largest count, and zero.
  parts.push(`<line class="tl-axis" x1="${LEFT}" y1="${base}" x2="${r(width - RIGHT)}" y2="${base}"></line>`);
  parts.push(`<text class="tl-tick" x="${LEFT - 6}" y="${PLOT_TOP + 4}" text-anchor="end">${n(max)}</text>`);
  parts.push(`<text class="tl-tick" x="${LEFT - 6}" y="${base}" text-anchor="end">0</text>`);

  const every = Math.ceil(count / 24);
  sprints.forEach((s, i) => {
    const x = xOf(i);
    const gap = Math.min(4, col * 0.15);
    const barW = (col - gap * 3) / 2;
    const dim = options.highlight && !options.highlight(s.number) ? ' tl-dim' : '';
    const title = sprintWords(s);
    // Decisions, stacked by status: active at the bottom, then superseded, withdrawn, proposals.
    let y = base;
    const stack: Array<[string, number]> = [
      ['tl-active', s.decisions.active], ['tl-superseded-bar', s.decisions.superseded], ['tl-withdrawn-bar', s.decisions.withdrawn],
      ['tl-proposed', s.decisions.proposed + s.decisions.rejected],
    ];
    for (const [cls, v] of stack) {
      const h = v * scale;
      parts.push(rect(`${cls}${dim}`, x + gap, y - h, barW, h, title));
      y -= h;
    }
    parts.push(rect(`tl-evidence${dim}`, x + gap * 2 + barW, base - s.evidence * scale, barW, s.evidence * scale, title));
    if (s.startsPhase) parts.push(`<line class="tl-start" x1="${r(x)}" y1="4" x2="${r(x)}" y2="${base}"></line>`);
    if (i % every === 0) parts.push(`<text class="tl-tick" x="${r(x + col / 2)}" y="${base + 16}" text-anchor="middle">${n(s.number)}</text>`);
  });
  parts.push(`<text class="tl-tick" x="${r(LEFT + (width - LEFT - RIGHT) / 2)}" y="${base + 36}" text-anchor="middle">Sprint</text>`);

  return `<svg class="timeline-svg" role="img" aria-labelledby="timeline-svg-title timeline-svg-desc" viewBox="0 0 ${r(width)} ${height}" focusable="false" xmlns="http://www.w3.org/2000/svg">
<title id="timeline-svg-title">Decisions and evidence per sprint</title>
<desc id="timeline-svg-desc">${escapeHtml(view.summary)}</desc>
${parts.filter((p) => p !== '').join('\n')}
</svg>`;
}

function tableHtml(view: TimelineView): string {
  const rows = view.sprints.map((s) => `<tr>
<th scope="row">${escapeHtml(s.heading)}</th>
<td>${s.startsOn === null ? '' : escapeHtml(s.startsOn)}</td>
<td>${s.phase === null ? '' : `${escapeHtml(s.phase.label)}${s.startsPhase ? ' (starts)' : ''}`}</td>
<td class="num">${n(s.decisionCount)}</td>
<td class="num">${n(s.decisions.active)}</td>
<td class="num">${n(s.decisions.superseded)}</td>
<td class="num">${n(s.decisions.withdrawn)}</td>
<td class="num">${n(s.decisions.proposed + s.decisions.rejected)}</td>
<td class="num">${n(s.evidence)}</td>
</tr>`);
  return `<div class="table-scroll" role="region" aria-labelledby="timeline-table-caption" tabindex="0">
<table class="timeline-data">
<caption id="timeline-table-caption">Decisions and evidence per sprint</caption>
<thead><tr><th scope="col">Sprint</th><th scope="col">Started</th><th scope="col">Phase</th><th scope="col" class="num">Decisions</th><th scope="col" class="num">Active</th><th scope="col" class="num">Superseded</th><th scope="col" class="num">Withdrawn</th><th scope="col" class="num">Proposals</th><th scope="col" class="num">Evidence</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>`;
}

const LEGEND = `<ul class="timeline-legend" aria-label="Key">
<li><span class="swatch swatch--active"></span>Decisions in force</li>
<li><span class="swatch swatch--superseded"></span>Superseded (hatched)</li>
<li><span class="swatch swatch--withdrawn"></span>Withdrawn (dotted)</li>
<li><span class="swatch swatch--proposed"></span>Proposed or rejected</li>
<li><span class="swatch swatch--evidence"></span>Evidence</li>
<li><span class="swatch swatch--band"></span>Phases: shaded bands, named at the top; a line marks where each starts</li>
</ul>`;

/** The timeline section: heading, the picture in words, the picture, its key and its table. */
export function timelineHtml(view: TimelineView, options: TimelineOptions): string {
  const h = Math.min(6, Math.max(2, options.level));
  if (view.sprints.length === 0) return '';
  return `<section class="timeline" aria-labelledby="${TIMELINE_ID}">
<h${h} id="${TIMELINE_ID}">The case over time</h${h}>
<p class="timeline-summary">${escapeHtml(view.summary)}</p>
<figure class="timeline-figure">
${timelineSvg(view, options.highlight ? { highlight: options.highlight } : {})}
<figcaption>${LEGEND}</figcaption>
</figure>
<details class="timeline-table"${options.tableOpen ? ' open' : ''}>
<summary>The timeline as a table</summary>
${tableHtml(view)}
</details>
</section>`;
}
