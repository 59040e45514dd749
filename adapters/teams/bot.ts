/**
 * The Teams bot: wiring only, one method per kind of activity, each handed to its handler
 * under handlers/ (which reads the activity, calls core and renders the reply as a card).
 */
import { TeamsActivityHandler } from 'botbuilder';
import type { MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from 'botbuilder';
import type { TeamsDeps } from './deps';
import { isCardSubmit } from './activity';
import { onMessage } from './handlers/messages';
import { onCardSubmit } from './handlers/card-submits';
import { onInstalled, onMembersAdded } from './handlers/members';
import { onFetchTask, onSubmitAction } from './handlers/message-action';

export class DecisionsBot extends TeamsActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onMessage(async (context, next) => {
      await (isCardSubmit(context.activity) ? onCardSubmit : onMessage)(context, deps);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await onMembersAdded(context, deps);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await onInstalled(context, deps);
      await next();
    });
  }

  protected override handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return onFetchTask(context, action, this.deps);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return onSubmitAction(context, action, this.deps);
  }
}
