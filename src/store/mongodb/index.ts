/**
 * The MongoDB store, through mongoose, for several bot instances sharing one database
 * (a replica set or Atlas). It implements the storage port of core (src/core/ports.ts)
 * and holds no business rules: it loads a case's records and commits what core decided,
 * conditionally on the case's version. The same contract suite runs against it as
 * against the SQLite store (tests/store/contract.ts).
 *
 * - commit.ts: the conditional commit, in a transaction on a replica set or mongos, else
 *   under a `writing` mark on the case (and what that leaves at risk).
 * - reads.ts: cases, whole cases read at one version, changes.
 * - snapshots.ts: import/copy of whole cases, and removal.
 * - claims.ts, installations.ts, conversation-refs.ts, announcements.ts: the other ports.
 * - connection.ts: opening, indexes, the schema-version stamp, whether transactions run.
 * - errors.ts: an unreachable database becomes StoreUnavailable (plain words for chat).
 * - health.ts: a ping to the primary, for /healthz.
 * - mapping.ts: documents <-> domain.
 *
 * User text never becomes a query operator: every filter value is cast to its type in
 * mapping.ts, the connection has `sanitizeFilter` on and the schemas `strictQuery:
 * 'throw'` (models/). The store's own operators are marked `mongoose.trusted()`.
 */
export { MongoStore } from './mongo-store';
export { openMongoStore, type MongoStoreOptions } from './connection';
export { isDuplicateKey, isUnreachable, storeError } from './errors';
export type { WriteLockTiming } from './context';
