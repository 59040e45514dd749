/** Which workspaces may publish through which GitHub App installations (GitHubLinkStore). */
import type { Db } from './connection';

export function linkInstallation(d: Db, link: { workspace: string; installation: number; account: string; linkedBy: string; at: string }): Promise<void> {
  return d.write(() => {
    d.sql(
      `INSERT INTO github_links (workspace, installation, account, linked_by, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (workspace, installation) DO UPDATE SET account = excluded.account, linked_by = excluded.linked_by, at = excluded.at`,
    ).run(link.workspace, link.installation, link.account, link.linkedBy, link.at);
  });
}

export function isLinked(d: Db, workspace: string, installation: number): Promise<boolean> {
  return d.read(() => d.sql(`SELECT 1 FROM github_links WHERE workspace = ? AND installation = ?`).get(workspace, installation) !== undefined);
}
