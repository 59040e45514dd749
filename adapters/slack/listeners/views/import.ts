/**
 * The import form's two submissions. "Preview": read the chosen files from Slack and show
 * core's preview in place of the form (problems with the files go on the file input).
 * "Replace the case" / "Import": read the files again and ask core to replace the case at
 * the version the preview showed; the modal closes and the channel hears who imported
 * what, with an Undo button. Cancel closes the modal and changes nothing.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { CommandContext } from '../../../../src/core/service';
import type { Reply } from '../../../../src/core/views';
import type { SlackDeps } from '../../deps';
import { viewContext } from '../../context';
import { FileUnavailable, fileProblem, readChosenFiles } from '../../files';
import { errorMessage } from '../../render/blocks';
import { esc } from '../../render/escape';
import {
  IMPORT_FIELD, IMPORT_MAX_FILES, IMPORT_VALUE, decodeImportMeta, importMessageModal, previewModal,
} from '../../render/import';
import type { ImportMeta } from '../../render/import';
import type { ModalView } from '../../render/modals';
import { LATE, deliver, sorry, toCaller, within } from '../../respond';
import type { Target } from '../../respond';
import { describe } from '../../errors';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const HEADING = 'Import a business case';
const AGAIN = 'Run `/decision import` again to choose the files.';

function fileIds(args: SubmitArgs): string[] {
  const files = args.view.state.values[IMPORT_FIELD]?.[IMPORT_VALUE]?.files ?? [];
  return files.map((f) => f.id).filter((id): id is string => typeof id === 'string' && id !== '');
}

/** Reads the files from Slack and runs the import command; a file Slack or core refuses comes back as an error reply. */
async function runImport(args: SubmitArgs, deps: SlackDeps, ctx: CommandContext, ids: string[], confirm: { version: number | null } | null): Promise<Reply> {
  let files;
  try {
    files = await readChosenFiles(args.client, ids);
  } catch (err) {
    const problem = fileProblem(err);
    if (problem === null) throw err;
    // The file itself refused is the person's to fix (info); Slack not giving it is worth an operator's look (warn). Never a stack.
    const level = err instanceof FileUnavailable ? 'warn' : 'info';
    deps.logger[level]({ channel: ctx.place.channel, reason: problem }, level === 'warn' ? 'Slack: an import file could not be read from Slack' : 'Slack: an import file was refused');
    return { kind: 'error', visibility: 'caller', summary: problem, message: problem, suggestion: null, field: null };
  }
  return deps.service.runCommand(ctx, { name: 'import', files, confirm });
}

interface Opened {
  ctx: CommandContext;
  meta: ImportMeta;
  t: Target;
}

async function opened(args: SubmitArgs, deps: SlackDeps, onError: (message: string) => Promise<void>): Promise<Opened | null> {
  const meta = decodeImportMeta(args.view.private_metadata);
  const ctx = meta ? viewContext(args.body, meta.channel) : null;
  if (!meta || !ctx) {
    await onError(`This form has lost track of its channel. Please close it. ${AGAIN}`);
    return null;
  }
  return { ctx, meta, t: { client: args.client, channel: meta.channel, user: ctx.actor.id, responseUrl: meta.responseUrl, logger: deps.logger } };
}

/** Replaces the open modal after the acknowledgement (the work took longer than Slack waits). */
async function updateView(args: SubmitArgs, deps: SlackDeps, view: ModalView): Promise<void> {
  try {
    await args.client.views.update({ view_id: args.view.id, view });
  } catch (err) {
    deps.logger.warn({ reason: describe(err) }, 'Slack: could not update the import form');
  }
}

/** "Preview": the chosen files, read and shown as core's preview. */
export async function onImportChoose(args: SubmitArgs, deps: SlackDeps): Promise<void> {
  const o = await opened(args, deps, (message) => args.ack({ response_action: 'errors', errors: { [IMPORT_FIELD]: message } }));
  if (!o) return;
  const ids = fileIds(args);
  // One more than the form takes, so core can say how many it takes rather than this adapter.
  const work = runImport(args, deps, o.ctx, ids.slice(0, IMPORT_MAX_FILES + 1), null);
  const shown = (reply: Reply): ModalView | null => (reply.kind === 'import' && reply.import.preview
    ? previewModal(reply.import, { ...o.meta, files: ids })
    : null);
  let reply: Reply | typeof LATE;
  try {
    reply = await within(work);
  } catch (err) {
    sorry(deps.logger, err, 'the import form');
    await args.ack({ response_action: 'errors', errors: { [IMPORT_FIELD]: 'Something went wrong on my side. Please try again.' } });
    return;
  }
  if (reply !== LATE) {
    const view = shown(reply);
    if (view) await args.ack({ response_action: 'update', view });
    else await args.ack({ response_action: 'errors', errors: { [IMPORT_FIELD]: reply.summary } });
    return;
  }
  // Slow (a big file, a slow Slack): say so in the modal, then put the preview there.
  await args.ack({ response_action: 'update', view: importMessageModal(HEADING, 'Reading your files…') });
  try {
    const late = await work;
    await updateView(args, deps, shown(late) ?? importMessageModal(HEADING, `:warning: ${esc(late.summary)}\n${AGAIN}`));
  } catch (err) {
    sorry(deps.logger, err, 'a slow import form');
    await updateView(args, deps, importMessageModal(HEADING, `Something went wrong on my side. ${AGAIN}`));
  }
}

/** After the modal has closed: the outcome goes to the channel, or only to the importer. */
async function answerClosed(o: Opened, deps: SlackDeps, reply: Reply): Promise<void> {
  if (reply.kind === 'import') {
    await toCaller(o.t, errorMessage('This channel’s case changed after you looked, so nothing was imported. Run `/decision import` again to see what it would replace now.'));
    return;
  }
  await deliver(o.t, reply, deps.announcements);
}

/** "Import" / "Replace the case": the files read again, the case replaced if it is as the preview showed. */
export async function onImportConfirm(args: SubmitArgs, deps: SlackDeps): Promise<void> {
  const message = (text: string) => args.ack({ response_action: 'update', view: importMessageModal(HEADING, text) });
  const o = await opened(args, deps, message);
  if (!o) return;
  if (o.meta.files.length === 0) {
    await message(`This form has lost track of its files, so nothing was imported. ${AGAIN}`);
    return;
  }
  const work = runImport(args, deps, o.ctx, o.meta.files, { version: o.meta.version });
  let reply: Reply | typeof LATE;
  try {
    reply = await within(work);
  } catch (err) {
    sorry(deps.logger, err, 'the import');
    await message('Something went wrong on my side, so nothing was imported. Please try again.');
    return;
  }
  if (reply === LATE) {
    // Close the modal; the channel (or the importer) hears the outcome when it is known.
    await args.ack();
    try {
      await answerClosed(o, deps, await work);
    } catch (err) {
      await toCaller(o.t, sorry(deps.logger, err, 'a slow import'));
    }
    return;
  }
  if (reply.kind === 'import') {
    // The case changed since the preview: show the new preview, to be confirmed again.
    await args.ack({ response_action: 'update', view: previewModal(reply.import, o.meta) });
    return;
  }
  if (reply.kind === 'error') {
    await message(`:warning: ${esc(reply.message)}\nNothing was imported.`);
    return;
  }
  await args.ack();
  await deliver(o.t, reply, deps.announcements);
}
