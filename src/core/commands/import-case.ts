/**
 * Bringing an existing business case into the place a team works (a Slack channel, a Teams
 * conversation, a console case). The files are read into one case (forgiving: what cannot
 * be placed is kept as text, with a warning), shown for a person to check, and replace the
 * place's case only when confirmed against the case version they were shown: importing
 * over a case always asks first, and asks again if the case changed meanwhile.
 *
 * The import is one change like any other, through the same conditional commit: it touches
 * the whole case, and its undo step carries the case as it was, so its author can put that
 * back within the undo window while nobody has changed anything since.
 */
import { fencedLines, readHeading } from '../markdown/escape';
import { splitLines } from '../markdown/lines';
import type { CaseDraft } from '../case-draft';
import { importedWords } from '../digest';
import { documentText } from '../document-file';
import { count, gist, nameList } from '../format';
import { fileLines, importCaseFiles, importSummary, ImportRefused, MAX_IMPORT_FILES, type ImportFile, type ImportReport } from '../import';
import { readFrontMatter } from '../markdown/front-matter';
import { MarkdownFormatError } from '../markdown';
import type { CaseSnapshot, Place } from '../model';
import { localDate } from '../sprints';
import { isEmptySection, writableSections } from '../templates';
import type { CurrentCaseView, ImportPreviewView, Reply } from '../views';
import { join, said } from '../said';
import { error, notice, saying, touch, type CommandContext, type Handlers, type Kit } from './kit';
import { UNDO_WINDOW_MINUTES } from './undo';


const FALLBACK_NAME = 'business-case.md';

/** How deep a folder import reads, and so how deep a path it keeps. */
export const MAX_FOLDER_DEPTH = 8;

const evidenceCount = (n: number): string => count(n, 'piece of evidence', 'pieces of evidence');

/** How the command line names a place: a console case by its name, else platform:workspace/channel. */
export function placeName(place: Place): string {
  return place.platform === 'console' ? place.channel : `${place.platform}:${place.workspace}/${place.channel}`;
}

/**
 * A file's name as export will write it back: its last path part only, no control
 * characters, short. Names come from uploads and command lines; a path in one must never
 * steer where a later export writes.
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const last = (name.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const short = [...last].slice(0, 120).join('');
  return short === '' || /^\.+$/.test(short) ? FALLBACK_NAME : short;
}

/**
 * A path inside an imported folder as export will write it back: "/" between its parts, no
 * "." or ".." parts, no control characters, each part short, at most MAX_FOLDER_DEPTH deep.
 * Paths come from the command line's folder reading; none may steer an export out of its
 * directory.
 */
export function safeRelativePath(path: string): string {
  const parts = path.split(/[/\\]/)
    // eslint-disable-next-line no-control-regex
    .map((p) => [...p.replace(/[\u0000-\u001f\u007f]/g, '').trim()].slice(0, 120).join(''))
    .filter((p) => p !== '' && !/^\.+$/.test(p));
  return parts.length === 0 ? FALLBACK_NAME : parts.slice(-(MAX_FOLDER_DEPTH + 1)).join('/');
}

