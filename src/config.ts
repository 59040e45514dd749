/**
 * Configuration from the environment, validated once at start. A missing or wrong
 * value is named in one clear line (ConfigError's message).
 */
import { createPrivateKey } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface SlackConfig {
  signingSecret: string | null;
  botToken: string | null;
  appToken: string | null;
  clientId: string | null;
  clientSecret: string | null;
  stateSecret: string | null;
  apiUrl: string | null;
}

export interface TeamsConfig {
  appId: string | null;
  appPassword: string | null;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string | null;
  /** TEAMS_LOCAL=1: unauthenticated, for the Bot Framework Emulator on this machine only. */
  local: boolean;
}

/** Publishing cases to GitHub: a token for one team, or a GitHub App for many; null when neither is set. */
export interface GitHubConfig {
  /** The REST API's base: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  /** Where people sign in and install the App: https://github.com, or https://<host> for GitHub Enterprise Server. */
  webUrl: string;
  /**
   * With a GitHub App, `clientId` and `clientSecret` let a person prove, once, that their
   * workspace may use an installation (GitHub's user authorisation); `slug` names the App's
   * install page, when set.
   */
  auth: { kind: 'token'; token: string } | { kind: 'app'; appId: string; privateKey: string; clientId: string; clientSecret: string; slug: string | null };
  /** PUBLISH_REPOSITORIES: the only repositories cases may publish to ("owner/repo", "owner/*"); null: any the credentials reach. */
  repositories: string[] | null;
}

export const GITHUB_PUBLIC_API = 'https://api.github.com';

export interface Config {
  port: number;
  /** The address to listen on; null: every interface (what a container needs). */
  host: string | null;
  dataDir: string;
  logLevel: string;
  publicUrl: string | null;
  shareSecret: string | null;
  /** 32-byte key for tokens at rest. */
  encryptionKey: Buffer | null;
  mongodbUri: string | null;
  slack: SlackConfig;
  teams: TeamsConfig;
  github: GitHubConfig | null;
}

type Env = Record<string, string | undefined>;

function opt(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

function url(env: Env, name: string): string | null {
  const v = opt(env, name);
  if (v === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(`${name} must be a full URL such as https://example.org (got "${v.slice(0, 60)}").`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`${name} must start with http:// or https://.`);
  return v.replace(/\/+$/, '');
}

/** ENCRYPTION_KEY: 32 bytes, as 64 hex digits or base64. */
function key(env: Env, name: string): Buffer | null {
  const v = opt(env, name);
  if (v === null) return null;
  const buf = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (buf.length !== 32) throw new ConfigError(`${name} must be 32 bytes, written as 64 hex digits or base64 (try: openssl rand -hex 32).`);
  return buf;
}

/** HOST: an IP address of this machine, or localhost. Brackets around IPv6 are allowed. */
function host(env: Env): string | null {
  const v = opt(env, 'HOST');
  if (v === null) return null;
  const bare = v.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare) === 0 && bare.toLowerCase() !== 'localhost') {
    throw new ConfigError(`HOST must be an IP address of this machine such as 127.0.0.1, 0.0.0.0 or ::1, or localhost (got "${v.slice(0, 60)}").`);
  }
  return bare;
}

function flag(env: Env, name: string, meaning: string): boolean {
  const v = opt(env, name);
  if (v === null || v === '0' || v.toLowerCase() === 'false') return false;
  if (v === '1' || v.toLowerCase() === 'true') return true;
  throw new ConfigError(`${name} must be 1 (${meaning}) or 0 (got "${v.slice(0, 60)}").`);
}

/**
 * GITHUB_TOKEN, or GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY (the .pem file's contents; \n
 * for line breaks is fine, as many hosts need). Values are never repeated in messages.
 */
