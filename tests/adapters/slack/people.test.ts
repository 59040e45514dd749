/**
 * People as Slack shows them: in Slack replies by mention; in the case (export, page,
 * digest, console) by the display name users.info gave when they acted; mentions inside
 * captured text become names. With users.info out of reach, the payload's name is used.
 */
import { ANA, CHANNEL, FakeSlack, messageShortcut, nock, onlyLocalNetwork, slackPlace, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';
import { decisionsOf } from '../../helpers/records';
import { renderCaseMarkdown } from '../../../src/core/markdown';

let t: SlackTestApp;
let slack: FakeSlack;

const PROFILES: Record<string, { name: string; real_name: string; profile: { display_name: string; real_name: string } }> = {
  U0ANA: { name: 'ana.old', real_name: 'Ana Lopez', profile: { display_name: 'Ana L', real_name: 'Ana Lopez' } },
  W0222: { name: 'wendy', real_name: 'Wendy Park', profile: { display_name: '', real_name: 'Wendy Park' } },
};

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  slack.api('users.info', (call) => {
    const user = PROFILES[String(call.body.user)];
    return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
  });
  slack.api('views.open');
  slack.api('chat.getPermalink', { ok: true, channel: CHANNEL, permalink: 'https://example.slack.com/archives/C0GENERAL/p1' });
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

async function caseMarkdown(): Promise<string> {
  const c = await t.app.store.findCase(slackPlace());
  const snap = c ? await t.app.store.snapshot(c.id) : null;
  return snap ? renderCaseMarkdown(snap) : '';
}

it('a decision is announced in Slack with a mention, and kept under the display name, not the old user_name', async () => {
  const res = await t.command('We will publish weekly', { user: { id: ANA.id, name: 'ana.old' } });
  const body = (await res.json()) as { text: string };
  expect(body.text).toContain(`by <@${ANA.id}>`);
  const c = await t.app.store.findCase(slackPlace());
  expect((await decisionsOf(t.app.store, c?.id ?? ''))[0]?.author).toEqual({ id: ANA.id, name: 'Ana L' });
  // Looked up once, then cached.
  await t.command('We will drop the paper form', { user: { id: ANA.id, name: 'ana.old' } });
  expect(slack.callsTo('users.info')).toHaveLength(1);
});

it('a mention inside captured text becomes the person\'s name', async () => {
  const res = await t.interact(messageShortcut({ callbackId: 'record_decision', text: '<@W0222> will test it with <@U0NOBODY>' }));
  expect(res.status).toBe(200);
  const [open] = await slack.waitFor('views.open');
  expect(JSON.stringify(open?.body.view)).toContain('@Wendy Park will test it with @U0NOBODY');
  const typed = await t.command('We will ask <@W0222|wendy> first');
  expect(typed.status).toBe(200);
  expect(await caseMarkdown()).toContain('We will ask @Wendy Park first');
});

it('with users.info failing, the command still answers at once, under the payload\'s name', async () => {
  nock.cleanAll();
  onlyLocalNetwork();
  const started = Date.now();
  const res = await t.command('We will keep going', { user: { id: 'U0GONE', name: 'gone.user' } });
  expect(Date.now() - started).toBeLessThan(1500);
  expect(((await res.json()) as { text: string }).text).toContain('Decision 0 recorded');
  const c = await t.app.store.findCase(slackPlace());
  expect((await decisionsOf(t.app.store, c?.id ?? ''))[0]?.author.name).toBe('gone.user');
});
