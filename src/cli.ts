/**
 * The `decisions` command: serve, console, import, export (and the operators' tools).
 * Cases made here live on platform `console`, channel = the case name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import type { Config } from './config';
import { openNamedStore, openStore, sqliteFile } from './store';
import type { Store } from './store/store';
import { StoreConflict, StoreUnavailable } from './core/ports';
import { copyStore, describeCounts, totalCounts } from './store/copy';
import { isMongoUri, redactUri } from './store/uri';
import { createCaseService } from './core/service';
import { ImportRefused } from './core/import';
import { MarkdownFormatError, renderCaseMarkdown } from './core/markdown';
import { CONSOLE_ACTOR, consolePlace, runConsole } from '../adapters/console';
import { systemClock } from './app';
import { caseServiceFor } from './case-service';
import { createLogger } from './logger';
import { readCaseFiles, type LeftOut } from './cli/case-files';
import { Refused, UsageError } from './cli/errors';
import { caseAt, exportToDir, importInto } from './cli/import-export';
import { importAndAnnounce } from './cli/announce';
import { parsePlace } from './cli/places';
import { listCases } from './cli/cases';
import { closestCommandIn } from './core/grammar';
import { timeOrderedId } from './ids';
import { assessmentOf } from './core/assessment';
import { renderAssessmentMarkdown } from './core/assessment-markdown';

const USAGE = `Usage: decisions <command> [options]

Commands:
  serve                                  Run the bot: Slack, Teams and the web pages on PORT (default 3000).
  console [--case <name>]                A terminal chat with the same commands as /decision.
  import <file>... | <folder> [--case <name> | --into <place>] [--replace] [--strict]
                                         Read a Markdown business case (or the case and its key decisions, kept
                                         in two files, in any layout), or a folder of ADRs (every .md in it, one
                                         decision each), into a case. A place is slack:<team id>/<channel id> or
                                         teams:<tenant id>/<conversation id>, which is told of the import (as
                                         \`tick\` posts); --replace replaces a case already there;
                                         --strict refuses a file with anything it cannot place.
  export [--case <name> | --from <place>] [--out <file> | --out-dir <dir> [--force]]
                                         Write a case as Markdown (to stdout by default); --out-dir writes its
                                         file(s) under their own names (an ADR folder's under their paths), never
                                         over an existing file unless --force.
  assessment [--case <name> | --from <place>] [--phase <phase>] [--out <file> [--force]]
                                         Write the service assessment pack of a phase (the current one by default;
                                         --phase all for the whole case) as Markdown, to stdout or --out, never
                                         over an existing file unless --force.
  copy --to <store> [--from <store>] [--replace]
                                         Copy every case, Slack installation and Teams reference into another
                                         store. A store is sqlite:<path> or a mongodb:// URI; --from defaults to
                                         the configured one. Cases already there are left alone (--replace
                                         overwrites those that differ); running it twice changes nothing.
  cases                                  List every case: its place (as --into and --from take it, or
                                         --case <name> for a console case), its decisions and its title.
  tick [--now <ISO time>]                Send the digests and retro prompts due now (or at --now), once, and
                                         print what was sent. For cron; \`serve\` ticks every minute itself.
  help                                   This help.

Cases made from the command line are named with --case (default "default").
Configuration comes from the environment: DATA_DIR (default ./data), PORT, LOG_LEVEL, …; see README.md.`;

/** The commands `main` runs, for suggesting the nearest to a typo. */
const CLI_COMMANDS = ['serve', 'console', 'import', 'export', 'assessment', 'cases', 'copy', 'tick', 'help'];

async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const { store } = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function caseName(value: string | undefined): string {
  const name = value ?? 'default';
  if (!/^[\w.-]{1,80}$/.test(name)) throw new UsageError(`--case must be a simple name (letters, digits, dot, dash, underscore), got "${name}".`);
  return name;
}

async function importCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, into: { type: 'string' }, replace: { type: 'boolean', default: false }, strict: { type: 'boolean', default: false } } });
  if (positionals.length < 1) throw new UsageError('import needs a Markdown file, two (the case and its key decisions), or a folder of ADRs: decisions import <file>... | <folder> [--case <name> | --into <place>] [--replace] [--strict]');
  if (values.case !== undefined && values.into !== undefined) throw new UsageError('import takes --case or --into, not both.');
  const place = values.into !== undefined ? parsePlace(values.into, '--into') : consolePlace(caseName(values.case));
  const left: LeftOut[] = [];
  const files = readCaseFiles(positionals, left);
  for (const l of left) process.stderr.write(`Left out: ${l.path}: ${l.why}.\n`);
  const request = { files, place, actor: CONSOLE_ACTOR, replace: values.replace ?? false, strict: values.strict ?? false };
  const out = { stdout: process.stdout, stderr: process.stderr };
  if (place.platform === 'console') {
    await withStore(config, (store) => importInto(createCaseService({ store, clock: systemClock, newId: timeOrderedId }), request, out));
    return 0;
  }
  // Into a channel or conversation: the people there are told, as the Slack import form tells them.
  await importAndAnnounce(config, request, out);
  return 0;
}

