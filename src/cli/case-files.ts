/**
 * A case's files on disk: reading the files (or the folder of ADRs) of an import, and writing
 * a case back as its files into a directory (`export --out-dir`), each under its own path,
 * never over an existing file unless --force, never over the bot's own database, and never
 * outside the directory.
 *
 * A folder is read within bounds, said plainly when reached: Markdown files only (.md,
 * .markdown), at most MAX_IMPORT_FILES of them and MAX_IMPORT_TOTAL_BYTES in all, at most
 * MAX_FOLDER_DEPTH folders deep; hidden folders (.git) and node_modules are not read; a
 * symbolic link is followed only where it stays inside the folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkFileSize, documentText } from '../core/document-file';
import { ImportRefused, MAX_IMPORT_FILES, MAX_IMPORT_TOTAL_BYTES, type ImportFile } from '../core/import';
import { MAX_FOLDER_DEPTH, safeRelativePath } from '../core/commands/import-case';
import type { CaseFile } from '../core/markdown';
import { Refused, UsageError } from './errors';

const MARKDOWN = /\.(?:md|markdown)$/i;

/** What a folder read left out, and why, for the person to see. */
export interface LeftOut {
  path: string;
  why: string;
}

function readOne(at: string, shown: string, name: string, path_?: string): ImportFile {
  const stat = fs.statSync(at, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`Cannot read ${shown}: no such file, or not readable.`);
  if (!stat.isFile()) throw new UsageError(`Cannot read ${shown}: it is not a regular file.`);
  // Before reading: a disk image offered by mistake must not fill the memory.
  checkFileSize(name, stat.size);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(at);
  } catch {
    throw new UsageError(`Cannot read ${shown}: no such file, or not readable.`);
  }
  return { name, markdown: documentText(bytes, name), ...(path_ === undefined ? {} : { path: path_ }) };
}

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(`${root}${path.sep}`);
}

interface Entry {
  /** Where it is read from: the link's target for a link. */
  real: string;
  isDir: boolean;
  isFile: boolean;
}

/** What a folder entry is, following a link only where it stays inside the folder; null (noted in `left`) when it is left out. */
function entryOf(e: fs.Dirent, at: string, relPath: string, root: string, left: LeftOut[]): Entry | null {
  if (!e.isSymbolicLink()) return { real: at, isDir: e.isDirectory(), isFile: e.isFile() };
  let real: string;
  try {
    real = fs.realpathSync.native(at);
  } catch {
    left.push({ path: relPath, why: 'a link to nothing' });
    return null;
  }
  const s = fs.statSync(real, { throwIfNoEntry: false });
  if (!inside(root, real)) {
    if (MARKDOWN.test(e.name) || s?.isDirectory()) left.push({ path: relPath, why: 'a link out of the folder, not followed' });
    return null;
  }
  return { real, isDir: s?.isDirectory() ?? false, isFile: s?.isFile() ?? false };
}

interface Found {
  at: string;
  rel: string;
  size: number;
}

/** Walks `dir` depth first, in name order, pushing each Markdown file to `found`. */
function walkFolder(folder: string, walk: { root: string; seen: Set<string>; found: Found[]; left: LeftOut[] }, dir: string, rel: string, depth: number): void {
  const { root, seen, found, left } = walk;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    left.push({ path: rel || '.', why: 'it cannot be read' });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const at = path.join(dir, e.name);
    const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
    const entry = entryOf(e, at, relPath, root, left);
    if (entry?.isDir) {
      if (depth >= MAX_FOLDER_DEPTH) {
        left.push({ path: relPath, why: `more than ${MAX_FOLDER_DEPTH} folders deep, not read` });
        continue;
      }
      const realDir = fs.realpathSync.native(entry.real);
      if (seen.has(realDir)) continue; // a loop of links
      seen.add(realDir);
      walkFolder(folder, walk, at, relPath, depth + 1);
    } else if (entry?.isFile && MARKDOWN.test(e.name)) {
      if (found.length >= MAX_IMPORT_FILES) {
        throw new Refused(`${folder} holds more than ${MAX_IMPORT_FILES} Markdown files; an import reads at most ${MAX_IMPORT_FILES}. Nothing imported.`);
      }
      found.push({ at: entry.real, rel: relPath, size: fs.statSync(entry.real).size });
    }
  }
}

