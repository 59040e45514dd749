/**
 * Buttons: Add evidence, Edit and Undo under an announced decision; Record a decision and
 * Add evidence under a retro prompt. Each acknowledges at once, then opens a modal or
 * answers through the channel or the clicker.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { CommandContext } from '../../../../src/core/service';
import type { SlackDeps } from '../../deps';
import { actionContext } from '../../context';
import { ACTIONS, errorMessage, renderReply } from '../../render/blocks';
import { decisionModal, editModal, evidenceModal, messageModal } from '../../render/modals';
import type { ModalMeta } from '../../render/modals';
import { deliver, openModal, sorry, toCaller } from '../../respond';
import type { Target } from '../../respond';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

interface Clicked {
  ctx: CommandContext;
  t: Target;
  meta: ModalMeta;
  triggerId: string;
  value: string;
  /** The text of the message the button sits under. */
  messageText: string;
}

/** Acknowledges, then works out who clicked where; null (after telling them) when it cannot. */
async function clicked(args: ButtonArgs, deps: SlackDeps): Promise<Clicked | null> {
  await args.ack();
  const found = actionContext(args.body);
  const responseUrl = args.body.response_url ?? null;
  if (!found) {
    deps.logger.warn({ action: args.action.action_id }, 'Slack: a button click came without a channel');
    return null;
  }
  const ctx = await deps.people.named(args.client, found);
  const t: Target = { client: args.client, channel: ctx.place.channel, user: ctx.actor.id, responseUrl, logger: deps.logger };
  return { ctx, t, triggerId: args.body.trigger_id, value: args.action.value ?? '', messageText: ((args.body.message as { text?: string } | undefined)?.text ?? '').slice(0, 2500), meta: { channel: ctx.place.channel, responseUrl, sourceUrl: null, decision: null } };
}

function decisionNumber(value: string): number | null {
  return /^\d{1,6}$/.test(value) ? Number(value) : null;
}

/**
 * The decision a button opens a form on, as core shows it, or null after telling the clicker
 * why not (in core's words: the same as the typed command would get).
 */
async function decisionFor(c: Clicked, deps: SlackDeps, toChange: 'edit' | 'evidence'): Promise<{ number: number; text: string } | null> {
  const n = decisionNumber(c.value);
  if (n === null) {
    await toCaller(c.t, errorMessage('That button does not name a decision.'));
    return null;
  }
  const reply = await deps.service.runCommand(c.ctx, { name: 'show', decision: n, toChange });
  if (reply.kind !== 'decision') {
    await toCaller(c.t, renderReply(reply));
    return null;
  }
  return { number: n, text: reply.decision.text };
}

async function guarded(args: ButtonArgs, deps: SlackDeps, what: string, work: (c: Clicked) => Promise<void>): Promise<void> {
  const c = await clicked(args, deps);
  if (!c) return;
  try {
    await work(c);
  } catch (err) {
    await toCaller(c.t, sorry(deps.logger, err, what));
  }
}

export function onAddEvidence(args: ButtonArgs, deps: SlackDeps): Promise<void> {
  return guarded(args, deps, 'the Add evidence button', async (c) => {
    const d = await decisionFor(c, deps, 'evidence');
    if (d) await openModal(c.t, c.triggerId, evidenceModal({ decision: d }, c.meta));
  });
}

export function onEdit(args: ButtonArgs, deps: SlackDeps): Promise<void> {
  return guarded(args, deps, 'the Edit button', async (c) => {
    const d = await decisionFor(c, deps, 'edit');
    if (d) await openModal(c.t, c.triggerId, editModal(d, c.meta));
  });
}

export function onUndo(args: ButtonArgs, deps: SlackDeps): Promise<void> {
  return guarded(args, deps, 'the Undo button', async (c) => {
    // Old messages carried a decision number: those undo the clicker's latest change, as then.
    const change = /^\d{1,6}$/.test(c.value) || c.value === '' ? null : c.value;
    const reply = await deps.service.runCommand(c.ctx, { name: 'undo', change });
    // The announcement the button sits under now says it was undone, and loses its buttons.
    await deps.announcements.markUndone(c.t.client, reply, c.t.responseUrl ? { responseUrl: c.t.responseUrl, text: c.messageText } : undefined);
    await deliver(c.t, reply, deps.announcements);
  });
}

export function onRetroRecord(args: ButtonArgs, deps: SlackDeps): Promise<void> {
  return guarded(args, deps, 'the Record a decision button', async (c) => {
    const reply = await deps.service.runCommand(c.ctx, { name: 'form' });
    if (reply.kind !== 'form') {
      await toCaller(c.t, renderReply(reply));
      return;
    }
    await openModal(c.t, c.triggerId, decisionModal(reply.form, c.meta));
  });
}

export function onRetroEvidence(args: ButtonArgs, deps: SlackDeps): Promise<void> {
  return guarded(args, deps, 'the Add evidence button', async (c) => {
    const choices = await deps.service.pickableDecisions(c.ctx);
    await openModal(c.t, c.triggerId, choices.length === 0
      ? messageModal('Add evidence', 'There are no decisions in this channel yet. Record one first.')
      : evidenceModal({ choices }, c.meta));
  });
}

const ON_BUTTON: Record<(typeof ACTIONS)[keyof typeof ACTIONS], (args: ButtonArgs, deps: SlackDeps) => Promise<void>> = {
  [ACTIONS.addEvidence]: onAddEvidence,
  [ACTIONS.edit]: onEdit,
  [ACTIONS.undo]: onUndo,
  [ACTIONS.retroRecord]: onRetroRecord,
  [ACTIONS.retroEvidence]: onRetroEvidence,
};

/** One listener for every button, dispatching here (see commands/index.ts); any other action is acknowledged and left. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(/.*/, (args) => {
    const id = args.action.action_id;
    return Object.hasOwn(ON_BUTTON, id) ? ON_BUTTON[id as keyof typeof ON_BUTTON](args, deps) : args.ack();
  });
}