/**
 * Where writing `file` would land: through symlinks (dangling ones too) to the real path,
 * so a link to the database is seen for what it is.
 */
function landingPath(file: string): string {
  let at = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return fs.realpathSync.native(at);
    } catch {
      // Not there (yet): a dangling symlink, or a new file.
    }
    let target: string;
    try {
      target = fs.readlinkSync(at);
    } catch {
      break;
    }
    at = path.resolve(path.dirname(at), target);
  }
  try {
    return path.join(fs.realpathSync.native(path.dirname(at)), path.basename(at));
  } catch {
    return at;
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** The SQLite database in DATA_DIR and the files SQLite keeps beside it, as named and as resolved. */
function storeFiles(config: Config): string[] {
  const db = sqliteFile(config.dataDir);
  return [...new Set([path.resolve(db), landingPath(db)])].flatMap((f) => [f, `${f}-wal`, `${f}-shm`, `${f}-journal`]);
}

/**
 * Checks `--out` before anything is read: never one of the store's files (by path, through
 * symlinks, or by inode for a hard link), even with --force; an existing file only with
 * --force; never a directory.
 */
function checkOut(out: string, force: boolean, config: Config): void {
  const target = landingPath(out);
  const targetStat = statOrNull(target);
  const sameFile = (f: string): boolean => {
    if (f === target) return true;
    const s = targetStat ? statOrNull(f) : null;
    return s !== null && targetStat !== null && s.dev === targetStat.dev && s.ino === targetStat.ino;
  };
  const hit = storeFiles(config).find(sameFile);
  if (hit) throw new Refused(`${out} is the bot's own database file (${hit}); export never writes over it, even with --force. Choose another file.`);
  if (targetStat?.isDirectory()) throw new Refused(`${out} is a directory; give --out a file name.`);
  // lstat: a dangling symlink is something there too.
  if (!force && fs.lstatSync(path.resolve(out), { throwIfNoEntry: false }) !== undefined) {
    throw new Refused(`${out} already exists; nothing written. Add --force to write over it.`);
  }
}

function writeOut(out: string, markdown: string, force: boolean): void {
  try {
    // "wx" fails if the file appeared since the check, rather than write over it.
    fs.writeFileSync(path.resolve(out), markdown, { flag: force ? 'w' : 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Refused(`${out} already exists; nothing written. Add --force to write over it.`);
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? 'unknown error';
    throw new Refused(`Cannot write ${out}: ${why}; nothing written.`);
  }
}

async function exportCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, from: { type: 'string' }, out: { type: 'string' }, 'out-dir': { type: 'string' }, force: { type: 'boolean', default: false } } });
  if (positionals.length > 0) throw new UsageError('export takes no file name; use --out <file> or --out-dir <dir>.');
  if (values.case !== undefined && values.from !== undefined) throw new UsageError('export takes --case or --from, not both.');
  if (values.out !== undefined && values['out-dir'] !== undefined) throw new UsageError('export takes --out or --out-dir, not both.');
  const place = values.from !== undefined ? parsePlace(values.from, '--from') : consolePlace(caseName(values.case));
  const force = values.force ?? false;
  if (values.out !== undefined) checkOut(values.out, force, config);
  const snap = await withStore(config, (store) => caseAt(store, place));
  if (values['out-dir'] !== undefined) {
    const db = path.resolve(sqliteFile(config.dataDir));
    exportToDir(snap, values['out-dir'], { force: values.force ?? false, protect: [db, `${db}-wal`, `${db}-shm`, `${db}-journal`] }, process.stderr);
    return 0;
  }
  const markdown = renderCaseMarkdown(snap);
  if (values.out !== undefined) {
    writeOut(values.out, markdown, force);
    process.stderr.write(`Wrote ${values.out}\n`);
  } else {
    process.stdout.write(markdown);
  }
  return 0;
}

