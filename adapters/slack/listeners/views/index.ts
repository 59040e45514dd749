/**
 * Modal submissions. Core checks the input; its errors go back on the field they are about
 * (`response_action: 'errors'`) and the modal stays open. On success the modal closes and
 * the result is announced in the channel.
 */
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Reply, ReplyOf } from '../../../../src/core/views';
import type { CommandContext } from '../../../../src/core/service';
import type { SlackDeps } from '../../deps';
import { viewContext } from '../../context';
import { CALLBACKS, FIELDS, VALUE, decodeMeta } from '../../render/modals';
import { IMPORT_CALLBACKS } from '../../render/import';
import { onImportChoose, onImportConfirm } from './import';
import type { ModalMeta } from '../../render/modals';
import { LATE, deliver, sorry, toCaller, within } from '../../respond';
import type { Target } from '../../respond';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Field = (typeof FIELDS)[keyof typeof FIELDS];

function textOf(args: SubmitArgs, block: string): string {
  return args.view.state.values[block]?.[VALUE]?.value ?? '';
}

/** A multi-select's chosen values, comma-separated as core reads points ("1,5"); only short digit values. */
function choicesOf(args: SubmitArgs, block: string): string {
  const chosen = args.view.state.values[block]?.[VALUE]?.selected_options ?? [];
  return chosen.map((o) => o.value ?? '').filter((v) => /^\d{1,2}$/.test(v)).slice(0, 14).join(',');
}

function choiceOf(args: SubmitArgs, block: string): number | null {
  const v = args.view.state.values[block]?.[VALUE]?.selected_option?.value;
  return v !== undefined && /^\d{1,6}$/.test(v) ? Number(v) : null;
}

/** The field an error belongs on, among those the modal has. */
function fieldFor(error: ReplyOf<'error'>, present: Field[]): Field {
  const wanted = error.field ?? FIELDS.text;
  return present.includes(wanted) ? wanted : FIELDS.text;
}

interface Submitted {
  ctx: CommandContext;
  meta: ModalMeta;
  t: Target;
}

async function submitted(args: SubmitArgs, deps: SlackDeps): Promise<Submitted | null> {
  const meta = decodeMeta(args.view.private_metadata);
  const ctx = meta ? viewContext(args.body, meta.channel) : null;
  if (!meta || !ctx) {
    await args.ack({ response_action: 'errors', errors: { [FIELDS.text]: 'This form has lost track of its channel. Please close it and open it again.' } });
    return null;
  }
  return { ctx, meta, t: { client: args.client, channel: meta.channel, user: ctx.actor.id, responseUrl: meta.responseUrl, logger: deps.logger } };
}

/** The person submitting, named as Slack shows them: looked up inside the timed work, so the form is still answered in time. */
function as(args: SubmitArgs, deps: SlackDeps, s: Submitted): Promise<CommandContext> {
  return deps.people.named(args.client, s.ctx);
}

/** Runs core; answers on the form (errors), or closes it and announces the result. */
async function finish(args: SubmitArgs, deps: SlackDeps, s: Submitted, present: Field[], work: Promise<Reply>): Promise<void> {
  let reply: Reply | typeof LATE;
  try {
    reply = await within(work);
  } catch (err) {
    sorry(deps.logger, err, 'a form');
    await args.ack({ response_action: 'errors', errors: { [FIELDS.text]: 'Something went wrong on my side. Please try again.' } });
    return;
  }
  if (reply !== LATE) {
    if (reply.kind === 'error') {
      const message = reply.suggestion ? `${reply.message} Try: ${reply.suggestion}` : reply.message;
      await args.ack({ response_action: 'errors', errors: { [fieldFor(reply, present)]: message } });
      return;
    }
    await args.ack();
    await deliver(s.t, reply, deps.announcements);
    return;
  }
  // Too slow to answer on the form: close it and answer in the channel (or to the person) when done.
  await args.ack();
  try {
    await deliver(s.t, await work, deps.announcements);
  } catch (err) {
    await toCaller(s.t, sorry(deps.logger, err, 'a slow form'));
  }
}

export async function onDecisionSubmit(args: SubmitArgs, deps: SlackDeps): Promise<void> {
  const s = await submitted(args, deps);
  if (!s) return;
  const sprint = choiceOf(args, FIELDS.sprint);
  const work = as(args, deps, s).then((ctx) => deps.service.runCommand(ctx, {
    name: 'record',
    text: textOf(args, FIELDS.text),
    evidence: textOf(args, FIELDS.evidence),
    ...(sprint === null ? {} : { sprint }),
    sourceUrl: s.meta.sourceUrl,
    decidedBy: textOf(args, FIELDS.deciders),
    points: choicesOf(args, FIELDS.points),
  }));
  await finish(args, deps, s, [FIELDS.text, FIELDS.evidence, FIELDS.sprint, FIELDS.deciders, FIELDS.points], work);
}

export async function onEvidenceSubmit(args: SubmitArgs, deps: SlackDeps): Promise<void> {
  const s = await submitted(args, deps);
  if (!s) return;
  const picked = s.meta.decision ?? choiceOf(args, FIELDS.decision);
  const present: Field[] = s.meta.decision === null ? [FIELDS.decision, FIELDS.text] : [FIELDS.text];
  if (picked === null) {
    await args.ack({ response_action: 'errors', errors: { [present[0] ?? FIELDS.text]: 'Choose the decision this evidence supports.' } });
    return;
  }
  const work = as(args, deps, s).then((ctx) => deps.service.runCommand(ctx, { name: 'evidence', decision: picked, text: textOf(args, FIELDS.text), sourceUrl: s.meta.sourceUrl }));
  await finish(args, deps, s, present, work);
}

export async function onEditSubmit(args: SubmitArgs, deps: SlackDeps): Promise<void> {
  const s = await submitted(args, deps);
  if (!s) return;
  if (s.meta.decision === null) {
    await args.ack({ response_action: 'errors', errors: { [FIELDS.text]: 'This form has lost track of its decision. Please close it and open it again.' } });
    return;
  }
  const decision = s.meta.decision;
  await finish(args, deps, s, [FIELDS.text], as(args, deps, s).then((ctx) => deps.service.runCommand(ctx, { name: 'edit', decision, text: textOf(args, FIELDS.text) })));
}

type Callback = (typeof CALLBACKS)[keyof typeof CALLBACKS] | (typeof IMPORT_CALLBACKS)[keyof typeof IMPORT_CALLBACKS];

const ON_SUBMIT: Record<Callback, (args: SubmitArgs, deps: SlackDeps) => Promise<void>> = {
  [CALLBACKS.decision]: onDecisionSubmit,
  [CALLBACKS.evidence]: onEvidenceSubmit,
  [CALLBACKS.edit]: onEditSubmit,
  [IMPORT_CALLBACKS.choose]: onImportChoose,
  [IMPORT_CALLBACKS.preview]: onImportConfirm,
};

/** One listener for every form submitted, dispatching here (see commands/index.ts); another form is closed. */
export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>({ callback_id: /.*/, type: 'view_submission' }, (args) => {
    const id = args.view.callback_id;
    return Object.hasOwn(ON_SUBMIT, id) ? ON_SUBMIT[id as Callback](args, deps) : args.ack();
  });
}
