/**
 * A claim on a piece of exactly-once work (a digest, a retro prompt). The key names the
 * case, the kind of work and its period (`digest:<caseId>:2025-W10`), and is the
 * document's `_id`: the unique index every collection has on `_id` is what lets exactly
 * one instance win, so there is one claim per (case, kind, period).
 */
import { Schema } from 'mongoose';
import { allowEmptyStrings, COLLECTIONS, optionalText, schemaOptions, schemaVersionField, text, wholeNumber } from './shared';

export interface ClaimDoc {
  _id: string;
  owner: string;
  claimedAt: string;
  leaseUntil: string;
  /** When the work was done; a done claim is never claimed again. */
  doneAt: string | null;
  /** How many times it has been won: 1 at first, one more at each takeover after a lease ran out. */
  attempts: number;
  schemaVersion: number;
}

export const claimSchema = allowEmptyStrings(new Schema<ClaimDoc>({
  _id: text,
  owner: text,
  claimedAt: text,
  leaseUntil: text,
  doneAt: optionalText,
  attempts: { ...wholeNumber(1), default: 1 },
  schemaVersion: schemaVersionField,
}, schemaOptions<ClaimDoc>({ collection: COLLECTIONS.claims })));
