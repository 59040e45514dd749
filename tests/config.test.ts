/** The GitHub settings: a token or a GitHub App, GITHUB_API_URL, and one clear line for each mistake. */
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../src/config';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('GitHub', () => {
  it('is off with nothing set', () => {
    expect(loadConfig({}).github).toBeNull();
  });

  it('takes a token, on the public API unless GITHUB_API_URL names another', () => {
    expect(loadConfig({ GITHUB_TOKEN: 'github_pat_abc' }).github).toEqual({ apiUrl: 'https://api.github.com', webUrl: 'https://github.com', auth: { kind: 'token', token: 'github_pat_abc' }, repositories: null });
    const enterprise = loadConfig({ GITHUB_TOKEN: 'ghp_abc', GITHUB_API_URL: 'https://github.example.org/api/v3/' }).github;
    expect([enterprise?.apiUrl, enterprise?.webUrl]).toEqual(['https://github.example.org/api/v3', 'https://github.example.org']);
  });

  it('takes a GitHub App, its key as the .pem file or on one line with \\n', () => {
    const client = { GITHUB_APP_CLIENT_ID: 'Iv1.abc', GITHUB_APP_CLIENT_SECRET: 'shh', PUBLIC_URL: 'https://decisions.example' };
    const want = { kind: 'app', appId: '123456', privateKey: pem.trim(), clientId: 'Iv1.abc', clientSecret: 'shh', slug: null };
    expect(loadConfig({ GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: pem, ...client }).github?.auth).toEqual(want);
    expect(loadConfig({ GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: pem.trim().replace(/\n/g, '\\n'), ...client, GITHUB_APP_SLUG: 'decisions-bot' }).github?.auth).toEqual({ ...want, slug: 'decisions-bot' });
  });

  it('takes PUBLISH_REPOSITORIES, and requires it of one token that serves several workspaces', () => {
    expect(loadConfig({ GITHUB_TOKEN: 'ghp_abc', PUBLISH_REPOSITORIES: 'acme/case, acme-labs/* other/x' }).github?.repositories).toEqual(['acme/case', 'acme-labs/*', 'other/x']);
    // One Slack workspace (a bot token): the token may serve it alone.
    expect(loadConfig({ GITHUB_TOKEN: 'ghp_abc', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).github?.repositories).toBeNull();
    const several = 'GITHUB_TOKEN serves every workspace this bot is installed in: set PUBLISH_REPOSITORIES to the repositories cases may publish to (owner/repo or owner/*, comma-separated), or use a GitHub App.';
    expect(refusal({ GITHUB_TOKEN: 'ghp_abc', SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: 'y', SLACK_SIGNING_SECRET: 's' })).toBe(several);
    expect(refusal({ GITHUB_TOKEN: 'ghp_abc', MicrosoftAppId: 'app', MicrosoftAppPassword: 'p' })).toBe(several);
    expect(refusal({ GITHUB_TOKEN: 'ghp_abc', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 't' })).toBe(several);
    expect(loadConfig({ GITHUB_TOKEN: 'ghp_abc', SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: 'y', SLACK_SIGNING_SECRET: 's', PUBLISH_REPOSITORIES: 'acme/*' }).github?.repositories).toEqual(['acme/*']);
  });

  it.each([
    [{ GITHUB_TOKEN: 'ghp_abc', GITHUB_APP_ID: '1' }, 'GITHUB_TOKEN and a GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY) are both set: the token serves one team, the App many; unset one of them.'],
    [{ GITHUB_TOKEN: 'ghp_abc def' }, 'GITHUB_TOKEN must be one token with no spaces or line breaks in it.'],
    [{ GITHUB_APP_ID: '123456' }, 'GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not: set it to the contents of the private key (.pem) file generated for the App.'],
    [{ GITHUB_APP_PRIVATE_KEY: 'x' }, 'GITHUB_APP_PRIVATE_KEY is set but GITHUB_APP_ID is not: set the App ID shown on the GitHub App\'s settings page.'],
    [{ GITHUB_APP_ID: 'Iv1.abc', GITHUB_APP_PRIVATE_KEY: 'x' }, 'GITHUB_APP_ID must be the GitHub App\'s numeric App ID (not its client ID).'],
    [{ GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'not-a-key-secret-value' }, 'GITHUB_APP_PRIVATE_KEY is not a private key: set it to the whole contents of the .pem file, from -----BEGIN to -----END (\\n for line breaks is fine).'],
    [{ GITHUB_TOKEN: 'ghp_abc', GITHUB_API_URL: 'github.example.org' }, 'GITHUB_API_URL must be a full URL such as https://example.org (got "github.example.org").'],
    [{ GITHUB_TOKEN: 'ghp_abc', PUBLISH_REPOSITORIES: 'acme' }, 'PUBLISH_REPOSITORIES takes repositories as owner/repo or owner/*, separated by commas (got "acme").'],
    [{ GITHUB_TOKEN: 'ghp_abc', PUBLISH_REPOSITORIES: '*/*' }, 'PUBLISH_REPOSITORIES takes repositories as owner/repo or owner/*, separated by commas (got "*/*").'],
    [{ PUBLISH_REPOSITORIES: 'acme/case' }, 'PUBLISH_REPOSITORIES is set but publishing is not: set GITHUB_TOKEN or a GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY) too.'],
  ])('%j is refused in one line', (env, message) => {
    expect(refusal(env)).toBe(message);
  });

  it('never repeats a secret in its message', () => {
    expect(refusal({ GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'not-a-key-secret-value' })).not.toContain('secret-value');
    expect(refusal({ GITHUB_TOKEN: 'ghp_secret value' })).not.toContain('ghp_secret');
  });
});
