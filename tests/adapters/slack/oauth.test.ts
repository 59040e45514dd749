/**
 * Multi-workspace OAuth: install through /slack/install and /slack/oauth_redirect
 * (oauth.v2.access stubbed), tokens encrypted at rest, each workspace on its own token
 * and its own cases, and uninstall deleting the installation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHANNEL, ENCRYPTION_KEY, FakeSlack, SLACK_API_URL, SLACK_ORIGIN, TEAM, TEAM_B, blockAction, nock, onlyLocalNetwork, slackPlace, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';
import type { Surface } from '../../../src/surface';
import { caseFor } from '../../helpers/records';

const CLIENT_ID = '1111.2222';
const CLIENT_SECRET = 'oauth-client-secret-abc';
const TOKEN_A = 'xoxb-team-a-secret-token-0001';
const TOKEN_B = 'xoxb-team-b-secret-token-0002';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  t = await startSlackApp({
    singleToken: false,
    env: { SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET, SLACK_STATE_SECRET: 'oauth-state-secret-0123456789', ENCRYPTION_KEY },
  });
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

/** Walks the install flow for one workspace, as a browser would. */
async function install(team: string, token: string): Promise<Response> {
  const start = await fetch(`${t.base}/slack/install`);
  expect(start.status).toBe(200);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^slack-app-oauth-state=.+/);
  const page = await start.text();
  const href = (/href="([^"]+)"/.exec(page)?.[1] ?? '').replace(/&amp;/g, '&');
  const authorize = new URL(href);
  expect(authorize.origin + authorize.pathname).toBe(`${SLACK_ORIGIN}/oauth/v2/authorize`);
  expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(authorize.searchParams.get('scope')).toBe('commands,chat:write,files:write,files:read,channels:read,groups:read,users:read,canvases:write');
  const state = authorize.searchParams.get('state') ?? '';
  expect(cookie).toBe(`slack-app-oauth-state=${state}`);

  slack.api('oauth.v2.access', {
    ok: true, app_id: 'A0APP', authed_user: { id: 'U0ADMIN' }, scope: 'commands,chat:write,files:write,channels:read,groups:read',
    token_type: 'bot', access_token: token, bot_user_id: 'U0BOT', team: { id: team, name: `Team ${team}` }, enterprise: null, is_enterprise_install: false,
  }, { times: 1 });
  slack.api('auth.test', { ok: true, team_id: team, user_id: 'U0BOT', bot_id: 'B0BOT', url: 'https://example.slack.com/' }, { times: 1 });
  return fetch(`${t.base}/slack/oauth_redirect?code=code-${team}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
}

function surface(): Surface {
  const s = t.app.surfaces.find((x) => x.description.startsWith('Slack'));
  if (!s) throw new Error('no Slack surface');
  return s;
}

it('names the mode', () => {
  expect(surface().description).toBe(`Slack: multi-workspace OAuth over HTTP at POST /slack/events, install at GET /slack/install (Web API at ${SLACK_API_URL})`);
});

it('installs a workspace and keeps its token encrypted at rest', async () => {
  const res = await install(TEAM, TOKEN_A);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Decisions is now in Team T0TEAMA');
  const [access] = slack.callsTo('oauth.v2.access');
  expect(access?.body).toMatchObject({ code: `code-${TEAM}`, client_id: CLIENT_ID });

  const stored = await t.app.store.getInstallation(TEAM);
  expect(stored).not.toBeNull();
  expect(stored?.data).not.toContain(TOKEN_A);
  expect(stored?.data).not.toContain('team-a-secret');
  expect(stored?.data.startsWith('v1.')).toBe(true);
  for (const file of fs.readdirSync(t.dir)) {
    const bytes = fs.readFileSync(path.join(t.dir, file));
    expect(bytes.includes(Buffer.from(TOKEN_A))).toBe(false);
  }
});

it('refuses a callback whose state is not this browser’s', async () => {
  slack.api('oauth.v2.access', { ok: true });
  const res = await fetch(`${t.base}/slack/oauth_redirect?code=abc&state=forged`, { headers: { cookie: 'slack-app-oauth-state=other' } });
  expect(res.status).toBe(400);
  expect(slack.callsTo('oauth.v2.access')).toHaveLength(0);
  expect(await t.app.store.listInstallations()).toEqual([]);
});

it('serves two workspaces side by side, each on its own token and its own case', async () => {
  expect((await install(TEAM, TOKEN_A)).status).toBe(200);
  expect((await install(TEAM_B, TOKEN_B)).status).toBe(200);

  expect((await t.command('Team A decides', { team: TEAM })).status).toBe(200);
  expect((await t.command('Team B decides', { team: TEAM_B })).status).toBe(200);

  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  await t.interact(blockAction({ actionId: 'decision.undo', value: '0', team: TEAM }));
  await t.interact(blockAction({ actionId: 'decision.undo', value: '0', team: TEAM_B }));
  const posts = await slack.waitFor('chat.postMessage', 2);
  const byToken = Object.fromEntries(posts.map((p) => [p.token ?? '', String(p.body.text)]));
  expect(Object.keys(byToken).sort()).toEqual([TOKEN_A, TOKEN_B]);

  const caseA = await t.app.store.findCase(slackPlace(TEAM));
  const caseB = await t.app.store.findCase(slackPlace(TEAM_B));
  expect(caseA?.id).not.toBe(caseB?.id);
});

it('answers nothing and stores nothing for a workspace that never installed it', async () => {
  const res = await t.command('Stranger decides', { team: 'T0STRANGER' });
  expect(res.status).toBe(200);
  expect(await t.app.store.findCase(slackPlace('T0STRANGER'))).toBeNull();
});

it('deletes the installation on app_uninstalled, and only that one', async () => {
  await install(TEAM, TOKEN_A);
  await install(TEAM_B, TOKEN_B);
  const res = await t.event({ type: 'app_uninstalled' }, { team: TEAM });
  expect(res.status).toBe(200);
  await waitUntil(async () => (await t.app.store.getInstallation(TEAM)) === null);
  expect(await t.app.store.getInstallation(TEAM_B)).not.toBeNull();
  // The scheduler's posts to it now say the channel is gone.
  const c = await caseFor(t.app.store, slackPlace(TEAM));
  expect(await surface().post?.(c, { kind: 'notice', visibility: 'channel', summary: 'hello' })).toMatchObject({ ok: false, gone: true });
});

it('deletes the installation when its bot token is revoked, not when only user tokens are', async () => {
  await install(TEAM_B, TOKEN_B);
  await t.event({ type: 'tokens_revoked', tokens: { oauth: ['U0ADMIN'] } }, { team: TEAM_B });
  await new Promise((r) => setTimeout(r, 100));
  expect(await t.app.store.getInstallation(TEAM_B)).not.toBeNull();
  await t.event({ type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } }, { team: TEAM_B });
  await waitUntil(async () => (await t.app.store.getInstallation(TEAM_B)) === null);
});

it('posts scheduled messages with the workspace’s own token', async () => {
  await install(TEAM, TOKEN_A);
  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  const c = await caseFor(t.app.store, slackPlace(TEAM, CHANNEL));
  expect(await surface().post?.(c, { kind: 'notice', visibility: 'channel', summary: 'Weekly digest' })).toEqual({ ok: true });
  const [post] = slack.callsTo('chat.postMessage');
  expect(post?.token).toBe(TOKEN_A);
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
