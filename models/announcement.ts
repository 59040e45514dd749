/**
 * Where a change was announced in chat (opaque to the store), so an undo typed later can
 * mark that announcement. The change id is the `_id`; rows live for the undo window only.
 */
import { Schema } from 'mongoose';
import { allowEmptyStrings, COLLECTIONS, schemaOptions, schemaVersionField, text } from './shared';

export interface AnnouncementDoc {
  _id: string;
  data: string;
  expiresAt: string;
  schemaVersion: number;
}

export const announcementSchema = allowEmptyStrings(new Schema<AnnouncementDoc>({
  _id: text,
  data: text,
  expiresAt: text,
  schemaVersion: schemaVersionField,
}, schemaOptions<AnnouncementDoc>({ collection: COLLECTIONS.announcements })));
announcementSchema.index({ expiresAt: 1 }, { name: 'announcements_by_expiry' });
