/**
 * The case as Slack canvas Markdown, from the document view the case page is made from: its
 * sections, its sprints under their phases, and each decision with its status, points of the
 * Service Standard and evidence.
 *
 * Nothing a person typed reaches the canvas as written: every piece of user Markdown is read
 * with markdown-it (raw HTML off) and written out again in the few forms a canvas knows
 * (paragraphs, lists, quotes, code, tables, bold, italics, strikethrough, web links), its text
 * escaped. So user text cannot make a heading, a list or a link the bot did not write, and
 * cannot mention anyone: Slack's `<!channel>`, `<@U…>`, `<#C…>`, a canvas mention
 * `![](@U…)` and a bare `@here` all arrive as inert text. Headings a person wrote become
 * bold lines, so the canvas's outline is the case's. A case too big for a canvas (Slack takes
 * at most 1 MiB) is cut before a section, phase, sprint or decision, and says where the rest is.
 */
import type MarkdownIt from 'markdown-it';
import { escapeUserText, joinNames } from '../markdown';
import type { CaseDocumentView, DocumentDecisionView, DocumentEvidenceView, DocumentPhaseView, DocumentSectionView } from '../document-view';
import type { PointView } from '../views';
import { isWebUrl } from '../markdown/inline';

/** Slack's limit on a canvas's Markdown: 1 MiB. Counted here in UTF-8 bytes, never fewer than Slack's characters. */
export const CANVAS_MAX_BYTES = 1_048_576;

/** The canvas's first line: who keeps it, and how to change the case. */
export const KEPT_BY_LINE = '_This canvas is kept by Decisions from the channel\'s business case, and rewritten after every change: edits made here do not last. To change the case, use `/decision` in the channel (`/decision help` lists how)._';

export interface CanvasLinks {
  /** The case page (its share link): each decision links to its anchor there. Null when sharing is not set up. */
  page: string | null;
}

export interface CanvasDocument {
  /** The canvas's title: the case's, as plain words. */
  title: string;
  markdown: string;
  /** True when the case did not fit and the canvas says where the rest is. */
  cut: boolean;
}

let md: MarkdownIt.MarkdownIt | null = null;
/** Loaded with the first canvas made: a bot that keeps none does not hold it. */
function parser(): MarkdownIt.MarkdownIt {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  md ??= new (require('markdown-it') as typeof MarkdownIt)({ html: false, linkify: false, typographer: false });
  // Every link is looked at here, not by markdown-it: only web links are written as links.
  md.validateLink = () => true;
  return md;
}

// ---- escaping ---------------------------------------------------------------------------

/** Invisible, and it breaks up every form Slack reads as a mention. */
const JOINER = '\u2060';

