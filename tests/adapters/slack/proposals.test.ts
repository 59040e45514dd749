/**
 * Proposed decisions and who took a decision, through signed Slack requests to the real
 * HTTP server: propose, accept (naming people by Slack mention), reject, undo, the rules
 * (a proposal cannot be withdrawn or supersede another; evidence and edits are fine), the
 * modal's "Decided by" field, list and show, the digest preview, the retro prompt, the case
 * page and the Markdown export read by the command line.
 */
import { ANA, BEN, CHANNEL, FakeSlack, nock, onlyLocalNetwork, slackPlace, startSlackApp, textValue, selectValue, viewSubmission, allStrings } from './helpers';
import type { SlackTestApp } from './helpers';
import { runCli } from '../../helpers/cli';

let t: SlackTestApp;
let slack: FakeSlack;

const PROFILES: Record<string, unknown> = {
  [ANA.id]: { name: 'ana', profile: { display_name: 'Ana Lopez' } },
  [BEN.id]: { name: 'ben', profile: { display_name: 'Ben Jones' } },
};

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  slack.api('users.info', (call) => {
    const user = PROFILES[String(call.body.user)];
    return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
  });
  slack.api('views.open');
  slack.api('chat.postMessage', (call) => ({ ok: true, channel: call.body.channel, ts: '1700000000.000100' }));
  t = await startSlackApp({ env: { PUBLIC_URL: 'https://decisions.example', SHARE_SECRET: 'a-share-secret-long-enough' } });
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

interface Answer { response_type: string; text: string; blocks: unknown[] }

