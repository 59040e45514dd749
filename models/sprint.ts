/** A sprint of a case: one per (case, number). */
import { Schema } from 'mongoose';
import { allowEmptyStrings, COLLECTIONS, optionalText, schemaOptions, schemaVersionField, text, wholeNumber } from './shared';

export interface SprintDoc {
  caseId: string;
  number: number;
  suffix: string;
  intro: string;
  /** Local date YYYY-MM-DD, or null. */
  startsOn: string | null;
  schemaVersion: number;
}

export const sprintSchema = allowEmptyStrings(new Schema<SprintDoc>({
  caseId: text,
  number: wholeNumber(0),
  suffix: text,
  intro: text,
  startsOn: optionalText,
  schemaVersion: schemaVersionField,
}, schemaOptions<SprintDoc>({ collection: COLLECTIONS.sprints })));

sprintSchema.index({ caseId: 1, number: 1 }, { unique: true, name: 'one_sprint_per_number' });
