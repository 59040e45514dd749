/**
 * A file from GitHub is checked before anything parses it: its size, its bytes as UTF-8, and
 * how many decisions it holds. What fails is not taken in, and the reason names the size or
 * the line, so a person can find it.
 */
import { readDecisionHeading, readDecisionLine, readHeading } from '../markdown/escape';
import type { RepoFile } from '../ports';

/** The largest file taken in from GitHub; GitHub's contents API gives files up to this size inline. */
export const MAX_GITHUB_FILE_BYTES = 1024 * 1024;
/** More decisions than any team's case holds: a file with more is not a case to merge into one. */
export const MAX_GITHUB_DECISIONS = 5000;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function sizeWords(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The 1-based line of the first byte that is not part of valid UTF-8, or null when all are. */
export function firstInvalidUtf8Line(bytes: Uint8Array): number | null {
  let line = 1;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number;
    if (b === 0x0a) line += 1;
    let extra: number;
    let min: number;
    if (b < 0x80) { i += 1; continue; }
    if (b >= 0xc2 && b <= 0xdf) { extra = 1; min = 0x80; } else if (b >= 0xe0 && b <= 0xef) { extra = 2; min = 0x800; } else if (b >= 0xf0 && b <= 0xf4) { extra = 3; min = 0x10000; } else return line;
    let cp = b & (0x3f >> extra);
    for (let k = 1; k <= extra; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return line;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return line;
    i += extra + 1;
  }
  return null;
}

/** The line of the first decision past MAX_GITHUB_DECISIONS, or null when there are no more than that. */
function tooManyDecisions(text: string): number | null {
  let count = 0;
  let line = 0;
  for (const raw of text.split('\n')) {
    line += 1;
    const heading = readHeading(raw.trimEnd());
    if (readDecisionLine(raw) !== null || (heading !== null && readDecisionHeading(heading.text) !== null)) {
      count += 1;
      if (count > MAX_GITHUB_DECISIONS) return line;
    }
  }
  return null;
}

/** The file's text, or why it is not taken in ("it is 130.0 MB (at most 1 MB)"). */
export function incomingText(file: RepoFile): { text: string } | { problem: string } {
  if (file.bytes === null || file.size > MAX_GITHUB_FILE_BYTES || file.bytes.length > MAX_GITHUB_FILE_BYTES) {
    return { problem: `it is ${sizeWords(Math.max(file.size, file.bytes?.length ?? 0))} (at most 1 MB)` };
  }
  let text: string;
  try {
    text = UTF8.decode(file.bytes);
  } catch {
    return { problem: `it is not valid UTF-8 text (line ${firstInvalidUtf8Line(file.bytes) ?? '?'})` };
  }
  const past = tooManyDecisions(text);
  if (past !== null) return { problem: `it holds more than ${MAX_GITHUB_DECISIONS.toLocaleString('en-GB')} decisions (line ${past} is one too many)` };
  return { text };
}

const LENIENT = new TextDecoder('utf-8', { ignoreBOM: true });

/** Whether a file's bytes are exactly `content` (text that is not UTF-8 never is). */
export function holds(file: RepoFile | null | undefined, content: string): boolean {
  const bytes = file?.bytes;
  if (!bytes || bytes.length < content.length || bytes.length > content.length * 3) return false;
  if (LENIENT.decode(bytes) !== content) return false;
  // Invalid bytes decode as U+FFFD too: only a case that says U+FFFD needs its bytes compared.
  if (!content.includes('\uFFFD')) return true;
  const mine = new TextEncoder().encode(content);
  return mine.length === bytes.length && mine.every((b, i) => b === bytes[i]);
}
