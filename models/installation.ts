/** A Slack workspace install (OAuth), tokens already encrypted by the caller. One per key. */
import { Schema } from 'mongoose';
import { allowEmptyStrings, COLLECTIONS, schemaOptions, schemaVersionField, text } from './shared';

export interface InstallationDoc {
  /** Team id, or enterprise id for org-wide installs. */
  _id: string;
  data: string;
  updatedAt: string;
  schemaVersion: number;
}

export const installationSchema = allowEmptyStrings(new Schema<InstallationDoc>({
  _id: text,
  data: text,
  updatedAt: text,
  schemaVersion: schemaVersionField,
}, schemaOptions<InstallationDoc>({ collection: COLLECTIONS.installations })));
