/**
 * Counters. Only one is used now: `{ _id: 'schemaVersion', seq }`, the version of the
 * document shapes the database holds (see SCHEMA_VERSION), raised with `$max` by every
 * instance at start.
 *
 * Schema version 1 also kept one counter per case for decision numbers
 * (`{ _id: 'decision:<caseId>', seq }`). Numbers are core's now; those documents are
 * left where they are, unread, and removed with their case.
 */
import { Schema } from 'mongoose';
import { COLLECTIONS, schemaOptions, schemaVersionField, text, wholeNumber } from './shared';

export interface CounterDoc {
  _id: string;
  seq: number;
  schemaVersion: number;
}

export const counterSchema = new Schema<CounterDoc>({
  _id: text,
  seq: wholeNumber(0),
  schemaVersion: schemaVersionField,
}, schemaOptions<CounterDoc>({ collection: COLLECTIONS.counters }));

/** The id of the counter holding the database's schema version. */
export const SCHEMA_VERSION_ID = 'schemaVersion';

/** The id of a case's decision counter from schema version 1, removed with the case. */
export function legacyDecisionCounterId(caseId: string): string {
  return `decision:${String(caseId)}`;
}
