/**
 * `/decision <words>` runs the core grammar; `/evidence <N> <text>` is `/decision evidence <N> <text>`.
 * The answer goes back in the acknowledgement when core is quick (it always is with the
 * embedded store); when it is not, the acknowledgement goes first and the answer follows
 * through the response URL.
 */
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Reply } from '../../../../src/core/views';
import type { SlackDeps } from '../../deps';
import { commandContext } from '../../context';
import { errorMessage, renderReply } from '../../render/blocks';
import { slackTextToPlain } from '../../render/escape';
import { decisionModal, evidenceModal, messageModal } from '../../render/modals';
import { importModal } from '../../render/import';
import { LATE, deliver, openModal, responseBody, sendExport, sorry, toCaller, within } from '../../respond';
import { postToResponseUrl } from '../../response-url';
import { describe } from '../../errors';
import type { Target } from '../../respond';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const COMMANDS = { decision: '/decision', evidence: '/evidence' } as const;

function target(args: CommandArgs, deps: SlackDeps): Target {
  return { client: args.client, channel: args.command.channel_id, user: args.command.user_id, responseUrl: args.command.response_url, logger: deps.logger };
}

/** Answers a reply core gave in time: in the acknowledgement, or by a modal or an upload. */
async function answer(args: CommandArgs, deps: SlackDeps, reply: Reply): Promise<void> {
  const t = target(args, deps);
  switch (reply.kind) {
    case 'form':
      await args.ack();
      await openModal(t, args.command.trigger_id, decisionModal(reply.form, { channel: t.channel, responseUrl: t.responseUrl, sourceUrl: reply.form.sourceUrl, decision: null }));
      return;
    case 'export':
      await args.ack();
      await sendExport(t, reply);
      return;
    case 'import':
      await args.ack();
      await openModal(t, args.command.trigger_id, importModal(reply.import, { channel: t.channel, responseUrl: t.responseUrl, files: [], version: reply.import.version }));
      return;
    default: {
      const message = renderReply(reply);
      await args.ack(responseBody(message, reply.visibility));
      // The acknowledgement posted it: the command's response URL is the handle on that message.
      await deps.announcements.remember(reply, { responseUrl: args.command.response_url }, message.text);
      await deps.announcements.markUndone(args.client, reply);
    }
  }
}

/** Core took too long to answer inside Slack's 3 seconds: acknowledged already, answer now. */
async function answerLate(args: CommandArgs, deps: SlackDeps, reply: Reply): Promise<void> {
  const t = target(args, deps);
  if (reply.kind === 'form' || reply.kind === 'import') {
    // The trigger for opening a modal has expired by now.
    await toCaller(t, errorMessage(`That took a moment too long to open the form. Please type \`/decision${reply.kind === 'import' ? ' import' : ''}\` again.`));
    return;
  }
  if (reply.kind === 'export') return sendExport(t, reply);
  // Through the response URL, as the acknowledgement would have: the bot need not be a member.
  const message = renderReply(reply);
  try {
    await postToResponseUrl(args.command.response_url, responseBody(message, reply.visibility));
  } catch (err) {
    deps.logger.warn({ channel: t.channel, reason: describe(err) }, 'Slack: the response URL failed');
    await deliver(t, reply, deps.announcements);
    return;
  }
  await deps.announcements.remember(reply, { responseUrl: args.command.response_url }, message.text);
  await deps.announcements.markUndone(args.client, reply);
}

async function runWords(args: CommandArgs, deps: SlackDeps, words: string): Promise<void> {
  const ctx = commandContext(args.command);
  if (!ctx) {
    await args.ack(responseBody(errorMessage('I could not tell which channel this came from.'), 'caller'));
    return;
  }
  // Slack sends command text with &, <, > encoded and mentions and links as <…> markup:
  // the case keeps what the person typed, as plain text, people by their names.
  const work = (async () => {
    const [named, text] = await Promise.all([deps.people.named(args.client, ctx), deps.people.mentionsNamed(args.client, ctx.place.workspace, words)]);
    return deps.service.run(named, slackTextToPlain(text));
  })();
  let reply: Reply | typeof LATE;
  try {
    reply = await within(work);
  } catch (err) {
    await args.ack(responseBody(sorry(deps.logger, err, 'a command'), 'caller'));
    return;
  }
  if (reply !== LATE) {
    await answer(args, deps, reply);
    return;
  }
  await args.ack();
  try {
    await answerLate(args, deps, await work);
  } catch (err) {
    await toCaller(target(args, deps), sorry(deps.logger, err, 'a slow command'));
  }
}

/** `/decision …` */
export async function onDecisionCommand(args: CommandArgs, deps: SlackDeps): Promise<void> {
  await runWords(args, deps, args.command.text ?? '');
}

/** `/evidence <N> <text>`; with no words, a modal to pick the decision. */
export async function onEvidenceCommand(args: CommandArgs, deps: SlackDeps): Promise<void> {
  const text = (args.command.text ?? '').trim();
  if (text !== '') {
    await runWords(args, deps, `evidence ${text}`);
    return;
  }
  const ctx = commandContext(args.command);
  if (!ctx) {
    await args.ack(responseBody(errorMessage('I could not tell which channel this came from.'), 'caller'));
    return;
  }
  await args.ack();
  const t = target(args, deps);
  try {
    const choices = await deps.service.pickableDecisions(ctx);
    const meta = { channel: t.channel, responseUrl: t.responseUrl, sourceUrl: null, decision: null };
    await openModal(t, args.command.trigger_id, choices.length === 0
      ? messageModal('Add evidence', 'There are no decisions in this channel yet. Record one with `/decision We will …` first.')
      : evidenceModal({ choices }, meta));
  } catch (err) {
    await toCaller(t, sorry(deps.logger, err, '/evidence'));
  }
}

/** A slash command this app was not set up with (the manifest names only ours). */
async function onOtherCommand(args: CommandArgs): Promise<void> {
  await args.ack(responseBody(errorMessage(`I only answer \`${COMMANDS.decision}\` and \`${COMMANDS.evidence}\`.`), 'caller'));
}

const ON_COMMAND: Record<(typeof COMMANDS)[keyof typeof COMMANDS], (args: CommandArgs, deps: SlackDeps) => Promise<void>> = {
  [COMMANDS.decision]: onDecisionCommand,
  [COMMANDS.evidence]: onEvidenceCommand,
};

/**
 * One listener for every command, dispatching here: Bolt runs the matchers of every
 * listener on every request, so each listener costs every request something.
 */
export function register(app: App, deps: SlackDeps): void {
  app.command(/.*/, (args) => {
    const name = args.command.command;
    return Object.hasOwn(ON_COMMAND, name) ? ON_COMMAND[name as keyof typeof ON_COMMAND](args, deps) : onOtherCommand(args);
  });
}
