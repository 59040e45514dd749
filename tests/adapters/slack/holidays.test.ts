/**
 * Working days skip public holidays: the retro prompt goes out on a sprint's last working
 * day, never on Christmas Day, with the case's region (England and Wales from Europe/London
 * by default; `holidays scotland` and the rest settable), through signed Slack commands to
 * the real HTTP server and the app's scheduler posting to the stubbed Web API.
 */
import { ANA, FakeSlack, nock, onlyLocalNetwork, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  slack.api('chat.postMessage', (call) => ({ ok: true, channel: call.body.channel, ts: '1700000000.000100' }));
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

async function say(text: string, channel: string): Promise<string> {
  const res = await t.command(text, { channel, user: ANA });
  expect(res.status).toBe(200);
  return ((await res.json()) as { text: string }).text;
}

const retrosPosted = (channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel && String(c.body.text).startsWith('Retro for'));

it('a sprint ending on Christmas Day has its retro prompt on Christmas Eve', async () => {
  // Saturday 12 December 2026: Sprint 0 runs two weeks, to Friday 25 December.
  t.clock.set('2026-12-12T10:00:00Z');
  await say('We will publish weekly', 'C0XMAS');
  expect(await say('sprint', 'C0XMAS')).toContain('Its retro prompt goes out on its last working day, Thursday 24 Dec 2026, at 14:00. Working days are Monday to Friday, except the public holidays of England and Wales (from the time zone Europe/London).');
  expect(await say('holidays', 'C0XMAS')).toBe('Working days here are Monday to Friday, except the public holidays of England and Wales (from the time zone Europe/London).');

  await t.app.scheduler.tick(new Date('2026-12-24T13:59:00Z'));
  expect(retrosPosted('C0XMAS')).toHaveLength(0);
  await t.app.scheduler.tick(new Date('2026-12-24T14:00:30Z'));
  expect(retrosPosted('C0XMAS')).toHaveLength(1);
  expect(String(retrosPosted('C0XMAS')[0]?.body.text)).toContain('Retro for Sprint 0');
  // Nothing on Christmas Day itself.
  await t.app.scheduler.tick(new Date('2026-12-25T14:00:30Z'));
  expect(retrosPosted('C0XMAS')).toHaveLength(1);
});

it('the region is settable, shown, undoable, and decides the day: Scotland keeps 2 January', async () => {
  // Tuesday 22 December 2026: Sprint 0 ends Monday 4 January 2027, a holiday in Scotland only
  // (2 January falls on a Saturday; its substitute is the Monday), and 1 January is one everywhere.
  t.clock.set('2026-12-22T10:00:00Z');
  await say('We will publish weekly', 'C0SCOT');
  await say('We will publish weekly', 'C0ENG');
  expect(await say('holidays scotland', 'C0SCOT')).toContain('set working days to skip the public holidays of Scotland.');
  expect(await say('sprint', 'C0SCOT')).toContain('Thursday 31 Dec 2026, at 14:00. Working days are Monday to Friday, except the public holidays of Scotland.');
  expect(await say('sprint', 'C0ENG')).toContain('Monday 4 Jan 2027, at 14:00.');
  expect(await say('timezone', 'C0SCOT')).toBe('This case runs on Europe/London time. Working days are Monday to Friday, except the public holidays of Scotland.');

  await t.app.scheduler.tick(new Date('2026-12-31T14:00:30Z'));
  expect(retrosPosted('C0SCOT')).toHaveLength(1);
  expect(retrosPosted('C0ENG')).toHaveLength(0);
  await t.app.scheduler.tick(new Date('2027-01-04T14:00:30Z'));
  expect(retrosPosted('C0ENG')).toHaveLength(1);
  expect(retrosPosted('C0SCOT')).toHaveLength(1);

  expect(await say('holidays none', 'C0ENG')).toContain('set working days to Monday to Friday, with no public holidays skipped.');
  expect(await say('undo', 'C0ENG')).toContain('undid: set working days to Monday to Friday, with no public holidays skipped.');
  expect(await say('holidays', 'C0ENG')).toContain('England and Wales (from the time zone Europe/London)');
  expect(await say('holidays default', 'C0SCOT')).toContain('set working days to skip the public holidays of England and Wales.');
  expect(await say('holidays wakanda', 'C0SCOT')).toContain('`holidays` takes `england and wales`, `scotland`, `northern ireland`, `none`');
});
