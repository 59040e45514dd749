/**
 * User Markdown to safe HTML for the case page: markdown-it with raw HTML off and
 * linkify off, citations such as "(11b, 14a)" turned into links, then sanitize-html
 * with a strict allow-list. Nothing a user writes can become a script, a style, an
 * event handler, a frame, an image fetch or a `javascript:`/`data:` link.
 */
import type MarkdownIt from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';

/*
 * markdown-it and sanitize-html are loaded with the first page rendered: together they are
 * about 11 MB of memory, which a bot that serves no page should not hold.
 */
let loaded: { md: MarkdownIt.MarkdownIt; sanitizeHtml: typeof sanitizeHtml } | null = null;
function libraries(): { md: MarkdownIt.MarkdownIt; sanitizeHtml: typeof sanitizeHtml } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= { md: createMarkdown(require('markdown-it') as typeof MarkdownIt), sanitizeHtml: require('sanitize-html') as typeof sanitizeHtml };
  return loaded;
}

/** Where a citation label ("8", "8a") points: an anchor id on the page, or null when nothing has that label. */
export type CitationResolver = (label: string) => string | null;

export interface MarkdownOptions {
  /** Turns "(3a, 4)" in text into links; absent: citations stay plain text. */
  citations?: CitationResolver;
  /** Headings in the Markdown are shown at this level or deeper (the page's outline sits above them). */
  minHeading?: number;
}

interface PageEnv extends MarkdownIt.Env {
  citations?: CitationResolver;
  minHeading?: number;
}

/**
 * "(3a, 4)", "(12)", "(11b; 11c)": brackets holding only labels of one to three digits and
 * optional lower-case letters. The same rule as `findCitations` in src/core/citations.ts,
 * which the digest uses to report broken citations; here it runs on markdown-it's text,
 * so link targets and code are already left out.
 */
export const CITATION_GROUP = /\(\s*\d{1,3}[a-z]*\s*(?:[,;]\s*\d{1,3}[a-z]*\s*)*\)/g;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const LINK_SCHEMES = ['http', 'https', 'mailto'];

/** Links with no scheme (fragments, relative paths) or an allowed one; everything else stays text. */
function isSafeLink(url: string): boolean {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
  return scheme === null || LINK_SCHEMES.includes(scheme[1].toLowerCase());
}

/** True for a URL the page may link to from outside the Markdown (source links). */
export function isWebUrl(url: string | null): url is string {
  if (url === null) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function createMarkdown(MarkdownItClass: typeof MarkdownIt): MarkdownIt.MarkdownIt {
  const md = new MarkdownItClass({ html: false, linkify: false, typographer: false, breaks: false });
  md.validateLink = isSafeLink;

  md.core.ruler.push('page_citations', (state) => {
    const env = state.env as PageEnv;
    if (!env.citations) return;
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      const out: MarkdownIt.Token[] = [];
      let inLink = 0;
      for (const t of block.children) {
        if (t.type === 'link_open') inLink++;
        else if (t.type === 'link_close') inLink--;
        if (t.type !== 'text' || inLink > 0) {
          out.push(t);
          continue;
        }
        let last = 0;
        for (const m of t.content.matchAll(CITATION_GROUP)) {
          const at = m.index ?? 0;
          if (at > last) out.push(textToken(state, t.content.slice(last, at)));
          const c = new state.Token('page_citation', '', 0);
          c.content = m[0];
          out.push(c);
          last = at + m[0].length;
        }
        if (last === 0) out.push(t);
        else if (last < t.content.length) out.push(textToken(state, t.content.slice(last)));
      }
      block.children = out;
    }
  });

  md.core.ruler.push('page_headings', (state) => {
    const min = (state.env as PageEnv).minHeading;
    if (min === undefined) return;
    for (const t of state.tokens) {
      if (t.type !== 'heading_open' && t.type !== 'heading_close') continue;
      const level = Number(t.tag.slice(1));
      t.tag = `h${Math.min(6, Math.max(level, min))}`;
    }
  });

  md.renderer.rules.page_citation = (tokens, idx, _options, env) => {
    // Each label becomes a link; the brackets and separators stay as the author wrote them.
    const resolve = (env as PageEnv).citations;
    return tokens[idx].content.split(/(\d{1,3}[a-z]*)/).map((part, i) =>
      (i % 2 === 1 ? citationHtml(part, resolve ? resolve(part) : null) : escapeHtml(part))).join('');
  };

  // An image would fetch from anywhere (and the page's policy blocks it anyway): show a link to it instead.
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    const src = String(t.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(t.children ?? [], options, env).trim();
    const label = escapeHtml(alt === '' ? 'Image' : `Image: ${alt}`);
    return /^https?:\/\//i.test(src) ? `<a href="${escapeHtml(src)}">${label}</a>` : label;
  };
  return md;
}

function textToken(state: MarkdownIt.StateCore, content: string): MarkdownIt.Token {
  const t = new state.Token('text', '', 0);
  t.content = content;
  return t;
}

function citationHtml(label: string, anchor: string | null): string {
  const kind = /[a-z]$/.test(label) ? 'Evidence' : 'Decision';
  if (anchor !== null) {
    return `<a class="citation" href="#${escapeHtml(anchor)}"><span class="visually-hidden">${kind} </span>${escapeHtml(label)}</a>`;
  }
  return `<span class="citation-missing">${escapeHtml(label)}<span class="visually-hidden"> (no such ${kind.toLowerCase()})</span></span>`;
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'span',
    'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedClasses: { a: ['citation'], span: ['citation-missing', 'visually-hidden'] },
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      // Links out must not carry the page's address (and its share token) with them.
      const kept: sanitizeHtml.Attributes = href.startsWith('#') ? { href } : { href, rel: 'noreferrer noopener' };
      if (href.startsWith('#') && attribs.class) kept.class = attribs.class;
      return { tagName, attribs: kept };
    },
  },
};

/** Sanitises HTML the page builds from Markdown; exported so tests can hit the allow-list directly. */
export function sanitize(html: string): string {
  return libraries().sanitizeHtml(html, SANITIZE);
}

/** A Markdown body (section, decision, evidence) as safe HTML blocks. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  const env: PageEnv = { citations: options.citations, minHeading: options.minHeading ?? 2 };
  return sanitize(libraries().md.render(markdown, env));
}

/** One line of Markdown (a heading's text) as safe inline HTML, without citation links. */
export function renderInlineMarkdown(markdown: string): string {
  return sanitize(libraries().md.renderInline(markdown, {}));
}

/** The words of one line of Markdown, without its markup: for the contents list and the page title. Not escaped. */
export function markdownPlainText(markdown: string): string {
  const tokens = libraries().md.parseInline(markdown, {})[0]?.children ?? [];
  const words = (list: MarkdownIt.Token[]): string =>
    list.map((t) => {
      if (t.type === 'text' || t.type === 'code_inline') return t.content;
      if (t.type === 'softbreak' || t.type === 'hardbreak') return ' ';
      if (t.type === 'image') return words(t.children ?? []);
      return '';
    }).join('');
  return words(tokens).replace(/\s+/g, ' ').trim();
}
