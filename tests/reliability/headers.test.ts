/**
 * Headers on every kind of response the real HTTP server gives: `X-Content-Type-Options:
 * nosniff` on all of them, and the case pages' strict Content-Security-Policy on every
 * HTML one (and, as it costs nothing, on the rest): our 404, 405 and 500, /healthz, Bolt's
 * OAuth install page and our redirect pages, Slack and Teams endpoints, the case pages,
 * and the answers node itself gives to requests it cannot parse.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { importCase } from '../../src/core/import';
import { consolePlace } from '../../adapters/console';
import { createHttpServer, SECURITY_HEADERS } from '../../src/server/http';
import type { HttpServer } from '../../src/server/http';
import { MAX_BODY_BYTES } from '../../src/server/body';
import { CASE_CSS_PATH } from '../../src/server/pages/styles';
import { tempDir } from '../helpers/temp-dir';
import { SIGNING_SECRET, commandBody, signedHeaders, startFakeConnector, startFakeSlackApi, teamsMessage } from './harness';
import type { FakeConnector, FakeSlackApi } from './harness';

const CSP = SECURITY_HEADERS['content-security-policy'];

interface Seen {
  status: number;
  type: string;
  csp: string | null;
  nosniff: string | null;
}

async function request(url: string, init: RequestInit = {}): Promise<Seen> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  await res.arrayBuffer();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    csp: res.headers.get('content-security-policy'),
    nosniff: res.headers.get('x-content-type-options'),
  };
}

/** Bytes straight to the socket, for requests fetch will not send; the answer's head, parsed. */
function raw(port: number, bytes: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => { got += d.toString('latin1'); });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const head = got.split('\r\n\r\n')[0] ?? '';
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(got.slice(0, 200))}`));
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? null;
      resolve({ status: Number(status[1]), type: header('content-type') ?? '', csp: header('content-security-policy'), nosniff: header('x-content-type-options') });
    });
    socket.on('connect', () => socket.write(bytes));
  });
}

function expectHeaders(seen: Seen): void {
  expect(seen.nosniff).toBe('nosniff');
  expect(seen.csp).toBe(CSP);
}

describe('every response from the app', () => {
  let app: App;
  let base: string;
  let api: FakeSlackApi;
  let connector: FakeConnector;
  let caseUrl: string;
  let markdownUrl: string;
  const data = tempDir('decisions-headers-');

  beforeAll(async () => {
    api = await startFakeSlackApi();
    connector = await startFakeConnector();
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.apiUrl,
      SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'oauth-client-secret-headers', SLACK_STATE_SECRET: 'oauth-state-secret-headers',
      ENCRYPTION_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
      PUBLIC_URL: 'https://decisions.example', SHARE_SECRET: 'share-secret-for-the-headers-test',
      // Teams as the Emulator uses it: closed otherwise.
      TEAMS_LOCAL: '1',
      PORT: '0', DATA_DIR: data.dir,
    });
    app = await startApp(config, createLogger('silent'), { scheduler: false });
    base = `http://127.0.0.1:${app.port}`;
    const markdown = fs.readFileSync(path.resolve(__dirname, '../fixtures/pages/licence-case.md'), 'utf8');
    const snapshot = importCase(markdown, { id: randomUUID(), place: consolePlace('headers'), now: new Date(), newId: randomUUID }).snapshot;
    await app.store.putSnapshot(snapshot, { replace: false });
    const c = await app.store.getCase(snapshot.case.id);
    if (!c || !app.share) throw new Error('no case, or sharing is off');
    caseUrl = app.share.urlFor(c).replace('https://decisions.example', base);
    markdownUrl = app.share.markdownUrlFor(c).replace('https://decisions.example', base);
  });

  afterAll(async () => {
    await app?.stop();
    await api?.close();
    await connector?.close();
    data.cleanup();
  });

  const slack = (body: string, headers: Record<string, string>) => request(`${base}/slack/events`, { method: 'POST', headers, body });
  const teams = (body: string) => request(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  const cases: [string, () => Promise<Seen>, number, RegExp][] = [
    ['GET /healthz', () => request(`${base}/healthz`), 200, /json/],
    ['HEAD /healthz', () => request(`${base}/healthz`, { method: 'HEAD' }), 200, /json/],
    ['a path that does not exist (404)', () => request(`${base}/nothing-here`), 404, /text\/plain/],
    ['a method a path does not take (405)', () => request(`${base}/healthz`, { method: 'DELETE' }), 405, /text\/plain/],
    ['the OAuth install page (Bolt writes it)', () => request(`${base}/slack/install`), 200, /text\/html/],
    ['an OAuth redirect without a code', () => request(`${base}/slack/oauth_redirect?state=x`), 400, /text\/html/],
    ['an OAuth redirect the visitor cancelled', () => request(`${base}/slack/oauth_redirect?error=access_denied`), 400, /text\/html/],
    ['an unsigned Slack request (401)', () => slack(commandBody('x'), { 'content-type': 'application/x-www-form-urlencoded' }), 401, /text\/plain/],
    ['a signed Slack URL verification', () => {
      const body = JSON.stringify({ type: 'url_verification', challenge: 'c' });
      return slack(body, signedHeaders(body, 'application/json'));
    }, 200, /json/],
    ['a signed Slack command', () => {
      const body = commandBody('help');
      return slack(body, signedHeaders(body, 'application/x-www-form-urlencoded'));
    }, 200, /.*/],
    ['a Slack body over 1 MB (413)', () => slack('x'.repeat(MAX_BODY_BYTES + 1), { 'content-type': 'application/json' }), 413, /text\/plain/],
    ['a Teams body that is not JSON (400)', () => teams('{not json'), 400, /text\/plain/],
    ['a Teams message', () => teams(JSON.stringify(teamsMessage('help', { serviceUrl: connector.serviceUrl }))), 200, /.*/],
    ['the home page', () => request(`${base}/`), 200, /text\/html/],
    ['a case page', () => request(caseUrl), 200, /text\/html/],
    ['a case page with a wrong token (404 page)', () => request(caseUrl.replace(/token=.*/, 'token=wrong')), 404, /text\/html/],
    ['a case as Markdown', () => request(markdownUrl), 200, /text\/markdown/],
    ['the case pages’ stylesheet', () => request(`${base}${CASE_CSS_PATH}`), 200, /text\/css/],
    ['a request node cannot parse (400)', () => raw(app.port, 'NOT HTTP AT ALL\r\n\r\n'), 400, /^$/],
    ['request headers over 16 KB (431)', () => raw(app.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431, /^$/],
  ];

  it.each(cases)('%s', async (_name, send, status, type) => {
    const seen = await send();
    expect(seen.status).toBe(status);
    expect(seen.type).toMatch(type);
    expectHeaders(seen);
  });
});

describe('a failure of our own (500)', () => {
  let http: HttpServer;
  let port: number;

  beforeAll(async () => {
    http = createHttpServer({ logger: createLogger('silent') });
    http.route('GET', '/broken', () => { throw new Error('a bug of ours'); });
    port = await http.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await http.close();
  });

  it('carries the same headers', async () => {
    const seen = await request(`http://127.0.0.1:${port}/broken`);
    expect(seen.status).toBe(500);
    expectHeaders(seen);
  });
});
