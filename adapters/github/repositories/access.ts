/** What the bot may do in a repository, found without writing anything. */
import type { Octokit } from '@octokit/rest';
import type { RepoAccess, RepoAddress } from '../../../src/core/ports';
import { repositoryName as name } from '../../../src/core/publishing/publish';
import type { Logger } from '../../../src/logger';
import type { Clients } from '../clients';
import { at, statusOf } from './calls';

/** A ref no branch will ever point at: the write probes below are refused before they could do anything. */
const NO_COMMIT = '0000000000000000000000000000000000000000';
const PROBE_BRANCH = 'decisions-bot/access-check';

export async function readAccess(o: Octokit, repo: RepoAddress, clients: Clients, logger: Logger): Promise<RepoAccess> {
  const { data } = await o.rest.repos.get(at(repo));
  const app = await clients.appPermissions(repo);
  if (app) {
    const missing: RepoAccess['missing'] = [];
    if (app.contents !== 'write') missing.push('contents');
    if (app.pull_requests !== 'write') missing.push('pull requests');
    return { defaultBranch: data.default_branch, missing };
  }
  // The token's owner can only read the repository: no token permission changes that.
  if (data.permissions && !data.permissions.push) return { defaultBranch: data.default_branch, missing: ['contents', 'pull requests'] };
  return { defaultBranch: data.default_branch, missing: await probeToken(o, repo, data.default_branch, logger) };
}

/**
 * A token's own permissions cannot be read back, so each is tried with a write GitHub must
 * refuse anyway (a branch at a commit that cannot exist, a pull request from a branch that
 * does not): refused for want of permission (403/404), or for the bad request (422) only
 * when the permission is there. Nothing is written either way.
 */
async function probeToken(o: Octokit, repo: RepoAddress, base: string, logger: Logger): Promise<RepoAccess['missing']> {
  const missing: RepoAccess['missing'] = [];
  const ref = await statusOf(() => o.rest.git.createRef({ ...at(repo), ref: `refs/heads/${PROBE_BRANCH}`, sha: NO_COMMIT }));
  if (ref === 403 || ref === 404) missing.push('contents');
  const pull = await statusOf(() => o.rest.pulls.create({ ...at(repo), title: 'Access check', head: PROBE_BRANCH, base }));
  if (pull === 403 || pull === 404) missing.push('pull requests');
  if (ref === 0 || ref === 401 || pull === 401) logger.warn({ component: 'github', repository: name(repo), ref, pull }, 'GitHub: an access check did not answer as expected');
  return missing;
}
