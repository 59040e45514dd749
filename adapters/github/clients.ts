/**
 * Octokit clients, one per repository: with GITHUB_TOKEN the same client serves every
 * repository; with a GitHub App, each repository gets a client for the App's installation
 * there (found with the App's own JWT), and @octokit/auth-app makes and renews that
 * installation's tokens. Requests time out, and Octokit's own log lines go to our logger.
 */
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import type { GitHubConfig } from '../../src/config';
import type { Logger } from '../../src/logger';
import type { RepoAddress } from '../../src/core/ports';

/** Longest a single call to GitHub may take. */
export const REQUEST_TIMEOUT_MS = 20_000;

export interface Clients {
  /** The client for a repository. */
  forRepo(repo: RepoAddress): Promise<Octokit>;
  /** With a GitHub App: what its installation on the repository may do; null with a token. */
  appPermissions(repo: RepoAddress): Promise<Record<string, string | undefined> | null>;
  /** Forgets a repository's installation (it was removed, or the repository moved). */
  forget(repo: RepoAddress): void;
}

export function createClients(config: GitHubConfig, logger: Logger): Clients {
  const log = {
    debug: (message: string) => logger.debug({ component: 'github' }, message),
    info: (message: string) => logger.debug({ component: 'github' }, message),
    warn: (message: string) => logger.warn({ component: 'github' }, message),
    error: (message: string) => logger.error({ component: 'github' }, message),
  };
  const request = {
    fetch: (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
  };
  const common = { baseUrl: config.apiUrl, userAgent: 'decisions-bot', log, request };
  const { auth } = config;

  if (auth.kind === 'token') {
    const client = new Octokit({ ...common, auth: auth.token });
    return { forRepo: async () => client, appPermissions: async () => null, forget: () => undefined };
  }

  const appAuth = { appId: auth.appId, privateKey: auth.privateKey };
  const app = new Octokit({ ...common, authStrategy: createAppAuth, auth: appAuth });
  const installations = new Map<string, { client: Octokit; permissions: Record<string, string | undefined> }>();
  const key = (repo: RepoAddress): string => `${repo.owner}/${repo.repo}`.toLowerCase();

  async function installation(repo: RepoAddress) {
    const found = installations.get(key(repo));
    if (found) return found;
    const { data } = await app.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.repo });
    const made = {
      client: new Octokit({ ...common, authStrategy: createAppAuth, auth: { ...appAuth, installationId: data.id } }),
      permissions: { ...data.permissions } as Record<string, string | undefined>,
    };
    installations.set(key(repo), made);
    return made;
  }

  return {
    forRepo: async (repo) => (await installation(repo)).client,
    appPermissions: async (repo) => (await installation(repo)).permissions,
    forget: (repo) => { installations.delete(key(repo)); },
  };
}
