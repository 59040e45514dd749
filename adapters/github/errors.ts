/**
 * Octokit's failures as RepositoryError, in words safe for chat and logs. The messages are
 * built here from the status and a few headers, never from the request (whose headers hold
 * the token) and never from GitHub's own text beyond what it says went wrong.
 */
import { RepositoryError } from '../../src/core/ports';

interface HttpFailure {
  status: number;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

export function isHttpFailure(err: unknown): err is HttpFailure {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/** GitHub's message for a failed call ("Reference already exists"), when it gave one. */
export function githubMessage(err: unknown): string {
  if (!isHttpFailure(err)) return '';
  const data = err.response?.data as { message?: unknown; errors?: Array<{ message?: unknown }> } | undefined;
  const parts = [data?.message, ...(data?.errors ?? []).map((e) => e.message)].filter((m): m is string => typeof m === 'string');
  return parts.join(' ');
}

/** What went wrong with a call about `name` (owner/repo), as a RepositoryError. */
export function toRepositoryError(err: unknown, name: string): RepositoryError {
  if (err instanceof RepositoryError) return err;
  // Octokit reports a request that got no answer (refused, reset, timed out) as a 500 without a response.
  if (!isHttpFailure(err) || err.response === undefined) {
    const code = (err as { cause?: { code?: unknown } })?.cause?.code ?? (err as { name?: unknown })?.name;
    return new RepositoryError('unavailable', `GitHub could not be reached${typeof code === 'string' && code !== 'HttpError' ? ` (${code})` : ''}.`);
  }
  const headers = err.response?.headers ?? {};
  switch (err.status) {
    case 401:
      return new RepositoryError('bad credentials', 'GitHub refused the bot\'s credentials.');
    case 403:
    case 429: {
      if (err.status === 429 || headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(githubMessage(err))) {
        return new RepositoryError('unavailable', 'GitHub\'s rate limit for the bot was reached.');
      }
      const needs = headers['x-accepted-github-permissions'];
      return new RepositoryError('no permission', `GitHub refused the bot access to this in ${name}${needs ? ` (it needs ${needs.replace(/=/g, ': ').replace(/;\s*/g, ' or ')})` : ''}.`);
    }
    case 404:
      return new RepositoryError('no repository', `${name} was not found on GitHub, or the bot cannot see it.`);
    case 409:
      return new RepositoryError('conflict', `Someone changed ${name} while the bot was writing to it.`);
    default:
      if (err.status >= 500) return new RepositoryError('unavailable', `GitHub answered with an error (${err.status}).`);
      return new RepositoryError('unavailable', `GitHub did not accept a request about ${name} (${err.status}${githubMessage(err) ? `: ${githubMessage(err).slice(0, 200)}` : ''}).`);
  }
}
