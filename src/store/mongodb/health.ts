/**
 * The store's health for /healthz: whether the primary answers a ping in time. A ping goes
 * to the primary, so a replica set without one is unhealthy: it cannot take writes.
 */
import type { Connection } from 'mongoose';
import type { StoreHealth } from '../../core/ports';
import { isUnreachable } from './errors';

/** How long /healthz waits for MongoDB's answer. */
const PING_TIMEOUT_MS = 2000;

export async function ping(conn: Connection, timeoutMs: number = PING_TIMEOUT_MS): Promise<StoreHealth> {
  const db = conn.db;
  if (!db) return { ok: false, reason: 'MongoDB is not connected.' };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<StoreHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `MongoDB did not answer within ${timeoutMs} ms.` }), timeoutMs);
  });
  const answer = db.command({ ping: 1 }).then(
    (): StoreHealth => ({ ok: true }),
    (err: unknown): StoreHealth => ({ ok: false, reason: isUnreachable(err) ? 'MongoDB is not reachable.' : 'MongoDB refused a ping.' }),
  );
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}
