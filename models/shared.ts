/**
 * What every model shares: the schema version, the options that keep user text from
 * becoming a query operator, and small schema pieces (actor, place).
 */
import { Schema, type SchemaOptions, type SchemaType } from 'mongoose';

/**
 * The version of the document shapes this code writes. Every document carries it as
 * `schemaVersion`; the store refuses a database holding documents of a newer version.
 * Bump it (and teach the store to read the old shape) when a shape changes.
 *
 * 2: cases carry `version` (and `writing` while a commit without transactions is under
 *    way); changes carry `version` and `touches`; decision numbers are no longer counted
 *    in `counters`. Version 1 documents are read as version 0 with no touches.
 */
export const SCHEMA_VERSION = 2;

/** Collection names, fixed so a rename of a model never moves data. */
export const COLLECTIONS = {
  cases: 'cases',
  sprints: 'sprints',
  decisions: 'decisions',
  evidence: 'evidence',
  changes: 'changes',
  counters: 'counters',
  installations: 'installations',
  conversationRefs: 'conversation_refs',
  claims: 'claims',
  announcements: 'announcements',
  githubLinks: 'github_links',
} as const;

/**
 * Options for every schema:
 * - `strict: 'throw'`: a write with a field the schema does not know fails loudly;
 * - `strictQuery: 'throw'`: so does a filter on an unknown path (`true` would silently
 *   drop it, which can turn a narrow filter into "match everything");
 * - `timestamps`: storage metadata (`insertedAt`, `modifiedAt`, server clock). The
 *   domain's own times (`createdAt`, `at`, …) are ISO strings from the injected clock;
 * - no `__v`, no `id` virtual, and empty objects kept (`minimize: false`) so documents
 *   read back exactly as written.
 * The connection adds `sanitizeFilter` (see models/index.ts).
 */
export function schemaOptions<T>(extra: SchemaOptions<T> = {}): SchemaOptions<T> {
  return {
    strict: 'throw',
    strictQuery: 'throw',
    versionKey: false,
    id: false,
    minimize: false,
    bufferCommands: false,
    timestamps: { createdAt: 'insertedAt', updatedAt: 'modifiedAt' },
    ...extra,
  };
}

/** The field every document carries: the version of its shape. */
export const schemaVersionField = {
  type: Number, required: true, default: SCHEMA_VERSION, min: 1,
  validate: { validator: Number.isInteger, message: 'schemaVersion must be a whole number' },
} as const;

/** A whole number, at least `min`. */
export function wholeNumber(min = 0) {
  return {
    type: Number, required: true, min,
    validate: { validator: Number.isInteger, message: '{PATH} must be a whole number, got {VALUE}' },
  } as const;
}

/** Text that must be present but may be empty (SQLite's NOT NULL). */
export const text = { type: String, required: true } as const;
/** Text or null. */
export const optionalText = { type: String, default: null } as const;

/**
 * Mongoose's `required` refuses the empty string; the domain allows it (a sprint with no
 * suffix, an empty intro). Makes every required string path of `schema` accept any
 * string, including "", and still refuse a missing value or null.
 */
export function allowEmptyStrings<T extends Schema>(schema: T): T {
  schema.eachPath((_path, type) => {
    if (type.instance === 'String' && type.isRequired) {
      (type as SchemaType & { checkRequired(v: unknown): boolean }).checkRequired = (v: unknown) => typeof v === 'string';
    }
  });
  return schema;
}

export interface ActorDoc {
  id: string;
  name: string;
}

export const actorSchema = allowEmptyStrings(new Schema<ActorDoc>(
  { id: text, name: text },
  { _id: false, strict: 'throw', strictQuery: 'throw', id: false },
));

export const PLATFORMS = ['slack', 'teams', 'console'] as const;

export interface PlaceDoc {
  platform: (typeof PLATFORMS)[number];
  workspace: string;
  channel: string;
}

export const placeSchema = allowEmptyStrings(new Schema<PlaceDoc>(
  { platform: { type: String, required: true, enum: PLATFORMS }, workspace: text, channel: text },
  { _id: false, strict: 'throw', strictQuery: 'throw', id: false },
));

/**
 * Plain JSON data for a Mixed field: exactly what JSON.stringify keeps (undefined keys
 * dropped), as the SQLite store keeps these fields as JSON text.
 */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
