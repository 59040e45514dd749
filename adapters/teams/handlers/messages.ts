/** Typed messages: in a channel only those that @mention the bot; in a chat, every one. */
import type { TurnContext } from 'botbuilder';
import type { TeamsDeps } from '../deps';
import { commandContextOf, commandText, isChannel, mentionsBot } from '../activity';
import { remember } from '../conversations';
import { send } from '../respond';

export async function onMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const activity = context.activity;
  const ctx = commandContextOf(activity);
  if (!ctx) return;
  if (isChannel(activity) && !mentionsBot(activity)) return;
  await remember(deps, activity);
  await send(deps, context, await deps.service.run(ctx, commandText(activity)));
}
