/**
 * The Teams bot: one method per kind of activity. Each reads the activity, calls
 * the core service and renders its reply as an Adaptive Card. No business rules.
 */
import { CardFactory, TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { Activity, MessagingExtensionAction, MessagingExtensionActionResponse } from 'botbuilder';
import type { CaseService, Clock, CommandContext } from '../../src/core/service';
import type { AnnouncementStore, ConversationStore } from '../../src/core/ports';
import { UNDO_WINDOW_MINUTES } from '../../src/core/commands/undo';
import type { Logger } from '../../src/logger';
import type { Reply } from '../../src/core/views';
import { MAX_TEXT } from '../../src/core/grammar';
import { actorOf, commandText, isChannel, mentionsBot, placeOf, storedReference } from './activity';
import { messageBodyText } from './html';
import { parseSubmit, sourceUrl } from './submit';
import type { Submitted } from './submit';
import { cardActivity, replyActivity, welcomeCard } from './cards/render';
import { decisionFormCard, evidenceFormCard } from './cards/forms';
import type { AdaptiveCard } from './cards/elements';
import { card, text } from './cards/elements';
import { cut } from './cards/escape';

/** The message action's command id, as in teams/manifest.json. */
export const RECORD_COMMAND_ID = 'recordDecision';

export interface BotDeps {
  service: CaseService;
  store: ConversationStore & AnnouncementStore;
  clock: Clock;
  logger: Logger;
}

/** A plain error reply for input a card should not have let through. */
function inputError(message: string, field: 'text' | 'decision'): Reply {
  return { kind: 'error', visibility: 'caller', summary: message, message, suggestion: null, field };
}

/** Where a change was announced: the message's activity id in its conversation. */
interface Announced {
  conversation: string;
  activity: string;
}

function taskCard(c: AdaptiveCard): MessagingExtensionActionResponse {
  return { task: { type: 'continue', value: { title: 'Record as decision', width: 'medium', height: 'large', card: CardFactory.adaptiveCard(c) } } };
}

function taskMessage(message: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: message } };
}

