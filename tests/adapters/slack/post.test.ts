/** The Surface's post(): digests and retro prompts into a case's channel, unprompted. */
import { withRateLimitRetry } from '../../../adapters/slack/post';
import type { Reply } from '../../../src/core/views';
import type { Surface } from '../../../src/surface';
import { BOT_TOKEN, CHANNEL, FakeSlack, SLACK_API_URL, nock, onlyLocalNetwork, slackPlace, startSlackApp } from './helpers';
import { startApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { tempDir } from '../../helpers/temp-dir';
import type { SlackTestApp } from './helpers';
import { caseFor } from '../../helpers/records';

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

function surface(): Surface {
  const s = t.app.surfaces.find((x) => x.description.startsWith('Slack'));
  if (!s?.post) throw new Error('no Slack post');
  return s;
}

const notice: Reply = { kind: 'notice', visibility: 'channel', summary: 'The weekly digest' };

it('names the mode', () => {
  expect(surface().description).toBe('Slack: single workspace over HTTP at POST /slack/events (Web API at http://slack.test/api/)');
});

it('answers a 429 with its Retry-After at once, for the scheduler to wait without holding up other channels', async () => {
  slack.api('chat.postMessage', { ok: false, error: 'ratelimited' }, { status: 429, headers: { 'retry-after': '2' }, times: 1 });
  const c = await caseFor(t.app.store, slackPlace());
  const started = Date.now();
  expect(await surface().post?.(c, notice)).toEqual({ ok: false, gone: false, reason: 'rate limited (retry after 2 s)', retryAfterMs: 2000 });
  expect(Date.now() - started).toBeLessThan(1000);
  const posts = slack.callsTo('chat.postMessage');
  expect(posts).toHaveLength(1);
  expect(posts[0]?.body).toMatchObject({ channel: CHANNEL, text: 'The weekly digest' });
  expect(posts[0]?.token).toBe(BOT_TOKEN);
});

it.each(['not_in_channel', 'channel_not_found', 'is_archived', 'account_inactive', 'token_revoked'])('says the channel is gone on %s', async (error) => {
  slack.api('chat.postMessage', { ok: false, error });
  const c = await caseFor(t.app.store, slackPlace());
  expect(await surface().post?.(c, notice)).toEqual({ ok: false, gone: true, reason: error });
});

it('says a failure is passing (not gone) when Slack cannot be reached', async () => {
  const c = await caseFor(t.app.store, slackPlace());
  const result = await surface().post?.(c, notice);
  expect(result).toMatchObject({ ok: false, gone: false });
});

it('posts a retro prompt with its buttons', async () => {
  slack.api('chat.postMessage', { ok: true, ts: '1.1' });
  const c = await caseFor(t.app.store, slackPlace());
  await surface().post?.(c, {
    kind: 'retro', visibility: 'channel', summary: 'Retro for Sprint 0',
    retro: { caseTitle: null, sprint: { number: 0, heading: 'Sprint 0' }, question: 'What did we decide this sprint?', decisions: [], withoutEvidence: [], proposals: [] },
  });
  const [post] = slack.callsTo('chat.postMessage');
  const blocks = JSON.stringify(post?.body.blocks);
  expect(blocks).toContain('retro.record');
  expect(blocks).toContain('retro.evidence');
  expect(post?.body.text).toBe('Retro for Sprint 0');
});

it('mounts for posting only, with no signing secret, when the app does not receive (decisions tick)', async () => {
  const dir = tempDir();
  const app = await startApp(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL, DATA_DIR: dir.dir, PORT: '0' }), createLogger('silent'), { receive: false, scheduler: false });
  try {
    const s = app.surfaces.find((x) => x.platform === 'slack');
    expect(s?.description).toBe(`Slack: single workspace, posting only (Web API at ${SLACK_API_URL})`);
    slack.api('chat.postMessage', { ok: true, ts: '1.1' });
    const c = await caseFor(app.store, slackPlace());
    expect(await s?.post?.(c, notice)).toEqual({ ok: true });
    expect(slack.callsTo('auth.test')).toEqual([]);
  } finally {
    await app.stop();
    dir.cleanup();
  }
});

describe('withRateLimitRetry', () => {
  const limited = (retryAfter: number) => Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter });

  it('gives up after the attempts it is allowed', async () => {
    const sleep = jest.fn(async () => undefined);
    const call = jest.fn(async () => { throw limited(1); });
    await expect(withRateLimitRetry(call, { attempts: 3, sleep })).rejects.toThrow('rate limited');
    expect(call).toHaveBeenCalledTimes(3);
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(sleep).toHaveBeenCalledWith(1000);
  });

  it('does not wait out a Retry-After longer than it may', async () => {
    const sleep = jest.fn(async () => undefined);
    const call = jest.fn(async () => { throw limited(120); });
    await expect(withRateLimitRetry(call, { maxWaitSeconds: 30, sleep })).rejects.toThrow();
    expect(call).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('does not retry other failures', async () => {
    const call = jest.fn(async () => { throw Object.assign(new Error('nope'), { code: 'slack_webapi_platform_error', data: { error: 'not_in_channel' } }); });
    await expect(withRateLimitRetry(call)).rejects.toThrow('nope');
    expect(call).toHaveBeenCalledTimes(1);
  });
});
