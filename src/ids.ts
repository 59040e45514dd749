/**
 * Ids for new records: UUIDs of version 7 (RFC 9562), whose first 48 bits are the time in
 * milliseconds. Records made one after another get ids that sort one after another, so each
 * insert lands at the end of its index instead of on a random page: a commit writes and
 * syncs fewer pages (SQLite), and an index stays compact (MongoDB). Within one millisecond a
 * counter in the next 12 bits keeps them in order; the last 62 bits are random.
 */
import { randomFillSync } from 'node:crypto';

const bytes = Buffer.alloc(16);
// Random bytes are drawn 16 ids at a time: asking the system for each id's costs more than the id.
const pool = Buffer.alloc(256);
let used = pool.length;
let lastMs = -1;
let counter = 0;

export function timeOrderedId(now: number = Date.now()): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(bytes, 0, used, used + 16);
  used += 16;
  if (now > lastMs) {
    lastMs = now;
    counter = bytes.readUInt16BE(6) & 0x07ff; // random start, room to count up
  } else {
    counter += 1;
    if (counter > 0x0fff) {
      // 4,096 ids in one millisecond: borrow the next one, so order still holds.
      lastMs += 1;
      counter = 0;
    }
  }
  const ms = Math.max(now, lastMs);
  bytes.writeUIntBE(ms, 0, 6);
  bytes.writeUInt16BE(0x7000 | counter, 6);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
