/** A change someone made, kept so they can undo it. */
import { Schema, Types } from 'mongoose';
import type { ChangeSubject, UndoStep } from '../src/core/model';
import {
  actorSchema, allowEmptyStrings, COLLECTIONS, optionalText, schemaOptions, schemaVersionField, text, wholeNumber,
  type ActorDoc,
} from './shared';

export interface ChangeDoc {
  /** The change id. */
  _id: string;
  caseId: string;
  actor: ActorDoc;
  /** ISO time from the bot's clock. */
  at: string;
  /** The case version the change committed; absent (read as 0) on changes made before versions existed. */
  version: number;
  /** The keys it wrote ("decision.3", "sprint.4", …); absent (read as []) on old changes. */
  touches: string[];
  description: string;
  /** Plain JSON (Mixed). */
  undo: UndoStep[];
  /** What it changed, for the weekly digest (plain JSON, Mixed); absent when none. */
  subject?: ChangeSubject;
  /** When it was undone, or null. */
  undoneAt: string | null;
  /**
   * Orders changes with the same `at` (the decision and the evidence of one command):
   * ObjectIds made in one process increase, as SQLite's rowid does.
   */
  order: Types.ObjectId;
  schemaVersion: number;
}

export const changeSchema = allowEmptyStrings(new Schema<ChangeDoc>({
  _id: text,
  caseId: text,
  actor: { type: actorSchema, required: true },
  at: text,
  version: { ...wholeNumber(0), default: 0 },
  touches: { type: [String], default: [] },
  description: text,
  undo: { type: Schema.Types.Mixed, required: true },
  subject: { type: Schema.Types.Mixed },
  undoneAt: optionalText,
  order: { type: Schema.Types.ObjectId, required: true, default: () => new Types.ObjectId() },
  schemaVersion: schemaVersionField,
}, schemaOptions<ChangeDoc>({ collection: COLLECTIONS.changes })));

// lastChange: an actor's changes in a case, from a time on.
changeSchema.index({ caseId: 1, 'actor.id': 1, at: -1, order: -1 }, { name: 'by_actor' });
// listChanges: the changes of a case in a time window, in the order they were recorded.
changeSchema.index({ caseId: 1, at: 1, order: 1 }, { name: 'by_time' });
// changesAfter, and the order of listChanges: the changes of a case by the version they committed.
changeSchema.index({ caseId: 1, version: 1 }, { name: 'by_version' });
