/** Slack workspace installs (OAuth), one per key; the data arrives encrypted. */
import type { InstallationDoc } from '../../../models';
import type { Installation } from '../../../adapters/slack/ports';
import type { Db } from './context';
import { guard, retryOnDuplicate } from './errors';
import { str, toInstallation } from './mapping';

export async function saveInstallation(db: Db, installation: Installation): Promise<void> {
  await guard(() => retryOnDuplicate(() => db.m.Installation.updateOne(
    { _id: str(installation.key) },
    { $set: { data: installation.data, updatedAt: installation.updatedAt } },
    { upsert: true },
  ).exec()));
}

export async function getInstallation(db: Db, key: string): Promise<Installation | null> {
  return guard(async () => {
    const d = await db.m.Installation.findOne({ _id: str(key) }).lean<InstallationDoc>().exec();
    return d ? toInstallation(d) : null;
  });
}

export async function deleteInstallation(db: Db, key: string): Promise<void> {
  await guard(() => db.m.Installation.deleteOne({ _id: str(key) }).exec());
}

export async function listInstallations(db: Db): Promise<Installation[]> {
  return guard(async () => {
    const docs = await db.m.Installation.find({}).sort({ _id: 1 }).lean<InstallationDoc[]>().exec();
    return docs.map(toInstallation);
  });
}
