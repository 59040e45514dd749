/**
 * End to end: text people type never pings @channel/@here, mentions anyone or forges a
 * link, in the command response, the announcement or its fallback; and a long list
 * stays within Slack's block limits.
 */
import { ANA, FakeSlack, allStrings, blockAction, nock, onlyLocalNetwork, selectValue, slackPlace, startSlackApp, textValue, viewSubmission } from './helpers';
import type { SlackTestApp } from './helpers';
import { decisionsOf } from '../../helpers/records';

const EVIL = '<!channel> <!here> @here <@U123> <https://evil.example|click> & <script>alert(1)</script>';
const FORBIDDEN = ['<!channel>', '<!here>', '<@U123>', '|click>', '<script>', '@here'];

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

function expectSafe(value: unknown): void {
  for (const s of allStrings(value)) {
    for (const bad of FORBIDDEN) expect(s.includes(bad) ? `${bad} in: ${s}` : 'safe').toBe('safe');
    // The only mention is the one we add for the author.
    expect((s.match(/<@[^>]*>/g) ?? []).every((m) => m === `<@${ANA.id}>`)).toBe(true);
    // A link typed in Slack comes back showing its own address, never a label hiding it.
    for (const m of s.matchAll(/<(https?:[^|>]*)(?:\|([^>]*))?>/g)) expect(m[2] ?? m[1]).toBe(m[1]);
  }
}

it('escapes a hostile decision in the command response, blocks and fallback alike', async () => {
  const res = await t.command(EVIL);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { text: string; blocks: unknown[] };
  expectSafe(body);
  expect(body.text).toContain('&amp;');
});

it('keeps what the person typed, as plain text, from the way Slack encodes a command', async () => {
  // What Slack sends when someone types EVIL: mentions and links as <…> markup, and the
  // person's own &, < and > encoded.
  const asSlackSends = '<!channel> <!here> @here <@U123> <https://evil.example|click> &amp; &lt;script&gt;alert(1)&lt;/script&gt; R&amp;D';
  const res = await t.command(asSlackSends);
  expect(res.status).toBe(200);
  expectSafe(await res.json());
  const c = await t.app.store.findCase(slackPlace());
  expect((await decisionsOf(t.app.store, c?.id ?? ''))[0]?.text)
    .toBe('@channel @here @here @U123 click (https://evil.example) & <script>alert(1)</script> R&D');
});

it('escapes hostile evidence and decisions announced after a modal, and in lists', async () => {
  expect((await t.command(`record ${EVIL}`)).status).toBe(200);
  slack.api('views.open');
  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  await t.interact(blockAction({ actionId: 'decision.evidence', value: '0' }));
  const [open] = await slack.waitFor('views.open');
  expectSafe((open?.body.view as { blocks: unknown[] }).blocks);
  const view = open?.body.view as { callback_id: string; private_metadata: string };
  await t.interact(viewSubmission({ view: { callback_id: view.callback_id, private_metadata: view.private_metadata }, values: { text: textValue(EVIL) } }));
  const [post] = await slack.waitFor('chat.postMessage');
  expectSafe(post?.body);

  const list = (await (await t.command('list all')).json()) as unknown;
  expectSafe(list);
  const show = (await (await t.command('show 0')).json()) as unknown;
  expectSafe(show);
});

it('escapes a hostile user name', async () => {
  const res = await t.command('We will publish weekly', { user: { id: ANA.id, name: EVIL } });
  expectSafe(await res.json());
});

it('a list of 200 decisions comes back within 50 blocks and 3,000 characters a section', async () => {
  const ctx = { place: slackPlace(), actor: ANA };
  for (let i = 0; i < 200; i += 1) {
    const reply = await t.app.service.runCommand(ctx, { name: 'record', text: `Decision number ${i}: ${'we will do the thing properly '.repeat(8)}` });
    expect(reply.kind).toBe('decision');
  }
  const res = await t.command('list all');
  const body = (await res.json()) as { text: string; blocks: { type: string; text?: { text: string } }[] };
  expect(body.blocks.length).toBeLessThanOrEqual(50);
  for (const b of body.blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
  const all = JSON.stringify(body.blocks);
  expect(all).toContain('Decision 0*');
  // Every decision is there, or a note says where the rest are.
  expect(all.includes('Decision 199*') || all.includes('more not shown here')).toBe(true);
  expect(body.text).toContain('200');
});

it('a recorded decision with evidence from the modal escapes every line', async () => {
  slack.api('views.open');
  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  await t.command('');
  const [open] = await slack.waitFor('views.open');
  const view = open?.body.view as { callback_id: string; private_metadata: string };
  await t.interact(viewSubmission({ view: { callback_id: view.callback_id, private_metadata: view.private_metadata }, values: { text: textValue(EVIL), evidence: textValue(`${EVIL}\n${EVIL}`), sprint: selectValue('0') } }));
  const [post] = await slack.waitFor('chat.postMessage');
  expectSafe(post?.body);
});
