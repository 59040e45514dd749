/**
 * Octokit clients: with GITHUB_TOKEN one client serves every repository; with a GitHub App,
 * one client per installation, and only the installation a case was tied to when it was
 * connected (never one looked up by the repository's name, which any workspace could ask
 * for). @octokit/auth-app makes and renews installation tokens. Requests time out, and
 * Octokit's own log lines go to our logger.
 */
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import type { GitHubConfig } from '../../src/config';
import type { Logger } from '../../src/logger';
import { RepositoryError, type RepoAddress, type RepoInstallation } from '../../src/core/ports';

/** Longest a single call to GitHub may take. */
export const REQUEST_TIMEOUT_MS = 20_000;

export interface Clients {
  /** The client for a repository: with a GitHub App, of the installation the address names (none is looked up for it). */
  forRepo(repo: RepoAddress): Promise<Octokit>;
  /** With a GitHub App, its installation on the repository's account, found with the App's own key; null with a token. */
  installationOf(repo: RepoAddress): Promise<RepoInstallation | null>;
  /** With a GitHub App: what its installation (the address's) may do; null with a token. */
  appPermissions(repo: RepoAddress): Promise<Record<string, string | undefined> | null>;
  /** Forgets what was learnt of an installation (it was removed, or its permissions changed). */
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
    return { forRepo: async () => client, installationOf: async () => null, appPermissions: async () => null, forget: () => undefined };
  }

  const appAuth = { appId: auth.appId, privateKey: auth.privateKey };
  const app = new Octokit({ ...common, authStrategy: createAppAuth, auth: appAuth });
  const clients = new Map<number, Octokit>();
  const permissions = new Map<number, Record<string, string | undefined>>();

  /** A case's calls go through the installation it was connected with, or not at all. */
  function installationId(repo: RepoAddress): number {
    if (typeof repo.installation !== 'number') throw new RepositoryError('no permission', `The case is not tied to a GitHub App installation on ${repo.owner}; connect it again with \`publish github ${repo.owner}/${repo.repo}\`.`);
    return repo.installation;
  }

  function client(id: number): Octokit {
    const found = clients.get(id);
    if (found) return found;
    const made = new Octokit({ ...common, authStrategy: createAppAuth, auth: { ...appAuth, installationId: id } });
    clients.set(id, made);
    return made;
  }

  return {
    forRepo: async (repo) => client(installationId(repo)),
    async installationOf(repo) {
      const { data } = await app.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.repo });
      permissions.set(data.id, { ...data.permissions } as Record<string, string | undefined>);
      const account = data.account && 'login' in data.account ? data.account.login : repo.owner;
      return { id: data.id, account };
    },
    async appPermissions(repo) {
      const id = installationId(repo);
      const known = permissions.get(id);
      if (known) return known;
      const { data } = await app.rest.apps.getInstallation({ installation_id: id });
      const got = { ...data.permissions } as Record<string, string | undefined>;
      permissions.set(id, got);
      return got;
    },
    forget: (repo) => {
      if (typeof repo.installation !== 'number') return;
      clients.delete(repo.installation);
      permissions.delete(repo.installation);
    },
  };
}
