/**
 * A file offered for import, from its bytes to its text: what the Slack form fetched and
 * what the command line read. Refuses, in plain words and before anything is parsed, what
 * cannot be a business case in Markdown: too big, binary, not UTF-8, empty.
 */
import { ImportRefused } from './import';

/** No business case in Markdown comes near this; it bounds what one import holds in memory. */
export const MAX_IMPORT_FILE_BYTES = 1024 * 1024;

/** Files people mistake for a case, by their first bytes. */
const KNOWN_BINARIES: ReadonlyArray<{ magic: number[]; what: string }> = [
  { magic: [...'SQLite format 3'].map((c) => c.charCodeAt(0)).concat(0), what: 'a SQLite database' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (a Word or Excel file is one)' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Word or Excel file' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0xff, 0xfe], what: 'UTF-16 text (save it as UTF-8)' },
  { magic: [0xfe, 0xff], what: 'UTF-16 text (save it as UTF-8)' },
];

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Refuses a file of `size` bytes before it is read, when it is bigger than any case. */
export function checkFileSize(name: string, size: number): void {
  if (size > MAX_IMPORT_FILE_BYTES) throw tooLarge(name, megabytes(size));
}

/** Refuses a file whose size was not known before reading and that turned out bigger than any case (reading stopped there). */
export function tooLargeToRead(name: string): ImportRefused {
  return tooLarge(name, `more than ${megabytes(MAX_IMPORT_FILE_BYTES)}`);
}

function tooLarge(name: string, size: string): ImportRefused {
  return new ImportRefused(`${name} is ${size}; a business case in Markdown is far smaller (at most ${megabytes(MAX_IMPORT_FILE_BYTES)}). Nothing imported.`);
}

/**
 * The text of a file offered for import, or ImportRefused saying what the file is instead.
 * A byte order mark and CRLF line ends are kept: the importer gives them back on export.
 */
export function documentText(bytes: Uint8Array, name: string): string {
  if (bytes.length > MAX_IMPORT_FILE_BYTES) throw tooLargeToRead(name);
  const refuse = (what: string) => new ImportRefused(`${name} is ${what}, not a business case in Markdown. Nothing imported.`);
  const known = KNOWN_BINARIES.find((b) => b.magic.length <= bytes.length && b.magic.every((byte, i) => bytes[i] === byte));
  if (known) throw refuse(known.what);
  if (bytes.includes(0)) throw refuse('a binary file (it has NUL bytes)');
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new ImportRefused(`${name} is not UTF-8 text (it is binary, or in another encoding such as Latin-1), so it is not a business case in Markdown. Nothing imported.`);
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new ImportRefused(`${name} is empty. Nothing imported.`);
  return text;
}
