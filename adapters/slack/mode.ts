/**
 * Which Slack mode the environment asks for. Two independent choices:
 * - where tokens come from: one workspace's SLACK_BOT_TOKEN, or OAuth installs
 *   (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, with ENCRYPTION_KEY);
 * - how Slack reaches us: HTTP (SLACK_SIGNING_SECRET) or Socket Mode (SLACK_APP_TOKEN).
 * A partial or contradictory set is a ConfigError naming what to change.
 */
import { ConfigError } from '../../src/config';
import type { Config } from '../../src/config';

export type SlackAuth =
  | { kind: 'token'; botToken: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; encryptionKey: Buffer };

export type SlackTransport =
  | { kind: 'http'; signingSecret: string }
  | { kind: 'socket'; appToken: string }
  /** Mounted only to post (`decisions tick`): nothing listens for Slack. */
  | { kind: 'none' };

export interface SlackMode {
  auth: SlackAuth;
  transport: SlackTransport;
  /** The Web API base, ending in a slash. */
  apiUrl: string;
  /** Where people authorise an install (the API host's /oauth/v2/authorize). */
  authorizeUrl: string;
  /** True when SLACK_API_URL overrides the Web API base. */
  customApiUrl: boolean;
}

export const DEFAULT_API_URL = 'https://slack.com/api/';
export const OFF_MESSAGE = 'Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (HTTP), SLACK_APP_TOKEN and SLACK_BOT_TOKEN (Socket Mode), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, ENCRYPTION_KEY and SLACK_SIGNING_SECRET (OAuth) to switch it on.';

const OAUTH_VARS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/** `receive: false` when the bot only posts (`decisions tick`): then no signing secret or app token is needed. */
export function slackMode(config: Config, options: { receive?: boolean } = {}): SlackMode | null {
  const s = config.slack;
  const oauthValues = [s.clientId, s.clientSecret, s.stateSecret];
  const anyOauth = oauthValues.some((v) => v !== null);
  if (!anyOauth && s.botToken === null && s.signingSecret === null && s.appToken === null) return null;

  if (anyOauth && oauthValues.some((v) => v === null)) {
    const missing = OAUTH_VARS.filter((_, i) => oauthValues[i] === null);
    throw new ConfigError(`Slack OAuth needs ${OAUTH_VARS.join(', ')}: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing.`);
  }
  if (anyOauth && s.botToken !== null) {
    throw new ConfigError('Set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth, many workspaces), not both.');
  }

  let auth: SlackAuth;
  if (anyOauth) {
    if (config.encryptionKey === null) throw new ConfigError('Slack OAuth keeps bot tokens encrypted: set ENCRYPTION_KEY to 32 bytes as 64 hex digits (try: openssl rand -hex 32).');
    auth = { kind: 'oauth', clientId: s.clientId ?? '', clientSecret: s.clientSecret ?? '', stateSecret: s.stateSecret ?? '', encryptionKey: config.encryptionKey };
  } else if (s.botToken !== null) {
    auth = { kind: 'token', botToken: s.botToken };
  } else {
    const set = s.signingSecret !== null ? 'SLACK_SIGNING_SECRET' : 'SLACK_APP_TOKEN';
    throw new ConfigError(`${set} is set but Slack has no token: set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth).`);
  }

  let transport: SlackTransport;
  if (options.receive === false) transport = { kind: 'none' };
  else if (s.appToken !== null) transport = { kind: 'socket', appToken: s.appToken };
  else if (s.signingSecret !== null) transport = { kind: 'http', signingSecret: s.signingSecret };
  else {
    const set = auth.kind === 'token' ? 'SLACK_BOT_TOKEN is' : 'Slack OAuth is';
    throw new ConfigError(`${set} set but Slack cannot reach the bot: set SLACK_SIGNING_SECRET (HTTP at /slack/events) or SLACK_APP_TOKEN (Socket Mode).`);
  }

  const apiUrl = s.apiUrl !== null ? `${s.apiUrl.replace(/\/+$/, '')}/` : DEFAULT_API_URL;
  const authorizeUrl = `${new URL(apiUrl).origin}/oauth/v2/authorize`;
  return { auth, transport, apiUrl, authorizeUrl, customApiUrl: s.apiUrl !== null };
}

export function describeMode(mode: SlackMode): string {
  const who = mode.auth.kind === 'token' ? 'single workspace' : 'multi-workspace OAuth';
  const how = mode.transport.kind === 'http' ? ' over HTTP at POST /slack/events' : mode.transport.kind === 'socket' ? ' over Socket Mode' : ', posting only';
  const install = mode.auth.kind === 'oauth' && mode.transport.kind !== 'none' ? ', install at GET /slack/install' : '';
  const api = mode.customApiUrl ? ` (Web API at ${mode.apiUrl})` : '';
  return `Slack: ${who}${how}${install}${api}`;
}
