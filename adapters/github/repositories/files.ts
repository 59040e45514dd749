/** Files: read with the contents API (a file too large for it as a blob), written with it too. */
import type { Octokit } from '@octokit/rest';
import { RepositoryError, type RepoAddress, type RepoCommit, type RepoFile, type Repositories } from '../../../src/core/ports';
import { repositoryName as name } from '../../../src/core/publishing/publish';
import { githubMessage, isHttpFailure } from '../errors';
import { at, bounded, commitOf, decode, encode, notFoundIsNull } from './calls';

type RepoWrite = Parameters<Repositories['writeFile']>[1];

export async function blobBytes(o: Octokit, repo: RepoAddress, sha: string, maxBytes: number): Promise<Uint8Array | null> {
  const { data } = await o.rest.git.getBlob({ ...at(repo), file_sha: sha });
  if (typeof data.size === 'number' && data.size > maxBytes) return null;
  return bounded(decode(data.content), maxBytes);
}

export async function readFile(o: Octokit, repo: RepoAddress, path: string, ref: string, maxBytes: number): Promise<RepoFile | null> {
  const found = await notFoundIsNull(() => o.rest.repos.getContent({ ...at(repo), path, ref }));
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
}

export async function lastCommit(o: Octokit, repo: RepoAddress, path: string, ref: string): Promise<RepoCommit | null> {
  const { data } = await o.rest.repos.listCommits({ ...at(repo), path, sha: ref, per_page: 1 });
  const first = data[0];
  return first ? commitOf(first) : null;
}

export async function writeFile(o: Octokit, repo: RepoAddress, file: RepoWrite): Promise<{ commit: RepoCommit; blobSha: string }> {
  try {
    const { data } = await o.rest.repos.createOrUpdateFileContents({
      ...at(repo), path: file.path, branch: file.branch, message: file.message, content: encode(file.content),
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
}
