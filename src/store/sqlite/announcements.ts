/** Where changes were announced in chat, for the undo window only. */
import type { Announcement } from '../../core/ports';
import type { Db } from './connection';

interface AnnouncementRow {
  change_id: string;
  data: string;
  expires_at: string;
}

export function saveAnnouncement(d: Db, a: Announcement): Promise<void> {
  return d.write(() => {
    d.sql(
      `INSERT INTO announcements (change_id, data, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (change_id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
    ).run(a.changeId, a.data, a.expiresAt);
  });
}

export function takeAnnouncement(d: Db, changeId: string, now: string): Promise<Announcement | null> {
  return d.write(() => {
    const row = d.sql(`SELECT * FROM announcements WHERE change_id = ?`).get(changeId) as AnnouncementRow | undefined;
    d.sql(`DELETE FROM announcements WHERE change_id = ? OR expires_at < ?`).run(changeId, now);
    if (!row || row.expires_at < now) return null;
    return { changeId: row.change_id, data: row.data, expiresAt: row.expires_at };
  });
}
