/**
 * Which replies announce a change an Undo can later take back, and which say a change was
 * undone: one rule for every surface, which each keeps and marks its messages by.
 */
import { UNDO_WINDOW_MINUTES } from './commands/undo';
import type { Reply } from './views';

/** The change a reply announces in the channel (its Undo button's), or null. */
export function announcedChange(reply: Reply): string | null {
  if (reply.visibility !== 'channel') return null;
  return reply.kind === 'decision' || reply.kind === 'notice' || reply.kind === 'phases' ? reply.undo ?? null : null;
}

/** The change a reply says was just undone, or null. */
export function undoneChange(reply: Reply): string | null {
  return reply.kind === 'notice' ? reply.undid ?? null : null;
}

/** Until when where a change was announced is worth keeping: the undo window, and a minute. */
export function announcementExpiry(now: Date): string {
  return new Date(now.getTime() + (UNDO_WINDOW_MINUTES + 1) * 60_000).toISOString();
}
