/**
 * A card's Action.Submit (a message whose data is in `value`): the record form, Add
 * evidence, Edit, Undo, and the buttons that open a form or run a suggested command.
 */
import type { TurnContext } from 'botbuilder';
import type { Reply } from '../../../src/core/views';
import type { TeamsDeps } from '../deps';
import { commandContextOf } from '../activity';
import { remember } from '../conversations';
import { parseSubmit } from '../submit';
import { answerCard, send } from '../respond';
import { cardActivity } from '../cards/render';
import { evidenceFormCard } from '../cards/forms';
import { card, text } from '../cards/elements';

/** A plain error reply for input a card should not have let through. */
function inputError(message: string, field: 'text' | 'decision'): Reply {
  return { kind: 'error', visibility: 'caller', summary: message, message, suggestion: null, field };
}

export async function onCardSubmit(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const ctx = commandContextOf(context.activity);
  if (!ctx) return;
  const s = parseSubmit(context.activity.value);
  await remember(deps, context.activity);
  if (!s) {
    await context.sendActivity(cardActivity(card([text('Sorry: that button no longer works. Mention me with `help` for the commands.')]), 'That button no longer works.'));
    return;
  }
  const { service } = deps;
  switch (s.action) {
    case 'record':
      return answerCard(deps, context, await service.runCommand(ctx, { name: 'record', text: s.text, ...(s.sprint === undefined ? {} : { sprint: s.sprint }), evidence: s.evidence, decidedBy: s.decidedBy, points: s.points, sourceUrl: s.sourceUrl }));
    case 'evidence':
      if (s.decision === null) return answerCard(deps, context, inputError('Choose the decision the evidence is for.', 'decision'));
      return answerCard(deps, context, await service.runCommand(ctx, { name: 'evidence', decision: s.decision, text: s.text }));
    case 'edit':
      if (s.decision === null) return answerCard(deps, context, inputError('That card no longer says which decision to edit.', 'decision'));
      return answerCard(deps, context, await service.runCommand(ctx, { name: 'edit', decision: s.decision, text: s.text }));
    case 'undo':
      // The card it sits under is replaced by the outcome, so the announcement says it was undone.
      return answerCard(deps, context, await service.runCommand(ctx, { name: 'undo', change: s.change }));
    case 'openForm':
      return send(deps, context, await service.runCommand(ctx, { name: 'form' }));
    case 'openEvidenceForm': {
      const decisions = await service.pickableDecisions(ctx);
      await context.sendActivity(cardActivity(evidenceFormCard(decisions, { decision: s.decision ?? undefined }), 'Add evidence'));
      return;
    }
    case 'run':
      return send(deps, context, await service.run(ctx, s.text));
  }
}
