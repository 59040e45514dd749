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
    expect(loadConfig({ GITHUB_TOKEN: 'github_pat_abc' }).github).toEqual({ apiUrl: 'https://api.github.com', auth: { kind: 'token', token: 'github_pat_abc' } });
    expect(loadConfig({ GITHUB_TOKEN: 'ghp_abc', GITHUB_API_URL: 'https://github.example.org/api/v3/' }).github?.apiUrl).toBe('https://github.example.org/api/v3');
  });

  it('takes a GitHub App, its key as the .pem file or on one line with \\n', () => {
    expect(loadConfig({ GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: pem }).github?.auth).toEqual({ kind: 'app', appId: '123456', privateKey: pem.trim() });
    expect(loadConfig({ GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: pem.trim().replace(/\n/g, '\\n') }).github?.auth).toEqual({ kind: 'app', appId: '123456', privateKey: pem.trim() });
  });

  it.each([
    [{ GITHUB_TOKEN: 'ghp_abc', GITHUB_APP_ID: '1' }, 'GITHUB_TOKEN and a GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY) are both set: the token serves one team, the App many; unset one of them.'],
    [{ GITHUB_TOKEN: 'ghp_abc def' }, 'GITHUB_TOKEN must be one token with no spaces or line breaks in it.'],
    [{ GITHUB_APP_ID: '123456' }, 'GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not: set it to the contents of the private key (.pem) file generated for the App.'],
    [{ GITHUB_APP_PRIVATE_KEY: 'x' }, 'GITHUB_APP_PRIVATE_KEY is set but GITHUB_APP_ID is not: set the App ID shown on the GitHub App\'s settings page.'],
    [{ GITHUB_APP_ID: 'Iv1.abc', GITHUB_APP_PRIVATE_KEY: 'x' }, 'GITHUB_APP_ID must be the GitHub App\'s numeric App ID (not its client ID).'],
    [{ GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'not-a-key-secret-value' }, 'GITHUB_APP_PRIVATE_KEY is not a private key: set it to the whole contents of the .pem file, from -----BEGIN to -----END (\\n for line breaks is fine).'],
    [{ GITHUB_TOKEN: 'ghp_abc', GITHUB_API_URL: 'github.example.org' }, 'GITHUB_API_URL must be a full URL such as https://example.org (got "github.example.org").'],
  ])('%j is refused in one line', (env, message) => {
    expect(refusal(env)).toBe(message);
  });

  it('never repeats a secret in its message', () => {
    expect(refusal({ GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'not-a-key-secret-value' })).not.toContain('secret-value');
    expect(refusal({ GITHUB_TOKEN: 'ghp_secret value' })).not.toContain('ghp_secret');
  });
});
