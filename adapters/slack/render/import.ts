/**
 * The import modals: choose the file(s), then check what would be imported and confirm.
 * The preview carries the chosen files' ids and the case version it was made against in
 * its private_metadata (Slack hands it back unchanged in the signed submission), so the
 * confirmation reads the files again and core replaces the case only if it is unchanged;
 * any serve process can take the confirmation.
 */
import type { types } from '@slack/bolt';
import { count } from '../../../src/core/format';
import { UNDO_WINDOW_MINUTES } from '../../../src/core/commands/undo';
import type { CurrentCaseView, ImportView } from '../../../src/core/views';
import { BlockList } from './blocks';
import { LIMITS, esc, plain } from './escape';
import type { ModalView } from './modals';

export const IMPORT_CALLBACKS = { choose: 'import_modal', preview: 'import_preview' } as const;

/** The file input's block and action ids: errors about the files are shown on it. */
export const IMPORT_FIELD = 'files';
export const IMPORT_VALUE = 'value';

/** The most files the form takes (Slack's file input takes at most 10): a case, its key decisions, or a few ADRs. */
export const IMPORT_MAX_FILES = 10;

export interface ImportMeta {
  /** The channel whose case the import replaces. */
  channel: string;
  /** From the slash command: where to answer when the bot is not a member. */
  responseUrl: string | null;
  /** The chosen files (the preview's); empty on the form. */
  files: string[];
  /** The case version the preview was made against (null: no case yet). */
  version: number | null;
}

/** Warnings listed one by one; a document with more is summed up after these. */
const SHOWN_WARNINGS = 20;

const FILE_ID = /^[A-Z0-9]{2,40}$/;

export function encodeImportMeta(meta: ImportMeta): string {
  const compact = { c: meta.channel, r: meta.responseUrl, f: meta.files, v: meta.version };
  const text = JSON.stringify(compact);
  return text.length > LIMITS.privateMetadata ? JSON.stringify({ ...compact, r: null }) : text;
}

export function decodeImportMeta(text: string | undefined): ImportMeta | null {
  if (!text) return null;
  try {
    const raw = JSON.parse(text) as { c?: unknown; r?: unknown; f?: unknown; v?: unknown };
    if (typeof raw.c !== 'string' || raw.c === '') return null;
    const files = Array.isArray(raw.f) ? raw.f.filter((f): f is string => typeof f === 'string' && FILE_ID.test(f)) : [];
    return {
      channel: raw.c,
      responseUrl: typeof raw.r === 'string' ? raw.r : null,
      files: files.slice(0, IMPORT_MAX_FILES),
      version: typeof raw.v === 'number' && Number.isInteger(raw.v) ? raw.v : null,
    };
  } catch {
    return null;
  }
}

function title(text: string): types.PlainTextElement {
  return { type: 'plain_text', text: plain(text, LIMITS.modalTitle) };
}

/** "This channel's case “T” has 12 decisions, 20 pieces of evidence and 3 written sections". */
function describeCurrent(current: CurrentCaseView): string {
  const name = current.title ? ` “${esc(current.title)}”` : '';
  const parts = [count(current.decisions, 'decision'), count(current.evidence, 'piece of evidence', 'pieces of evidence')];
  if (current.writtenSections > 0) parts.push(count(current.writtenSections, 'written section'));
  return `This channel’s case${name} has *${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}*`;
}

/** The first modal: the file input, and what importing would replace. */
export function importModal(view: ImportView, meta: ImportMeta): ModalView {
  const blocks = new BlockList('');
  blocks.section('Choose your business case as a Markdown file (.md, .markdown or .txt). If your team keeps its key decisions in a file of their own (a decision log in any layout), choose both: they are told apart by what they hold. Architecture decision records (ADRs) work too: choose up to 10, one decision each. For a whole folder of ADRs, use `decisions import <folder>` where the bot runs.');
  blocks.add({
    type: 'input',
    block_id: IMPORT_FIELD,
    label: { type: 'plain_text', text: 'Files' },
    element: { type: 'file_input', action_id: IMPORT_VALUE, filetypes: ['md', 'markdown', 'txt'], max_files: IMPORT_MAX_FILES },
  });
  blocks.context([view.current
    ? `${describeCurrent(view.current)}; importing replaces it. You will see what would be imported before anything changes.`
    : 'This channel has no case yet. You will see what would be imported before anything changes.']);
  return {
    type: 'modal',
    callback_id: IMPORT_CALLBACKS.choose,
    title: title('Import a business case'),
    submit: title('Preview'),
    close: title('Cancel'),
    private_metadata: encodeImportMeta({ ...meta, files: [], version: view.version }),
    blocks: blocks.done(),
  };
}

/** The second modal: what the files hold, what was kept as text, what it replaces; Import or Cancel. */
export function previewModal(view: ImportView, meta: ImportMeta): ModalView {
  const p = view.preview;
  const blocks = new BlockList('');
  if (view.changed) blocks.section(':warning: This channel’s case changed after you looked. Here is what the import would replace now.');
  if (p) {
    blocks.section(`*${esc(p.title ?? 'Untitled case')}*\nFrom ${listed(p.files.map((f) => `*${esc(f)}*`))}`);
    blocks.lines([
      `${count(p.decisions, 'decision')}, ${count(p.evidence, 'piece of evidence', 'pieces of evidence')}, ${count(p.sections, 'section')}${p.sprints.length ? ':' : '.'}`,
      ...p.sprints.map((s) => `• ${esc(s)}`),
    ]);
    if (p.found.length > 0) {
      blocks.lines([
        '*What each file was read as*',
        ...p.found.slice(0, SHOWN_WARNINGS).map((f) => `• ${esc(f)}`),
        ...(p.found.length > SHOWN_WARNINGS ? [`…and ${p.found.length - SHOWN_WARNINGS} more files.`] : []),
      ]);
    }
    if (p.notes.length > 0) {
      blocks.lines([
        ...p.notes.slice(0, SHOWN_WARNINGS).map((n) => `• ${esc(n)}`),
        ...(p.notes.length > SHOWN_WARNINGS ? [`…and ${p.notes.length - SHOWN_WARNINGS} more notes.`] : []),
      ]);
    }
    if (p.warnings.length > 0) {
      blocks.lines([
        `*${count(p.warnings.length, 'line was', 'lines were')} kept as text*, where the importer could not tell what it was. Check ${p.warnings.length === 1 ? 'it' : 'them'}:`,
        ...p.warnings.slice(0, SHOWN_WARNINGS).map((w) => `• ${esc(w)}`),
        ...(p.warnings.length > SHOWN_WARNINGS ? [`…and ${p.warnings.length - SHOWN_WARNINGS} more, each kept as text where it stood.`] : []),
      ]);
    }
  }
  blocks.section(view.current
    ? `:warning: ${describeCurrent(view.current)}; importing replaces it. You can undo the import for ${UNDO_WINDOW_MINUTES} minutes while nobody changes the case.`
    : 'This channel has no case yet: the import becomes its case.');
  return {
    type: 'modal',
    callback_id: IMPORT_CALLBACKS.preview,
    title: title('Check the import'),
    submit: title(view.current ? 'Replace the case' : 'Import'),
    close: title('Cancel'),
    private_metadata: encodeImportMeta({ ...meta, version: view.version }),
    blocks: blocks.done(),
  };
}

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** A modal that only says something while, or after, the work is done. */
export function importMessageModal(heading: string, mrkdwn: string): ModalView {
  return {
    type: 'modal',
    title: title(heading),
    close: title('Close'),
    blocks: new BlockList('').section(mrkdwn).done(),
  };
}
