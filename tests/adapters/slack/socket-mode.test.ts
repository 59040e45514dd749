/**
 * Socket Mode end to end: apps.connections.open (stubbed at SLACK_API_URL) hands out a
 * WebSocket URL; a local WebSocket server plays Slack, sends a slash command envelope
 * and reads the acknowledgement the bot sends back over the socket.
 */
import type { AddressInfo } from 'node:net';
import { FakeSlack, commandBody, nock, onlyLocalNetwork, slackPlace, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';

interface WsSocket {
  send(data: string): void;
  on(event: 'message', cb: (data: Buffer | string) => void): void;
  close(): void;
}
interface WsServer {
  on(event: 'connection', cb: (socket: WsSocket) => void): void;
  on(event: 'listening', cb: () => void): void;
  address(): AddressInfo;
  close(cb?: () => void): void;
  clients: Set<WsSocket>;
}
// ws ships no types here; it is only the stand-in for Slack's socket server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Server } = require('ws') as { Server: new (o: { host: string; port: number }) => WsServer };

const APP_TOKEN = 'xapp-1-A0APP-socket-test-token';

let t: SlackTestApp | null = null;
let server: WsServer;
let received: Record<string, unknown>[];
let socket: WsSocket | null;

beforeEach(async () => {
  onlyLocalNetwork();
  received = [];
  socket = null;
  server = new Server({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.on('listening', resolve));
  server.on('connection', (s) => {
    socket = s;
    s.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
    s.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'test' }, connection_info: { app_id: 'A0APP' } }));
  });
});

afterEach(async () => {
  await t?.stop();
  t = null;
  for (const c of server.clients) c.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  nock.cleanAll();
});

async function until<T>(get: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('connects with the app token and answers a slash command over the socket', async () => {
  const slack = new FakeSlack();
  slack.api('apps.connections.open', { ok: true, url: `ws://127.0.0.1:${server.address().port}/link/?ticket=t1` });
  t = await startSlackApp({ env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' } });
  expect(t.app.surfaces[0]?.description).toBe('Slack: single workspace over Socket Mode (Web API at http://slack.test/api/)');
  const [open] = slack.callsTo('apps.connections.open');
  expect(open?.token).toBe(APP_TOKEN);

  const ws = await until(() => socket ?? undefined);
  const payload = Object.fromEntries(new URLSearchParams(commandBody('We will publish weekly')));
  ws.send(JSON.stringify({ envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true, payload }));
  const ack = await until(() => received.find((m) => m.envelope_id === 'env-1'));
  expect(ack.payload).toMatchObject({ response_type: 'in_channel' });
  expect(String((ack.payload as { text: string }).text)).toContain('Decision 0');
  expect(await t.app.store.findCase(slackPlace())).not.toBeNull();

  // No HTTP endpoint for events in Socket Mode.
  const res = await fetch(`${t.base}/slack/events`, { method: 'POST', body: '' });
  expect(res.status).toBe(404);
});

it('keeps serving when Slack will not open a socket', async () => {
  const slack = new FakeSlack();
  slack.api('apps.connections.open', { ok: false, error: 'invalid_auth' });
  t = await startSlackApp({ env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' } });
  const health = await fetch(`${t.base}/healthz`);
  expect(health.status).toBe(200);
});
