/** App Home: what the bot does, its commands, and the cases the user's channels hold. */
import { ANA, FakeSlack, TEAM_B, nock, onlyLocalNetwork, startSlackApp } from '../helpers';
import type { Call, SlackTestApp } from '../helpers';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  t = await startSlackApp();
  for (const [channel, text, team] of [['C0GENERAL', 'We will publish weekly', undefined], ['C0OTHER', 'We will drop the paper form', undefined], ['C0SECRET', 'A secret plan', undefined], ['C0GENERAL', 'Another workspace plan', TEAM_B]] as const) {
    expect((await t.command(text, { channel, ...(team ? { team } : {}) })).status).toBe(200);
  }
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

function homeText(call: Call | undefined): string {
  return JSON.stringify((call?.body.view as { blocks: unknown[] }).blocks);
}

it('publishes the Home tab with the cases in the user’s channels, their sprint and last decision', async () => {
  slack.api('users.conversations', (call) => (call.body.cursor === 'page2'
    ? { ok: true, channels: [{ id: 'C0OTHER' }], response_metadata: { next_cursor: '' } }
    : { ok: true, channels: [{ id: 'C0GENERAL' }], response_metadata: { next_cursor: 'page2' } }));
  slack.api('views.publish');
  const res = await t.event({ type: 'app_home_opened', user: ANA.id, channel: 'D0HOME', tab: 'home', event_ts: '1.1' });
  expect(res.status).toBe(200);
  const [publish] = await slack.waitFor('views.publish');
  expect(publish?.body.user_id).toBe(ANA.id);
  expect((publish?.body.view as { type: string }).type).toBe('home');
  const home = homeText(publish);
  expect(home).toContain('/decision');
  expect(home).toContain('/evidence');
  expect(home).toContain('<#C0GENERAL>');
  expect(home).toContain('<#C0OTHER>');
  expect(home).toContain('Sprint 0');
  expect(home).toContain('We will publish weekly');
  expect(home).not.toContain('C0SECRET');
  expect(home).not.toContain('A secret plan');
  expect(home).not.toContain('Another workspace plan');
  const [first] = slack.callsTo('users.conversations');
  expect(first?.body).toMatchObject({ user: ANA.id, types: 'public_channel,private_channel' });
  expect((publish?.body.view as { blocks: unknown[] }).blocks.length).toBeLessThanOrEqual(50);
});

it('still publishes, saying so, when the user’s channels cannot be read', async () => {
  slack.api('users.conversations', { ok: false, error: 'missing_scope' });
  slack.api('views.publish');
  await t.event({ type: 'app_home_opened', user: ANA.id, channel: 'D0HOME', tab: 'home', event_ts: '1.1' });
  const [publish] = await slack.waitFor('views.publish');
  const home = homeText(publish);
  expect(home).toContain('could not read your channels');
  expect(home).not.toContain('We will publish weekly');
});

it('ignores the Messages tab', async () => {
  slack.api('views.publish');
  const res = await t.event({ type: 'app_home_opened', user: ANA.id, channel: 'D0HOME', tab: 'messages', event_ts: '1.1' });
  expect(res.status).toBe(200);
  await new Promise((r) => setTimeout(r, 100));
  expect(slack.callsTo('views.publish')).toHaveLength(0);
});

it('takes app_uninstalled calmly in single-workspace mode', async () => {
  const res = await t.event({ type: 'app_uninstalled' });
  expect(res.status).toBe(200);
});