/** The Markdown files under `folder`, with their paths inside it; what was left out is pushed to `left`. */
function readFolder(folder: string, left: LeftOut[]): ImportFile[] {
  const root = fs.realpathSync.native(path.resolve(folder));
  const found: Found[] = [];
  walkFolder(folder, { root, seen: new Set([root]), found, left }, root, '', 0);
  const total = found.reduce((n, f) => n + f.size, 0);
  if (total > MAX_IMPORT_TOTAL_BYTES) {
    throw new Refused(`The Markdown files in ${folder} come to ${(total / 1024 / 1024).toFixed(1)} MB; an import reads at most ${MAX_IMPORT_TOTAL_BYTES / 1024 / 1024} MB in all. Nothing imported.`);
  }
  if (found.length === 0) throw new UsageError(`${folder} holds no Markdown files (.md or .markdown); nothing to import.`);
  return found.map((f) => readOne(f.at, path.join(folder, f.rel), f.rel, f.rel));
}

/**
 * The names and texts of the files to import: each file given under its own name, each
 * folder's Markdown files under their paths inside it. Refuses what is not a case.
 */
export function readCaseFiles(paths: readonly string[], left: LeftOut[] = []): ImportFile[] {
  const files = paths.flatMap((given) => {
    const at = path.resolve(given);
    const stat = fs.statSync(at, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`Cannot read ${given}: no such file or folder, or not readable.`);
    if (stat.isDirectory()) return readFolder(given, left);
    return [readOne(at, given, path.basename(given))];
  });
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name)) throw new UsageError(`Two of the files given are both called ${f.name}; give each once.`);
    names.add(f.name);
  }
  if (files.length > MAX_IMPORT_FILES) throw new ImportRefused(`That is ${files.length} files; an import reads at most ${MAX_IMPORT_FILES}. Nothing imported.`);
  return files;
}

function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  const sa = fs.statSync(a, { throwIfNoEntry: false });
  const sb = fs.statSync(b, { throwIfNoEntry: false });
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/** The real path of the nearest folder of `at` that exists (links resolved). */
function nearestReal(at: string): string {
  let dir = path.dirname(at);
  for (;;) {
    try {
      return fs.realpathSync.native(dir);
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return dir;
      dir = up;
    }
  }
}

/**
 * Writes each file into `dir` (made if missing) under its own path, or writes nothing:
 * every target is checked before the first is written. `protect`: files never written over.
 */
export function writeCaseFiles(dir: string, files: readonly CaseFile[], options: { force: boolean; protect: readonly string[] }): string[] {
  const root = path.resolve(dir);
  const existing = fs.statSync(root, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new Refused(`${dir} is a file, not a directory; nothing written. Give --out-dir a directory.`);
  // Paths come from the imported files: no part of one can leave `dir` ("..", a leading "/").
  const targets = files.map((f) => ({ ...f, at: path.join(root, ...safeRelativePath(f.name).split('/')) }));
  const rootReal = existing ? fs.realpathSync.native(root) : null;
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.at)) throw new Refused(`Two of the case's files are both called ${path.relative(root, t.at)}; nothing written.`);
    names.add(t.at);
    const hit = options.protect.find((p) => sameFile(p, t.at));
    if (hit) throw new Refused(`${t.at} is the bot's own database file; export never writes over it, even with --force. Choose another directory.`);
    // A folder inside `dir` that is a link elsewhere must not carry a file out of it.
    if (rootReal !== null && !inside(rootReal, nearestReal(t.at))) throw new Refused(`${path.dirname(t.at)} leads out of ${dir} (a link); nothing written.`);
    const there = fs.lstatSync(t.at, { throwIfNoEntry: false });
    if (there?.isDirectory()) throw new Refused(`${t.at} is a directory; nothing written.`);
    if (there?.isSymbolicLink()) throw new Refused(`${t.at} is a link; export does not write through links, even with --force. Nothing written.`);
    if (there && !options.force) throw new Refused(`${t.at} already exists; nothing written. Add --force to write over it.`);
  }
  fs.mkdirSync(root, { recursive: true });
  for (const t of targets) {
    try {
      fs.mkdirSync(path.dirname(t.at), { recursive: true });
      // "wx" fails if the file appeared since the check, rather than write over it.
      fs.writeFileSync(t.at, t.markdown, { flag: options.force ? 'w' : 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new Refused(`${t.at} already exists; not written. Add --force to write over it.`);
      throw new Refused(`Cannot write ${t.at}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? 'unknown error'}.`);
    }
  }
  return targets.map((t) => t.at);
}
