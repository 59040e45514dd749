/** Where changes were announced in chat, for the undo window only. */
import mongoose from 'mongoose';
import type { AnnouncementDoc } from '../../../models';
import type { Announcement } from '../../../adapters/announcement-store';
import type { Db } from './context';
import { guard, retryOnDuplicate } from './errors';
import { str } from './mapping';

export async function saveAnnouncement(db: Db, a: Announcement): Promise<void> {
  await guard(() => retryOnDuplicate(() => db.m.Announcement.updateOne(
    { _id: str(a.changeId) },
    { $set: { data: a.data, expiresAt: a.expiresAt } },
    { upsert: true },
  ).exec()));
}

export async function takeAnnouncement(db: Db, changeId: string, now: string): Promise<Announcement | null> {
  return guard(async () => {
    const d = await db.m.Announcement.findOne({ _id: str(changeId) }).lean<AnnouncementDoc>().exec();
    await db.m.Announcement.deleteMany({ expiresAt: mongoose.trusted({ $lt: str(now) }) }).exec();
    if (!d) return null;
    // Whoever deletes it takes it: two undos racing mark the announcement once.
    const gone = await db.m.Announcement.deleteOne({ _id: str(changeId) }).exec();
    if (gone.deletedCount !== 1 || d.expiresAt < now) return null;
    return { changeId: d._id, data: d.data, expiresAt: d.expiresAt };
  });
}
