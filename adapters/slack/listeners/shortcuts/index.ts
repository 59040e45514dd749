/**
 * Message shortcuts: "Record as decision" opens the decision modal filled with the message,
 * "Add as evidence" asks which decision it supports. Both keep the message's permalink as
 * the source.
 */
import type { AllMiddlewareArgs, App, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { CommandContext } from '../../../../src/core/service';
import type { SlackDeps } from '../../deps';
import { shortcutContext } from '../../context';
import { describe } from '../../errors';
import { renderReply } from '../../render/blocks';
import { slackTextToPlain } from '../../render/escape';
import { decisionModal, evidenceModal, messageModal } from '../../render/modals';
import type { ModalMeta } from '../../render/modals';
import { openModal, sorry, toCaller } from '../../respond';
import type { Target } from '../../respond';

export const SHORTCUTS = { recordDecision: 'record_decision', addEvidence: 'add_evidence' } as const;

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

interface Captured {
  ctx: CommandContext;
  t: Target;
  meta: ModalMeta;
  text: string;
}

/** Acknowledges, then reads the message: its words and its permalink (null when Slack will not say). */
async function capture(args: ShortcutArgs, deps: SlackDeps): Promise<Captured | null> {
  await args.ack();
  const { shortcut } = args;
  const ctx = shortcutContext(shortcut);
  if (!ctx) {
    deps.logger.warn('Slack: a message shortcut came without a channel');
    return null;
  }
  const t: Target = { client: args.client, channel: ctx.place.channel, user: ctx.actor.id, responseUrl: shortcut.response_url ?? null, logger: deps.logger };
  const link = async (): Promise<string | null> => {
    try {
      const res = await args.client.chat.getPermalink({ channel: ctx.place.channel, message_ts: shortcut.message.ts ?? shortcut.message_ts });
      return typeof res.permalink === 'string' ? res.permalink : null;
    } catch (err) {
      deps.logger.warn({ channel: ctx.place.channel, reason: describe(err) }, 'Slack: no permalink for the message; keeping it without a source');
      return null;
    }
  };
  // Mentions in the message become the people's names, as the record keeps plain text.
  const [permalink, text] = await Promise.all([link(), deps.people.mentionsNamed(args.client, ctx.place.workspace, shortcut.message.text ?? '')]);
  return { ctx, t, text: slackTextToPlain(text), meta: { channel: ctx.place.channel, responseUrl: t.responseUrl, sourceUrl: permalink, decision: null } };
}

export async function onRecordAsDecision(args: ShortcutArgs, deps: SlackDeps): Promise<void> {
  const c = await capture(args, deps);
  if (!c) return;
  try {
    const reply = await deps.service.runCommand(c.ctx, { name: 'form', text: c.text, sourceUrl: c.meta.sourceUrl });
    if (reply.kind !== 'form') {
      await toCaller(c.t, renderReply(reply));
      return;
    }
    await openModal(c.t, args.shortcut.trigger_id, decisionModal(reply.form, c.meta));
  } catch (err) {
    await toCaller(c.t, sorry(deps.logger, err, 'Record as decision'));
  }
}

export async function onAddAsEvidence(args: ShortcutArgs, deps: SlackDeps): Promise<void> {
  const c = await capture(args, deps);
  if (!c) return;
  try {
    const choices = await deps.service.pickableDecisions(c.ctx);
    await openModal(c.t, args.shortcut.trigger_id, choices.length === 0
      ? messageModal('Add evidence', 'There are no decisions in this channel yet. Use *Record as decision* on a message, or `/decision We will …`, first.')
      : evidenceModal({ choices, text: c.text }, c.meta));
  } catch (err) {
    await toCaller(c.t, sorry(deps.logger, err, 'Add as evidence'));
  }
}

const ON_SHORTCUT: Record<(typeof SHORTCUTS)[keyof typeof SHORTCUTS], (args: ShortcutArgs, deps: SlackDeps) => Promise<void>> = {
  [SHORTCUTS.recordDecision]: onRecordAsDecision,
  [SHORTCUTS.addEvidence]: onAddAsEvidence,
};

/** One listener for every message shortcut, dispatching here (see commands/index.ts). */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>({ callback_id: /.*/, type: 'message_action' }, (args) => {
    const id = args.shortcut.callback_id;
    return Object.hasOwn(ON_SHORTCUT, id) ? ON_SHORTCUT[id as keyof typeof ON_SHORTCUT](args, deps) : args.ack();
  });
}
