/**
 * Getting a reply to the conversation: a new message (or one under a given message), or the
 * card a button sat on replaced by the outcome; and keeping announcements true, so an undo
 * typed later updates the card of the change it took back.
 */
import { TurnContext } from 'botbuilder';
import type { Reply } from '../../src/core/views';
import { announcedChange, announcementExpiry, undoneChange } from '../../src/core/announcements';
import type { TeamsDeps } from './deps';
import { replyActivity } from './cards/render';
import { isPersonal } from './activity';
import { mustGoPrivately, sendPrivately } from './private';

/** Where a change was announced: the message's activity id in its conversation. */
interface Announced {
  conversation: string;
  activity: string;
}

/**
 * Sends a reply as a new message, keeping the announcement true (see `announced`);
 * `under` replies under that message rather than the activity being answered.
 */
export async function send(deps: TeamsDeps, context: TurnContext, reply: Reply, under: string | null = null): Promise<void> {
  // A link anyone holding can read the case by goes to the asker alone.
  if (mustGoPrivately(context, reply)) return sendPrivately(deps, context, reply);
  let sent: { id?: string } | undefined;
  if (under) {
    // sendActivity would make it a reply to the incoming activity: address it ourselves.
    const activity = TurnContext.applyConversationReference({ ...replyActivity(reply, { personal: isPersonal(context.activity) }) }, TurnContext.getConversationReference(context.activity));
    activity.replyToId = under;
    [sent] = await context.adapter.sendActivities(context, [activity]);
  } else {
    sent = await context.sendActivity(replyActivity(reply, { personal: isPersonal(context.activity) }));
  }
  await announced(deps, context, reply, sent?.id ?? null);
}

/**
 * After a reply was posted as activity `id`: remembers where a change that can be undone
 * was announced, and marks the announcement of a change just undone, so an undo typed
 * later updates the card it took back. Teams updates a message only within its own
 * conversation, so an announcement in another channel thread stays as it was (the undo
 * is announced on its own anyway). Never fails the reply.
 */
async function announced(deps: TeamsDeps, context: TurnContext, reply: Reply, id: string | null): Promise<void> {
  const { store, clock, logger } = deps;
  const conversation = context.activity.conversation?.id ?? '';
  try {
    const announced = announcedChange(reply);
    if (announced !== null && id) {
      const where: Announced = { conversation, activity: id };
      await store.saveAnnouncement({ changeId: announced, data: JSON.stringify(where), expiresAt: announcementExpiry(clock.now()) });
    }
    const undid = undoneChange(reply);
    if (undid !== null) {
      const found = await store.takeAnnouncement(undid, clock.now().toISOString());
      const where = found ? JSON.parse(found.data) as Announced : null;
      if (where && where.conversation === conversation && where.activity !== id) {
        await context.updateActivity({ ...replyActivity(reply, { personal: isPersonal(context.activity) }), id: where.activity });
      }
    }
  } catch (err) {
    logger.warn({ status: (err as { statusCode?: number }).statusCode }, 'Teams: could not keep or mark where a change was announced');
  }
}

/**
 * The answer to a card's button: the card is replaced by the outcome (the form
 * becomes the confirmation). An error goes in a new message, leaving the card as
 * it was so the person can correct it.
 */
export async function answerCard(deps: TeamsDeps, context: TurnContext, reply: Reply): Promise<void> {
  const cardId = context.activity.replyToId;
  if (reply.kind !== 'error' && cardId) {
    try {
      await context.updateActivity({ ...replyActivity(reply, { personal: isPersonal(context.activity) }), id: cardId });
      // The card is now the announcement (or, after Undo, already says it was undone).
      await announced(deps, context, reply, cardId);
      return;
    } catch (err) {
      deps.logger.warn({ status: (err as { statusCode?: number }).statusCode }, 'Teams: could not update the card; sending a new message');
    }
  }
  await send(deps, context, reply);
}