async function say(text: string, user = ANA): Promise<Answer> {
  const res = await t.command(text, { user });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

const words = (a: Answer): string => allStrings(a.blocks).join('\n');

async function decisions() {
  const c = await t.app.store.findCase(slackPlace());
  return (c ? (await t.app.store.snapshot(c.id))?.decisions : null) ?? [];
}

it('propose, then accept naming who took it by mention; undo; then reject with a reason', async () => {
  const proposed = await say('propose We will drop the paper form');
  expect(proposed.response_type).toBe('in_channel');
  expect(proposed.text).toContain(`Decision 0 proposed, to be agreed, in Sprint 0 by <@${ANA.id}>`);
  expect(words(proposed)).toContain('`/decision accept 0` or `/decision reject 0 &lt;reason&gt;`');
  expect((await decisions()).map((d) => [d.status, d.deciders])).toEqual([['proposed', []]]);

  // What a proposal can and cannot take.
  expect((await say('withdraw 0')).text).toContain('Decision 0 is only proposed, so you cannot withdraw it: `accept 0` or `reject 0` settles it first. Nothing changed.');
  await say('We will publish weekly');
  expect((await say('supersede 1 with 0')).text).toContain('Decision 0 is only proposed, so you cannot use it to supersede another');
  expect((await say('evidence 0 Two of five teams still post forms')).text).toContain('Evidence 0a added to Decision 0');
  expect((await say('accept 1')).text).toContain('Decision 1 is not a proposal: it was already taken');

  // Slack sends a mention as <@U…|handle>; the case keeps the name Slack shows.
  const accepted = await say(`accept 0 by <@${BEN.id}|ben> and <@${ANA.id}|ana>`);
  expect(accepted.response_type).toBe('in_channel');
  expect(accepted.text).toContain('Decision 0 accepted by Ana Lopez, decided by Ben Jones and Ana Lopez');
  expect((await decisions())[0]).toMatchObject({ status: 'active', deciders: ['Ben Jones', 'Ana Lopez'] });

  expect((await say('undo')).text).toContain('undid: accepted Decision 0');
  expect((await decisions())[0]).toMatchObject({ status: 'proposed', deciders: [] });

  const rejected = await say('reject 0 Too costly for this phase');
  expect(rejected.text).toContain('Decision 0 rejected by Ana Lopez: Too costly for this phase');
  expect((await decisions())[0]).toMatchObject({ status: 'rejected', statusReason: 'Too costly for this phase' });
  expect((await say('edit 0 We will keep the paper form')).text).toContain('Decision 0 was rejected, so you cannot edit it. Nothing changed.');
  expect((await say('reject 0')).text).toContain('Decision 0 is not a proposal: it was rejected');
});

it('record … by @name names who took it, apart from who typed it, on every reading surface and in the export', async () => {
  const recorded = await say(`We will publish weekly by <@${BEN.id}|ben>`);
  expect(recorded.text).toContain(`Decision 0 recorded in Sprint 0 by <@${ANA.id}>`);
  expect(words(recorded)).toContain('Decided by Ben Jones');
  const [d] = await decisions();
  expect(d).toMatchObject({ text: 'We will publish weekly', deciders: ['Ben Jones'], author: { id: ANA.id } });
  // "by" with no @ is part of the decision.
  await say('We will ship by Friday');
  expect((await decisions())[1]).toMatchObject({ text: 'We will ship by Friday', deciders: [] });
  await say('propose We will put definitions inline');

  expect(words(await say('show 0'))).toContain('Decided by Ben Jones');
  const list = words(await say('list'));
  expect(list).toContain('decided by Ben Jones');
  expect(list).toContain('proposed, to be agreed');

  // The digest preview (a minute on) lists what awaits a decision.
  t.clock.advance(60_000);
  const digest = words(await say('digest'));
  expect(digest).toContain('*Awaiting a decision*');
  expect(digest).toContain('Decision 2: We will put definitions inline');
  expect(digest).toContain('Decision 0: We will publish weekly (decided by Ben Jones)');

  // The retro prompt, at the end of Sprint 0 (Wednesday 9 December), lists it too.
  await t.app.scheduler.tick(new Date('2026-12-09T14:00:30Z'));
  const retro = slack.callsTo('chat.postMessage').find((c) => String(c.body.text).startsWith('Retro for'));
  expect(String(retro?.body.text)).toContain('1 proposal awaiting a decision');
  expect(JSON.stringify(retro?.body.blocks)).toContain('Awaiting a decision');

  // The case page.
  const c = await t.app.store.findCase(slackPlace());
  const page = await (await fetch(`${t.base}/cases/${encodeURIComponent(c?.id ?? '')}?token=${t.app.share?.tokenFor(c ?? { id: '', shareVersion: 1 }) ?? ''}`)).text();
  expect(page).toContain('<p class="status">Decided by Ben Jones</p>');
  expect(page).toContain('<strong class="tag tag--proposed">Proposed</strong>');
  expect(page).toContain('<p class="status">Proposed, to be agreed</p>');

  // The export, through the command line on the same data directory.
  const exported = await runCli(['export', '--from', `slack:${slackPlace().workspace}/${CHANNEL}`], { env: { DATA_DIR: t.dir } });
  expect(exported.code).toBe(0);
  expect(exported.stdout).toContain('Decision 0: We will publish weekly\n\n_Decided by Ben Jones_\n');
  expect(exported.stdout).toContain('Decision 2: We will put definitions inline\n\n_Proposed_\n');
});

it('the record modal has a Decided by field', async () => {
  expect((await t.command('')).status).toBe(200);
  const [open] = await slack.waitFor('views.open');
  const view = open?.body.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; hint?: { text: string } }[] };
  const field = view.blocks.find((b) => b.block_id === 'deciders');
  expect(field?.hint?.text).toBe('Who took the decision, if not you: names, separated by commas.');
  const res = await t.interact(viewSubmission({
    view: { callback_id: view.callback_id, private_metadata: view.private_metadata },
    values: { text: textValue('We will put definitions inline'), sprint: selectValue('0'), deciders: textValue('Ana Smith, @Ben Jones') },
  }));
  expect(res.status).toBe(200);
  await slack.waitFor('chat.postMessage');
  expect((await decisions())[0]).toMatchObject({ deciders: ['Ana Smith', 'Ben Jones'] });

  // A bad name is refused on its field, and nothing is recorded.
  const bad = await t.interact(viewSubmission({
    view: { callback_id: view.callback_id, private_metadata: view.private_metadata },
    values: { text: textValue('We will go'), sprint: selectValue('0'), deciders: textValue('x'.repeat(81)) },
  }));
  expect(JSON.parse(await bad.text())).toMatchObject({ response_action: 'errors', errors: { deciders: expect.stringContaining('A name is 81 characters long') } });
  expect(await decisions()).toHaveLength(1);
});

it('a proposal cannot name who took it until it is accepted', async () => {
  expect((await say(`propose We will go by <@${BEN.id}|ben>`)).text).toContain('A proposal is taken when it is accepted');
  expect(await decisions()).toEqual([]);
});
