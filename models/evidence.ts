/**
 * Evidence under a decision: one per (case, decision, letter) and one per
 * (case, decision, position). Back-references ("Evidence 10a: See above" under a later
 * decision) have no letter of their own (null), and any number of them may sit under a
 * decision, so the letter key only covers evidence whose letter is a string.
 */
import { Schema } from 'mongoose';
import {
  actorSchema, allowEmptyStrings, COLLECTIONS, optionalText, schemaOptions, schemaVersionField, text, wholeNumber,
  type ActorDoc,
} from './shared';

export interface EvidenceDoc {
  /** The evidence id (unique across cases). */
  _id: string;
  caseId: string;
  decision: number;
  letter: string | null;
  refersTo: string | null;
  position: number;
  text: string;
  author: ActorDoc;
  createdAt: string;
  sourceUrl: string | null;
  /** Points of the Service Standard, 1 to 14. Absent on documents written before points existed: none. */
  points?: number[];
  schemaVersion: number;
}

export const evidenceSchema = allowEmptyStrings(new Schema<EvidenceDoc>({
  _id: text,
  caseId: text,
  decision: wholeNumber(0),
  letter: { type: String, default: null, match: /^[a-z]+$/ },
  refersTo: optionalText,
  position: wholeNumber(0),
  text,
  author: { type: actorSchema, required: true },
  createdAt: text,
  sourceUrl: optionalText,
  points: { type: [{ type: Number, min: 1, max: 14 }], default: [] },
  schemaVersion: schemaVersionField,
}, schemaOptions<EvidenceDoc>({ collection: COLLECTIONS.evidence })));

evidenceSchema.index(
  { caseId: 1, decision: 1, letter: 1 },
  { unique: true, partialFilterExpression: { letter: { $type: 'string' } }, name: 'one_evidence_per_letter' },
);
// Also serves listEvidence's order (decision, position).
evidenceSchema.index({ caseId: 1, decision: 1, position: 1 }, { unique: true, name: 'one_evidence_per_position' });
