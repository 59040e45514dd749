/**
 * A typed `undo` marks the announcement of the change it took back: through the recording
 * command's response URL (kept encrypted, for the undo window), or with chat.update where
 * a form's answer was posted with chat.postMessage.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { ANA, BEN, CHANNEL, FakeSlack, nock, onlyLocalNetwork, responseUrl, startSlackApp, textValue, viewSubmission } from './helpers';
import type { SlackTestApp } from './helpers';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

function storedAnnouncements(): Array<{ change_id: string; data: string }> {
  const db = new Database(path.join(t.dir, 'decisions.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT change_id, data FROM announcements').all() as Array<{ change_id: string; data: string }>;
  } finally {
    db.close();
  }
}

/** The stored announcements, once there are `count` (they are saved after the answer, with the next commit). */
async function storedSoon(count: number): Promise<Array<{ change_id: string; data: string }>> {
  for (let waited = 0; waited < 2000; waited += 10) {
    const rows = storedAnnouncements();
    if (rows.length >= count) return rows;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return storedAnnouncements();
}

it('a typed undo replaces the announcement the recording command posted, through that command\'s response URL', async () => {
  slack.path('/commands/T0TEAMA/record', 'response_url:record');
  const recorded = await t.command('We will publish weekly', { responseUrl: responseUrl('record') });
  expect(String(((await recorded.json()) as { text: string }).text)).toContain('Decision 0 recorded');
  // Kept encrypted: the response URL lets anyone post in the channel. Saved just after the answer.
  const kept = await storedSoon(1);
  expect(kept).toHaveLength(1);
  expect(kept[0]?.data).not.toContain('slack.test');
  expect(kept[0]?.data).not.toContain('/commands/');

  const undone = await t.command('undo', { responseUrl: responseUrl('undo') });
  const body = (await undone.json()) as { response_type: string; text: string };
  expect(body.response_type).toBe('in_channel');
  expect(body.text).toContain('<@U0ANA> undid: recorded Decision 0');
  const [replaced] = await slack.waitFor('response_url:record');
  expect(replaced?.body.replace_original).toBe(true);
  expect(String(replaced?.body.text)).toMatch(/^~.*Decision 0 recorded.*~\n/s);
  expect(String(replaced?.body.text)).toContain('<@U0ANA> undid: recorded Decision 0');
  expect(storedAnnouncements()).toEqual([]);
});

it('a typed undo marks the announcement of a phase started, as of a decision', async () => {
  slack.path('/commands/T0TEAMA/phase', 'response_url:phase');
  await t.command('phase start alpha', { responseUrl: responseUrl('phase') });
  expect(await storedSoon(1)).toHaveLength(1);
  const undone = await t.command('undo', { responseUrl: responseUrl('undo') });
  expect(((await undone.json()) as { text: string }).text).toContain('undid: started Alpha at Sprint 0');
  const [replaced] = await slack.waitFor('response_url:phase');
  expect(replaced?.body.replace_original).toBe(true);
  expect(String(replaced?.body.text)).toMatch(/^~.*started Alpha at Sprint 0.*~\n/s);
});

it('an undo that is refused leaves the announcement alone', async () => {
  slack.path('/commands/T0TEAMA/record', 'response_url:record');
  await t.command('We will publish weekly', { responseUrl: responseUrl('record') });
  const refused = await t.command('undo', { user: BEN, responseUrl: responseUrl('undo') });
  expect(((await refused.json()) as { text: string }).text).toContain('nothing left to undo');
  await new Promise((r) => setTimeout(r, 100));
  expect(slack.callsTo('response_url:record')).toEqual([]);
  expect(storedAnnouncements()).toHaveLength(1);
});

it('a typed undo updates, with chat.update, a decision a form announced with chat.postMessage', async () => {
  slack.api('views.open');
  slack.api('chat.postMessage', { ok: true, channel: CHANNEL, ts: '1700000000.000100' });
  slack.api('chat.update', { ok: true });
  await t.command('');
  const [open] = await slack.waitFor('views.open');
  const view = open?.body.view as { callback_id: string; private_metadata: string };
  const res = await t.interact(viewSubmission({ view: { callback_id: view.callback_id, private_metadata: view.private_metadata }, values: { text: textValue('We will put definitions inline') }, user: ANA }));
  expect(res.status).toBe(200);
  await slack.waitFor('chat.postMessage');
  // Where it was posted is kept just after chat.postMessage answers: wait for that, not a race.
  for (const until = Date.now() + 5000; storedAnnouncements().length === 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 10));

  const undone = await t.command('undo');
  expect(((await undone.json()) as { text: string }).text).toContain('<@U0ANA> undid: recorded Decision 0');
  const [update] = await slack.waitFor('chat.update');
  expect(update?.body).toMatchObject({ channel: CHANNEL, ts: '1700000000.000100', blocks: [] });
  expect(String(update?.body.text)).toMatch(/^~.*We will put definitions inline.*~\n/s);
});
