/**
 * Making user text safe for Slack. Slack reads `&`, `<` and `>` as control characters in
 * every text object and in a message's fallback `text`: `<!channel>`, `<@U123>` and
 * `<https://evil|click>` only work when `<` reaches Slack unescaped. Every piece of user
 * text goes through `esc` (or `mrkdwn`, which also turns its Markdown links into Slack
 * links) before it joins a message; the only `<…>` sequences in our output are the ones
 * built here (`mention`, `channelLink`, `link`).
 */
import { inlines, shorten } from '../../../src/core/markdown/inline';
import type { NamedPerson } from '../../../src/core/said';

/** Slack's own limits that the renderers respect. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  contextElementText: 2000,
  contextElements: 10,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  options: 100,
  fallbackText: 3000,
  modalTitle: 24,
  privateMetadata: 3000,
} as const;

/** Escapes `&`, `<`, `>` and breaks the words Slack may turn into @channel/@here/@everyone pings. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // A word joiner after the @ keeps the word readable but never a broadcast.
    .replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');
}

/**
 * User Markdown as Slack mrkdwn: escaped as `esc` does, with its links as Slack links
 * (`<url|label>`, only for http(s) URLs) and its code spans kept. Nothing in it can ping,
 * mention or link anywhere but where the text's own links point.
 */
export function mrkdwn(text: string): string {
  return inlines(text).map((part) => {
    if (part.kind === 'text') return esc(part.text);
    if (part.kind === 'code') return esc(part.raw);
    if (part.label !== part.url) return link(part.url, part.label);
    // A bare URL (or `<url>`) shows itself; as Slack's own `<url>` no cut can break it.
    const safe = safeUrl(part.url);
    return safe === null ? esc(part.raw) : `<${safe}>`;
  }).join('');
}

/**
 * Core's words with people in them (a reply's summary and the people it names): each
 * person as a mention, which Slack draws with their current name; the rest as `mrkdwn`.
 */
export function withPeople(text: string, people: readonly NamedPerson[] = []): string {
  let out = '';
  let at = 0;
  for (const p of [...people].sort((a, b) => a.at - b.at)) {
    const end = p.at + p.actor.name.length;
    if (p.at < at || text.slice(p.at, end) !== p.actor.name) continue;
    out += mrkdwn(text.slice(at, p.at)) + mention(p.actor.id, p.actor.name);
    at = end;
  }
  return out + mrkdwn(text.slice(at));
}

/** User text as a Slack block quote: every line starts with `>`, so nothing breaks out of it. */
export function quote(text: string): string {
  return mrkdwn(text).split('\n').map((line) => `>${line}`).join('\n');
}

const SLACK_ID = /^[A-Z0-9]{2,30}$/;

/** A mention of a Slack user we put there ourselves (the author of an announcement). */
export function mention(userId: string, fallbackName: string): string {
  return SLACK_ID.test(userId) ? `<@${userId}>` : esc(fallbackName);
}

/** A link to a channel by id. */
export function channelLink(channelId: string): string {
  return SLACK_ID.test(channelId) ? `<#${channelId}>` : esc(channelId);
}

/** Only plain http(s) URLs become links; anything else is shown as escaped text. */
export function safeUrl(url: string): string | null {
  if (!/^https?:\/\/[^\s<>|]+$/i.test(url)) return null;
  try {
    new URL(url);
  } catch {
    return null;
  }
  return url.replace(/&/g, '&amp;');
}

/** `<url|label>` for a safe URL; the label is escaped and cannot contain `|` or `>`. */
export function link(url: string, label: string): string {
  const safe = safeUrl(url);
  if (safe === null) return esc(url);
  return `<${safe}|${esc(label).replace(/\|/g, '/')}>`;
}

/** Length in UTF-16 units is what Slack counts; cut on code points so no half-pair is left. */
function chop(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = text.slice(0, max);
  // A lone high surrogate at the end would be a broken character.
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return out;
}

/**
 * Cuts already-escaped mrkdwn to at most `max` characters, never inside an entity (`&amp;`)
 * or one of our `<…>` sequences, ending with `pointer` (which says where the rest is).
 */
export function cut(mrkdwn: string, max: number, pointer: string): string {
  if (mrkdwn.length <= max) return mrkdwn;
  const room = Math.max(0, max - pointer.length - 2);
  let out = chop(mrkdwn, room);
  const amp = out.lastIndexOf('&');
  if (amp >= 0 && !out.slice(amp).includes(';')) out = out.slice(0, amp);
  const lt = out.lastIndexOf('<');
  if (lt >= 0 && !out.slice(lt).includes('>')) out = out.slice(0, lt);
  // End on a whole line when one is close, so no bold or code span is left open.
  const nl = out.lastIndexOf('\n');
  if (nl > room * 0.6) out = out.slice(0, nl);
  return `${out}…${pointer.startsWith('\n') ? '' : ' '}${pointer}`.slice(0, max);
}

/** Escaped text for a plain_text object (headers, options, buttons), cut to `max`. */
export function plain(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const escaped = esc(flat);
  if (escaped.length <= max) return escaped;
  return cut(escaped, max, '');
}

/** The first line of a text, shortened to about `max` characters at a word boundary, never inside a link (raw text, escape it after). */
export function firstLine(text: string, max: number): string {
  return shorten((text.split('\n')[0] ?? '').trim(), max);
}

/**
 * Slack message text (as a message shortcut gives it) to the plain words a person wrote:
 * `<@U1|ana>` → `@ana`, `<https://x|label>` → `label (https://x)`, `&amp;` → `&`.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<([^<>]+)>/g, (_m, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!subteam^')) return label ?? '@group';
      if (target.startsWith('!date^')) return label ?? '';
      if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
