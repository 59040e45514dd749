/**
 * Phases, points of the Service Standard and the assessment pack through signed Slack
 * requests to the real HTTP server: `phase`, `phase start` (with its Undo button), `tag` and
 * `untag`, points inline and from the record modal's multi-select, `assessment` (its summary
 * and link, which opens the page under the share token) and `assessment export` (uploaded as
 * a file); hostile phase names never ping a channel or reach the page as markup.
 */
import { ACTIONS } from '../../../adapters/slack/render/blocks';
import { CHANNEL, FakeSlack, SLACK_ORIGIN, allStrings, blockAction, nock, onlyLocalNetwork, selectValue, slackPlace, startSlackApp, textValue, viewSubmission } from './helpers';
import type { SlackTestApp } from './helpers';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  slack.api('users.info', { ok: true, user: { name: 'ana', profile: { display_name: 'Ana Lopez' } } });
  slack.api('views.open');
  slack.api('chat.postMessage', (call) => ({ ok: true, channel: call.body.channel, ts: '1700000000.000100' }));
  slack.api('chat.update');
  t = await startSlackApp({ env: { PUBLIC_URL: 'https://decisions.example', SHARE_SECRET: 'a-share-secret-long-enough' } });
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

interface Answer { response_type: string; text: string; blocks: unknown[] }

async function say(text: string): Promise<Answer> {
  const res = await t.command(text);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

const words = (a: Answer): string => allStrings(a.blocks).join('\n');

async function snapshot() {
  const c = await t.app.store.findCase(slackPlace());
  return c ? t.app.store.snapshot(c.id) : null;
}

/** The value of the first button with this action id in a message's blocks. */
function buttonValue(blocks: unknown, actionId: string): string | undefined {
  const found = JSON.stringify(blocks).match(new RegExp(`"action_id":"${actionId.replace('.', '\\.')}","value":"([^"]+)"`));
  return found?.[1];
}

it('phase start names the phase in the channel, with an Undo button that takes it back; sprint and list say it', async () => {
  expect((await say('phase')).text).toContain('This case has no phases yet.');
  const started = await say('phase start alpha');
  expect(started.response_type).toBe('in_channel');
  expect(started.text).toBe('Ana Lopez started Alpha at Sprint 0. Sprint 0 and the sprints after it belong to it until the next phase starts.');
  expect(words(started)).toContain('• *Alpha*: from Sprint 0 · 0 decisions · _now_');
  expect((await say('sprint')).text).toMatch(/^Sprint 0, Alpha runs from/);
  await say('We will publish weekly');
  expect(words(await say('list'))).toContain('*Decision 0* · Sprint 0, Alpha');

  const change = buttonValue(started.blocks, ACTIONS.undo);
  expect(change).toBeDefined();
  slack.path('/actions/undo', 'response_url');
  const res = await t.interact(blockAction({ actionId: ACTIONS.undo, value: change ?? '', responseUrl: `${SLACK_ORIGIN}/actions/undo` }));
  expect(res.status).toBe(200);
  const [post] = await slack.waitFor('chat.postMessage');
  // The channel is told with the person as a mention, which Slack shows by their name.
  expect(String(post?.body.text)).toBe('<@U0ANA> undid: started Alpha at Sprint 0.');
  const [replaced] = await slack.waitFor('response_url');
  expect(replaced?.body).toMatchObject({ replace_original: true });
  expect((await snapshot())?.sprints.some((s) => s.phase)).toBe(false);
});

it('a hostile phase name is kept as written, never pinging anyone in Slack nor markup on the page', async () => {
  // Slack sends markup for what was typed; the case keeps it as plain words ("@channel", "click (https://…)").
  const started = await say('phase start beta <!channel> @here <https://evil.example|click> &lt;script&gt;');
  expect((await snapshot())?.sprints[0]?.phase).toEqual({ kind: 'beta', name: '@channel @here click (https://evil.example) <script>' });
  expect(started.text).toContain('started @\u2060channel @\u2060here click (https://evil.example) &lt;script&gt; at Sprint 0.');
  expect(allStrings(started.blocks).join('\n')).not.toMatch(/<!channel>|<!here>|(?<!\u2060)@(here|channel)\b|<https:\/\/evil|<script>/);
  const pack = await say('assessment');
  expect(allStrings(pack.blocks).join('\n')).not.toMatch(/<!channel>|<!here>|(?<!\u2060)@(here|channel)\b|<https:\/\/evil|<script>/);
  const url = /<(https:\/\/decisions\.example\/cases\/[^|>]+)\|open the assessment>/.exec(words(pack))?.[1]?.replace(/&amp;/g, '&');
  expect(url).toBeDefined();
  const page = await (await fetch(`${t.base}${new URL(url ?? '').pathname}${new URL(url ?? '').search}`)).text();
  expect(page).toContain('<h1>@channel @here click (https://evil.example) &lt;script&gt; assessment: Business case</h1>');
  expect(page).not.toContain('<script>');
});

it('tag and untag through commands; points inline and from the record modal', async () => {
  await say('We will publish weekly [SS 8]');
  await say('evidence 0 Users asked for it every week');
  const tagged = await say('tag 0 1 7');
  expect(tagged.response_type).toBe('in_channel');
  expect(tagged.text).toBe('Decision 0 tagged with points 1 and 7 of the Service Standard by Ana Lopez.');
  expect(words(tagged)).toContain('Decision 0 now: Service Standard 1 (Understand users and their needs), 7 (Use agile ways of working), 8 (Iterate and improve frequently)');
  expect(buttonValue(tagged.blocks, ACTIONS.undo)).toBeDefined();
  expect((await say('tag 0a 5')).text).toBe('Evidence 0a tagged with point 5 of the Service Standard by Ana Lopez.');
  expect((await say('untag 0 7')).text).toBe('Ana Lopez took point 7 of the Service Standard off Decision 0.');
  const shown = words(await say('show 0'));
  expect(shown).toContain('Service Standard 1 (Understand users and their needs), 8 (Iterate and improve frequently)');
  expect(shown).toContain('_[Service Standard 5]_');
  expect((await say('tag 0 15')).text).toContain('There is no point 15 of the Service Standard.');
  expect((await snapshot())?.decisions[0]?.points).toEqual([1, 8]);

  // The record modal: a multi-select of the 14 points.
  expect((await t.command('')).status).toBe(200);
  const [open] = await slack.waitFor('views.open');
  const view = open?.body.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; element?: { type: string; options?: Array<{ value: string; text: { text: string } }> } }> };
  const field = view.blocks.find((b) => b.block_id === 'points');
  expect(field?.element?.type).toBe('multi_static_select');
  expect(field?.element?.options?.map((o) => o.text.text)).toHaveLength(14);
  expect(field?.element?.options?.[12]?.text.text).toBe('13. Use and contribute to open standards, common components and patterns');
  const chosen = { value: { type: 'multi_static_select', selected_options: [{ value: '5' }, { value: '4' }] } };
  const res = await t.interact(viewSubmission({
    view: { callback_id: view.callback_id, private_metadata: view.private_metadata },
    values: { text: textValue('We will test with screen reader users [SS 9]'), sprint: selectValue('0'), points: chosen, evidence: textValue('Two of five used one [SS 5]') },
  }));
  expect(res.status).toBe(200);
  await slack.waitFor('chat.postMessage');
  const snap = await snapshot();
  expect(snap?.decisions[1]).toMatchObject({ text: 'We will test with screen reader users', points: [4, 5, 9] });
  expect(snap?.evidence.find((e) => e.decision === 1)?.points).toEqual([5]);
  // A value that is no point (a forged submission) never gets in.
  const forged = { value: { type: 'multi_static_select', selected_options: [{ value: '<!channel>' }, { value: '99' }] } };
  const bad = await t.interact(viewSubmission({
    view: { callback_id: view.callback_id, private_metadata: view.private_metadata },
    values: { text: textValue('We will go'), sprint: selectValue('0'), points: forged },
  }));
  expect(JSON.parse(await bad.text())).toMatchObject({ response_action: 'errors', errors: { points: expect.stringContaining('There is no point 99') } });
  expect((await snapshot())?.decisions).toHaveLength(2);
});

