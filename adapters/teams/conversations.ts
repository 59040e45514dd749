/** The conversation references kept for proactive posts (digests, retro prompts). */
import type { Activity } from 'botbuilder';
import type { TeamsDeps } from './deps';
import { placeOf, storedReference } from './activity';

/** Keeps the conversation's reference for proactive posts, when it is new or has changed. */
export async function remember(deps: TeamsDeps, activity: Partial<Activity>): Promise<void> {
  const place = placeOf(activity);
  const reference = storedReference(activity);
  if (!place || !reference) return;
  const json = JSON.stringify(reference);
  const stored = await deps.store.getConversationRef(place);
  if (stored?.reference === json) return;
  await deps.store.saveConversationRef({ place, reference: json, updatedAt: deps.clock.now().toISOString() });
}
