/**
 * What the driver throws, in the Store's terms: an unreachable database becomes
 * StoreUnavailable (a plain message for chat, the driver's error kept as `cause`); a
 * StoreConflict passes as it is; anything else passes unchanged.
 */
import { StoreConflict, StoreUnavailable } from '../../core/ports';

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  writeErrors?: unknown;
}

/** Server error codes that mean "no primary to talk to right now". */
const UNREACHABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const UNREACHABLE_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongooseServerSelectionError',
  'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError', 'PoolClearedError',
  'PoolClearedOnNetworkError', 'MongoPoolClosedError', 'MongoServerClosedError', 'MongoClientClosedError',
]);

/** Whether an error from the driver or mongoose means the database cannot be reached. */
export function isUnreachable(err: unknown): boolean {
  for (let e = err as ErrorLike | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as ErrorLike, depth += 1) {
    if (typeof e.name === 'string' && UNREACHABLE_NAMES.has(e.name)) return true;
    if (typeof e.code === 'number' && UNREACHABLE_CODES.has(e.code)) return true;
    if (e.name === 'MongooseError' && typeof e.message === 'string'
      && /buffering timed out|before initial connection|connection .*closed/i.test(e.message)) return true;
  }
  return false;
}

/** Whether the driver labelled an error (TransientTransactionError, UnknownTransactionCommitResult). */
export function hasErrorLabel(err: unknown, label: string): boolean {
  const e = err as { hasErrorLabel?: (label: string) => boolean; errorLabels?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.hasErrorLabel === 'function') return e.hasErrorLabel(label);
  return Array.isArray(e.errorLabels) && e.errorLabels.includes(label);
}

/** Whether a write failed on a unique index (E11000), alone or in a batch. */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as ErrorLike | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 11000 || e.code === 11001) return true;
  if (Array.isArray(e.writeErrors)) return e.writeErrors.some((w: { code?: unknown; err?: { code?: unknown } }) => w?.code === 11000 || w?.err?.code === 11000);
  return false;
}

/** Whether a write failed on the unique index named `index` (the server names it in its message). */
export function isDuplicateOf(err: unknown, index: string): boolean {
  if (!isDuplicateKey(err)) return false;
  const e = err as ErrorLike;
  const messages = [e.message, ...(Array.isArray(e.writeErrors) ? e.writeErrors.map((w: { errmsg?: unknown }) => w?.errmsg) : [])];
  return messages.some((m) => typeof m === 'string' && m.includes(`index: ${index} `));
}

/** Turns what the driver threw into what the Store promises: StoreConflict stays, an unreachable database becomes StoreUnavailable. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreConflict || err instanceof StoreUnavailable) return err;
  if (isUnreachable(err)) return new StoreUnavailable(undefined, { cause: err });
  return err;
}

/** Runs one Store method, turning an unreachable database into StoreUnavailable. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw storeError(err);
  }
}

/** The first line of an error's message, for one-line start-up failures. */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim() || 'unknown error';
}

/**
 * Retries `fn` when it loses a race on a unique index (another instance wrote the same
 * key first): the next attempt reads what that instance wrote.
 */
export async function retryOnDuplicate<T>(fn: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
