/**
 * Replies that carry a bearer link (`share`, and `export`'s downloads: anyone holding one
 * can read the case) go only to the person who asked. Teams has no message only one person
 * in a channel or group chat sees, so the bot opens a one-to-one chat with them and posts it
 * there; the thread is told where it went. A personal chat is already only theirs.
 */
import type { CloudAdapterBase, ConversationParameters, TurnContext } from 'botbuilder';
import type { Reply } from '../../src/core/views';
import type { TeamsDeps } from './deps';
import { isPersonal } from './activity';
import { replyActivity } from './cards/render';
import { safeError } from './post';

/** The Bot Framework channel's audience, when the turn does not say (the public cloud). */
const DEFAULT_AUDIENCE = 'https://api.botframework.com';

/** A reply with a link that lets anyone who has it read the case. */
export function hasBearerLink(reply: Reply): boolean {
  return reply.kind === 'share' || (reply.kind === 'export' && (reply.url !== null || reply.files.some((f) => f.url !== null)));
}

/** Whether this reply must go to the asker alone rather than into the conversation. */
export function mustGoPrivately(context: TurnContext, reply: Reply): boolean {
  return hasBearerLink(reply) && !isPersonal(context.activity);
}

function caller(reply: Reply, summary: string): Reply {
  return { kind: 'notice', visibility: 'caller', summary, ...(reply.caseId ? { caseId: reply.caseId } : {}) };
}

/**
 * Sends `reply` to the asker in a one-to-one chat, and says so in the conversation; when the
 * chat cannot be opened, says that instead, and posts no link.
 */
export async function sendPrivately(deps: TeamsDeps, context: TurnContext, reply: Reply): Promise<void> {
  const a = context.activity;
  const what = reply.kind === 'share' ? 'the link to the case' : 'the download links';
  const tenant = a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const params: ConversationParameters = {
    isGroup: false,
    bot: a.recipient,
    members: [a.from],
    ...(tenant ? { tenantId: tenant } : {}),
    channelData: tenant ? { tenant: { id: tenant } } : {},
  };
  const adapter = context.adapter as CloudAdapterBase;
  const audience = (context.turnState.get(adapter.OAuthScopeKey) as string | undefined) ?? DEFAULT_AUDIENCE;
  let sent = false;
  try {
    await adapter.createConversationAsync(deps.appId, a.channelId ?? 'msteams', a.serviceUrl ?? '', audience, params, async (turn) => {
      await turn.sendActivity(replyActivity(reply, { personal: true }));
      sent = true;
    });
  } catch (err) {
    deps.logger.warn({ err: safeError(err) }, 'Teams: could not open a one-to-one chat for a link');
  }
  const said = sent
    ? `I have sent you ${what} in a chat with me: anyone who has ${reply.kind === 'share' ? 'it' : 'them'} can read the case, so ${reply.kind === 'share' ? 'it is' : 'they are'} not posted here.`
    : `I could not open a chat with you, so ${what} ${reply.kind === 'share' ? 'is' : 'are'} not posted here: anyone in this conversation could read the case with ${reply.kind === 'share' ? 'it' : 'them'}. Start a chat with me (Decisions), then ask here again.`;
  await context.sendActivity(replyActivity(caller(reply, said)));
}
