/** Which workspaces may publish through which GitHub App installations (GitHubLinkStore). */
import type { Db } from './context';
import { guard, retryOnDuplicate } from './errors';
import { int, str } from './mapping';

const id = (workspace: string, installation: number): string => `${workspace} ${installation}`;

export async function linkInstallation(db: Db, link: { workspace: string; installation: number; account: string; linkedBy: string; at: string }): Promise<void> {
  await guard(() => retryOnDuplicate(() => db.m.GitHubLink.updateOne(
    { _id: str(id(link.workspace, link.installation)) },
    { $set: { workspace: str(link.workspace), installation: int(link.installation), account: str(link.account), linkedBy: str(link.linkedBy), at: str(link.at) } },
    { upsert: true },
  ).exec()));
}

export async function isLinked(db: Db, workspace: string, installation: number): Promise<boolean> {
  return guard(async () => (await db.m.GitHubLink.countDocuments({ _id: str(id(workspace, installation)) }).exec()) > 0);
}