async function assessmentCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, from: { type: 'string' }, phase: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } } });
  if (positionals.length > 0) throw new UsageError('assessment takes no file name; use --out <file>, and --phase <phase> for a phase other than the current one.');
  if (values.case !== undefined && values.from !== undefined) throw new UsageError('assessment takes --case or --from, not both.');
  if (values.phase !== undefined && (values.phase.trim() === '' || values.phase.length > 100)) throw new UsageError('--phase needs a phase: alpha, beta, live, discovery, the name a phase was given, or all.');
  const place = values.from !== undefined ? parsePlace(values.from, '--from') : consolePlace(caseName(values.case));
  const force = values.force ?? false;
  if (values.out !== undefined) checkOut(values.out, force, config);
  const snap = await withStore(config, (store) => caseAt(store, place));
  const view = assessmentOf(snap, values.phase ?? null, systemClock.now());
  if ('problem' in view) throw new Refused(`${view.problem.replace(/`([^`]*)`/g, '"$1"')} Nothing written.`);
  const markdown = renderAssessmentMarkdown(view);
  if (values.out !== undefined) {
    writeOut(values.out, markdown, force);
    process.stderr.write(`Wrote ${values.out}: ${view.summary}\n`);
  } else {
    process.stdout.write(markdown);
  }
  return 0;
}

async function consoleCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { case: { type: 'string' } } });
  const name = caseName(values.case);
  await withStore(config, async (store) => {
    // As in chat: share links and publishing when configured.
    const { service, close } = caseServiceFor(config, store, createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', process.stderr), { clock: systemClock, newId: timeOrderedId });
    try {
      await runConsole({ service, caseName: name, input: process.stdin, output: process.stdout, prompt: process.stdin.isTTY === true });
    } finally {
      await close();
    }
  });
  return 0;
}

async function casesCommand(config: Config, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 0) throw new UsageError('cases takes no words: decisions cases');
  await withStore(config, (store) => listCases(store, process.stdout));
  return 0;
}

async function tickCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { now: { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError('tick takes no words; use --now <ISO time>, such as --now 2026-11-30T09:01:00Z.');
  let now = systemClock.now();
  if (values.now !== undefined) {
    const t = Date.parse(values.now);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(values.now) || Number.isNaN(t)) {
      throw new UsageError(`--now must be an ISO time such as 2026-11-30T09:01:00Z (got "${values.now.slice(0, 40)}").`);
    }
    now = new Date(t);
  }
  const { runTick } = await import('./tick');
  await runTick(config, now);
  return 0;
}

/** A store name from the command line, checked, with a SQLite path made absolute. */
function storeName(value: string, option: string, mustExist: boolean): string {
  if (isMongoUri(value)) return value;
  if (!value.startsWith('sqlite:') || value.length === 'sqlite:'.length) {
    throw new UsageError(`${option} must be sqlite:<path> or a mongodb:// URI, got "${redactUri(value).slice(0, 80)}".`);
  }
  const file = path.resolve(value.slice('sqlite:'.length));
  if (mustExist && !fs.existsSync(file)) throw new UsageError(`${option}: there is no SQLite file at ${file}.`);
  return `sqlite:${file}`;
}

async function copyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean', default: false } } });
  if (positionals.length > 0 || !values.to) throw new UsageError('copy needs a destination: decisions copy --to <store> [--from <store>] [--replace], where a store is sqlite:<path> or a mongodb:// URI.');
  const to = storeName(values.to, '--to', false);
  let fromValue = values.from;
  if (fromValue === undefined) {
    const config = loadConfig();
    fromValue = config.mongodbUri ?? `sqlite:${sqliteFile(config.dataDir)}`;
  }
  const from = storeName(fromValue, '--from', true);
  if (from === to) throw new UsageError('--from and --to are the same store.');

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Copying from ${redactUri(from)} to ${redactUri(to)}`);
  const source = await openNamedStore(from);
  try {
    const destination = await openNamedStore(to);
    try {
      const report = await copyStore(source, destination, { replace: values.replace ?? false });
      out(`Cases: ${describeCounts(report.cases)}`);
      out(`Slack installations: ${describeCounts(report.installations)}`);
      out(`Teams conversation references: ${describeCounts(report.references)}`);
      for (const d of report.differences) out(`Left as it is: ${d} (--replace overwrites it)`);
      for (const f of report.failures) process.stderr.write(`Not copied: ${f}\n`);
      out(`Total: ${describeCounts(totalCounts(report))}.`);
      return report.failures.length > 0 ? 1 : 0;
    } finally {
      await destination.close();
    }
  } finally {
    await source.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve': {
        const { serve } = await import('./main');
        return await serve();
      }
      case 'console': return await consoleCommand(loadConfig(), args);
      case 'import': return await importCommand(loadConfig(), args);
      case 'export': return await exportCommand(loadConfig(), args);
      case 'assessment': return await assessmentCommand(loadConfig(), args);
      case 'tick': return await tickCommand(loadConfig(), args);
      case 'cases': return await casesCommand(loadConfig(), args);
      case 'copy': return await copyCommand(args);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default: {
        const near = closestCommandIn(command, CLI_COMMANDS);
        throw new UsageError(`Unknown command "${command}".${near ? ` Did you mean "decisions ${near}"?` : ''} Run "decisions help" for the list.`);
      }
    }
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof MarkdownFormatError || err instanceof ImportRefused || err instanceof Refused || err instanceof StoreConflict || err instanceof StoreUnavailable) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    if (err instanceof Error && 'code' in err && (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