function github(env: Env): GitHubConfig | null {
  const token = opt(env, 'GITHUB_TOKEN');
  const appId = opt(env, 'GITHUB_APP_ID');
  const key = opt(env, 'GITHUB_APP_PRIVATE_KEY');
  const apiUrl = url(env, 'GITHUB_API_URL') ?? GITHUB_PUBLIC_API;
  const webUrl = apiUrl === GITHUB_PUBLIC_API ? 'https://github.com' : apiUrl.replace(/\/api\/v3$/, '');
  const repositories = repositoryPatterns(env);
  if (token !== null && (appId !== null || key !== null)) {
    throw new ConfigError('GITHUB_TOKEN and a GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY) are both set: the token serves one team, the App many; unset one of them.');
  }
  if (token !== null) {
    if (/\s/.test(token)) throw new ConfigError('GITHUB_TOKEN must be one token with no spaces or line breaks in it.');
    return { apiUrl, webUrl, auth: { kind: 'token', token }, repositories };
  }
  if (appId === null && key === null) {
    if (repositories !== null) throw new ConfigError('PUBLISH_REPOSITORIES is set but publishing is not: set GITHUB_TOKEN or a GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY) too.');
    return null;
  }
  if (appId === null) throw new ConfigError('GITHUB_APP_PRIVATE_KEY is set but GITHUB_APP_ID is not: set the App ID shown on the GitHub App\'s settings page.');
  if (key === null) throw new ConfigError('GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not: set it to the contents of the private key (.pem) file generated for the App.');
  if (!/^\d{1,12}$/.test(appId)) throw new ConfigError('GITHUB_APP_ID must be the GitHub App\'s numeric App ID (not its client ID).');
  const privateKey = key.replace(/\\n/g, '\n');
  try {
    createPrivateKey(privateKey);
  } catch {
    throw new ConfigError('GITHUB_APP_PRIVATE_KEY is not a private key: set it to the whole contents of the .pem file, from -----BEGIN to -----END (\\n for line breaks is fine).');
  }
  const clientId = opt(env, 'GITHUB_APP_CLIENT_ID');
  const clientSecret = opt(env, 'GITHUB_APP_CLIENT_SECRET');
  if (clientId === null || clientSecret === null) {
    throw new ConfigError(`GITHUB_APP_ID is set but ${clientId === null ? 'GITHUB_APP_CLIENT_ID' : 'GITHUB_APP_CLIENT_SECRET'} is not: set the App's client ID and a client secret (its settings page), so a person can tie the App's installation to their workspace.`);
  }
  const slug = opt(env, 'GITHUB_APP_SLUG');
  if (slug !== null && !/^[a-z0-9-]{1,100}$/.test(slug)) throw new ConfigError('GITHUB_APP_SLUG must be the App\'s name as its page address has it, such as decisions-bot (github.com/apps/decisions-bot).');
  return { apiUrl, webUrl, auth: { kind: 'app', appId, privateKey, clientId, clientSecret, slug }, repositories };
}

/** PUBLISH_REPOSITORIES: "owner/repo" or "owner/*", separated by commas or spaces. */
function repositoryPatterns(env: Env): string[] | null {
  const v = opt(env, 'PUBLISH_REPOSITORIES');
  if (v === null) return null;
  const patterns = v.split(/[\s,]+/).filter((p) => p !== '');
  const bad = patterns.find((p) => !/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/([A-Za-z0-9._-]{1,100}|\*)$/.test(p));
  if (bad !== undefined) throw new ConfigError(`PUBLISH_REPOSITORIES takes repositories as owner/repo or owner/*, separated by commas (got "${bad.slice(0, 60)}").`);
  return patterns;
}

