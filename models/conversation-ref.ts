/** A Teams ConversationReference for proactive posts: one per place. */
import { Schema } from 'mongoose';
import { allowEmptyStrings, COLLECTIONS, placeSchema, schemaOptions, schemaVersionField, text, type PlaceDoc } from './shared';

export interface ConversationRefDoc {
  place: PlaceDoc;
  /** The reference as JSON text. */
  reference: string;
  updatedAt: string;
  schemaVersion: number;
}

export const conversationRefSchema = allowEmptyStrings(new Schema<ConversationRefDoc>({
  place: { type: placeSchema, required: true },
  reference: text,
  updatedAt: text,
  schemaVersion: schemaVersionField,
}, schemaOptions<ConversationRefDoc>({ collection: COLLECTIONS.conversationRefs })));

conversationRefSchema.index(
  { 'place.platform': 1, 'place.workspace': 1, 'place.channel': 1 },
  { unique: true, name: 'one_reference_per_place' },
);