/** A heading outside code blocks, front matter, or HTML or Liquid: what makes a text a case document at all. */
function hasStructure(markdown: string): boolean {
  const lines = splitLines(markdown);
  if (readFrontMatter(lines)) return true;
  const fenced = fencedLines(lines);
  return lines.some((line, i) => !fenced[i] && (readHeading(line) !== null || /<\/?[a-zA-Z][\w-]*(?:[\s/>]|$)|\{%|\{\{/.test(line)));
}

function checkFiles(files: readonly ImportFile[]): string | null {
  if (files.length === 0) return 'Choose a file to import: the business case in Markdown (and, if your team keeps them apart, its key decisions), or the ADRs of a folder.';
  if (files.length > MAX_IMPORT_FILES) return `You chose ${files.length} files. An import reads at most ${MAX_IMPORT_FILES}.`;
  for (const f of files) {
    // The same refusals as a file given on the command line: too large, binary, empty.
    try {
      documentText(new TextEncoder().encode(f.markdown), f.name);
    } catch (err) {
      if (err instanceof ImportRefused) return err.message;
      throw err;
    }
    if (!hasStructure(f.markdown)) {
      return `${f.name} has no Markdown heading (a line such as "# Business case" or "## Sprint 1"), so it is not a business case. Nothing imported.`;
    }
  }
  return null;
}

/** What the place's case holds now, or null when it has none yet. */
function currentOf(draft: CaseDraft): CurrentCaseView | null {
  if (draft.readVersion === null) return null;
  return {
    title: draft.case.title,
    decisions: draft.decisionList().length,
    evidence: draft.evidenceList().length,
    writtenSections: writableSections(draft.case.layout.sections).filter((s) => !isEmptySection(s.body)).length,
  };
}

function previewOf(report: ImportReport, place: Place): ImportPreviewView {
  const { snapshot } = report;
  const split = snapshot.case.layout.files;
  const lines = importSummary(report, placeName(place));
  return {
    title: snapshot.case.title,
    files: split ? [split.case.name, split.decisions.name] : report.files.filter((f) => f.skipped === null).map((f) => f.name),
    found: fileLines(report).map((l) => l.trim()),
    notes: report.notes,
    decisions: snapshot.decisions.length,
    evidence: snapshot.evidence.length,
    sections: report.sections,
    // importSummary: the totals, then one line a sprint, then a note on warnings.
    sprints: lines.slice(1, 1 + report.sprints.length).map((l) => l.trim()),
    warnings: report.warnings.map((w) => w.message),
    report: lines,
  };
}

function importReply(draft: CaseDraft, preview: ImportPreviewView | null, changed: boolean): Reply {
  const current = currentOf(draft);
  const summary = preview === null
    ? 'Choose the files to import.'
    : `${preview.title ?? 'The case'}: ${count(preview.decisions, 'decision')}, ${evidenceCount(preview.evidence)}${current ? `; it would replace a case of ${count(current.decisions, 'decision')}` : ''}.`;
  const view = { version: draft.readVersion, current, preview, changed };
  // A place with no case yet has only the draft's made-up id: none to name.
  return { kind: 'import', visibility: 'caller', ...(current ? { caseId: draft.case.id } : {}), summary, import: view };
}

/**
 * The imported case as it will stand in the place: the document's title, layout and records
 * under the place's own case id, keeping the place's settings (time zone, sprint length,
 * schedule, share links). Its last sprint starts today, in the place's time zone.
 */
function placed(report: ImportReport, draft: CaseDraft, now: Date): CaseSnapshot {
  const here = draft.case;
  const c = report.snapshot.case;
  const sprints = report.snapshot.sprints.map((s) => ({ ...s }));
  const last = sprints[sprints.length - 1];
  if (last) last.startsOn = localDate(now, here.timeZone);
  return {
    ...report.snapshot,
    case: { ...here, title: c.title, template: c.template, layout: c.layout },
    sprints,
  };
}

/** How to import where the bot cannot take a file: the command line, with this place filled in. */
function howTo(ctx: CommandContext): Reply {
  const files = 'case.md [key-decisions.md]';
  const where = ctx.place.platform === 'console' ? `--case ${ctx.place.channel}` : `--into ${placeName(ctx.place)}`;
  const folder = `(a folder of ADRs works too: decisions import docs/adr ${where})`;
  if (ctx.place.platform === 'console') {
    return notice(`Import a business case from the command line: decisions import ${files} ${where} ${folder}`, 'caller');
  }
  // Said for where it was asked: Teams (and any surface without a file form) is told what works there.
  return notice(`I cannot take a file here, so a business case is imported from the command line where the bot runs (ask whoever runs it): \`decisions import ${files} ${where}\` ${folder}. This conversation is told when it comes in.`, 'caller');
}

export function importHandlers(kit: Kit): Pick<Handlers, 'import'> {
  return {
    async import(ctx, command) {
      if (command.files === null) {
        if (ctx.place.platform !== 'slack') return howTo(ctx);
        const { draft } = await kit.read(ctx);
        return importReply(draft, null, false);
      }
      const files = command.files.map((f) => ({ name: f.path === undefined ? safeFileName(f.name) : safeRelativePath(f.path), markdown: f.markdown }));
      const problem = checkFiles(files);
      if (problem) return error(problem);
      let report: ImportReport;
      try {
        report = importCaseFiles(files, { id: 'import', place: ctx.place, now: kit.now(), newId: kit.deps.newId, strict: command.strict === true });
      } catch (err) {
        if (err instanceof ImportRefused || err instanceof MarkdownFormatError) return error(err.message);
        throw err;
      }
      const preview = previewOf(report, ctx.place);
      const { draft: seen } = await kit.read(ctx);
      const confirm = command.confirm;
      // No confirmation, or one given for a case that has changed since: show what it would do.
      if (confirm === null || seen.readVersion !== confirm.version) return importReply(seen, preview, confirm !== null);

      return kit.write(ctx, (draft) => {
        if (draft.readVersion !== confirm.version) {
          return error('This case changed a moment ago, so nothing was imported. Please start the import again to see what it would replace now.');
        }
        const before = currentOf(draft);
        const previous = draft.snapshot();
        draft.replaceWith(placed(report, draft, kit.now()));
        const title = gist(preview.title ?? preview.files[0] ?? 'a business case', 80);
        const counts = `${count(report.sprints.length, 'sprint')}${preview.sections > 0 ? `, ${count(preview.sections, 'section')}` : ''}`;
        const change = draft.addChange({
          id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(),
          description: `imported “${title}” (${count(preview.decisions, 'decision')})`,
          undo: [{ op: 'restoreCase', snapshot: previous }],
          touches: [touch.wholeCase()],
          subject: { kind: 'import', decisions: preview.decisions, evidence: preview.evidence },
        });
        const replaced = before ? ` It replaced the case that had ${count(before.decisions, 'decision')}.` : '';
        // From the command line into a channel: nobody there can undo it as that person.
        const chatUndo = !(command.fromCommandLine === true && ctx.place.platform !== 'console');
        const url = kit.deps.shareUrl?.(draft.case) ?? null;
        const link = url ? ` [Read the case](${url})` : '';
        const who = command.fromCommandLine === true ? said`from the command line by ${ctx.actor}` : said`by ${ctx.actor}`;
        const head = join(said`${importedWords(preview.decisions, preview.evidence)}, `, who);
        const words = join(join(head, `: “${title}” from ${nameList(preview.files)}, ${counts}.${replaced}`),
          chatUndo ? join(said` ${ctx.actor}`, ` can undo this for ${UNDO_WINDOW_MINUTES} minutes.${link}`) : link);
        return { kind: 'notice', visibility: 'channel', caseId: draft.case.id, ...saying(words), ...(chatUndo ? { undo: change.id } : {}) };
      });
    },
  };
}
