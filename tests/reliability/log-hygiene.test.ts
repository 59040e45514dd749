/**
 * Logs that cannot be flooded or leak, through the real server (`node bin/decisions.js
 * serve`) and its real pino output. Client mistakes by the hundred (abandoned uploads,
 * unsigned Slack requests, OAuth redirects without a code, bodies too large) give a line
 * or two per kind at warn or info, no error, no stack; and at LOG_LEVEL=trace a recorded
 * decision's text, the response URLs and the bot token appear nowhere.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { tempDir } from '../helpers/temp-dir';
import { mistakeLog } from '../../src/logger';
import { createLogger } from '../../src/logger';
import {
  BOT_TOKEN, CHANNEL, SIGNING_SECRET, TEAM, USER, commandBody, nowSeconds, signedHeaders, slackEnv, sleep, spawnServer, startFakeSlackApi,
} from './harness';
import type { FakeSlackApi, ServerProcess } from './harness';

const FORM = 'application/x-www-form-urlencoded';

interface Line {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** The JSON lines the server printed, from `from` characters of its output on. */
function lines(server: ServerProcess, from = 0): Line[] {
  return server.output().slice(from).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
}

/** A POST that promises `declared` bytes, sends `sent` of them and hangs up. */
function abandonUpload(port: number, path: string, declared = 200_000, sent = 4_000): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
      socket.write(Buffer.alloc(sent, 0x61), () => setTimeout(() => socket.destroy(), 5));
    });
  });
}

/** Runs `n` tasks, `width` at a time. */
async function inBatches(n: number, width: number, task: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += width) await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => task(i + j)));
}

const OAUTH_ENV = {
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_CLIENT_ID: '1.2',
  SLACK_CLIENT_SECRET: 'oauth-client-secret-reliability',
  SLACK_STATE_SECRET: 'oauth-state-secret-reliability',
  ENCRYPTION_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
};

