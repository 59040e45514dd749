/** Turns a Markdown business case into a whole case, ready for the Store. */
import type { Actor, CaseSnapshot, Place } from './model';
import { newCase } from './cases';
import { parseCaseMarkdown, type ParsedCase } from './markdown';
import { localDate } from './sprints';

export const IMPORTER: Actor = { id: 'import', name: 'Imported' };

/** Where the imported case goes, and its ids and time. */
export interface ImportTarget {
  id: string;
  place: Place;
  now: Date;
  newId: () => string;
}

/** A file offered for import that is not a business case in Markdown; nothing was imported. */
export class NotACaseDocument extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotACaseDocument';
  }
}

/** Files people mistake for a case, by their first bytes. */
const KNOWN_BINARIES: ReadonlyArray<{ magic: number[]; what: string }> = [
  { magic: [...'SQLite format 3'].map((c) => c.charCodeAt(0)).concat(0), what: 'a SQLite database' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (a Word or Excel file is one)' },
  { magic: [0xff, 0xfe], what: 'UTF-16 text (save it as UTF-8)' },
  { magic: [0xfe, 0xff], what: 'UTF-16 text (save it as UTF-8)' },
];

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a file offered for import, or NotACaseDocument naming what the file is
 * instead (`name` as the user gave it). A byte order mark and CRLF line ends are kept as
 * they are; the parser deals with them.
 */
function caseDocumentText(bytes: Uint8Array, name: string): string {
  const refuse = (what: string) => new NotACaseDocument(`${name} is ${what}, not a business case in Markdown; nothing imported.`);
  const known = KNOWN_BINARIES.find((b) => b.magic.length <= bytes.length && b.magic.every((byte, i) => bytes[i] === byte));
  if (known) throw refuse(known.what);
  if (bytes.includes(0)) throw refuse('a binary file (it has NUL bytes)');
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new NotACaseDocument(`${name} is not UTF-8 text (it is binary, or in another encoding such as Latin-1), so it is not a business case in Markdown; nothing imported.`);
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new NotACaseDocument(`${name} is empty; nothing imported.`);
  return text;
}

/**
 * A whole case from a file's bytes: refuses (NotACaseDocument) anything that is not UTF-8
 * Markdown text with a heading, and a malformed document (MarkdownFormatError, with its line).
 */
export function caseFromFile(bytes: Uint8Array, name: string, input: ImportTarget): CaseSnapshot {
  const parsed = parseCaseMarkdown(caseDocumentText(bytes, name));
  const headed = parsed.title !== null || parsed.layout.sections.length > 0 || parsed.sprints.length > 0 || parsed.layout.decisionsHeading !== null;
  if (!headed) throw new NotACaseDocument(`${name} has no Markdown heading (a line such as "# Business case" or "## Sprint 1"), so it is not a business case; nothing imported.`);
  return fromParsed(parsed, input);
}

/**
 * Parses `markdown` (refusing a malformed document with its line number) and builds the
 * case for `place`. The last sprint in the document becomes the current one, from today.
 */
export function caseFromMarkdown(markdown: string, input: ImportTarget): CaseSnapshot {
  return fromParsed(parseCaseMarkdown(markdown), input);
}

function fromParsed(parsed: ParsedCase, input: ImportTarget): CaseSnapshot {
  const now = input.now.toISOString();
  const base = newCase({ id: input.id, place: input.place, now, title: parsed.title });
  const c = { ...base, layout: parsed.layout, template: guessTemplate(parsed.layout.sections.map((s) => s.heading)) };
  const sprints = parsed.sprints.map((s) => ({ ...s }));
  const last = sprints[sprints.length - 1];
  if (last) last.startsOn = localDate(input.now, c.timeZone);
  return {
    case: c,
    sprints,
    decisions: parsed.decisions.map((d) => ({
      ...d, author: IMPORTER, createdAt: now, updatedAt: now, revisions: [],
    })),
    evidence: parsed.evidence.map((e) => ({
      ...e, id: input.newId(), author: IMPORTER, createdAt: now,
    })),
  };
}

/** The five-case template when the document has its Commercial, Financial or Management case. */
function guessTemplate(headings: string[]): 'prototype' | 'five-case' {
  return headings.some((h) => /^(commercial|financial|management) case$/i.test(h.trim())) ? 'five-case' : 'prototype';
}
