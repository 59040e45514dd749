/**
 * Where a chat surface announced a change, so an undo can mark that announcement as undone
 * (Slack: the response URL or the message's channel and ts, encrypted by the adapter;
 * Teams: the activity id). Kept only for the undo window. Each store implements it.
 */
export interface Announcement {
  changeId: string;
  /** The surface's own description of the message, opaque to the store. */
  data: string;
  expiresAt: string;
}

export interface AnnouncementStore {
  saveAnnouncement(announcement: Announcement): Promise<void>;
  /**
   * Removes and returns the announcement of a change, so exactly one undo marks it; null
   * when there is none or it expired before `now`. Expired ones are removed on the way.
   */
  takeAnnouncement(changeId: string, now: string): Promise<Announcement | null>;
}