describe('client mistakes by the hundred: a few lines, no error, no stack', () => {
  let server: ServerProcess;
  let api: FakeSlackApi;
  const data = tempDir('decisions-logs-');

  beforeAll(async () => {
    api = await startFakeSlackApi({ record: false });
    // Keep all the output: offsets into it mark where each flood began.
    server = await spawnServer({ dataDir: data.dir, env: { ...OAUTH_ENV, SLACK_API_URL: api.apiUrl, LOG_LEVEL: 'info', TEAMS_LOCAL: '1' }, keepOutput: 50_000_000 });
  });

  afterAll(async () => {
    await server?.stop();
    await api?.close();
    data.cleanup();
  });

  it.each([
    ['500 abandoned Slack uploads', () => inBatches(500, 50, () => abandonUpload(server.port, '/slack/events'))],
    ['500 abandoned Teams uploads', () => inBatches(500, 50, () => abandonUpload(server.port, '/api/messages'))],
    ['500 unsigned Slack commands', () => inBatches(500, 50, async () => {
      const body = commandBody(`We will not be forged ${randomUUID()}`);
      const res = await fetch(`${server.base}/slack/events`, { method: 'POST', headers: signedHeaders(body, FORM, nowSeconds(), 'someone-elses-secret'), body });
      expect(res.status).toBe(401);
      await res.arrayBuffer();
    })],
    ['500 OAuth redirects without a code', () => inBatches(500, 50, async () => {
      const res = await fetch(`${server.base}/slack/oauth_redirect?state=${randomUUID()}`);
      expect(res.status).toBe(400);
      await res.arrayBuffer();
    })],
    ['500 OAuth redirects with a forged state', () => inBatches(500, 50, async () => {
      const res = await fetch(`${server.base}/slack/oauth_redirect?code=c&state=forged`, { headers: { cookie: 'slack-app-oauth-state=other' } });
      expect(res.status).toBe(400);
      await res.arrayBuffer();
    })],
    ['200 bodies over 1 MB', () => inBatches(200, 20, async () => {
      const res = await fetch(`${server.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
      expect(res.status).toBe(413);
      await res.arrayBuffer();
    })],
  ])('%s', async (_name, flood) => {
    const from = server.output().length;
    const started = Date.now();
    await flood();
    await sleep(300);
    const logged = lines(server, from);
    // One line per kind per 10 s (none when an earlier flood of the same kind logged it
    // within the window); a flood that outlasts a window may give one more.
    const windows = Math.ceil((Date.now() - started) / 10_000);
    expect(logged.length).toBeLessThanOrEqual(2 * windows);
    for (const l of logged) expect([30, 40]).toContain(l.level);
    expect(server.output().slice(from)).not.toMatch(/"stack"|\n\s+at /);
    // Still serving.
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });

  it('logged each kind of mistake, once, at warn or info', () => {
    const kinds = new Map<string, Line[]>();
    for (const l of lines(server)) if (typeof l.kind === 'string') kinds.set(l.kind, [...(kinds.get(l.kind) ?? []), l]);
    for (const kind of ['http 400', 'http 413', 'slack signature', 'slack oauth slack_oauth_missing_code', 'slack oauth slack_oauth_invalid_state']) {
      expect(kinds.get(kind)?.length ?? 0).toBeGreaterThanOrEqual(1);
    }
    expect(lines(server).filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('one line per kind per window, then the count of those left out', () => {
  it('keeps one line per kind in 10 s and reports how many it left out', () => {
    const out: string[] = [];
    let now = 0;
    const log = mistakeLog(createLogger('info', { write: (l: string) => { out.push(l); } }), { now: () => now });
    for (let i = 0; i < 1000; i++) log('a', 'warn', {}, 'kind a');
    log('b', 'info', {}, 'kind b');
    expect(out).toHaveLength(2);
    now = 10_000;
    log('a', 'warn', {}, 'kind a');
    expect(out).toHaveLength(3);
    expect(JSON.parse(out[2])).toMatchObject({ level: 40, kind: 'a', suppressed: 999, msg: 'kind a (and 999 more like it since the last line)' });
  });
});

describe('LOG_LEVEL=trace: no decision text, response URL or token', () => {
  let server: ServerProcess;
  let api: FakeSlackApi;
  const data = tempDir('decisions-trace-');

  beforeAll(async () => {
    api = await startFakeSlackApi();
    server = await spawnServer({ dataDir: data.dir, env: { ...slackEnv(api.apiUrl), LOG_LEVEL: 'trace' } });
  });

  afterAll(async () => {
    await server?.stop();
    await api?.close();
    data.cleanup();
  });

  it('logs Web API method names and sizes, and none of what people wrote', async () => {
    const text = `We will publish weekly ${randomUUID()}`;
    const evidence = `Five of six users asked ${randomUUID()}`;
    const commandUrl = api.responseUrl(`cmd-${randomUUID()}`);
    const buttonUrl = api.responseUrl(`button-${randomUUID()}`);
    const formUrl = api.responseUrl(`form-${randomUUID()}`);
    const post = async (body: string) => {
      const res = await fetch(`${server.base}/slack/events`, { method: 'POST', headers: signedHeaders(body, FORM), body });
      expect(res.status).toBe(200);
      return res.text();
    };
    // A decision, its evidence, the form (views.open carries the response URL in private_metadata), an undo button.
    expect(await post(commandBody(text, { responseUrl: commandUrl }))).toContain('Decision 0');
    await post(commandBody(`evidence 0 ${evidence}`, { responseUrl: commandUrl }));
    await post(commandBody('', { responseUrl: formUrl }));
    const click = { type: 'block_actions', team: { id: TEAM }, user: { id: USER.id, name: USER.name, team_id: TEAM }, channel: { id: CHANNEL }, actions: [{ action_id: 'decision.undo', value: '0', type: 'button' }], response_url: buttonUrl, trigger_id: 'trigger-2', message: { text } };
    await post(new URLSearchParams({ payload: JSON.stringify(click) }).toString());
    const deadline = Date.now() + 10_000;
    while (!api.calls.some((c) => c.method === 'views.open') || !api.calls.some((c) => c.method === 'chat.postMessage')) {
      if (Date.now() > deadline) throw new Error(`the bot did not call Slack: ${api.calls.map((c) => c.method).join(', ')}`);
      await sleep(50);
    }
    await sleep(300);

    // The Web API did get the text and the response URL: what stays out of the log was there to leak.
    const sent = api.calls.map((c) => c.raw).join('\n');
    expect(sent).toContain(text.split(' ').pop());
    expect(sent).toContain(formUrl.split('/').pop());

    const log = server.output();
    const trace = lines(server).filter((l) => l.level === 10);
    expect(trace.length).toBeGreaterThan(0);
    expect(log).toContain('chat.postMessage');
    expect(log).toContain('views.open');
    for (const secret of [text, text.split(' ').pop() ?? text, evidence, evidence.split(' ').pop() ?? evidence, BOT_TOKEN, SIGNING_SECRET]) {
      expect(log).not.toContain(secret);
    }
    for (const url of [commandUrl, buttonUrl, formUrl]) {
      const id = url.split('/').pop() ?? url;
      expect(log).not.toContain(id);
      expect(log).not.toContain(encodeURIComponent(url));
    }
  });
});
