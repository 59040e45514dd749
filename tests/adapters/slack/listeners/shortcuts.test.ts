/** Message shortcuts: Record as decision, Add as evidence; the message's permalink is kept as the source. */
import { CHANNEL, FakeSlack, messageShortcut, nock, onlyLocalNetwork, selectValue, slackPlace, startSlackApp, textValue, viewSubmission } from '../helpers';
import type { SlackTestApp } from '../helpers';

const PERMALINK = 'https://example.slack.com/archives/C0GENERAL/p1700000000000200';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  slack.api('views.open');
  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

type View = { callback_id?: string; private_metadata: string; blocks: { block_id?: string; element?: { initial_value?: string; options?: { value: string }[] } }[] };

async function lastModal(count = 1): Promise<View> {
  const calls = await slack.waitFor('views.open', count);
  return calls[calls.length - 1]?.body.view as View;
}

async function snapshot() {
  const c = await t.app.store.findCase(slackPlace());
  return c ? t.app.store.snapshot(c.id) : null;
}

it('Record as decision opens the decision modal filled with the message, and keeps its permalink as the source', async () => {
  slack.api('chat.getPermalink', { ok: true, channel: CHANNEL, permalink: PERMALINK });
  const res = await t.interact(messageShortcut({ callbackId: 'record_decision', text: 'We should ask <@U0BEN|ben> about <https://gov.uk/x|the form> &amp; costs' }));
  expect(res.status).toBe(200);
  const view = await lastModal();
  const [permalinkCall] = slack.callsTo('chat.getPermalink');
  expect(permalinkCall?.body).toMatchObject({ channel: CHANNEL, message_ts: '1700000000.000200' });
  expect(view.callback_id).toBe('decision_modal');
  expect(view.blocks.find((b) => b.block_id === 'text')?.element?.initial_value).toBe('We should ask @ben about the form (https://gov.uk/x) & costs');
  expect(JSON.parse(view.private_metadata)).toMatchObject({ c: CHANNEL, s: PERMALINK });

  const submit = await t.interact(viewSubmission({ view: { callback_id: view.callback_id, private_metadata: view.private_metadata }, values: { text: textValue('We will ask about the form'), sprint: selectValue('0') } }));
  expect(submit.status).toBe(200);
  const [post] = await slack.waitFor('chat.postMessage');
  expect(JSON.stringify(post?.body.blocks)).toContain(`<${PERMALINK}|this message>`);
  const snap = await snapshot();
  expect(snap?.decisions[0]).toMatchObject({ text: 'We will ask about the form', sourceUrl: PERMALINK });
});

it('Add as evidence asks which decision (current sprint first) and adds the message with its permalink', async () => {
  expect((await t.command('We will publish weekly')).status).toBe(200);
  expect((await t.command('We will drop the paper form')).status).toBe(200);
  slack.api('chat.getPermalink', { ok: true, channel: CHANNEL, permalink: PERMALINK });
  await t.interact(messageShortcut({ callbackId: 'add_evidence', text: 'Five of six users asked for it' }));
  const view = await lastModal();
  expect(view.callback_id).toBe('evidence_modal');
  expect(view.blocks.find((b) => b.block_id === 'decision')?.element?.options?.map((o) => o.value)).toEqual(['1', '0']);
  expect(view.blocks.find((b) => b.block_id === 'text')?.element?.initial_value).toBe('Five of six users asked for it');

  const submit = await t.interact(viewSubmission({ view: { callback_id: view.callback_id, private_metadata: view.private_metadata }, values: { decision: selectValue('0'), text: textValue('Five of six users asked for it') } }));
  expect(submit.status).toBe(200);
  await slack.waitFor('chat.postMessage');
  const snap = await snapshot();
  expect(snap?.evidence.map((e) => [e.decision, e.letter, e.text, e.sourceUrl])).toEqual([[0, 'a', 'Five of six users asked for it', PERMALINK]]);
});

it('Add as evidence with no decisions yet says so in a modal', async () => {
  slack.api('chat.getPermalink', { ok: true, channel: CHANNEL, permalink: PERMALINK });
  await t.interact(messageShortcut({ callbackId: 'add_evidence', text: 'Something' }));
  const view = await lastModal();
  expect(view.callback_id).toBeUndefined();
  expect(JSON.stringify(view.blocks)).toContain('no decisions in this channel yet');
});

it('still opens the modal, without a source, when Slack gives no permalink', async () => {
  slack.api('chat.getPermalink', { ok: false, error: 'channel_not_found' });
  await t.interact(messageShortcut({ callbackId: 'record_decision', text: 'Keep it simple' }));
  const view = await lastModal();
  expect(JSON.parse(view.private_metadata)).toMatchObject({ c: CHANNEL, s: null });
});
