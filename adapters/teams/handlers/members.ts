/** The bot joining a team, channel or chat: it keeps the conversation's reference, and says hello once. */
import type { TurnContext } from 'botbuilder';
import type { TeamsDeps } from '../deps';
import { commandContextOf, isPersonal } from '../activity';
import { remember } from '../conversations';
import { cardActivity, welcomeCard } from '../cards/render';

/** Members added: when the bot is among them, the welcome card. */
export async function onMembersAdded(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const activity = context.activity;
  const botId = activity.recipient?.id;
  if (!(activity.membersAdded ?? []).some((m) => m.id === botId)) return;
  await remember(deps, activity);
  const ctx = commandContextOf(activity);
  if (!ctx) return;
  const help = await deps.service.run(ctx, 'help');
  if (help.kind !== 'help') return;
  await context.sendActivity(cardActivity(welcomeCard(help.entries, { personal: isPersonal(activity) }), 'Hello! I keep this conversation\'s decisions.'));
}

/** The app installed in a conversation: only its reference is kept (the welcome comes with members added). */
export async function onInstalled(context: TurnContext, deps: TeamsDeps): Promise<void> {
  await remember(deps, context.activity);
}
