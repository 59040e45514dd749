/**
 * Reading Teams activities: where (the case's place), who (the actor), and the
 * command text once the bot's mention is taken out.
 */
import type { Activity, ConversationReference } from 'botbuilder';
import type { Actor, Place } from '../../src/core/model';
import type { CommandContext } from '../../src/core/service';

/** A reply in a channel thread carries ";messageid=…": the case is the channel's. */
export function baseConversationId(id: string): string {
  return id.replace(/;messageid=.*$/i, '');
}

function tenantOf(activity: Partial<Activity>): string {
  const fromConversation = activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation !== '') return fromConversation;
  const data = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = data?.tenant?.id;
  if (typeof fromChannelData === 'string' && fromChannelData !== '') return fromChannelData;
  // The Emulator has no tenant: its conversations are local.
  return activity.channelId ?? 'local';
}

export function placeOf(activity: Partial<Activity>): Place | null {
  const id = activity.conversation?.id;
  if (typeof id !== 'string' || id === '') return null;
  return { platform: 'teams', workspace: tenantOf(activity), channel: baseConversationId(id) };
}

export function actorOf(activity: Partial<Activity>): Actor {
  const from = activity.from;
  return { id: from?.aadObjectId ?? from?.id ?? 'unknown', name: from?.name?.trim() || 'Someone' };
}

/** Who is asking, and where; null for an activity without a conversation. */
export function commandContextOf(activity: Partial<Activity>): CommandContext | null {
  const place = placeOf(activity);
  return place ? { place, actor: actorOf(activity) } : null;
}

/** A card's button: its data comes back in `value`, with no text and no mention. */
export function isCardSubmit(activity: Partial<Activity>): boolean {
  return activity.value !== undefined && activity.value !== null && !(activity.text ?? '').trim();
}

/** True in a personal (one-to-one) chat with the bot: only that person sees what it posts. */
export function isPersonal(activity: Partial<Activity>): boolean {
  return activity.conversation?.conversationType === 'personal';
}

/** True in a team channel, where the bot only answers when @mentioned. */
export function isChannel(activity: Partial<Activity>): boolean {
  return activity.conversation?.conversationType === 'channel';
}

interface MentionEntity {
  type: 'mention';
  mentioned?: { id?: string };
  text?: string;
}

function botMentions(activity: Partial<Activity>): MentionEntity[] {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).filter((e): e is MentionEntity => {
    const m = e as Partial<MentionEntity>;
    return typeof m.type === 'string' && m.type.toLowerCase() === 'mention' && m.mentioned?.id !== undefined && m.mentioned.id === botId;
  });
}

export function mentionsBot(activity: Partial<Activity>): boolean {
  return botMentions(activity).length > 0;
}

/**
 * The words for the grammar: the bot's mention removed, a leading `decision` or
 * `/decision` word dropped (people type it out of Slack habit), line breaks kept.
 */
export function commandText(activity: Partial<Activity>): string {
  let text = typeof activity.text === 'string' ? activity.text : '';
  for (const m of botMentions(activity)) {
    if (m.text) text = text.split(m.text).join(' ');
  }
  // Mention markup left over (a client that did not send the entity text exactly).
  text = text.replace(/^\s*<at>[^<]*<\/at>/i, ' ');
  // Anyone else mentioned is named, as on every surface: "by <at>Ana Smith</at>" is "by @Ana Smith".
  text = text.replace(/<at>([^<]*)<\/at>/gi, (_m, name: string) => `@${name.trim()}`);
  text = text.replace(/\u00a0/g, ' ').replace(/&nbsp;/g, ' ').trim();
  // A leading `decision` is core's to ignore, as on every surface.
  return text;
}

/**
 * The reference kept for proactive posts: the conversation without a thread
 * suffix, so a later post starts a new message in the channel rather than
 * replying to an old thread, and without the user or the triggering message.
 */
export function storedReference(activity: Partial<Activity>): Partial<ConversationReference> | null {
  const conversation = activity.conversation;
  if (!conversation?.id || !activity.serviceUrl) return null;
  return {
    bot: activity.recipient ? { id: activity.recipient.id, name: activity.recipient.name } : undefined,
    conversation: { ...conversation, id: baseConversationId(conversation.id) },
    channelId: activity.channelId,
    locale: activity.locale,
    serviceUrl: activity.serviceUrl,
  };
}

/** True when a URL's host is this machine: the only serviceUrl allowed without authentication. */
export function isLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** True when a peer address (req.socket.remoteAddress) is this machine: 127.0.0.0/8, ::1, or either mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.toLowerCase().replace(/^::ffff:/, '');
  return address === '::1' || /^127(\.\d{1,3}){3}$/.test(v4);
}