/** How many workspaces (Slack teams, Teams tenants) this configuration can serve: 2 stands for "more than one". */
function workspacesServed(c: Pick<Config, 'slack' | 'teams'>): number {
  const slack = c.slack.clientId !== null ? 2 : c.slack.botToken !== null || c.slack.appToken !== null ? 1 : 0;
  const teams = c.teams.appId === null ? 0 : c.teams.appType === 'MultiTenant' ? 2 : 1;
  return slack + teams;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

export function loadConfig(env: Env = process.env): Config {
  const portText = opt(env, 'PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a number from 0 to 65535 (got "${portText}").`);

  const logLevel = (opt(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);

  const shareSecret = opt(env, 'SHARE_SECRET');
  if (shareSecret !== null && shareSecret.length < 16) throw new ConfigError('SHARE_SECRET must be at least 16 characters long.');

  const mongodbUri = opt(env, 'MONGODB_URI');
  if (mongodbUri !== null && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) throw new ConfigError('MONGODB_URI must start with mongodb:// or mongodb+srv://.');

  const appType = opt(env, 'MicrosoftAppType') ?? 'MultiTenant';
  if (!(APP_TYPES as readonly string[]).includes(appType)) throw new ConfigError(`MicrosoftAppType must be one of ${APP_TYPES.join(', ')} (got "${appType}").`);

  const config: Config = {
    port,
    host: host(env),
    dataDir: path.resolve(opt(env, 'DATA_DIR') ?? './data'),
    logLevel,
    publicUrl: url(env, 'PUBLIC_URL'),
    shareSecret,
    encryptionKey: key(env, 'ENCRYPTION_KEY'),
    mongodbUri,
    slack: {
      signingSecret: opt(env, 'SLACK_SIGNING_SECRET'),
      botToken: opt(env, 'SLACK_BOT_TOKEN'),
      appToken: opt(env, 'SLACK_APP_TOKEN'),
      clientId: opt(env, 'SLACK_CLIENT_ID'),
      clientSecret: opt(env, 'SLACK_CLIENT_SECRET'),
      stateSecret: opt(env, 'SLACK_STATE_SECRET'),
      apiUrl: url(env, 'SLACK_API_URL'),
    },
    teams: {
      appId: opt(env, 'MicrosoftAppId'),
      appPassword: opt(env, 'MicrosoftAppPassword'),
      appType: appType as TeamsConfig['appType'],
      tenantId: opt(env, 'MicrosoftAppTenantId'),
      local: flag(env, 'TEAMS_LOCAL', 'unauthenticated Teams for the Bot Framework Emulator on this machine'),
    },
    github: github(env),
  };
  const s = config.slack;
  if (s.botToken !== null && !s.botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN must be a bot token starting with xoxb-.');
  if (s.appToken !== null && !s.appToken.startsWith('xapp-')) throw new ConfigError('SLACK_APP_TOKEN must be an app-level token starting with xapp-.');
  if (config.teams.appType === 'SingleTenant' && config.teams.appId !== null && config.teams.tenantId === null) {
    throw new ConfigError('MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.');
  }
  const gh = config.github;
  // One token reaches whatever its owner can: serving several workspaces, it must be told which repositories are theirs to use.
  if (gh?.auth.kind === 'token' && gh.repositories === null && workspacesServed(config) > 1) {
    throw new ConfigError('GITHUB_TOKEN serves every workspace this bot is installed in: set PUBLISH_REPOSITORIES to the repositories cases may publish to (owner/repo or owner/*, comma-separated), or use a GitHub App.');
  }
  if (gh?.auth.kind === 'app' && config.publicUrl === null) {
    throw new ConfigError('GITHUB_APP_ID is set but PUBLIC_URL is not: people tie the App\'s installation to their workspace through a page of this bot, at PUBLIC_URL/github/callback.');
  }
  // Refused rather than one quietly winning: someone meant one of them and should say which.
  if (config.teams.local && config.teams.appId !== null) {
    throw new ConfigError('TEAMS_LOCAL=1 and MicrosoftAppId are both set: TEAMS_LOCAL is unauthenticated use with the Bot Framework Emulator, MicrosoftAppId is Teams itself; unset one of them.');
  }
  return config;
}
