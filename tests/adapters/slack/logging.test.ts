/** What the Slack adapter logs: its mode in one line, Slack being unreachable, and never a secret. */
import { BOT_TOKEN, ENCRYPTION_KEY, FakeSlack, SIGNING_SECRET, SLACK_API_URL, TEAM, blockAction, capturingLogger, nock, onlyLocalNetwork, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';
import { startApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { tempDir } from '../../helpers/temp-dir';

let t: SlackTestApp | null = null;

beforeEach(() => {
  onlyLocalNetwork();
});

afterEach(async () => {
  await t?.stop();
  t = null;
  nock.cleanAll();
});

it('names the mode in one line at start, and who it connected as', async () => {
  const log = capturingLogger('info');
  t = await startSlackApp({ logger: log.logger });
  expect(log.text()).toContain(`Slack: single workspace over HTTP at POST /slack/events (Web API at ${SLACK_API_URL})`);
  expect(log.text()).toContain('Slack: connected to Example as @decisions');
});

it('says in one line that Slack is unreachable, and keeps serving', async () => {
  const log = capturingLogger('info');
  t = await startSlackApp({ logger: log.logger, authTest: false });
  const lines = log.lines.filter((l) => l.includes('unreachable'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`Slack is unreachable at ${SLACK_API_URL}`);
  const res = await t.command('We will publish weekly');
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Decision 0');
});

it('says when Slack refuses the bot token', async () => {
  nock('http://slack.test').post('/api/auth.test').reply(200, { ok: false, error: 'invalid_auth' });
  const log = capturingLogger('info');
  t = await startSlackApp({ logger: log.logger, authTest: false });
  expect(log.text()).toContain('Slack refused SLACK_BOT_TOKEN');
  expect(log.text()).toContain('invalid_auth');
});

it('logs which variables switch Slack on when it is off', async () => {
  const log = capturingLogger('info');
  const dir = tempDir();
  const app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dir.dir }), log.logger);
  await app.stop();
  dir.cleanup();
  expect(log.text()).toContain('Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN');
});

it('never logs a token, a secret or a signature, even at trace level', async () => {
  const log = capturingLogger('trace');
  t = await startSlackApp({ logger: log.logger });
  const slack = new FakeSlack();
  slack.api('views.open', { ok: false, error: 'expired_trigger_id' });
  slack.api('chat.postMessage', { ok: false, error: 'not_in_channel' });
  slack.path('/commands/T0TEAMA/cmd', 'response_url', { ok: true });
  slack.path('/commands/T0TEAMA/button', 'response_url', { ok: true });
  await t.command('We will publish weekly');
  await t.command('');
  await t.interact(blockAction({ actionId: 'decision.undo', value: '0' }));
  await t.send('text=x', 'application/x-www-form-urlencoded', { secret: 'wrong-secret' });
  await slack.waitFor('response_url', 2);
  const text = log.text();
  expect(text).not.toContain(BOT_TOKEN);
  expect(text).not.toContain(SIGNING_SECRET);
  expect(text).not.toMatch(/v0=[0-9a-f]{64}/);
  expect(text).toContain('refused a request that Slack did not sign');
});

it('never logs the OAuth client secret or an installed token', async () => {
  const log = capturingLogger('trace');
  const secret = 'oauth-client-secret-never-logged';
  t = await startSlackApp({ logger: log.logger, singleToken: false, env: { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: secret, SLACK_STATE_SECRET: 'state-secret-never-logged', ENCRYPTION_KEY } });
  const slack = new FakeSlack();
  const start = await fetch(`${t.base}/slack/install`);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const state = cookie.split('=')[1] ?? '';
  slack.api('oauth.v2.access', { ok: true, app_id: 'A1', authed_user: { id: 'U1' }, scope: 'commands', token_type: 'bot', access_token: 'xoxb-installed-never-logged', bot_user_id: 'U0BOT', team: { id: TEAM, name: 'Team' }, enterprise: null, is_enterprise_install: false });
  slack.api('auth.test', { ok: true, team_id: TEAM, user_id: 'U0BOT', bot_id: 'B0BOT' });
  const res = await fetch(`${t.base}/slack/oauth_redirect?code=c&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  await t.command('We will publish weekly');
  const text = log.text();
  expect(text).toContain('installed in a workspace');
  expect(text).not.toContain(secret);
  expect(text).not.toContain('state-secret-never-logged');
  expect(text).not.toContain('xoxb-installed-never-logged');
  expect(text).not.toContain(ENCRYPTION_KEY);
});

it('logs an OAuth redirect without a code or with a forged state as one info line, never an error', async () => {
  const log = capturingLogger('trace');
  t = await startSlackApp({ logger: log.logger, singleToken: false, env: { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'oauth-client-secret-never-logged', SLACK_STATE_SECRET: 'state-secret-never-logged', ENCRYPTION_KEY } });
  for (let i = 0; i < 20; i++) {
    expect((await fetch(`${t.base}/slack/oauth_redirect?state=s${i}`)).status).toBe(400);
    expect((await fetch(`${t.base}/slack/oauth_redirect?code=c&state=forged`, { headers: { cookie: 'slack-app-oauth-state=other' } })).status).toBe(400);
  }
  const lines = log.lines.map((l) => JSON.parse(l) as { level: number; msg: string; kind?: string });
  expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  const told = lines.filter((l) => l.level >= 30 && l.msg.startsWith('Slack: an installation redirect was not valid'));
  expect(told.map((l) => [l.level, l.kind])).toEqual([[30, 'slack oauth slack_oauth_missing_code'], [30, 'slack oauth slack_oauth_invalid_state']]);
});

it('at trace, logs Web API calls by method and size, never what was written', async () => {
  const log = capturingLogger('trace');
  t = await startSlackApp({ logger: log.logger });
  const slack = new FakeSlack();
  slack.api('views.open', { ok: true });
  slack.api('chat.postMessage', { ok: true });
  slack.path('/commands/T0TEAMA/cmd', 'response_url', { ok: true });
  slack.path('/commands/T0TEAMA/button', 'response_url', { ok: true });
  await t.command('We will publish the fishing licence weekly');
  await t.command('');
  await t.interact(blockAction({ actionId: 'decision.undo', value: '0' }));
  await slack.waitFor('chat.postMessage', 1);
  const text = log.text();
  expect(text).toMatch(/http request body: \[\d+ characters\]/);
  expect(text).toContain('(views.open)');
  expect(text).not.toContain('fishing licence');
  expect(text).not.toContain('/commands/T0TEAMA');
  expect(text).not.toContain('undid');
});
