/**
 * Counters for numbering: `{ _id: 'decision:<caseId>', seq }` holds how many numbers the
 * case has given out, so the next decision is `seq` before the increment. Incremented
 * with `findOneAndUpdate({ $inc: { seq: 1 } })`, which the server applies atomically
 * whatever number of instances ask at once.
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

/** The counter of decision numbers of a case. */
export function decisionCounterId(caseId: string): string {
  return `decision:${String(caseId)}`;
}
