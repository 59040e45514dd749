/**
 * GitHub for publishing cases: the Repositories port, through Octokit, with GITHUB_TOKEN or a
 * GitHub App. Null when neither is configured (publishing is then off, and says so).
 */
import type { GitHubConfig } from '../../src/config';
import { GITHUB_PUBLIC_API } from '../../src/config';
import type { Repositories } from '../../src/core/ports';
import type { Logger } from '../../src/logger';
import { createClients } from './clients';
import { createRepositories } from './repositories';

export function mountGitHub(config: GitHubConfig | null, logger: Logger): Repositories | null {
  if (config === null) return null;
  const where = config.apiUrl === GITHUB_PUBLIC_API ? 'GitHub' : `GitHub at ${new URL(config.apiUrl).host}`;
  const how = config.auth.kind === 'token' ? 'GITHUB_TOKEN' : `the GitHub App ${config.auth.appId}`;
  return createRepositories(createClients(config, logger), logger, `${where}, with ${how}`);
}
