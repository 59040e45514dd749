/**
 * A decision: one per (case, number). Core gives the numbers; the unique key only makes
 * sure a number is never held twice. (Documents from schema version 1 may carry an
 * `evidenceWrites` field, no longer used; it is left as it is.)
 */
import { Schema } from 'mongoose';
import type { DecisionStatus } from '../src/core/model';
import {
  actorSchema, allowEmptyStrings, COLLECTIONS, optionalText, schemaOptions, schemaVersionField, text, wholeNumber,
  type ActorDoc,
} from './shared';

export interface RevisionDoc {
  text: string;
  editedBy: ActorDoc;
  editedAt: string;
}

export interface DecisionDoc {
  caseId: string;
  number: number;
  sprint: number;
  text: string;
  author: ActorDoc;
  createdAt: string;
  updatedAt: string;
  status: DecisionStatus;
  statusReason: string | null;
  supersededBy: number | null;
  sourceUrl: string | null;
  revisions: RevisionDoc[];
  /** Who took the decision, by name. Absent on documents written before it existed: nobody named. */
  deciders?: string[];
  /** Points of the Service Standard, 1 to 14. Absent on documents written before points existed: none. */
  points?: number[];
  schemaVersion: number;
}

export const DECISION_STATUSES: readonly DecisionStatus[] = ['active', 'proposed', 'rejected', 'withdrawn', 'superseded'];

const revisionSchema = allowEmptyStrings(new Schema<RevisionDoc>({
  text,
  editedBy: { type: actorSchema, required: true },
  editedAt: text,
}, { _id: false, strict: 'throw', strictQuery: 'throw', id: false }));

export const decisionSchema = allowEmptyStrings(new Schema<DecisionDoc>({
  caseId: text,
  number: wholeNumber(0),
  sprint: wholeNumber(0),
  text,
  author: { type: actorSchema, required: true },
  createdAt: text,
  updatedAt: text,
  status: { type: String, required: true, enum: DECISION_STATUSES },
  statusReason: optionalText,
  supersededBy: { type: Number, default: null, min: 0 },
  sourceUrl: optionalText,
  revisions: { type: [revisionSchema], default: [] },
  deciders: { type: [String], default: [] },
  points: { type: [{ type: Number, min: 1, max: 14 }], default: [] },
  schemaVersion: schemaVersionField,
}, schemaOptions<DecisionDoc>({ collection: COLLECTIONS.decisions })));

decisionSchema.index({ caseId: 1, number: 1 }, { unique: true, name: 'one_decision_per_number' });
// listDecisions({ sprint }) and "does this sprint have decisions".
decisionSchema.index({ caseId: 1, sprint: 1, number: 1 }, { name: 'by_sprint' });
