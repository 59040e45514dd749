/**
 * An imported document's own spelling, so export gives it back byte for byte.
 *
 * The case keeps what a document means (decisions, evidence, sections) in normal form,
 * as it keeps text typed in chat. Beside that, the import keeps each part of the document
 * as it was written (trailing spaces, which are hard line breaks; runs of blank lines;
 * lines the importer could not place), what followed it up to the next part, the line
 * ends, a BOM and the leading blank lines. Export writes a part as it was written while
 * the part still has the content it had when imported (its normal form's fingerprint
 * matches) and the same part follows it; a part changed since is written in normal form,
 * so no stale text can come back.
 */
import type { SourceForm, SourcePart } from '../model';
import { closeOpenFence } from './escape';
import { normaliseBlock } from './lines';
import { KEYS, type Unit } from './units';

/** Where a part of the document starts: a key of `caseUnits` and a 0-based line index. */
export interface Span {
  key: string;
  line: number;
}

/** A short fingerprint (53-bit FNV-style hash and length) of a part's normal form. */
export function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}.${text.length.toString(36)}`;
}

const BLANK = /^[ \t]*$/;

/** Line ends: CRLF when every line ends so, else LF (a file mixing both is written with LF). */
function lineEnd(body: string): '\n' | '\r\n' {
  return body.includes('\r\n') && !/(^|[^\r])\n/.test(body) && !/\r(?!\n)/.test(body) ? '\r\n' : '\n';
}

/**
 * The document cut at `spans` (in line order) into the parts `units` describe. A span
 * with no unit (nothing the case keeps) stays with the part before it.
 */
export function captureSourceForm(markdown: string, spans: readonly Span[], units: readonly Unit[]): SourceForm {
  const bom = markdown.startsWith('\uFEFF');
  const body = bom ? markdown.slice(1) : markdown;
  const eol = lineEnd(body);
  const text = body.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const endOf = (i: number): number => starts[i] + lines[i].length;
  const normal = new Map(units.map((u) => [u.key, u.text]));

  const parts: SourcePart[] = [];
  let lead = '';
  /** Where the text not yet given to a part starts. */
  let cursor = 0;
  const ordered = [...spans].sort((a, b) => a.line - b.line);
  ordered.forEach((span, k) => {
    const end = k + 1 < ordered.length ? ordered[k + 1].line : lines.length;
    let first = span.line;
    while (first < end && BLANK.test(lines[first])) first += 1;
    let last = end - 1;
    while (last >= first && BLANK.test(lines[last])) last -= 1;
    const unitText = normal.get(span.key);
    if (last < first || unitText === undefined) return; // stays with the part before
    const gap = text.slice(cursor, starts[first]);
    const previous = parts[parts.length - 1];
    if (previous) previous.after += gap;
    else lead += gap;
    parts.push({ key: span.key, normal: fingerprint(unitText), raw: text.slice(starts[first], endOf(last)), after: '' });
    cursor = endOf(last);
  });
  const rest = text.slice(cursor);
  const previous = parts[parts.length - 1];
  if (previous) previous.after += rest;
  else lead += rest;
  return { bom, eol, lead, parts };
}

/**
 * The document: parts a blank line apart and one newline at the end, in normal form;
 * with a source form, each part still as it was imported written as it was.
 */
export function assemble(units: readonly Unit[], source: SourceForm | null | undefined): string {
  const kept = new Map<string, { part: SourcePart; next: string | null; first: boolean }>();
  source?.parts.forEach((part, i) => kept.set(part.key, { part, next: source.parts[i + 1]?.key ?? null, first: i === 0 }));
  let out = '';
  units.forEach((u, i) => {
    const next = units[i + 1]?.key ?? null;
    let written = kept.get(u.key);
    if (written && written.part.normal !== fingerprint(u.text)) written = undefined;
    // A part that leaves a code fence open would swallow the next one: close it, in normal form.
    // (Front matter is YAML, not Markdown: a fence in it is no fence.)
    const markdown = u.key !== KEYS.frontMatter;
    if (written && markdown && next !== null && closeOpenFence(written.part.raw) !== written.part.raw) written = undefined;
    if (i === 0 && written?.first) out += source?.lead ?? '';
    const text = written ? written.part.raw : next === null || !markdown ? u.text : normaliseBlock(closeOpenFence(u.text));
    const after = written && written.next === next ? written.part.after : next === null ? '\n' : '\n\n';
    out += text + after;
  });
  if (units.length === 0 && source) out = source.lead;
  if (source?.eol === '\r\n') out = out.replace(/\n/g, '\r\n');
  return source?.bom ? `\uFEFF${out}` : out;
}
