/** Pull requests, through the pulls API. */
import type { Octokit } from '@octokit/rest';
import type { RepoAddress, RepoPullRequest, Repositories } from '../../../src/core/ports';
import { githubMessage, isHttpFailure } from '../errors';
import { at } from './calls';

type PullRequestText = Parameters<Repositories['updatePullRequest']>[2];
type NewPullRequest = Parameters<Repositories['openPullRequest']>[1];

export async function findPullRequest(o: Octokit, repo: RepoAddress, head: string, base: string): Promise<RepoPullRequest | null> {
  const { data } = await o.rest.pulls.list({ ...at(repo), state: 'open', head: `${repo.owner}:${head}`, base, per_page: 1 });
  const pr = data[0];
  return pr ? { number: pr.number, url: pr.html_url } : null;
}

export async function openPullRequest(o: Octokit, repo: RepoAddress, pr: NewPullRequest): Promise<RepoPullRequest> {
  try {
    const { data } = await o.rest.pulls.create({ ...at(repo), head: pr.head, base: pr.base, title: pr.title, body: pr.body });
    return { number: data.number, url: data.html_url };
  } catch (err) {
    // Opened meanwhile by another publication: that one.
    if (isHttpFailure(err) && err.status === 422 && /already exists/i.test(githubMessage(err))) {
      const open = await findPullRequest(o, repo, pr.head, pr.base);
      if (open) return open;
    }
    throw err;
  }
}

export async function updatePullRequest(o: Octokit, repo: RepoAddress, number: number, pr: PullRequestText): Promise<void> {
  await o.rest.pulls.update({ ...at(repo), pull_number: number, title: pr.title, body: pr.body });
}

/** The note is a comment: the description stays as people left it (rewriting it could lose an edit made a moment before). */
export async function closePullRequest(o: Octokit, repo: RepoAddress, number: number, note: string): Promise<void> {
  const { data } = await o.rest.pulls.get({ ...at(repo), pull_number: number });
  if (data.state !== 'open') return;
  await o.rest.issues.createComment({ ...at(repo), issue_number: number, body: note });
  await o.rest.pulls.update({ ...at(repo), pull_number: number, state: 'closed' });
}
