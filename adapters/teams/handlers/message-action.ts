/**
 * The "Record as decision" message action: fetchTask opens the record form filled with the
 * message, submitAction records it and posts the outcome under that message.
 */
import { CardFactory } from 'botbuilder';
import type { MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from 'botbuilder';
import { MAX_TEXT } from '../../../src/core/grammar';
import type { TeamsDeps } from '../deps';
import { commandContextOf } from '../activity';
import { remember } from '../conversations';
import { messageBodyText } from '../html';
import { parseSubmit, sourceUrl } from '../submit';
import { send } from '../respond';
import { decisionFormCard } from '../cards/forms';
import type { AdaptiveCard } from '../cards/elements';

/** The message action's command id, as in teams/manifest.json. */
export const RECORD_COMMAND_ID = 'recordDecision';

function taskCard(c: AdaptiveCard): MessagingExtensionActionResponse {
  return { task: { type: 'continue', value: { title: 'Record as decision', width: 'medium', height: 'large', card: CardFactory.adaptiveCard(c) } } };
}

function taskMessage(message: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: message } };
}

export async function onFetchTask(context: TurnContext, action: MessagingExtensionAction, deps: TeamsDeps): Promise<MessagingExtensionActionResponse> {
  const ctx = commandContextOf(context.activity);
  // botbuilder passes the activity's value as it came: it may be missing.
  if (action?.commandId !== RECORD_COMMAND_ID || !ctx) return taskMessage('Sorry: this app has no such command.');
  await remember(deps, context.activity);
  const payload = action.messagePayload;
  const reply = await deps.service.runCommand(ctx, { name: 'form', text: [...messageBodyText(payload?.body)].slice(0, MAX_TEXT).join(''), sourceUrl: sourceUrl(payload?.linkToMessage) });
  if (reply.kind !== 'form') return taskMessage(reply.summary);
  return taskCard(decisionFormCard(reply.form));
}

export async function onSubmitAction(context: TurnContext, action: MessagingExtensionAction, deps: TeamsDeps): Promise<MessagingExtensionActionResponse> {
  const ctx = commandContextOf(context.activity);
  const s = parseSubmit(action?.data);
  if (action?.commandId !== RECORD_COMMAND_ID || !ctx || s?.action !== 'record') return taskMessage('Sorry: this app has no such command.');
  // The link Teams gives with the message wins over the one carried in the form.
  const source = sourceUrl(action.messagePayload?.linkToMessage) ?? s.sourceUrl;
  const reply = await deps.service.runCommand(ctx, { name: 'record', text: s.text, ...(s.sprint === undefined ? {} : { sprint: s.sprint }), evidence: s.evidence, decidedBy: s.decidedBy, points: s.points, sourceUrl: source });
  if (reply.kind === 'error') {
    const form = await deps.service.runCommand(ctx, { name: 'form', text: s.text, sourceUrl: source });
    if (form.kind !== 'form') return taskMessage(reply.message);
    return taskCard(decisionFormCard(form.form, { error: reply.message, values: { text: s.text, evidence: s.evidence, sprint: s.sprint, decidedBy: s.decidedBy, points: s.points } }));
  }
  // The outcome goes under the message the action was on, not under the invoke.
  await send(deps, context, reply, action.messagePayload?.id ?? null);
  return {};
}
