/**
 * Bolt's InstallationStore over our Store: one row per workspace (team id, or enterprise
 * id for an org-wide install), the whole installation JSON encrypted with ENCRYPTION_KEY.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationStore as InstallationRecords } from './ports';
import type { Clock } from '../../src/core/service';
import { decrypt, encrypt } from './crypto';

export class NoInstallationError extends Error {
  constructor(key: string) {
    super(`Decisions is not installed in workspace ${key}.`);
    this.name = 'NoInstallationError';
  }
}

export interface SlackInstallationStore extends InstallationStore {
  /** The bot token for a workspace (team or enterprise id), or null when it is not installed. */
  botToken(workspace: string): Promise<string | null>;
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void>;
}

export function installationKey(installation: Pick<Installation, 'team' | 'enterprise' | 'isEnterpriseInstall'>): string {
  const key = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id ?? installation.enterprise?.id;
  if (!key) throw new Error('The installation names neither a team nor an enterprise.');
  return key;
}

function queryKeys(query: InstallationQuery<boolean>): string[] {
  if (query.isEnterpriseInstall && query.enterpriseId) return [query.enterpriseId];
  // A team inside an organisation may be covered by an org-wide install.
  return [query.teamId, query.enterpriseId].filter((k): k is string => typeof k === 'string' && k !== '');
}

export function createInstallationStore(deps: { store: InstallationRecords; key: Buffer; clock: Clock }): SlackInstallationStore {
  const { store, key, clock } = deps;

  async function load(k: string): Promise<Installation | null> {
    const row = await store.getInstallation(k);
    if (!row) return null;
    return JSON.parse(decrypt(row.data, key, k)) as Installation;
  }

  return {
    async storeInstallation(installation) {
      const k = installationKey(installation);
      await store.saveInstallation({ key: k, data: encrypt(JSON.stringify(installation), key, k), updatedAt: clock.now().toISOString() });
    },

    async fetchInstallation(query) {
      for (const k of queryKeys(query)) {
        const found = await load(k);
        if (found) return found;
      }
      throw new NoInstallationError(queryKeys(query).join('/') || 'unknown');
    },

    async deleteInstallation(query) {
      // Exactly the install the query names: a team leaving never removes its organisation's install.
      const k = query.isEnterpriseInstall ? query.enterpriseId : query.teamId ?? query.enterpriseId;
      if (k) await store.deleteInstallation(k);
    },

    async botToken(workspace) {
      const found = await load(workspace);
      return found?.bot?.token ?? null;
    },
  };
}
