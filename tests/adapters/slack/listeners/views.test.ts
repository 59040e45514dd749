/** Modal submissions: decision, evidence and edit; errors shown on the field, in the modal. */
import { ANA, CHANNEL, FakeSlack, blockAction, nock, onlyLocalNetwork, selectValue, slackPlace, startSlackApp, textValue, viewSubmission } from '../helpers';
import type { SlackTestApp } from '../helpers';

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

type View = { callback_id: string; private_metadata: string };

/** Opens a modal the way a person would, and returns what Slack was asked to show. */
async function modalFrom(open: () => Promise<Response>): Promise<View> {
  const before = slack.callsTo('views.open').length;
  expect((await open()).status).toBe(200);
  const calls = await slack.waitFor('views.open', before + 1);
  const view = calls[calls.length - 1]?.body.view as View;
  return { callback_id: view.callback_id, private_metadata: view.private_metadata };
}

async function submit(view: View, values: Record<string, Record<string, unknown>>): Promise<{ status: number; body: string }> {
  const res = await t.interact(viewSubmission({ view: { ...view }, values }));
  return { status: res.status, body: await res.text() };
}

async function snapshot() {
  const c = await t.app.store.findCase(slackPlace());
  return c ? t.app.store.snapshot(c.id) : null;
}

describe('the decision modal', () => {
  it('records the decision with one evidence item a line, in the chosen sprint, and announces it', async () => {
    const view = await modalFrom(() => t.command(''));
    const res = await submit(view, {
      text: textValue('We will put definitions inline'),
      evidence: textValue('Readers stumbled on three terms\n\n  Five of six asked for a glossary  \n'),
      sprint: selectValue('0'),
    });
    expect(res).toEqual({ status: 200, body: '' });
    const [post] = await slack.waitFor('chat.postMessage');
    expect(post?.body.channel).toBe(CHANNEL);
    expect(String(post?.body.text)).toContain(`Decision 0 recorded in Sprint 0 by <@${ANA.id}>`);
    expect(JSON.stringify(post?.body.blocks)).toContain('Evidence 0b');
    const snap = await snapshot();
    expect(snap?.decisions.map((d) => [d.number, d.sprint, d.text])).toEqual([[0, 0, 'We will put definitions inline']]);
    expect(snap?.evidence.map((e) => `${e.decision}${e.letter}: ${e.text}`)).toEqual(['0a: Readers stumbled on three terms', '0b: Five of six asked for a glossary']);
  });

  it('shows a validation error on the text field and keeps the modal open', async () => {
    const view = await modalFrom(() => t.command(''));
    const res = await submit(view, { text: textValue('   '), evidence: textValue(''), sprint: selectValue('0') });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { text: 'A decision needs some text.' } });
    expect(await snapshot()).toBeNull();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('shows an unknown sprint on the sprint field', async () => {
    const view = await modalFrom(() => t.command(''));
    const res = await submit(view, { text: textValue('We will'), evidence: textValue(''), sprint: selectValue('7') });
    const body = JSON.parse(res.body) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual(['sprint']);
    expect(body.errors.sprint).toContain('There is no Sprint 7');
  });

  it('shows bad evidence on the evidence field', async () => {
    const view = await modalFrom(() => t.command(''));
    const res = await submit(view, { text: textValue('We will'), evidence: textValue('fine\nbad \u0007 bell'), sprint: selectValue('0') });
    expect(Object.keys((JSON.parse(res.body) as { errors: object }).errors)).toEqual(['evidence']);
  });

  it('refuses a submission that lost its channel', async () => {
    const res = await submit({ callback_id: 'decision_modal', private_metadata: 'garbage' }, { text: textValue('We will'), sprint: selectValue('0') });
    expect(JSON.parse(res.body)).toMatchObject({ response_action: 'errors' });
    expect(await snapshot()).toBeNull();
  });
});

describe('the evidence modal', () => {
  beforeEach(async () => {
    expect((await t.command('We will publish weekly')).status).toBe(200);
  });

  it('adds evidence to the decision its button named', async () => {
    const view = await modalFrom(() => t.interact(blockAction({ actionId: 'decision.evidence', value: '0' })));
    const res = await submit(view, { text: textValue('Five of six users asked for it') });
    expect(res).toEqual({ status: 200, body: '' });
    const [post] = await slack.waitFor('chat.postMessage');
    expect(String(post?.body.text)).toContain('Evidence 0a added to Decision 0');
    expect((await snapshot())?.evidence.map((e) => e.text)).toEqual(['Five of six users asked for it']);
  });

  it('asks for a decision when the picker was left empty', async () => {
    const view = await modalFrom(() => t.command('', { command: '/evidence' }));
    const res = await submit(view, { decision: selectValue(null), text: textValue('Something seen') });
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { decision: 'Choose the decision this evidence supports.' } });
  });

  it('shows a withdrawn decision as an error on the picker', async () => {
    const view = await modalFrom(() => t.command('', { command: '/evidence' }));
    expect((await t.command('withdraw 0 No longer needed')).status).toBe(200);
    const res = await submit(view, { decision: selectValue('0'), text: textValue('Something seen') });
    const body = JSON.parse(res.body) as { errors: Record<string, string> };
    expect(body.errors.decision).toContain('Decision 0 was withdrawn');
  });
});

describe('the edit modal', () => {
  beforeEach(async () => {
    expect((await t.command('We will publish weekly')).status).toBe(200);
  });

  it('rewords the decision and announces the edit', async () => {
    const view = await modalFrom(() => t.interact(blockAction({ actionId: 'decision.edit', value: '0' })));
    const res = await submit(view, { text: textValue('We will publish every Monday') });
    expect(res).toEqual({ status: 200, body: '' });
    const [post] = await slack.waitFor('chat.postMessage');
    expect(String(post?.body.text)).toContain('Decision 0 edited by');
    const snap = await snapshot();
    expect(snap?.decisions[0]?.text).toBe('We will publish every Monday');
    expect(snap?.decisions[0]?.revisions.map((r) => r.text)).toEqual(['We will publish weekly']);
  });

  it('shows "already says that" on the text field', async () => {
    const view = await modalFrom(() => t.interact(blockAction({ actionId: 'decision.edit', value: '0' })));
    const res = await submit(view, { text: textValue('We will publish weekly') });
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { text: 'Decision 0 already says that.' } });
  });
});

it('posts through the response URL when the bot is not in the channel', async () => {
  nock.cleanAll();
  slack = new FakeSlack();
  slack.api('views.open');
  slack.api('chat.postMessage', { ok: false, error: 'not_in_channel' });
  slack.path('/commands/T0TEAMA/cmd', 'response_url');
  const view = await modalFrom(() => t.command(''));
  await submit(view, { text: textValue('We will publish weekly'), sprint: selectValue('0') });
  const [answer] = await slack.waitFor('response_url');
  expect(answer?.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
  expect(String(answer?.body.text)).toContain('Decision 0 recorded');
});
