/** No script, style, event handler, frame, image or javascript:/data: link survives, wherever user text goes. */
import type { Place } from '../../src/core/model';
import { renderMarkdown, renderInlineMarkdown } from '../../src/server/pages/markdown-html';
import { ANA, startPagesApp, startTags, textOf } from './helpers';
import type { PagesApp, Tag } from './helpers';
import { INJECTIONS, injectionCase } from './injections';

const PAGE_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'link', 'body', 'header', 'main', 'footer', 'nav', 'div', 'article', 'details', 'summary',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'a', 'span', 'strong', 'em', 's', 'code', 'pre', 'blockquote',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
]);
/** What sanitised Markdown may hold: a strict subset. */
const MARKDOWN_TAGS = new Set(['p', 'br', 'hr', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'span', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const PAGE_CLASSES = new Set([
  'skip-link', 'page-header', 'page-footer', 'width', 'prose', 'to-be-written', 'contents', 'part-intro', 'sprint-intro', 'sprint-heading', 'empty-note',
  'decision', 'decision--active', 'decision--proposed', 'decision--rejected', 'decision--withdrawn', 'decision--superseded', 'decision-title', 'tag', 'tag--proposed', 'tag--rejected', 'tag--withdrawn', 'tag--superseded',
  'status', 'meta', 'history', 'revisions', 'evidence-list', 'evidence', 'evidence--ref', 'evidence-label', 'citation', 'citation-missing', 'visually-hidden',
  'tag--phase', 'phase-start', 'points', 'points-block', 'points-title',
]);
/** What the assessment page adds to the case page's parts. */
const ASSESSMENT_TAGS = new Set([...PAGE_TAGS, 'section', 'dl', 'dt', 'dd']);
const ASSESSMENT_CLASSES = ['lead', 'point', 'point--uncovered', 'point-status', 'gap-list', 'decision-facts'];
/** The timeline's own tags and classes: drawn by the server, never from user text (user text is only its escaped words). */
const TIMELINE_TAGS = new Set(['section', 'h2', 'h3', 'h4', 'p', 'figure', 'figcaption', 'svg', 'title', 'desc', 'defs', 'pattern', 'rect', 'line', 'circle', 'text', 'ul', 'li', 'span', 'details', 'summary', 'div', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td']);
const TIMELINE_ATTRS = new Set(['class', 'id', 'aria-labelledby', 'aria-label', 'role', 'viewbox', 'focusable', 'xmlns', 'width', 'height', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'patternunits', 'patterntransform', 'fill', 'text-anchor', 'scope', 'tabindex', 'open']);

/** The page's timeline section, and the page without it. */
function splitTimeline(html: string): { timeline: string; rest: string } {
  const start = html.indexOf('<section class="timeline"');
  if (start < 0) return { timeline: '', rest: html };
  const end = html.indexOf('</section>', start) + '</section>'.length;
  return { timeline: html.slice(start, end), rest: html.slice(0, start) + html.slice(end) };
}

function timelineProblems(timeline: string): string[] {
  const found: string[] = [];
  for (const tag of startTags(timeline)) {
    if (!TIMELINE_TAGS.has(tag.name)) found.push(`tag <${tag.name}>: ${tag.raw}`);
    for (const [name, value] of Object.entries(tag.attrs)) {
      if (!TIMELINE_ATTRS.has(name)) found.push(`attribute ${name}: ${tag.raw}`);
      if (name === 'class' && value.split(/\s+/).some((c) => !/^(tl-[a-z-]+|timeline(-[a-z]+)?|swatch(--[a-z]+)?|table-scroll|num)$/.test(c))) found.push(`class: ${tag.raw}`);
      if (name === 'fill' && !/^url\(#tl-(hatch|dots)\)$/.test(value)) found.push(`fill: ${tag.raw}`);
    }
  }
  return found;
}

const DANGEROUS_ATTRS = /^(on|style$|src$|srcset$|action$|formaction$|xlink:|background$|poster$|data$|http-equiv$|target$|srcdoc$)/i;

/** The scheme of a URL as a browser reads it (control characters and spaces ignored), or null for a relative one. */
function scheme(url: string): string | null {
  const visible = [...url].filter((ch) => ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f).join('');
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(visible);
  return m ? (m[1] ?? '').toLowerCase() : null;
}

function problems(tags: Tag[], allowedTags: Set<string>): string[] {
  const found: string[] = [];
  for (const tag of tags) {
    if (!allowedTags.has(tag.name)) found.push(`tag <${tag.name}>: ${tag.raw}`);
    for (const [name, value] of Object.entries(tag.attrs)) {
      if (DANGEROUS_ATTRS.test(name)) found.push(`attribute ${name}: ${tag.raw}`);
      if (name === 'class' && value.split(/\s+/).some((c) => !PAGE_CLASSES.has(c))) found.push(`class: ${tag.raw}`);
      if (name === 'href' && tag.name !== 'link') {
        const s = scheme(value);
        if (s !== null && !['http', 'https', 'mailto'].includes(s)) found.push(`href scheme ${s}: ${tag.raw}`);
        if ((s === 'http' || s === 'https') && tag.attrs.rel !== 'noreferrer noopener') found.push(`external link without rel: ${tag.raw}`);
        if (value.startsWith('//') || value.startsWith('\\')) found.push(`protocol-relative href: ${tag.raw}`);
      } else if (/alert\(|msgbox\(/.test(value)) {
        found.push(`attribute value ${name}: ${tag.raw}`);
      }
    }
    if (tag.name === 'meta' && Object.keys(tag.attrs).some((a) => !['charset', 'name', 'content'].includes(a))) found.push(`meta: ${tag.raw}`);
    if (tag.name === 'link' && !(tag.attrs.rel === 'stylesheet' && tag.attrs.href === '/assets/case.css') && !(tag.attrs.rel === 'icon' && tag.attrs.href === 'data:,')) found.push(`link: ${tag.raw}`);
  }
  return found;
}

describe('sanitising user Markdown', () => {
  it('has a corpus of at least 30 injections', () => {
    expect(INJECTIONS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(INJECTIONS.map((s, i) => [i, s]))('injection %i leaves nothing active: %s', (_i, markdown) => {
    for (const html of [renderMarkdown(markdown, { citations: () => null }), renderInlineMarkdown(markdown)]) {
      const tags = startTags(html);
      expect(problems(tags, MARKDOWN_TAGS)).toEqual([]);
      for (const t of tags) expect(Object.keys(t.attrs).every((a) => ['href', 'rel', 'class', 'start'].includes(a))).toBe(true);
    }
  });

  it('shows raw HTML as the text it is, so nothing a team wrote is lost', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(renderMarkdown('<div onclick="alert(1)">a raw HTML block</div>')).toBe('<p>&lt;div onclick="alert(1)"&gt;a raw HTML block&lt;/div&gt;</p>\n');
    expect(renderMarkdown('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n');
    expect(renderMarkdown('![pixel](https://evil.example/p.gif)')).toBe('<p><a href="https://evil.example/p.gif" rel="noreferrer noopener">Image: pixel</a></p>\n');
    expect(renderMarkdown('![x](data:image/png;base64,AAAA)')).toBe('<p>![x](data:image/png;base64,AAAA)</p>\n');
    expect(renderMarkdown('![x](/relative.png)')).toBe('<p>Image: x</p>\n');
    expect(renderMarkdown('<https://example.org/fine>')).toBe('<p><a href="https://example.org/fine" rel="noreferrer noopener">https://example.org/fine</a></p>\n');
    expect(renderMarkdown('See https://example.org/plain')).toBe('<p>See https://example.org/plain</p>\n');
  });
});

describe('the case page with injections everywhere', () => {
  let t: PagesApp;
  const place: Place = { platform: 'console', workspace: 'local', channel: 'injections' };

  beforeAll(async () => {
    t = await startPagesApp();
    await t.app.store.putSnapshot(injectionCase('case-inject', place, '2026-11-26T10:00:00.000Z'), { replace: false });
  });
  afterAll(() => t.stop());

  it('renders every decision, evidence item and section with nothing active in it', async () => {
    const reply = await t.app.service.run({ place, actor: ANA }, 'share');
    if (reply.kind !== 'share') throw new Error(reply.summary);
    const res = await t.get(reply.url);
    expect(res.status).toBe(200);
    const page = await res.text();
    // The timeline is the server's own drawing: its tags are a fixed set, user text only escaped words in it.
    const { timeline, rest: html } = splitTimeline(page);
    expect(timeline).toContain('<svg class="timeline-svg" role="img"');
    expect(timelineProblems(timeline)).toEqual([]);
    expect(timeline).not.toMatch(/<(?!\/?(section|h[2-6]|p|figure|figcaption|svg|title|desc|defs|pattern|rect|line|circle|text|ul|li|span|details|summary|div|table|caption|thead|tbody|tr|th|td)\b)/);
    expect(textOf(timeline)).toContain('<img src=x onerror=alert(1)> @channel <!here> **bold** ](x) (starts)');
    const tags = startTags(html);
    expect(problems(tags, PAGE_TAGS)).toEqual([]);
    // The phase's hostile name is shown as the text it is, on its sprint's heading and where it starts.
    expect(html).toContain('<p class="phase-start">&lt;img src=x onerror=alert(1)&gt; @channel &lt;!here&gt; **bold** ](x) starts here</p>');
    // All of it is there, as text.
    const decisions = tags.filter((x) => x.name === 'article');
    expect(decisions).toHaveLength(INJECTIONS.length);
    expect(tags.filter((x) => x.name === 'li' && /^evidence-\d+a$/.test(x.attrs.id ?? ''))).toHaveLength(INJECTIONS.length);
    expect(tags.filter((x) => x.name === 'details')).toHaveLength(INJECTIONS.length);
    const text = textOf(html);
    expect(text).toContain('<script>alert("title")</script> Injections');
    expect(text).toContain('Recorded by <img src=x onerror=alert(1)>, 26 Nov 2026, 10:00.');
    // Bad source links stay unlinked; the odd one with quotes is a link with its quotes escaped.
    expect(html).not.toContain('From a');
    expect(html).toContain('<a href="https://example.org/x&quot; onmouseover=&quot;alert(1)" rel="noreferrer noopener">Source (example.org)</a>');
    // Superseded by a decision that does not exist: marked, not linked.
    expect(html).toContain('Superseded by <span class="citation-missing">Decision 102<span class="visually-hidden"> (no such decision)</span></span>');
  });

  it('renders the assessment pack of a hostile case with nothing active in it, and its Markdown plainly', async () => {
    const reply = await t.app.service.run({ place, actor: ANA }, 'assessment all');
    if (reply.kind !== 'assessment' || reply.url === null) throw new Error(reply.summary);
    expect(reply.url).toMatch(/^http:\/\/decisions\.test\/cases\/case-inject\/assessment\?phase=all&token=[A-Za-z0-9_-]{43}$/);
    const res = await t.get(reply.url);
    expect(res.status).toBe(200);
    const { timeline, rest: html } = splitTimeline(await res.text());
    expect(timelineProblems(timeline)).toEqual([]);
    const tags = startTags(html);
    const allowed = (tag: Tag): Tag => ({ ...tag, attrs: Object.fromEntries(Object.entries(tag.attrs).map(([k, v]) => [k, k === 'class' ? v.split(/\s+/).filter((c) => !ASSESSMENT_CLASSES.includes(c)).join(' ') || 'prose' : v])) });
    expect(problems(tags.map(allowed), ASSESSMENT_TAGS)).toEqual([]);
    // Every decision is there, under its points or in the list of those with none, as text.
    const text = textOf(html);
    for (const d of [0, 4, 8]) expect(text).toContain(`Decision ${d}`);
    expect(text).toContain('Proposals, not decisions taken');
    const md = await t.get(reply.url.replace('/assessment?', '/assessment.md?'));
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z0-9-]+-case-assessment\.md"$/);
    const pack = await md.text();
    // The pack's own headings are the only ones at its levels: every decision text is quoted.
    expect(pack.split('\n').filter((l) => /^#{1,2} /.test(l)).every((l) => /^# |^## (\d+\. |Decisions with no point|Proposals|Gaps|Timeline)/.test(l))).toBe(true);
  });

  it('makes the same download as the export, which is plain text whatever it holds', async () => {
    const reply = await t.app.service.run({ place, actor: ANA }, 'export');
    if (reply.kind !== 'export') throw new Error(reply.summary);
    const res = await t.get(reply.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="script-alert-title-script-injections.md"');
    expect(await res.text()).toBe(reply.markdown);
  });
});
