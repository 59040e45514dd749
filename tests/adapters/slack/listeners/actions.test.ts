/** The buttons: Add evidence, Edit and Undo under a decision; Record a decision and Add evidence under a retro. */
import { ANA, BEN, CHANNEL, FakeSlack, blockAction, nock, onlyLocalNetwork, responseUrl, slackPlace, startSlackApp } from '../helpers';
import type { SlackTestApp } from '../helpers';
import { decisionsOf } from '../../../helpers/records';

let t: SlackTestApp;
let slack: FakeSlack;
/** The id of the change the first announcement's Undo button carries. */
let undoId: string;

interface Announcement { blocks: Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }> }

function undoValue(body: Announcement): string {
  const button = body.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'decision.undo');
  if (!button?.value) throw new Error('the announcement has no Undo button');
  return button.value;
}

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  t = await startSlackApp();
  const res = await t.command('We will publish weekly');
  expect(res.status).toBe(200);
  undoId = undoValue((await res.json()) as Announcement);
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
  return decisionsOf(t.app.store, c?.id ?? '');
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

it('Undo by the author undoes the change it sits under, marks the announcement undone and says so in the channel', async () => {
  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.undo', undoId);
  const [post] = await slack.waitFor('chat.postMessage');
  expect(post?.body.channel).toBe(CHANNEL);
  expect(String(post?.body.text)).toContain('<@U0ANA> undid: recorded Decision 0.');
  const [replaced] = await slack.waitFor('response_url');
  expect(replaced?.body).toMatchObject({ replace_original: true });
  expect(String(replaced?.body.text)).toContain('<@U0ANA> undid: recorded Decision 0.');
  expect(await decisions()).toEqual([]);
  // A second click on the same button changes nothing and says why, to the clicker only.
  await click('decision.undo', undoId);
  const answers = await slack.waitFor('response_url', 2);
  expect(answers[1]?.body).toMatchObject({ response_type: 'ephemeral' });
  expect(String(answers[1]?.body.text)).toContain('That was already undone: recorded Decision 0.');
});

it('Undo under Decision 0 never touches the later Decision 1 the clicker recorded', async () => {
  const second = await t.command('We will drop the paper form');
  expect(second.status).toBe(200);
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.undo', undoId);
  const [answer] = await slack.waitFor('response_url');
  expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
  expect(String(answer?.body.text)).toContain('Decision 1 was recorded after Decision 0, so its number cannot be freed');
  expect((await decisions()).map((d) => [d.number, d.text])).toEqual([[0, 'We will publish weekly'], [1, 'We will drop the paper form']]);
});

it('Undo by someone else undoes nothing and tells only them', async () => {
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.undo', undoId, BEN);
  const [answer] = await slack.waitFor('response_url');
  expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
  expect(String(answer?.body.text)).toContain('Only <@U0ANA> can undo that');
  expect(await decisions()).toHaveLength(1);
});

it('when the bot is not in the channel, the channel answer goes through the response URL', async () => {
  slack.api('chat.postMessage', { ok: false, error: 'not_in_channel' });
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.undo', undoId);
  // The announcement is marked undone, and the channel is told through the same URL.
  const calls = await slack.waitFor('response_url', 2);
  const answer = calls.find((c) => c.body.replace_original === false);
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

it('Edit and Add evidence on a withdrawn decision open nothing and say why in the typed command\'s words, to the clicker only', async () => {
  expect((await t.command('withdraw 0 Too costly')).status).toBe(200);
  const typedEdit = (await (await t.command('edit 0 We will publish monthly')).json()) as { text: string };
  const typedEvidence = (await (await t.command('0 Seen in testing', { command: '/evidence' })).json()) as { text: string };
  expect(typedEdit.text).toContain('Decision 0 was withdrawn, so you cannot edit it.');
  slack.path('/commands/T0TEAMA/button', 'response_url');
  await click('decision.edit', '0');
  await click('decision.evidence', '0');
  const answers = await slack.waitFor('response_url', 2);
  expect(answers.map((a) => a.body.response_type)).toEqual(['ephemeral', 'ephemeral']);
  expect(answers.map((a) => a.body.text).sort()).toEqual([typedEdit.text, typedEvidence.text].sort());
  expect(slack.callsTo('views.open')).toHaveLength(0);
});

it('acknowledges at once, and changes nothing, for a button, a form or a slash command that is not ours', async () => {
  const started = Date.now();
  const button = await t.interact(blockAction({ actionId: 'someone.else', value: '0' }));
  expect(button.status).toBe(200);
  const form = await t.interact({
    type: 'view_submission', team: { id: 'T0TEAMA', domain: 'example' }, user: { id: ANA.id, username: ANA.name, name: ANA.name, team_id: 'T0TEAMA' },
    api_app_id: 'A0APP', token: 'deprecated', trigger_id: 'trigger-form',
    view: { id: 'V1', type: 'modal', callback_id: 'not_ours', private_metadata: '', state: { values: {} }, hash: 'h' },
  });
  expect(form.status).toBe(200);
  const command = await t.command('hello', { command: '/standup' });
  expect(command.status).toBe(200);
  expect(((await command.json()) as { response_type: string; text: string })).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('I only answer `/decision` and `/evidence`') as unknown as string });
  // Within Slack's 3 seconds, well before Bolt would give up on an unhandled request.
  expect(Date.now() - started).toBeLessThan(2000);
  expect(slack.calls).toEqual([]);
  const c = await t.app.store.findCase(slackPlace());
  expect((await decisionsOf(t.app.store, c?.id ?? '')).map((d) => d.number)).toEqual([0]);
});
