/** A business case: one per place (platform, workspace, channel). */
import { Schema } from 'mongoose';
import type { CaseCanvas, DocumentLayout, HolidayRegion, Publication, ScheduleSettings, SprintLength, TemplateName } from '../src/core/model';
import {
  allowEmptyStrings, COLLECTIONS, optionalText, placeSchema, schemaOptions, schemaVersionField, text, wholeNumber,
  type PlaceDoc,
} from './shared';

export interface CaseDoc {
  /** The case id. */
  _id: string;
  place: PlaceDoc;
  title: string | null;
  template: TemplateName;
  timeZone: string;
  sprintLength: SprintLength;
  /** Plain JSON (Mixed): the store writes it through `plainJson`. */
  layout: DocumentLayout;
  schedule: ScheduleSettings;
  shareVersion: number;
  /** Plain JSON (Mixed) or null: where the case is published on GitHub. Absent on documents written before publishing existed: read as null. */
  publication?: Publication | null;
  /** Plain JSON (Mixed) or null: the Slack canvas the case is kept in. Absent when it never was. */
  canvas?: CaseCanvas | null;
  /**
   * How far the canvas has been brought up to date, beside the case and outside its version
   * (CanvasStore): the version it shows, when it was written, since when a change waits for
   * it, and who holds the claim on its next write until when. Absent on older documents: 0 and null.
   */
  canvasShownVersion?: number;
  canvasWrittenAt?: string | null;
  canvasDueSince?: string | null;
  canvasOwner?: string | null;
  canvasLeaseUntil?: string | null;
  /**
   * Advanced by every commit to the case; a commit applies only while it still holds the
   * version the command read. Absent on documents written before versions existed: read as 0.
   */
  version: number;
  /**
   * Without transactions (a standalone server): set while a commit is writing the case's
   * records, to the ISO time its lease ends; readers wait until it is cleared or expired.
   * Null or absent otherwise.
   */
  writing?: string | null;
  /**
   * When the case's next scheduled work falls due (ISO; null: nothing switched on). The
   * scheduler reads only cases due. Documents written before it existed get a time long
   * past when the store opens, so the next tick looks at them once and sets it.
   */
  nextDueAt?: string | null;
  /**
   * What the case holds in its GitHub repository (files, its branch namespace): each key on
   * one case only, by a unique index. Absent when it holds none.
   */
  publishTargets?: string[];
  /** ISO 8601 UTC strings from the bot's clock. */
  createdAt: string;
  updatedAt: string;
  schemaVersion: number;
}

export const TEMPLATE_NAMES: readonly TemplateName[] = ['prototype', 'five-case'];
export const HOLIDAY_REGION_NAMES: readonly HolidayRegion[] = ['england-and-wales', 'scotland', 'northern-ireland', 'none'];

const sprintLengthSchema = new Schema<SprintLength>({
  count: wholeNumber(1),
  unit: { type: String, required: true, enum: ['days', 'weeks'] },
}, { _id: false, strict: 'throw', strictQuery: 'throw', id: false });

const scheduleSchema = allowEmptyStrings(new Schema<ScheduleSettings>({
  digestOn: { type: Boolean, required: true },
  digestWeekday: { ...wholeNumber(0), max: 6 },
  digestTime: text,
  retroOn: { type: Boolean, required: true },
  retroTime: text,
  // Absent on documents written before it existed: the time zone's region.
  holidays: { type: String, default: null, enum: [...HOLIDAY_REGION_NAMES, null] },
}, { _id: false, strict: 'throw', strictQuery: 'throw', id: false }));

export const caseSchema = allowEmptyStrings(new Schema<CaseDoc>({
  _id: text,
  place: { type: placeSchema, required: true },
  title: optionalText,
  template: { type: String, required: true, enum: TEMPLATE_NAMES },
  timeZone: text,
  sprintLength: { type: sprintLengthSchema, required: true },
  layout: { type: Schema.Types.Mixed, required: true },
  schedule: { type: scheduleSchema, required: true },
  shareVersion: wholeNumber(0),
  publication: { type: Schema.Types.Mixed, default: null },
  canvas: { type: Schema.Types.Mixed, default: undefined },
  canvasShownVersion: { ...wholeNumber(0), required: false, default: 0 },
  canvasWrittenAt: optionalText,
  canvasDueSince: optionalText,
  canvasOwner: optionalText,
  canvasLeaseUntil: optionalText,
  version: { ...wholeNumber(0), default: 0 },
  writing: optionalText,
  nextDueAt: optionalText,
  publishTargets: { type: [String], default: undefined },
  createdAt: text,
  updatedAt: text,
  schemaVersion: schemaVersionField,
}, schemaOptions<CaseDoc>({ collection: COLLECTIONS.cases })));

// One case per place, even when two instances make it at once.
caseSchema.index({ 'place.platform': 1, 'place.workspace': 1, 'place.channel': 1 }, { unique: true, name: 'one_case_per_place' });
// A repository file or branch namespace belongs to one case: the index spans every key of every case.
caseSchema.index({ publishTargets: 1 }, { unique: true, partialFilterExpression: { publishTargets: { $type: 'string' } }, name: 'one_case_per_publish_target' });
// listCases: by creation time, then id.
caseSchema.index({ createdAt: 1, _id: 1 }, { name: 'by_created' });
// Canvases waiting for a change, the longest waiting first: only cases with one waiting are in it.
caseSchema.index({ canvasDueSince: 1, _id: 1 }, { partialFilterExpression: { canvasDueSince: { $type: 'string' } }, name: 'by_canvas_due' });
// The scheduler's tick: cases due by now, earliest first, then by id.
caseSchema.index({ nextDueAt: 1, _id: 1 }, { name: 'by_due' });
