/** A GitHub App installation a person of a workspace tied to it: one per (workspace, installation). */
import { Schema } from 'mongoose';
import { allowEmptyStrings, COLLECTIONS, schemaOptions, schemaVersionField, text, wholeNumber } from './shared';

export interface GitHubLinkDoc {
  /** "<workspace> <installation id>": one link each. */
  _id: string;
  /** "slack:T123", "teams:<tenant>". */
  workspace: string;
  installation: number;
  /** The installation's account ("acme"). */
  account: string;
  /** Who proved it, by GitHub login. */
  linkedBy: string;
  at: string;
  schemaVersion: number;
}

export const githubLinkSchema = allowEmptyStrings(new Schema<GitHubLinkDoc>({
  _id: text,
  workspace: text,
  installation: wholeNumber(0),
  account: text,
  linkedBy: text,
  at: text,
  schemaVersion: schemaVersionField,
}, schemaOptions<GitHubLinkDoc>({ collection: COLLECTIONS.githubLinks })));
