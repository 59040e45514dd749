/** What the Teams adapter keeps in the store: conversation references. Each store implements it. */
import type { Place } from '../../src/core/model';

/** A Teams ConversationReference for proactive posts, as JSON. */
export interface ConversationRef {
  place: Place;
  reference: string;
  updatedAt: string;
}

/** Teams conversation references, for proactive posts. */
export interface ConversationStore {
  saveConversationRef(ref: ConversationRef): Promise<void>;
  getConversationRef(place: Place): Promise<ConversationRef | null>;
  listConversationRefs(): Promise<ConversationRef[]>;
}
