/** Branches, through the git refs API. */
import type { Octokit } from '@octokit/rest';
import type { RepoAddress } from '../../../src/core/ports';
import { githubMessage, isHttpFailure } from '../errors';
import { at, notFoundIsNull } from './calls';

export async function branchHead(o: Octokit, repo: RepoAddress, branch: string): Promise<string | null> {
  const found = await notFoundIsNull(() => o.rest.git.getRef({ ...at(repo), ref: `heads/${branch}` }));
  return found?.data.object.sha ?? null;
}

export async function createBranch(o: Octokit, repo: RepoAddress, branch: string, sha: string): Promise<void> {
  try {
    await o.rest.git.createRef({ ...at(repo), ref: `refs/heads/${branch}`, sha });
  } catch (err) {
    // Made meanwhile by another publication: that is the branch wanted.
    if (isHttpFailure(err) && err.status === 422 && /already exists/i.test(githubMessage(err))) return;
    throw err;
  }
}

export async function resetBranch(o: Octokit, repo: RepoAddress, branch: string, sha: string): Promise<void> {
  await o.rest.git.updateRef({ ...at(repo), ref: `heads/${branch}`, sha, force: true });
}
