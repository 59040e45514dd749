/**
 * A case's files on disk: reading the one or two files of an import, and writing a case
 * back as its files into a directory (`export --out-dir`), never over an existing file
 * unless --force and never over the bot's own database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkFileSize, documentText } from '../core/document-file';
import type { ImportFile } from '../core/import';
import { safeFileName } from '../core/commands/import-case';
import type { CaseFile } from '../core/markdown';
import { Refused, UsageError } from './errors';

/** The names and texts of the files to import, each kept under its own name; refuses what is not a case. */
export function readCaseFiles(files: readonly string[]): ImportFile[] {
  return files.map((file) => {
    const at = path.resolve(file);
    const stat = fs.statSync(at, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`Cannot read ${file}: no such file, or not readable.`);
    if (stat.isDirectory()) throw new UsageError(`Cannot read ${file}: it is a directory.`);
    if (!stat.isFile()) throw new UsageError(`Cannot read ${file}: it is not a regular file.`);
    // Before reading: a disk image offered by mistake must not fill the memory.
    checkFileSize(path.basename(file), stat.size);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(at);
    } catch {
      throw new UsageError(`Cannot read ${file}: no such file, or not readable.`);
    }
    const name = path.basename(file);
    return { name, markdown: documentText(bytes, name) };
  });
}

function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  const sa = fs.statSync(a, { throwIfNoEntry: false });
  const sb = fs.statSync(b, { throwIfNoEntry: false });
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Writes each file into `dir` (made if missing) under its own name, or writes nothing:
 * every target is checked before the first is written. `protect`: files never written over.
 */
export function writeCaseFiles(dir: string, files: readonly CaseFile[], options: { force: boolean; protect: readonly string[] }): string[] {
  const root = path.resolve(dir);
  const existing = fs.statSync(root, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new Refused(`${dir} is a file, not a directory; nothing written. Give --out-dir a directory.`);
  // Names come from the imported files: only their last part counts, so none can leave `dir`.
  const targets = files.map((f) => ({ ...f, at: path.join(root, safeFileName(f.name)) }));
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.at)) throw new Refused(`The case's two files are both called ${path.basename(t.at)}; nothing written.`);
    names.add(t.at);
    const hit = options.protect.find((p) => sameFile(p, t.at));
    if (hit) throw new Refused(`${t.at} is the bot's own database file; export never writes over it, even with --force. Choose another directory.`);
    const there = fs.lstatSync(t.at, { throwIfNoEntry: false });
    if (there?.isDirectory()) throw new Refused(`${t.at} is a directory; nothing written.`);
    if (there && !options.force) throw new Refused(`${t.at} already exists; nothing written. Add --force to write over it.`);
  }
  fs.mkdirSync(root, { recursive: true });
  for (const t of targets) {
    try {
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
