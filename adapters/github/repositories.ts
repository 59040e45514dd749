/**
 * The Repositories port on GitHub's REST API, through Octokit. Files are read and written
 * with the contents API (a file too large for it is read as a blob), branches with the git
 * refs API, pull requests with the pulls API. Every failure becomes a RepositoryError.
 */
import type { Octokit } from '@octokit/rest';
import type { Logger } from '../../src/logger';
import {
  RepositoryError, type RepoAccess, type RepoAddress, type RepoCommit, type RepoFile, type RepoPullRequest, type Repositories,
} from '../../src/core/ports';
import { repositoryName as name } from '../../src/core/publishing/publish';
import type { Clients } from './clients';
import { githubMessage, isHttpFailure, toRepositoryError } from './errors';

/** A ref no branch will ever point at: the write probes below are refused before they could do anything. */
const NO_COMMIT = '0000000000000000000000000000000000000000';
const PROBE_BRANCH = 'decisions-bot/access-check';

const decode = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));
const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Bytes no longer than `maxBytes`, else null (what GitHub said of the size is not trusted alone). */
const bounded = (bytes: Uint8Array, maxBytes: number): Uint8Array | null => (bytes.length > maxBytes ? null : bytes);

async function blobBytes(o: Octokit, repo: RepoAddress, sha: string, maxBytes: number): Promise<Uint8Array | null> {
  const { data } = await o.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha });
  if (typeof data.size === 'number' && data.size > maxBytes) return null;
  return bounded(decode(data.content), maxBytes);
}