export class DecisionsBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.handleMembersAdded(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context.activity);
      await next();
    });
  }

  private commandContext(activity: Partial<Activity>): CommandContext | null {
    const place = placeOf(activity);
    return place ? { place, actor: actorOf(activity) } : null;
  }

  /** Keeps the conversation's reference for proactive posts, when it is new or has changed. */
  private async remember(activity: Partial<Activity>): Promise<void> {
    const place = placeOf(activity);
    const reference = storedReference(activity);
    if (!place || !reference) return;
    const json = JSON.stringify(reference);
    const stored = await this.deps.store.getConversationRef(place);
    if (stored?.reference === json) return;
    await this.deps.store.saveConversationRef({ place, reference: json, updatedAt: this.deps.clock.now().toISOString() });
  }

  // ---- messages ----

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const ctx = this.commandContext(activity);
    if (!ctx) return;
    // A card button: its data comes back in `value`, with no text and no mention.
    if (activity.value !== undefined && activity.value !== null && !(activity.text ?? '').trim()) {
      const submitted = parseSubmit(activity.value);
      await this.remember(activity);
      if (!submitted) {
        await context.sendActivity(cardActivity(card([text('Sorry: that button no longer works. Mention me with `help` for the commands.')]), 'That button no longer works.'));
        return;
      }
      await this.handleSubmit(context, ctx, submitted);
      return;
    }
    // In a channel, only messages that @mention the bot are for it.
    if (isChannel(activity) && !mentionsBot(activity)) return;
    await this.remember(activity);
    await this.send(context, await this.deps.service.run(ctx, commandText(activity)));
  }

  /**
   * Sends a reply as a new message, keeping the announcement true (see `announced`);
   * `under` replies under that message rather than the activity being answered.
   */
  private async send(context: TurnContext, reply: Reply, under: string | null = null): Promise<void> {
    let sent: { id?: string } | undefined;
    if (under) {
      // sendActivity would make it a reply to the incoming activity: address it ourselves.
      const activity = TurnContext.applyConversationReference({ ...replyActivity(reply) }, TurnContext.getConversationReference(context.activity));
      activity.replyToId = under;
      [sent] = await context.adapter.sendActivities(context, [activity]);
    } else {
      sent = await context.sendActivity(replyActivity(reply));
    }
    await this.announced(context, reply, sent?.id ?? null);
  }

  /**
   * After a reply was posted as activity `id`: remembers where a change that can be undone
   * was announced, and marks the announcement of a change just undone, so an undo typed
   * later updates the card it took back. Teams updates a message only within its own
   * conversation, so an announcement in another channel thread stays as it was (the undo
   * is announced on its own anyway). Never fails the reply.
   */
  private async announced(context: TurnContext, reply: Reply, id: string | null): Promise<void> {
    const { store, clock, logger } = this.deps;
    const conversation = context.activity.conversation?.id ?? '';
    try {
      if (reply.kind === 'decision' && reply.undo !== null && reply.visibility === 'channel' && id) {
        const where: Announced = { conversation, activity: id };
        const expiresAt = new Date(clock.now().getTime() + (UNDO_WINDOW_MINUTES + 1) * 60_000).toISOString();
        await store.saveAnnouncement({ changeId: reply.undo, data: JSON.stringify(where), expiresAt });
      }
      if (reply.kind === 'notice' && reply.undid) {
        const found = await store.takeAnnouncement(reply.undid, clock.now().toISOString());
        const where = found ? JSON.parse(found.data) as Announced : null;
        if (where && where.conversation === conversation && where.activity !== id) {
          await context.updateActivity({ ...replyActivity(reply), id: where.activity });
        }
      }
    } catch (err) {
      logger.warn({ status: (err as { statusCode?: number }).statusCode }, 'Teams: could not keep or mark where a change was announced');
    }
  }

  private async handleSubmit(context: TurnContext, ctx: CommandContext, s: Submitted): Promise<void> {
    const { service } = this.deps;
    switch (s.action) {
      case 'record':
        return this.answerCard(context, await service.runCommand(ctx, { name: 'record', text: s.text, ...(s.sprint === undefined ? {} : { sprint: s.sprint }), evidence: s.evidence, sourceUrl: s.sourceUrl }));
      case 'evidence':
        if (s.decision === null) return this.answerCard(context, inputError('Choose the decision the evidence is for.', 'decision'));
        return this.answerCard(context, await service.runCommand(ctx, { name: 'evidence', decision: s.decision, text: s.text }));
      case 'edit':
        if (s.decision === null) return this.answerCard(context, inputError('That card no longer says which decision to edit.', 'decision'));
        return this.answerCard(context, await service.runCommand(ctx, { name: 'edit', decision: s.decision, text: s.text }));
      case 'undo':
        // The card it sits under is replaced by the outcome, so the announcement says it was undone.
        return this.answerCard(context, await service.runCommand(ctx, { name: 'undo', change: s.change }));
      case 'openForm':
        await this.send(context, await service.runCommand(ctx, { name: 'form' }));
        return;
      case 'openEvidenceForm': {
        const decisions = await service.pickableDecisions(ctx);
        await context.sendActivity(cardActivity(evidenceFormCard(decisions, { decision: s.decision ?? undefined }), 'Add evidence'));
        return;
      }
      case 'run':
        await this.send(context, await service.run(ctx, s.text));
        return;
    }
  }

  /**
   * The answer to a card's button: the card is replaced by the outcome (the form
   * becomes the confirmation). An error goes in a new message, leaving the card as
   * it was so the person can correct it.
   */
  private async answerCard(context: TurnContext, reply: Reply): Promise<void> {
    const cardId = context.activity.replyToId;
    if (reply.kind !== 'error' && cardId) {
      try {
        await context.updateActivity({ ...replyActivity(reply), id: cardId });
        // The card is now the announcement (or, after Undo, already says it was undone).
        await this.announced(context, reply, cardId);
        return;
      } catch (err) {
        this.deps.logger.warn({ status: (err as { statusCode?: number }).statusCode }, 'Teams: could not update the card; sending a new message');
      }
    }
    await this.send(context, reply);
  }

  // ---- joining a conversation ----

  private async handleMembersAdded(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botId = activity.recipient?.id;
    if (!(activity.membersAdded ?? []).some((m) => m.id === botId)) return;
    await this.remember(activity);
    const ctx = this.commandContext(activity);
    if (!ctx) return;
    const help = await this.deps.service.run(ctx, 'help');
    if (help.kind !== 'help') return;
    await context.sendActivity(cardActivity(welcomeCard(help.entries), 'Hello! I keep this conversation\'s decisions.'));
  }

  // ---- the "Record as decision" message action ----

  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const ctx = this.commandContext(context.activity);
    // botbuilder passes the activity's value as it came: it may be missing.
    if (action?.commandId !== RECORD_COMMAND_ID || !ctx) return taskMessage('Sorry: this app has no such command.');
    await this.remember(context.activity);
    const payload = action.messagePayload;
    const reply = await this.deps.service.runCommand(ctx, { name: 'form', text: cut(messageBodyText(payload?.body), MAX_TEXT), sourceUrl: sourceUrl(payload?.linkToMessage) });
    if (reply.kind !== 'form') return taskMessage(`Sorry: ${reply.summary}`);
    return taskCard(decisionFormCard(reply.form));
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const ctx = this.commandContext(context.activity);
    const s = parseSubmit(action?.data);
    if (action?.commandId !== RECORD_COMMAND_ID || !ctx || s?.action !== 'record') return taskMessage('Sorry: this app has no such command.');
    // The link Teams gives with the message wins over the one carried in the form.
    const source = sourceUrl(action.messagePayload?.linkToMessage) ?? s.sourceUrl;
    const reply = await this.deps.service.runCommand(ctx, { name: 'record', text: s.text, ...(s.sprint === undefined ? {} : { sprint: s.sprint }), evidence: s.evidence, sourceUrl: source });
    if (reply.kind === 'error') {
      const form = await this.deps.service.runCommand(ctx, { name: 'form', text: s.text, sourceUrl: source });
      if (form.kind !== 'form') return taskMessage(`Sorry: ${reply.message}`);
      return taskCard(decisionFormCard(form.form, { error: reply.message, values: { text: s.text, evidence: s.evidence, sprint: s.sprint } }));
    }
    // The outcome goes under the message the action was on, not under the invoke.
    await this.send(context, reply, action.messagePayload?.id ?? null);
    return {};
  }
}