it('assessment answers with its summary, each point and the link; assessment export uploads the pack', async () => {
  await say('We will map the journey [SS 1]');
  await say('sprint start');
  await say('phase start alpha');
  await say('We will prototype the form [SS 4]');
  const pack = await say('assessment');
  expect(pack.response_type).toBe('ephemeral');
  expect(pack.text).toBe('Alpha: 1 decision, 1 of 14 points covered; nothing yet for 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 14.');
  const w = words(pack);
  expect(w).toContain('• *4.* Make the service simple to use: Decision 1');
  expect(w).toContain('◦ *1.* Understand users and their needs: _nothing yet_');
  const link = /<(https:\/\/decisions\.example\/cases\/[^|>]+)\|open the assessment>/.exec(w)?.[1]?.replace(/&amp;/g, '&') ?? '';
  expect(link).toMatch(/\/assessment\?phase=alpha&token=/);
  const u = new URL(link);
  const page = await fetch(`${t.base}${u.pathname}${u.search}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(await page.text()).toContain('<h2 id="point-4">4. Make the service simple to use</h2>');
  // The same link with another token, or none, is the same not-found page as the case page's.
  expect((await fetch(`${t.base}${u.pathname}?phase=alpha&token=wrong`)).status).toBe(404);

  slack.api('files.getUploadURLExternal', { ok: true, upload_url: `${SLACK_ORIGIN}/upload/v1/pack`, file_id: 'F0PACK' });
  slack.path('/upload/v1/pack', 'upload', { ok: true });
  slack.api('files.completeUploadExternal', { ok: true, files: [{ id: 'F0PACK' }] });
  slack.path('/commands/T0TEAMA/cmd', 'response_url');
  expect((await t.command('assessment export')).status).toBe(200);
  const [done] = await slack.waitFor('response_url');
  expect(String(done?.body.text)).toContain('I have posted the Alpha assessment pack in this channel as *business-case-alpha-assessment.md*.');
  expect(slack.callsTo('files.getUploadURLExternal')[0]?.body).toMatchObject({ filename: 'business-case-alpha-assessment.md' });
  expect(slack.callsTo('upload')[0]?.raw).toContain('## 4. Make the service simple to use');
  expect(slack.callsTo('files.completeUploadExternal')[0]?.body).toMatchObject({ channel_id: CHANNEL });
});