export function createRepositories(clients: Clients, logger: Logger, description: string): Repositories {
  /** Runs one call about a repository; a 404 from an App's installation may mean it was removed, so it is looked up again next time. */
  async function call<T>(repo: RepoAddress, what: string, fn: (o: Octokit) => Promise<T>): Promise<T> {
    return guarded(repo, what, async () => fn(await clients.forRepo(repo)));
  }

  /** A failure about a repository as a RepositoryError, logged when GitHub itself failed. */
  async function guarded<T>(repo: RepoAddress, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const failure = toRepositoryError(err, name(repo));
      if (failure.problem === 'no repository' || failure.problem === 'bad credentials') clients.forget(repo);
      if (failure.problem === 'unavailable') logger.warn({ component: 'github', repository: name(repo), what, reason: failure.message }, 'GitHub: a call failed');
      throw failure;
    }
  }

  /** The status of a call expected to fail, or 0 when it went through. */
  async function statusOf(fn: () => Promise<unknown>): Promise<number> {
    try {
      await fn();
      return 0;
    } catch (err) {
      if (isHttpFailure(err)) return err.status;
      throw err;
    }
  }

  const notFoundIsNull = async <T>(fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (err) {
      if (isHttpFailure(err) && err.status === 404) return null;
      throw err;
    }
  };

  const commitOf = (c: { sha: string; html_url: string; commit: { author: { name?: string } | null }; author?: { login?: string } | null }): RepoCommit => ({
    sha: c.sha, url: c.html_url, authorName: c.commit.author?.name ?? '', authorLogin: c.author?.login ?? null,
  });

  return {
    description,

    installationOf: (repo) => guarded(repo, 'installationOf', () => clients.installationOf(repo)),

    async access(repo) {
      clients.forget(repo); // permissions may have changed since the last look
      return call(repo, 'access', async (o): Promise<RepoAccess> => {
        const { data } = await o.rest.repos.get({ owner: repo.owner, repo: repo.repo });
        const missing: RepoAccess['missing'] = [];
        const app = await clients.appPermissions(repo);
        if (app) {
          if (app.contents !== 'write') missing.push('contents');
          if (app.pull_requests !== 'write') missing.push('pull requests');
        } else if (data.permissions && !data.permissions.push) {
          // The token's owner can only read the repository: no token permission changes that.
          missing.push('contents', 'pull requests');
        } else {
          // A token's own permissions cannot be read back, so each is tried with a write GitHub
          // must refuse anyway (a branch at a commit that cannot exist, a pull request from a
          // branch that does not): refused for want of permission (403/404), or for the bad
          // request (422) only when the permission is there. Nothing is written either way.
          const ref = await statusOf(() => o.rest.git.createRef({ owner: repo.owner, repo: repo.repo, ref: `refs/heads/${PROBE_BRANCH}`, sha: NO_COMMIT }));
          if (ref === 403 || ref === 404) missing.push('contents');
          const pull = await statusOf(() => o.rest.pulls.create({ owner: repo.owner, repo: repo.repo, title: 'Access check', head: PROBE_BRANCH, base: data.default_branch }));
          if (pull === 403 || pull === 404) missing.push('pull requests');
          if (ref === 0 || ref === 401 || pull === 401) logger.warn({ component: 'github', repository: name(repo), ref, pull }, 'GitHub: an access check did not answer as expected');
        }
        return { defaultBranch: data.default_branch, missing };
      });
    },

    branchHead: (repo, branch) => call(repo, 'branchHead', async (o) => {
      const found = await notFoundIsNull(() => o.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` }));
      return found?.data.object.sha ?? null;
    }),

    readFile: (repo, path, ref, maxBytes) => call(repo, 'readFile', async (o): Promise<RepoFile | null> => {
      const found = await notFoundIsNull(() => o.rest.repos.getContent({ owner: repo.owner, repo: repo.repo, path, ref }));
      if (!found) return null;
      const data = found.data;
      if (Array.isArray(data) || data.type !== 'file') throw new RepositoryError('conflict', `${path} in ${name(repo)} is not a file.`);
      const file = { blobSha: data.sha, size: data.size };
      // Not downloaded at all when GitHub says it is larger than asked for.
      if (data.size > maxBytes) return { ...file, bytes: null };
      const content = 'content' in data ? data.content : '';
      // The contents API leaves out files over 1 MB: their blob has them.
      if (content === '' && data.size > 0) return { ...file, bytes: await blobBytes(o, repo, data.sha, maxBytes) };
      return { ...file, bytes: bounded(decode(content), maxBytes) };
    }),

    readBlob: (repo, sha, maxBytes) => call(repo, 'readBlob', async (o) => {
      const found = await notFoundIsNull(() => blobBytes(o, repo, sha, maxBytes));
      return found ?? null;
    }),

    lastCommit: (repo, path, ref) => call(repo, 'lastCommit', async (o) => {
      const { data } = await o.rest.repos.listCommits({ owner: repo.owner, repo: repo.repo, path, sha: ref, per_page: 1 });
      const first = data[0];
      return first ? commitOf(first) : null;
    }),

    createBranch: (repo, branch, sha) => call(repo, 'createBranch', async (o) => {
      try {
        await o.rest.git.createRef({ owner: repo.owner, repo: repo.repo, ref: `refs/heads/${branch}`, sha });
      } catch (err) {
        // Made meanwhile by another publication: that is the branch wanted.
        if (isHttpFailure(err) && err.status === 422 && /already exists/i.test(githubMessage(err))) return;
        throw err;
      }
    }),

    resetBranch: (repo, branch, sha) => call(repo, 'resetBranch', async (o) => {
      await o.rest.git.updateRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}`, sha, force: true });
    }),

    writeFile: (repo, file) => call(repo, 'writeFile', async (o) => {
      try {
        const { data } = await o.rest.repos.createOrUpdateFileContents({
          owner: repo.owner, repo: repo.repo, path: file.path, branch: file.branch, message: file.message, content: encode(file.content),
          ...(file.replacing !== null ? { sha: file.replacing } : {}),
        });
        const commit = data.commit;
        return {
          commit: { sha: commit.sha ?? '', url: commit.html_url ?? '', authorName: commit.author?.name ?? '', authorLogin: null },
          blobSha: data.content?.sha ?? '',
        };
      } catch (err) {
        // The file is not what we read any more (the sha does not match, or it appeared): someone wrote first.
        if (isHttpFailure(err) && (err.status === 409 || (err.status === 422 && /sha/i.test(githubMessage(err))))) {
          throw new RepositoryError('conflict', `Someone changed ${file.path} in ${name(repo)} while the bot was writing it.`);
        }
        throw err;
      }
    }),

    findPullRequest: (repo, head, base) => call(repo, 'findPullRequest', async (o): Promise<RepoPullRequest | null> => {
      const { data } = await o.rest.pulls.list({ owner: repo.owner, repo: repo.repo, state: 'open', head: `${repo.owner}:${head}`, base, per_page: 1 });
      const pr = data[0];
      return pr ? { number: pr.number, url: pr.html_url } : null;
    }),

    openPullRequest: (repo, pr) => call(repo, 'openPullRequest', async (o): Promise<RepoPullRequest> => {
      try {
        const { data } = await o.rest.pulls.create({ owner: repo.owner, repo: repo.repo, head: pr.head, base: pr.base, title: pr.title, body: pr.body });
        return { number: data.number, url: data.html_url };
      } catch (err) {
        // Opened meanwhile by another publication: that one.
        if (isHttpFailure(err) && err.status === 422 && /already exists/i.test(githubMessage(err))) {
          const { data } = await o.rest.pulls.list({ owner: repo.owner, repo: repo.repo, state: 'open', head: `${repo.owner}:${pr.head}`, base: pr.base, per_page: 1 });
          const open = data[0];
          if (open) return { number: open.number, url: open.html_url };
        }
        throw err;
      }
    }),

    updatePullRequest: (repo, number, pr) => call(repo, 'updatePullRequest', async (o) => {
      await o.rest.pulls.update({ owner: repo.owner, repo: repo.repo, pull_number: number, title: pr.title, body: pr.body });
    }),

    // The note is a comment: the description stays as people left it (rewriting it could
    // lose an edit made a moment before).
    closePullRequest: (repo, number, note) => call(repo, 'closePullRequest', async (o) => {
      const { data } = await o.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: number });
      if (data.state !== 'open') return;
      await o.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: number, body: note });
      await o.rest.pulls.update({ owner: repo.owner, repo: repo.repo, pull_number: number, state: 'closed' });
    }),
  };
}
