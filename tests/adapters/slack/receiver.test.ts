/** POST /slack/events: only requests Slack signed, within 5 minutes, get through. */
import { createHmac } from 'node:crypto';
import { verifySignature } from '../../../adapters/slack/receiver';
import { FORM, SIGNING_SECRET, commandBody, nock, onlyLocalNetwork, sign, slackPlace, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';

let t: SlackTestApp;

beforeEach(async () => {
  onlyLocalNetwork();
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

const now = () => Math.floor(t.clock.now().getTime() / 1000);

async function nothingStored(): Promise<void> {
  expect(await t.app.store.findCase(slackPlace())).toBeNull();
}

describe('signatures', () => {
  const body = () => commandBody('We will publish weekly');

  it('accepts a request signed as Slack signs: v0=HMAC-SHA256("v0:<ts>:<body>")', async () => {
    const ts = now();
    const b = body();
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${b}`).digest('hex')}`;
    const res = await t.send(b, FORM, { timestamp: ts, signature });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Decision 0');
  });

  it('refuses a wrong signature with 401 and records nothing', async () => {
    const res = await t.send(body(), FORM, { signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    await nothingStored();
  });

  it('refuses a signature made with another secret', async () => {
    const res = await t.send(body(), FORM, { secret: 'someone-elses-secret' });
    expect(res.status).toBe(401);
    await nothingStored();
  });

  it('refuses a body changed after signing', async () => {
    const ts = now();
    const signature = sign(body(), ts);
    const res = await t.send(body().replace('publish+weekly', 'publish+never'), FORM, { timestamp: ts, signature });
    expect(res.status).toBe(401);
    await nothingStored();
  });

  it('refuses a replay: a timestamp 6 minutes old, even correctly signed', async () => {
    const ts = now() - 6 * 60;
    const res = await t.send(body(), FORM, { timestamp: ts, signature: sign(body(), ts) });
    expect(res.status).toBe(401);
    await nothingStored();
  });

  it('refuses a timestamp 6 minutes in the future', async () => {
    const ts = now() + 6 * 60;
    const res = await t.send(body(), FORM, { timestamp: ts, signature: sign(body(), ts) });
    expect(res.status).toBe(401);
    await nothingStored();
  });

  it('accepts a timestamp 4 minutes old', async () => {
    const ts = now() - 4 * 60;
    const res = await t.send(body(), FORM, { timestamp: ts, signature: sign(body(), ts) });
    expect(res.status).toBe(200);
  });

  it('refuses a request with no signature headers', async () => {
    const res = await t.send(body(), FORM, { signature: null });
    expect(res.status).toBe(401);
    await nothingStored();
  });

  it('refuses an interactivity payload with a forged signature', async () => {
    const payload = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: [] }) }).toString();
    const res = await t.send(payload, FORM, { signature: sign(payload, now(), 'forged') });
    expect(res.status).toBe(401);
  });

  it('verifySignature says why', () => {
    const b = Buffer.from('x=1');
    const ts = String(now());
    const ok = { signingSecret: 's', timestamp: ts, signature: sign('x=1', Number(ts), 's'), body: b, nowSeconds: now() };
    expect(verifySignature(ok)).toEqual({ ok: true });
    expect(verifySignature({ ...ok, signature: null })).toMatchObject({ ok: false, reason: 'missing signature headers' });
    expect(verifySignature({ ...ok, timestamp: 'abc' })).toMatchObject({ ok: false, reason: 'malformed timestamp' });
    expect(verifySignature({ ...ok, nowSeconds: now() + 301 })).toMatchObject({ ok: false, reason: 'timestamp outside the 5-minute window' });
    expect(verifySignature({ ...ok, signature: 'v1=abc' })).toMatchObject({ ok: false, reason: 'malformed signature' });
  });
});

describe('Slack protocol', () => {
  it('answers url_verification with the challenge', async () => {
    const res = await t.send(JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'chal-123' }), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'chal-123' });
  });

  it('answers ssl_check with 200', async () => {
    const res = await t.send('ssl_check=1&token=x', FORM);
    expect(res.status).toBe(200);
  });

  it('acknowledges an event nobody listens to, so Slack does not retry it', async () => {
    const res = await t.event({ type: 'reaction_added', user: 'U1', reaction: 'tada', item: { type: 'message', channel: 'C1', ts: '1.2' } });
    expect(res.status).toBe(200);
  });

  it('refuses a signed body that is not JSON where JSON is due', async () => {
    const res = await t.send('{not json', 'application/json');
    expect(res.status).toBe(400);
  });

  it('only takes POST', async () => {
    const res = await fetch(`${t.base}/slack/events`);
    expect(res.status).toBe(405);
  });

  it('serves /healthz beside Slack', async () => {
    const res = await fetch(`${t.base}/healthz`);
    expect(res.status).toBe(200);
  });
});
