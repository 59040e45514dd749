/**
 * Unprompted posts (retro prompts, weekly digests) into a case's Teams channel or
 * chat, through the ConversationReference stored when the bot joined it.
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { Case } from '../../src/core/model';
import type { Reply } from '../../src/core/views';
import type { ConversationStore } from './ports';
import type { Logger } from '../../src/logger';
import type { PostResult } from '../../src/surface';
import { replyActivity } from './cards/render';

/** The HTTP status of a failed Bot Connector call, when it has one. */
export function statusOf(err: unknown): number | null {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  for (const v of [e?.statusCode, e?.status, e?.response?.status]) {
    if (typeof v === 'number') return v;
  }
  return null;
}

/** An error as it may be logged: never the request (its headers carry the token). */
export function safeError(err: unknown): { name: string; message: string; status: number | null } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message.slice(0, 300), status: statusOf(err) };
}

export function createPoster(deps: { adapter: CloudAdapter; store: ConversationStore; appId: string; logger: Logger }) {
  return async function post(c: Case, reply: Reply): Promise<PostResult> {
    const stored = await deps.store.getConversationRef(c.place);
    // Without a reference the bot cannot reach the conversation until it is added again.
    if (!stored) return { ok: false, gone: true, reason: 'The bot has no reference to this Teams conversation: add it to the team, channel or chat again.' };
    let reference: Partial<ConversationReference>;
    try {
      reference = JSON.parse(stored.reference) as Partial<ConversationReference>;
    } catch {
      return { ok: false, gone: false, reason: 'The stored Teams conversation reference cannot be read.' };
    }
    // Errors are caught inside the turn: otherwise the adapter's turn-error handler would swallow them.
    let failure: unknown = null;
    try {
      await deps.adapter.continueConversationAsync(deps.appId, reference, async (turn) => {
        try {
          await turn.sendActivity(replyActivity(reply));
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure = err;
    }
    if (failure === null) return { ok: true };
    const status = statusOf(failure);
    deps.logger.warn({ caseId: c.id, err: safeError(failure) }, 'Teams: proactive post failed');
    if (status === 403 || status === 404) {
      return { ok: false, gone: true, reason: `Teams answered ${status}: the bot was removed from this conversation, or it no longer exists.` };
    }
    return { ok: false, gone: false, reason: `Teams could not take the post${status ? ` (HTTP ${status})` : ''}: ${safeError(failure).message}` };
  };
}
