/**
 * Slack Web API failures in plain words. The WebClient throws coded errors: a platform
 * error (`ok: false`, e.g. `not_in_channel`), a rate limit (429 with Retry-After), an HTTP
 * error, or a request that never reached Slack.
 */
import { maskTokens } from './logger';

export type SlackFailure =
  | { kind: 'platform'; error: string }
  | { kind: 'rate-limited'; retryAfter: number }
  | { kind: 'http'; status: number }
  | { kind: 'unreachable'; message: string }
  | { kind: 'other'; message: string };

/** Errors that mean the channel (or the whole install) is no longer ours to post in. */
export const GONE_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'account_inactive', 'token_revoked', 'invalid_auth', 'not_authed', 'team_access_not_granted']);

/** Errors the response URL can work around: it posts where the bot is not a member. */
export const NOT_A_MEMBER_ERRORS = new Set(['not_in_channel', 'channel_not_found']);

export function classify(err: unknown): SlackFailure {
  const e = err as { code?: string; data?: { error?: unknown }; retryAfter?: unknown; statusCode?: unknown; original?: { message?: unknown }; message?: unknown } | null;
  switch (e?.code) {
    case 'slack_webapi_platform_error':
      return { kind: 'platform', error: typeof e.data?.error === 'string' ? e.data.error : 'unknown_error' };
    case 'slack_webapi_rate_limited_error':
      return { kind: 'rate-limited', retryAfter: typeof e.retryAfter === 'number' ? e.retryAfter : 30 };
    case 'slack_webapi_http_error':
      return { kind: 'http', status: typeof e.statusCode === 'number' ? e.statusCode : 0 };
    case 'slack_webapi_request_error':
      return { kind: 'unreachable', message: safeMessage(String(e.original?.message ?? e.message ?? 'request failed')) };
    default:
      return { kind: 'other', message: safeMessage(err instanceof Error ? err.message : String(err)) };
  }
}

/**
 * An error's message as it may be logged: its first line, token-shaped text masked. A
 * network library may put the whole request, Authorization header included, in it.
 */
function safeMessage(message: string): string {
  const first = message.split('\n', 1)[0] ?? '';
  return maskTokens(first.length > 200 ? `${first.slice(0, 200)}…` : first);
}

/** The platform error code, or null when it is not a platform error. */
export function platformError(err: unknown): string | null {
  const f = classify(err);
  return f.kind === 'platform' ? f.error : null;
}

/** A short, log-safe description: never a token. */
export function describe(err: unknown): string {
  const f = classify(err);
  switch (f.kind) {
    case 'platform': return f.error;
    case 'rate-limited': return `rate limited (retry after ${f.retryAfter} s)`;
    case 'http': return `HTTP ${f.status}`;
    case 'unreachable': return `Slack is unreachable (${f.message})`;
    case 'other': return f.message;
  }
}

/** What to tell the person, in their words. */
export function explain(err: unknown): string {
  const f = classify(err);
  switch (f.kind) {
    case 'rate-limited':
      return `Slack is busy right now. Please try again in ${Math.max(1, Math.ceil(f.retryAfter))} seconds.`;
    case 'unreachable':
    case 'http':
      return 'I could not reach Slack just now. Please try again in a moment.';
    case 'other':
      return 'Something went wrong on my side. Please try again.';
    case 'platform':
      switch (f.error) {
        case 'not_in_channel':
          return 'I am not a member of this channel. Add me with `/invite @Decisions` and try again.';
        case 'channel_not_found':
          return 'I cannot see this channel. If it is private, add me with `/invite @Decisions` and try again.';
        case 'is_archived':
          return 'This channel is archived, so I cannot post in it.';
        case 'expired_trigger_id':
        case 'invalid_trigger_id':
          return 'That took too long, so Slack closed the form before it opened. Please try again.';
        case 'token_revoked':
        case 'invalid_auth':
        case 'account_inactive':
        case 'not_authed':
          return 'Decisions is no longer installed in this workspace. Ask an admin to reinstall it.';
        case 'missing_scope':
          return 'Decisions is missing a permission it needs here. Ask an admin to reinstall it from the app’s page.';
        default:
          return `Slack refused that (${f.error}). Please try again.`;
      }
  }
}

/** Seconds to wait before retrying, when the failure was a rate limit. */
export function retryAfter(err: unknown): number | null {
  const f = classify(err);
  return f.kind === 'rate-limited' ? f.retryAfter : null;
}
