/**
 * The Repositories port on GitHub's REST API, through Octokit: one file an operation
 * (access, branches, files, pull requests). Every failure becomes a RepositoryError.
 */
import type { Octokit } from '@octokit/rest';
import type { Logger } from '../../../src/logger';
import type { RepoAddress, Repositories } from '../../../src/core/ports';
import { repositoryName as name } from '../../../src/core/publishing/publish';
import type { Clients } from '../clients';
import { toRepositoryError } from '../errors';
import { readAccess } from './access';
import { branchHead, createBranch, resetBranch } from './branches';
import { notFoundIsNull } from './calls';
import { blobBytes, lastCommit, readFile, writeFile } from './files';
import { closePullRequest, findPullRequest, openPullRequest, updatePullRequest } from './pull-requests';

export function createRepositories(clients: Clients, logger: Logger, description: string): Repositories {
  /** A failure about a repository as a RepositoryError, logged when GitHub itself failed. */
  async function guarded<T>(repo: RepoAddress, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const failure = toRepositoryError(err, name(repo));
      // A 404 from an App's installation may mean it was removed: looked up again next time.
      if (failure.problem === 'no repository' || failure.problem === 'bad credentials') clients.forget(repo);
      if (failure.problem === 'unavailable') logger.warn({ component: 'github', repository: name(repo), what, reason: failure.message }, 'GitHub: a call failed');
      throw failure;
    }
  }
  const call = <T>(repo: RepoAddress, what: string, fn: (o: Octokit) => Promise<T>): Promise<T> =>
    guarded(repo, what, async () => fn(await clients.forRepo(repo)));

  return {
    description,
    installationOf: (repo) => guarded(repo, 'installationOf', () => clients.installationOf(repo)),
    access(repo) {
      clients.forget(repo); // permissions may have changed since the last look
      return call(repo, 'access', (o) => readAccess(o, repo, clients, logger));
    },
    branchHead: (repo, branch) => call(repo, 'branchHead', (o) => branchHead(o, repo, branch)),
    readFile: (repo, path, ref, maxBytes) => call(repo, 'readFile', (o) => readFile(o, repo, path, ref, maxBytes)),
    readBlob: (repo, sha, maxBytes) => call(repo, 'readBlob', (o) => notFoundIsNull(() => blobBytes(o, repo, sha, maxBytes))),
    lastCommit: (repo, path, ref) => call(repo, 'lastCommit', (o) => lastCommit(o, repo, path, ref)),
    createBranch: (repo, branch, sha) => call(repo, 'createBranch', (o) => createBranch(o, repo, branch, sha)),
    resetBranch: (repo, branch, sha) => call(repo, 'resetBranch', (o) => resetBranch(o, repo, branch, sha)),
    writeFile: (repo, file) => call(repo, 'writeFile', (o) => writeFile(o, repo, file)),
    findPullRequest: (repo, head, base) => call(repo, 'findPullRequest', (o) => findPullRequest(o, repo, head, base)),
    openPullRequest: (repo, pr) => call(repo, 'openPullRequest', (o) => openPullRequest(o, repo, pr)),
    updatePullRequest: (repo, number, pr) => call(repo, 'updatePullRequest', (o) => updatePullRequest(o, repo, number, pr)),
    closePullRequest: (repo, number, note) => call(repo, 'closePullRequest', (o) => closePullRequest(o, repo, number, note)),
  };
}