/** Slack's mention forms, and a bare @name: each gets an invisible break, so none is read as one. */
function defuse(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/<(?=[!@#])/g, `<${JOINER}`)
    .replace(/@(?=[\p{L}\p{N}_])/gu, `@${JOINER}`)
    .replace(/!(?=\[)/g, `!${JOINER}`);
}

/** Text as text: Markdown's punctuation escaped, mentions defused. */
export function escapeCanvasText(text: string): string {
  return defuse(text).replace(/[\\`*_[\]<>!~|#&]/g, (c) => `\\${c}`);
}

/** What a line must not start with unescaped: a list marker, a numbered item, a setext underline, a quote. */
function escapeLineStart(line: string): string {
  return line
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A code span or block's text: kept as written, but no mention survives in it. */
const defuseCode = (text: string): string => defuse(text);

function codeSpan(text: string): string {
  const run = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(run + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${ticks}${pad}${defuseCode(text)}${pad}${ticks}`;
}

/** A link the canvas may show: only http(s), written so its target cannot end early. */
function linkTarget(url: string): string | null {
  if (!isWebUrl(url)) return null;
  return url.replace(/[()<>\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function canvasLink(label: string, url: string): string {
  const target = linkTarget(url);
  return target === null ? label : `[${label}](${target})`;
}

// ---- user Markdown as blocks ------------------------------------------------------------

type Block =
  | { t: 'p'; text: string }
  | { t: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { t: 'quote'; children: Block[] }
  | { t: 'code'; text: string }
  | { t: 'hr' }
  | { t: 'table'; rows: string[][] };

type Token = MarkdownIt.Token;

function inline(tokens: readonly Token[]): string {
  let out = '';
  const links: Array<string | null> = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'text': out += escapeCanvasText(t.content); break;
      case 'code_inline': out += codeSpan(t.content); break;
      case 'softbreak': out += ' '; break;
      case 'hardbreak': out += '  \n'; break;
      case 'strong_open': case 'strong_close': out += '**'; break;
      case 'em_open': case 'em_close': out += '*'; break;
      case 's_open': case 's_close': out += '~~'; break;
      case 'link_open': {
        const target = linkTarget(String(t.attrGet('href') ?? ''));
        links.push(target);
        if (target !== null) out += '[';
        break;
      }
      case 'link_close': {
        const target = links.pop() ?? null;
        if (target !== null) out += `](${target})`;
        break;
      }
      case 'image': {
        // A canvas would show (or unfurl) it: a link to it instead, as the case page does.
        const alt = inline(t.children ?? []).trim();
        const label = alt === '' ? 'Image' : `Image: ${alt}`;
        const target = linkTarget(String(t.attrGet('src') ?? ''));
        out += target === null ? label : `[${label}](${target})`;
        break;
      }
      default:
        // Raw HTML is off, so anything else is text markdown-it kept as it was.
        if (t.content) out += escapeCanvasText(t.content);
    }
  }
  // Empty emphasis ("****") says nothing and can confuse a reader of the Markdown.
  return out.replace(/(?<!\\)\*\*\*\*|(?<!\\)~~~~/g, '');
}

/** A list from its opening token at `i`: its items, each as blocks; null when every item is empty. */
function readList(tokens: readonly Token[], i: number): { block: Block | null; next: number } {
  const t = tokens[i] as Token;
  const ordered = t.type === 'ordered_list_open';
  const start = Number(t.attrGet('start') ?? 1) || 1;
  const closing = ordered ? 'ordered_list_close' : 'bullet_list_close';
  const items: Block[][] = [];
  i += 1;
  while (i < tokens.length && tokens[i]?.type !== closing) {
    if (tokens[i]?.type === 'list_item_open') {
      const item = readBlocks(tokens, i + 1, 'list_item_close');
      // An empty item says nothing, and a bare marker under a line of text would make it a heading.
      if (item.blocks.length > 0) items.push(item.blocks);
      i = item.next;
    } else {
      i += 1;
    }
  }
  return { block: items.length > 0 ? { t: 'list', ordered, start, items } : null, next: i + 1 };
}

/** A table from its opening token at `i`: its rows of cell text. */
function readTable(tokens: readonly Token[], i: number): { block: Block | null; next: number } {
  const rows: string[][] = [];
  let row: string[] | null = null;
  i += 1;
  while (i < tokens.length && tokens[i]?.type !== 'table_close') {
    const c = tokens[i] as Token;
    if (c.type === 'tr_open') row = [];
    else if (c.type === 'tr_close' && row) rows.push(row);
    else if (c.type === 'inline' && row) row.push(inline(c.children ?? []).replace(/\n/g, ' '));
    i += 1;
  }
  return { block: rows.length > 0 ? { t: 'table', rows } : null, next: i + 1 };
}

/** Reads blocks from `tokens[i]` until the token that closes the container (or the end). */
function readBlocks(tokens: readonly Token[], i: number, close: string | null): { blocks: Block[]; next: number } {
  const blocks: Block[] = [];
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (close !== null && t.type === close) return { blocks, next: i + 1 };
    switch (t.type) {
      case 'paragraph_open':
      case 'heading_open': {
        const text = inline(tokens[i + 1]?.children ?? []);
        // A heading a person wrote is a bold line: the canvas's headings are the case's.
        if (text.trim() !== '') blocks.push({ t: 'p', text: t.type === 'heading_open' ? `**${text.trim()}**` : text });
        i += 3;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list = readList(tokens, i);
        if (list.block) blocks.push(list.block);
        i = list.next;
        break;
      }
      case 'blockquote_open': {
        const quote = readBlocks(tokens, i + 1, 'blockquote_close');
        blocks.push({ t: 'quote', children: quote.blocks });
        i = quote.next;
        break;
      }
      case 'fence':
      case 'code_block':
        blocks.push({ t: 'code', text: t.content.replace(/\n$/, '') });
        i += 1;
        break;
      case 'hr':
        blocks.push({ t: 'hr' });
        i += 1;
        break;
      case 'table_open': {
        const table = readTable(tokens, i);
        if (table.block) blocks.push(table.block);
        i = table.next;
        break;
      }
      default:
        // html_block cannot happen (raw HTML is off); anything else unknown is skipped, never copied.
        i += 1;
    }
  }
  return { blocks, next: i };
}

function userBlocks(markdown: string): Block[] {
  if (markdown.trim() === '') return [];
  return readBlocks(parser().parse(markdown, {}), 0, null).blocks;
}

/** One line of user Markdown (a heading's text) as canvas inline text. */
function userInline(markdown: string): string {
  const tokens = parser().parseInline(markdown, {})[0]?.children ?? [];
  return inline(tokens).replace(/\s*\n\s*/g, ' ').trim();
}

// ---- blocks as lines ---------------------------------------------------------------------

function lines(block: Block): string[] {
  switch (block.t) {
    case 'p':
      return block.text.split('\n').map((l, i) => (i === 0 ? escapeLineStart(l) : escapeLineStart(l.trimStart())));
    case 'code': {
      const run = Math.max(2, ...[...block.text.matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(run + 1);
      return [fence, ...defuseCode(block.text).split('\n'), fence];
    }
    case 'hr':
      return ['***'];
    case 'quote':
      return blocksLines(block.children).map((l) => (l === '' ? '>' : `> ${l}`));
    case 'table': {
      const width = Math.max(...block.rows.map((r) => r.length));
      const cell = (c: string | undefined): string => (c ?? '').trim() || ' ';
      const row = (r: string[]): string => `| ${Array.from({ length: width }, (_, k) => cell(r[k])).join(' | ')} |`;
      const [head = [], ...body] = block.rows;
      return [row(head), `|${' --- |'.repeat(width)}`, ...body.map(row)];
    }
    case 'list':
      return block.items.flatMap((item, n) => {
        const marker = block.ordered ? `${block.start + n}. ` : '- ';
        const inner = blocksLines(item);
        const pad = ' '.repeat(marker.length);
        return inner.map((l, k) => (k === 0 ? `${marker}${l}` : l === '' ? '' : `${pad}${l}`));
      });
  }
}

/** Blocks one after another, a blank line between them: nothing one ends with can change what the next begins. */
function blocksLines(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  blocks.forEach((b, i) => {
    if (i > 0) out.push('');
    out.push(...lines(b));
  });
  return out;
}

// ---- the case --------------------------------------------------------------------------

/** Heading levels a canvas has: # is the title, then ## and ###. */
const heading = (level: number, text: string): string => `${level <= 2 ? '##' : '###'} ${text || 'Untitled section'}`;

function decisionUrl(links: CanvasLinks, n: number): string | null {
  return links.page === null ? null : `${links.page}#decision-${n}`;
}

function statusWords(d: DocumentDecisionView['decision']): string | null {
  switch (d.status) {
    case 'proposed': return 'Proposed, to be agreed';
    case 'rejected': return d.statusReason ? `Rejected: ${escapeCanvasText(d.statusReason)}` : 'Rejected';
    case 'withdrawn': return d.statusReason ? `Withdrawn: ${escapeCanvasText(d.statusReason)}` : 'Withdrawn';
    case 'superseded': return d.supersededBy === null ? 'Superseded' : `Superseded by Decision ${d.supersededBy}`;
    case 'active': return null;
  }
}

/** "From a Slack message", as the page says it, linked. */
function sourceLink(url: string | null): string | null {
  if (url === null || !isWebUrl(url)) return null;
  const host = new URL(url).hostname.toLowerCase();
  const from = /(^|\.)slack(-gov)?\.com$/.test(host) ? 'From a Slack message'
    : /(^|\.)teams\.(microsoft|live)\.com$/.test(host) || /(^|\.)teams\.microsoft\.us$/.test(host) ? 'From a Teams message'
      : `Source (${escapeCanvasText(host)})`;
  return canvasLink(from, url);
}

/** "*Service Standard: 1 (Understand users and their needs), 5 (…)*", as the Markdown export writes them; null for none. */
function pointsLine(points: readonly PointView[]): Block | null {
  if (points.length === 0) return null;
  return { t: 'p', text: `*Service Standard: ${points.map((p) => `${p.number} (${escapeCanvasText(p.title)})`).join(', ')}*` };
}

function evidenceItem({ evidence: e, own, imported }: DocumentEvidenceView): Block[] {
  const label = own ? `**Evidence ${escapeCanvasText(e.label)}:**` : `**Evidence ${escapeCanvasText(e.label)}** (given earlier${/^\d+/.test(e.label) ? `, under Decision ${/^\d+/.exec(e.label)?.[0] ?? ''}` : ''}):`;
  const body = userBlocks(escapeUserText(e.text, 'decision'));
  const first = body[0];
  const blocks: Block[] = first?.t === 'p' ? [{ t: 'p', text: `${label} ${first.text}` }, ...body.slice(1)] : [{ t: 'p', text: label }, ...body];
  const points = pointsLine(e.points);
  if (points) blocks.push(points);
  const added = imported ? '' : `*Added by ${escapeCanvasText(e.author.name)}, ${e.when}.*`;
  const from = sourceLink(e.sourceUrl);
  const tail = [added, from ?? ''].filter((x) => x !== '').join(' ');
  if (tail !== '') blocks.push({ t: 'p', text: tail });
  return blocks;
}

function decisionBlocks(block: DocumentDecisionView, links: CanvasLinks): Block[] {
  const d = block.decision;
  const url = decisionUrl(links, d.number);
  const name = url === null ? `Decision ${d.number}` : canvasLink(`Decision ${d.number}`, url);
  const status = statusWords(d);
  const out: Block[] = [{ t: 'p', text: `**${name}**${status === null ? '' : ` — ${status}`}` }];
  out.push(...userBlocks(escapeUserText(d.text, 'decision')));
  // After the text, as the page has them: its points, then who decided and recorded it.
  const points = pointsLine(d.points);
  if (points) out.push(points);
  const meta: string[] = [];
  if (d.deciders.length > 0) meta.push(`Decided by ${escapeCanvasText(joinNames(d.deciders))}.`);
  if (block.replaces.length > 0) meta.push(`Replaces ${block.replaces.map((n) => `Decision ${n}`).join(', ')}.`);
  if (!d.imported) meta.push(`Recorded by ${escapeCanvasText(d.author.name)}, ${d.when}.`);
  const source = sourceLink(d.sourceUrl);
  if (meta.length > 0 || source) out.push({ t: 'p', text: [meta.length > 0 ? `*${meta.join(' ')}*` : '', source ?? ''].filter((x) => x !== '').join(' ') });
  const items = block.evidence.map(evidenceItem);
  if (items.length > 0) out.push({ t: 'list', ordered: false, start: 1, items });
  else if (d.status === 'active' || d.status === 'proposed') out.push({ t: 'p', text: '*No evidence recorded yet.*' });
  return out;
}

function sectionChunk(s: DocumentSectionView): string[] {
  return [heading(s.level, userInline(s.heading)), ...(s.body.trim() === '' ? [] : ['', ...blocksLines(userBlocks(escapeUserText(s.body, 'section')))])];
}

/** The case's title as plain words, for the canvas's own title. */
export function canvasTitle(view: Pick<CaseDocumentView, 'title'>): string {
  if (view.title === null) return 'Business case';
  const tokens = parser().parseInline(view.title, {})[0]?.children ?? [];
  const words = tokens.map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : t.type === 'softbreak' ? ' ' : '')).join('').replace(/\s+/g, ' ').trim();
  return [...defuse(words)].slice(0, 250).join('') || 'Business case';
}

/** The parts of the canvas, in order; each one is kept whole or left out when the case is cut. */
interface Chunk {
  text: string;
  /** What starts here, for the note on what did not fit ("Decision 812", "the Appendix section"). */
  what: string;
}

/** A phase's name on one line: nothing in it can end its heading or start another. */
const oneLine = (name: string): string => name.replace(/\s+/g, ' ').trim();

/**
 * A run of sprints, then each sprint and decision. A phase's run is headed by the phase at
 * the canvas's second level, its sprints under it at the third; sprints before any phase keep
 * the level the case gives them.
 */
function phaseChunks(run: DocumentPhaseView, sprintLevel: number, links: CanvasLinks): Chunk[] {
  const out: Chunk[] = [];
  if (run.phase !== null) out.push({ what: `the ${oneLine(run.phase)} phase`, text: heading(2, escapeCanvasText(oneLine(run.phase)) || 'Phase') });
  const level = run.phase === null ? sprintLevel : 3;
  for (const sprint of run.sprints) {
    out.push({ what: canvasTitle({ title: sprint.heading }), text: [heading(level, userInline(sprint.heading)),
      ...(sprint.intro.trim() === '' ? [] : ['', ...blocksLines(userBlocks(escapeUserText(sprint.intro, 'decision')))]),
      ...(sprint.decisions.length === 0 ? ['', '*No decisions recorded in this sprint.*'] : [])].join('\n') });
    for (const d of sprint.decisions) out.push({ what: `Decision ${d.decision.number}`, text: blocksLines(decisionBlocks(d, links)).join('\n') });
  }
  return out;
}

function chunks(view: CaseDocumentView, links: CanvasLinks): Chunk[] {
  const out: Chunk[] = [];
  const add = (what: string, ls: string[]): void => { out.push({ text: ls.join('\n'), what }); };
  const page = links.page === null ? [] : ['', `Read it whole, with each decision's history, on ${canvasLink('the case page', links.page)}.`];
  add('the start', [KEPT_BY_LINE, ...page, '', `# ${view.title === null ? 'Business case' : userInline(view.title) || 'Business case'}`,
    ...(view.preamble.trim() === '' ? [] : ['', ...blocksLines(userBlocks(escapeUserText(view.preamble, 'section')))])]);
  for (const s of view.before) add(`the ${canvasTitle({ title: s.heading })} section`, sectionChunk(s));
  const part = view.decisions;
  if (part.heading) {
    add('the key decisions', [heading(part.heading.level, userInline(part.heading.text) || 'Key decisions'),
      ...(part.heading.intro.trim() === '' ? [] : ['', ...blocksLines(userBlocks(escapeUserText(part.heading.intro, 'section')))])]);
  }
  for (const run of part.phases) phaseChunks(run, part.sprintLevel, links).forEach((c) => out.push(c));
  for (const s of view.after) add(`the ${canvasTitle({ title: s.heading })} section`, sectionChunk(s));
  return out;
}

function cutNote(what: string, links: CanvasLinks): string {
  const rest = links.page === null
    ? 'type `/decision export` in the channel for the whole case as a file (or ask whoever runs the bot to set up sharing, for a link to its page)'
    : `it is on ${canvasLink('the case page', links.page)}`;
  return `***\n\n*This case is too long for a canvas (Slack takes at most 1 MiB), so it stops here. The rest, from ${escapeCanvasText(what)} on: ${rest}.*`;
}

/** The case as canvas Markdown, within `maxBytes` (Slack's limit unless told). */
export function canvasMarkdown(view: CaseDocumentView, links: CanvasLinks, maxBytes: number = CANVAS_MAX_BYTES): CanvasDocument {
  const title = canvasTitle(view);
  const parts = chunks(view, links);
  const whole = `${parts.map((p) => p.text).join('\n\n')}\n`;
  if (Buffer.byteLength(whole, 'utf8') <= maxBytes) return { title, markdown: whole, cut: false };
  // Room for the longest note this case could need.
  const room = maxBytes - Buffer.byteLength(cutNote('x'.repeat(300), links), 'utf8') - 4;
  const kept: string[] = [];
  let used = 0;
  let next = 0;
  for (; next < parts.length; next += 1) {
    const size = Buffer.byteLength((parts[next] as Chunk).text, 'utf8') + 2;
    if (used + size > room) break;
    kept.push((parts[next] as Chunk).text);
    used += size;
  }
  const what = parts[next]?.what ?? 'the end';
  return { title, markdown: `${[...kept, cutNote([...what].slice(0, 300).join(''), links)].join('\n\n')}\n`, cut: true };
}
