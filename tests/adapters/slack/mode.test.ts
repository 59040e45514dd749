/** The environment chooses the mode; half a configuration is one clear ConfigError. */
import { ConfigError, loadConfig } from '../../../src/config';
import { describeMode, slackMode } from '../../../adapters/slack/mode';

const KEY = 'ab'.repeat(32);
const mode = (env: Record<string, string>) => slackMode(loadConfig({ DATA_DIR: '/tmp/unused', ...env }));
const oauth = { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret-123' };

it('is off when nothing Slack is set', () => {
  expect(mode({})).toBeNull();
});

it.each([
  ['HTTP, one workspace', { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' }, 'Slack: single workspace over HTTP at POST /slack/events'],
  ['Socket Mode, one workspace', { SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' }, 'Slack: single workspace over Socket Mode'],
  ['OAuth over HTTP', { ...oauth, ENCRYPTION_KEY: KEY, SLACK_SIGNING_SECRET: 's' }, 'Slack: multi-workspace OAuth over HTTP at POST /slack/events, install at GET /slack/install'],
  ['OAuth over Socket Mode', { ...oauth, ENCRYPTION_KEY: KEY, SLACK_APP_TOKEN: 'xapp-1' }, 'Slack: multi-workspace OAuth over Socket Mode, install at GET /slack/install'],
])('%s', (_name, env, description) => {
  const m = mode(env);
  expect(m).not.toBeNull();
  if (m) expect(describeMode(m)).toBe(description);
});

it('SLACK_API_URL overrides the Web API base and the authorise page', () => {
  const m = mode({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'https://slack-gov.com/api' });
  expect(m?.apiUrl).toBe('https://slack-gov.com/api/');
  expect(m?.authorizeUrl).toBe('https://slack-gov.com/oauth/v2/authorize');
  expect(m && describeMode(m)).toContain('(Web API at https://slack-gov.com/api/)');
  expect(mode({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' })?.apiUrl).toBe('https://slack.com/api/');
});

it.each([
  ['a bot token with no way in', { SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_BOT_TOKEN is set but Slack cannot reach the bot: set SLACK_SIGNING_SECRET .* or SLACK_APP_TOKEN/],
  ['a signing secret with no token', { SLACK_SIGNING_SECRET: 's' }, /SLACK_SIGNING_SECRET is set but Slack has no token: set SLACK_BOT_TOKEN/],
  ['an app token with no token', { SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_APP_TOKEN is set but Slack has no token/],
  ['half of OAuth', { SLACK_CLIENT_ID: '1.2', SLACK_SIGNING_SECRET: 's' }, /SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are missing/],
  ['OAuth without ENCRYPTION_KEY', { ...oauth, SLACK_SIGNING_SECRET: 's' }, /set ENCRYPTION_KEY/],
  ['OAuth and a bot token', { ...oauth, ENCRYPTION_KEY: KEY, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, /not both/],
  ['OAuth with no way in', { ...oauth, ENCRYPTION_KEY: KEY }, /Slack OAuth is set but Slack cannot reach the bot/],
])('refuses %s with one line', (_name, env, message) => {
  let error: unknown;
  try {
    mode(env);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain('\n');
});

describe('posting only (decisions tick)', () => {
  const postOnly = (env: Record<string, string>) => slackMode(loadConfig({ DATA_DIR: '/tmp/unused', ...env }), { receive: false });

  it('needs only a token: no signing secret or app token', () => {
    const m = postOnly({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(m?.transport).toEqual({ kind: 'none' });
    expect(m && describeMode(m)).toBe('Slack: single workspace, posting only');
    expect(postOnly({ ...oauth, ENCRYPTION_KEY: KEY })?.auth.kind).toBe('oauth');
  });

  it('still refuses half a configuration', () => {
    expect(() => postOnly({ SLACK_SIGNING_SECRET: 's' })).toThrow(ConfigError);
    expect(() => postOnly({ ...oauth })).toThrow(/ENCRYPTION_KEY/);
  });
});
