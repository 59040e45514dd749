/**
 * The inline parts of user Markdown that every surface shows its own way: links and code
 * spans. Slack writes a link as `<url|label>`, Teams as a text run that opens the URL, the
 * console as `label (url)`; everything else stays text for each surface to escape. And the
 * one rule for shortening text: at a word boundary, never inside a URL or a code span, a
 * link whose label is cut keeping its URL whole.
 */

export type Inline =
  | { kind: 'text'; text: string }
  /** `[label](url)`, `<url>` or a bare URL; `url` as written. */
  | { kind: 'link'; label: string; url: string; raw: string }
  /** `` `code` ``: `text` without the backticks. */
  | { kind: 'code'; text: string; raw: string };

/**
 * A code span; a Markdown link (its URL may hold one level of brackets, as Wikipedia's
 * do); an autolink; a bare http(s) URL (ending before trailing punctuation).
 */
const INLINE = /(`+)([^`\n]+?)\1|\[([^[\]\n]*)\]\(((?:[^\s()]|\([^\s()]*\))+)\)|<(https?:\/\/[^\s<>]+)>|(https?:\/\/[^\s<>…]*[^\s<>….,;:!?'")\]*_])/gi;

/** Only web links become links; `javascript:` and the like stay text. */
export function isWebUrl(url: string): boolean {
  if (!/^https?:\/\/[^\s<>"|]+$/i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** A text as its parts, in order; adjacent text joined. */
export function inlines(text: string): Inline[] {
  const out: Inline[] = [];
  const pushText = (t: string): void => {
    if (t === '') return;
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    const start = m.index ?? 0;
    pushText(text.slice(at, start));
    at = start + m[0].length;
    if (m[2] !== undefined) {
      out.push({ kind: 'code', text: m[2], raw: m[0] });
      continue;
    }
    const url = m[4] ?? m[5] ?? m[6] ?? '';
    if (!isWebUrl(url)) {
      pushText(m[0]);
      continue;
    }
    out.push({ kind: 'link', label: m[3] !== undefined ? m[3] : url, url, raw: m[0] });
  }
  pushText(text.slice(at));
  return out;
}

/** How long a text looks: a link counts as its label, a code span as its code. */
function shown(part: Inline): number {
  return [...(part.kind === 'link' ? part.label : part.text)].length;
}

/** The first `room` characters of plain text, ended at a word boundary; '' when not one word fits and `mayDrop`. */
function cutWords(text: string, room: number, mayDrop: boolean): string {
  const chars = [...text];
  if (chars.length <= room) return text;
  const piece = chars.slice(0, Math.max(0, room)).join('');
  // Ends where a word ends: the text went on after a space, or the piece stops at one.
  const next = chars[room] ?? '';
  if (/\s/.test(next)) return piece.trimEnd();
  const space = piece.search(/\s\S*$/);
  if (space > 0) return piece.slice(0, space).trimEnd();
  return mayDrop ? '' : piece;
}

const TRAILING = /[\s,;:.\-–—(]+$/;

/**
 * `text` shortened to about `max` characters as it shows (a link by its label): at a word
 * boundary, with an ellipsis; never inside a URL or a code span. A link whose label does
 * not fit keeps its URL, with the label cut; a bare URL that does not fit is left out whole.
 */
export function shorten(text: string, max: number): string {
  const parts = inlines(text);
  if (parts.reduce((n, p) => n + shown(p), 0) <= max) return text;
  let out = '';
  let used = 0;
  const end = (s: string): string => `${s.replace(TRAILING, '')}…`;
  for (const part of parts) {
    const room = max - 1 - used;
    const size = shown(part);
    if (size <= room) {
      out += part.kind === 'text' ? part.text : part.raw;
      used += size;
      continue;
    }
    if (part.kind === 'text') return end(out + cutWords(part.text, room, out !== ''));
    if (part.kind === 'link' && part.label !== part.url && room > 0) {
      const label = cutWords(part.label, room, false).replace(TRAILING, '');
      if (label !== '') return `${out}[${label}…](${part.url})`;
    }
    // A URL or code span is never cut: it goes whole, or not at all (whole when nothing came before).
    return out === '' ? `${part.raw}…` : end(out);
  }
  return out;
}
