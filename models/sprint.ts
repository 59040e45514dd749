/** A sprint of a case: one per (case, number). */
import { Schema } from 'mongoose';
import type { PhaseKind } from '../src/core/model';
import { allowEmptyStrings, COLLECTIONS, optionalText, schemaOptions, schemaVersionField, text, wholeNumber } from './shared';

export interface SprintPhaseDoc {
  kind: PhaseKind;
  name: string | null;
}

export const PHASE_KINDS: readonly PhaseKind[] = ['discovery', 'alpha', 'beta', 'live'];

const phaseSchema = new Schema<SprintPhaseDoc>({
  kind: { type: String, required: true, enum: PHASE_KINDS },
  name: optionalText,
}, { _id: false, strict: 'throw', strictQuery: 'throw', id: false });

export interface SprintDoc {
  caseId: string;
  number: number;
  suffix: string;
  intro: string;
  /** Local date YYYY-MM-DD, or null. */
  startsOn: string | null;
  /** The phase that starts at this sprint; null or absent (documents from before phases) when none. */
  phase?: SprintPhaseDoc | null;
  schemaVersion: number;
}

export const sprintSchema = allowEmptyStrings(new Schema<SprintDoc>({
  caseId: text,
  number: wholeNumber(0),
  suffix: text,
  intro: text,
  startsOn: optionalText,
  phase: { type: phaseSchema, default: null },
  schemaVersion: schemaVersionField,
}, schemaOptions<SprintDoc>({ collection: COLLECTIONS.sprints })));

sprintSchema.index({ caseId: 1, number: 1 }, { unique: true, name: 'one_sprint_per_number' });
