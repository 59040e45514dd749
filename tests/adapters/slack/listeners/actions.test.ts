/** The buttons: Add evidence, Edit and Undo under a decision; Record a decision and Add evidence under a retro. */
import { ANA, BEN, CHANNEL, FakeSlack, blockAction, nock, onlyLocalNetwork, responseUrl, slackPlace, startSlackApp } from '../helpers';
import type { SlackTestApp } from '../helpers';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  t = await startSlackApp();
  const res = await t.command('We will publish weekly');
  expect(res.status).toBe(200);
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

interface ModalBody {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  blocks: { type: string; block_id?: string; text?: { text: string }; element?: { initial_value?: string; options?: { value: string }[] } }[];
}

async function click(actionId: string, value: string, user = ANA): Promise<void> {
  const res = await t.interact(blockAction({ actionId, value, user }));
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
}

async function openedModal(): Promise<ModalBody> {
  const [call] = await slack.waitFor('views.open');
  expect(call?.body.trigger_id).toBe('trigger-button');
  return call?.body.view as ModalBody;
}

async function decisions() {
  const c = await t.app.store.findCase(slackPlace());
  return t.app.store.listDecisions(c?.id ?? '');
}

it('Add evidence opens the evidence modal for that decision', async () => {
  slack.api('views.open');
  await click('decision.evidence', '0');
  const view = await openedModal();
  expect(view.callback_id).toBe('evidence_modal');
  expect(view.blocks[0]?.text?.text).toContain('We will publish weekly');
  expect(JSON.parse(view.private_metadata)).toEqual({ c: CHANNEL, r: responseUrl('button'), s: null, d: 0 });
  expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['text']);
});

it('Edit opens the edit modal with the current wording', async () => {
  slack.api('views.open');
  await click('decision.edit', '0');
  const view = await openedModal();
  expect(view.callback_id).toBe('edit_modal');
  expect(view.title.text).toBe('Edit Decision 0');
  expect(view.blocks.find((b) => b.block_id === 'text')?.element?.initial_value).toBe('We will publish weekly');
});

it('a button about a decision that does not exist answers the clicker only', async () => {
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.edit', '9');
  const [answer] = await slack.waitFor('response_url');
  expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(String(answer?.body.text)).toContain('There is no Decision 9');
  expect(slack.callsTo('views.open')).toHaveLength(0);
});

it('Undo by the author undoes and says so in the channel', async () => {
  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  await click('decision.undo', '0');
  const [post] = await slack.waitFor('chat.postMessage');
  expect(post?.body.channel).toBe(CHANNEL);
  expect(String(post?.body.text)).toContain('ana undid: recorded a decision');
  expect(await decisions()).toEqual([]);
});

it('Undo by someone else undoes nothing and tells only them', async () => {
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.undo', '0', BEN);
  const [answer] = await slack.waitFor('response_url');
  expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
  expect(String(answer?.body.text)).toContain('nothing to undo');
  expect(await decisions()).toHaveLength(1);
});

it('when the bot is not in the channel, the channel answer goes through the response URL', async () => {
  slack.api('chat.postMessage', { ok: false, error: 'not_in_channel' });
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.undo', '0');
  const [answer] = await slack.waitFor('response_url');
  expect(answer?.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
  expect(String(answer?.body.text)).toContain('undid');
});

it('when Slack rate-limits the post, it waits as told and posts once', async () => {
  slack.api('chat.postMessage', { ok: false, error: 'ratelimited' }, { status: 429, headers: { 'retry-after': '1' }, times: 1 });
  slack.api('chat.postMessage', { ok: true, ts: '1.2' }, { times: 1 });
  await click('decision.undo', '0');
  const posts = await slack.waitFor('chat.postMessage', 2, 5000);
  expect(posts).toHaveLength(2);
  expect(slack.scopes.every((s) => s.isDone())).toBe(true);
});

it('Record a decision under a retro prompt opens the decision modal', async () => {
  slack.api('views.open');
  await click('retro.record', '0');
  const view = await openedModal();
  expect(view.callback_id).toBe('decision_modal');
  expect(view.blocks.find((b) => b.block_id === 'sprint')?.element?.options?.length).toBeGreaterThan(0);
});

it('Add evidence under a retro prompt opens the evidence modal with a decision picker', async () => {
  slack.api('views.open');
  await click('retro.evidence', '0');
  const view = await openedModal();
  expect(view.callback_id).toBe('evidence_modal');
  expect(view.blocks.find((b) => b.block_id === 'decision')?.element?.options?.map((o) => o.value)).toEqual(['0']);
  expect(JSON.parse(view.private_metadata).d).toBeNull();
});
