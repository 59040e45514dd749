/** What every operation on a repository shares: GitHub's failures read the same way everywhere. */
import type { RepoAddress, RepoCommit } from '../../../src/core/ports';
import { isHttpFailure } from '../errors';

export const decode = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));
export const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Bytes no longer than `maxBytes`, else null (what GitHub said of the size is not trusted alone). */
export const bounded = (bytes: Uint8Array, maxBytes: number): Uint8Array | null => (bytes.length > maxBytes ? null : bytes);

/** The owner and name as Octokit's calls take them. */
export const at = (repo: RepoAddress): { owner: string; repo: string } => ({ owner: repo.owner, repo: repo.repo });

/** The status of a call expected to fail, or 0 when it went through. */
export async function statusOf(fn: () => Promise<unknown>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    if (isHttpFailure(err)) return err.status;
    throw err;
  }
}

export async function notFoundIsNull<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (isHttpFailure(err) && err.status === 404) return null;
    throw err;
  }
}

interface GitHubCommit {
  sha: string;
  html_url: string;
  commit: { author: { name?: string } | null };
  author?: { login?: string } | null;
}

export const commitOf = (c: GitHubCommit): RepoCommit => ({
  sha: c.sha, url: c.html_url, authorName: c.commit.author?.name ?? '', authorLogin: c.author?.login ?? null,
});

