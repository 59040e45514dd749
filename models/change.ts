/** A change someone made, kept so they can undo it. */
import { Schema, Types } from 'mongoose';
import type { ChangeSubject, UndoStep } from '../src/core/model';
import {
  actorSchema, allowEmptyStrings, COLLECTIONS, optionalText, schemaOptions, schemaVersionField, text, type ActorDoc,
} from './shared';

export interface ChangeDoc {
  /** The change id. */
  _id: string;
  caseId: string;
  actor: ActorDoc;
  /** ISO time from the bot's clock. */
  at: string;
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
  description: text,
  undo: { type: Schema.Types.Mixed, required: true },
  subject: { type: Schema.Types.Mixed },
  undoneAt: optionalText,
  order: { type: Schema.Types.ObjectId, required: true, default: () => new Types.ObjectId() },
  schemaVersion: schemaVersionField,
}, schemaOptions<ChangeDoc>({ collection: COLLECTIONS.changes })));

// lastChange: an actor's newest change in a case.
changeSchema.index({ caseId: 1, 'actor.id': 1, at: -1, order: -1 }, { name: 'by_actor' });
// listChanges: the changes of a case in a time window, in the order they were recorded.
changeSchema.index({ caseId: 1, at: 1, order: 1 }, { name: 'by_time' });
