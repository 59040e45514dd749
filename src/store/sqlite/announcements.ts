/** Where changes were announced in chat, for the undo window only. */
import type { Announcement } from '../../../adapters/announcement-store';
import type { GroupCommit } from './commit';
import type { Db } from './connection';

interface AnnouncementRow {
  change_id: string;
  data: string;
  expires_at: string;
}

/** Saved with the next group commit: one is saved after every command a chat announces. */
export function saveAnnouncement(d: Db, group: GroupCommit, a: Announcement): Promise<void> {
  return group(() => {
    d.sql(
      `INSERT INTO announcements (change_id, data, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (change_id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
    ).run(a.changeId, a.data, a.expiresAt);
  });
}

/** Through the same group commit, so it comes after a save this process queued before it. */
export function takeAnnouncement(d: Db, group: GroupCommit, changeId: string, now: string): Promise<Announcement | null> {
  return group(() => {
    const row = d.sql(`SELECT * FROM announcements WHERE change_id = ?`).get(changeId) as AnnouncementRow | undefined;
    d.sql(`DELETE FROM announcements WHERE change_id = ? OR expires_at < ?`).run(changeId, now);
    if (!row || row.expires_at < now) return null;
    return { changeId: row.change_id, data: row.data, expiresAt: row.expires_at };
  });
}
