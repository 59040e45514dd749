/**
 * The hostile corpus, part 1: requests that must be refused at the door, through the real
 * HTTP server. Forged, missing and replayed Slack signatures (401); Teams activities naming
 * another host in local mode (403); bodies over 1 MB (413, before the body is read);
 * malformed JSON and form bodies (400, or the documented answer; never 500). Each leaves
 * the store unchanged. Teams tokens are in hostile-teams-auth.test.ts: that file needs nock,
 * which would stand between the raw sockets here and the server.
 */
import { randomUUID } from 'node:crypto';
import { FORM, rawPost, startCorpusApp } from './app';
import type { CorpusApp } from './app';
import { MAX_BODY_BYTES } from '../../src/server/body';
import { BOT, TENANT, commandBody, nowSeconds, sign, signedHeaders, teamsMessage } from './harness';

let t: CorpusApp;
let before: string;

beforeAll(async () => {
  t = await startCorpusApp();
  // Something to protect: a case on each platform, with decisions and evidence.
  for (const text of ['We will publish weekly', 'We will drop the paper form', 'evidence 0 Five of six users asked for it']) {
    expect((await t.command(text)).status).toBe(200);
    expect((await t.teams(text)).status).toBe(200);
  }
});

afterAll(async () => {
  await t.stop();
});

// Each case compares with the store as it was just before it, so one failure cannot spill into the next.
beforeEach(async () => {
  before = await t.state();
});

/** After every refused request, every case is exactly as it was. */
async function unchanged(): Promise<void> {
  expect(await t.state()).toBe(before);
}

// ---- Slack signatures ----

const SLACK_BODIES: [string, () => { body: string; type: string }][] = [
  ['a slash command', () => ({ body: commandBody(`We will not be forged ${randomUUID()}`), type: FORM })],
  ['a button click', () => ({
    body: new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', team: { id: 'T0RELIAB' }, user: { id: 'U0ANA', team_id: 'T0RELIAB' }, channel: { id: 'C0RELIAB' }, actions: [{ action_id: 'decision.undo', value: '0', type: 'button' }], response_url: 'http://127.0.0.1:9/x', trigger_id: 't' }) }).toString(),
    type: FORM,
  })],
  ['an event', () => ({
    body: JSON.stringify({ type: 'event_callback', team_id: 'T0RELIAB', event: { type: 'app_uninstalled' }, event_id: 'Ev1', event_time: nowSeconds(), authorizations: [{ team_id: 'T0RELIAB', user_id: 'U0BOT', is_bot: true }] }),
    type: 'application/json',
  })],
];

type Forgery = [string, (body: string, type: string) => Record<string, string>];

const FORGERIES: Forgery[] = [
  ['no signature headers at all', (_b, type) => ({ 'content-type': type })],
  ['a signature but no timestamp', (b, type) => ({ 'content-type': type, 'x-slack-signature': sign(b, nowSeconds()) })],
  ['a timestamp but no signature', (_b, type) => ({ 'content-type': type, 'x-slack-request-timestamp': String(nowSeconds()) })],
  ['an empty signature', (_b, type) => ({ 'content-type': type, 'x-slack-request-timestamp': String(nowSeconds()), 'x-slack-signature': '' })],
  ['a forged signature (64 zeros)', (_b, type) => ({ 'content-type': type, 'x-slack-request-timestamp': String(nowSeconds()), 'x-slack-signature': `v0=${'0'.repeat(64)}` })],
  ['a signature made with another secret', (b, type) => signedHeaders(b, type, nowSeconds(), 'someone-elses-signing-secret')],
  ['a signature over another body', (b, type) => signedHeaders(`${b}&extra=1`, type)],
  ['a signature for another timestamp', (b, type) => ({ 'content-type': type, 'x-slack-request-timestamp': String(nowSeconds()), 'x-slack-signature': sign(b, nowSeconds() - 1) })],
  ['a replay: correctly signed 6 minutes ago', (b, type) => signedHeaders(b, type, nowSeconds() - 6 * 60)],
  ['a replay: correctly signed a day ago', (b, type) => signedHeaders(b, type, nowSeconds() - 24 * 3600)],
  ['from the future: correctly signed 6 minutes ahead', (b, type) => signedHeaders(b, type, nowSeconds() + 6 * 60)],
  ['a signature in upper-case hex', (b, type) => ({ ...signedHeaders(b, type), 'x-slack-signature': sign(b, nowSeconds()).toUpperCase() })],
  ['a v1 signature', (b, type) => ({ ...signedHeaders(b, type), 'x-slack-signature': sign(b, nowSeconds()).replace('v0=', 'v1=') })],
  ['a timestamp that is not a number', (b, type) => ({ 'content-type': type, 'x-slack-request-timestamp': '1e9', 'x-slack-signature': sign(b, 1e9) })],
  ['a negative timestamp', (b, type) => ({ 'content-type': type, 'x-slack-request-timestamp': '-5', 'x-slack-signature': sign(b, -5) })],
];

describe('Slack: forged, missing and replayed signatures get 401 and change nothing', () => {
  const rows = SLACK_BODIES.flatMap(([what, make]) => FORGERIES.map(([how, headers]) => [`${what} with ${how}`, make, headers] as const));

  it.each(rows)('%s', async (_name, make, headers) => {
    const { body, type } = make();
    const res = await t.slackRaw(body, headers(body, type));
    expect(res.status).toBe(401);
    expect(res.text).toBe('Unauthorized');
    await unchanged();
  });

  it('(control) the same requests, correctly signed now, get through', async () => {
    const { body, type } = SLACK_BODIES[0]?.[1]() ?? { body: '', type: FORM };
    const res = await t.slackRaw(body, signedHeaders(body, type));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Decision \d+/);
  });
});

// ---- Teams: local mode, other hosts ----

describe('Teams local mode: an activity whose serviceUrl is not this machine gets 403 and changes nothing', () => {
  const urls: [string, unknown][] = [
    ['the real Teams connector', 'https://smba.trafficmanager.net/uk/'],
    ['a private address', 'http://10.0.0.5:3978/'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['0.0.0.0', 'http://0.0.0.0:3978/'],
    ['a host named like localhost', 'http://localhost.evil.example/'],
    ['credentials that look like loopback', 'http://127.0.0.1@evil.example/'],
    ['a DNS name for 127.0.0.1', 'http://127.0.0.1.nip.io/'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:3978/'],
    ['a file URL', 'file:///etc/passwd'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['not a URL', 'not a url'],
    ['an empty string', ''],
    ['a number', 12345],
    ['null', null],
  ];

  it.each(urls)('%s (%p)', async (_name, serviceUrl) => {
    const activity = teamsMessage(`We will not call out ${randomUUID()}`, { serviceUrl: t.connector.serviceUrl });
    const res = await t.teamsRaw(JSON.stringify({ ...activity, serviceUrl }));
    expect(res.status).toBe(403);
    expect(res.sent).toEqual([]);
    await unchanged();
  });

  it('with no serviceUrl at all', async () => {
    const { serviceUrl: _drop, ...activity } = teamsMessage('We will not call out', { serviceUrl: t.connector.serviceUrl });
    const res = await t.teamsRaw(JSON.stringify(activity));
    expect(res.status).toBe(403);
    await unchanged();
  });
});

// ---- Oversized bodies ----

describe('bodies over 1 MB get 413, before the body is read', () => {
  const paths = ['/slack/events', '/api/messages'];
  const FIFTY_MB = 50 * 1024 * 1024;

  it.each(paths)('%s: Content-Length says 50 MB, 4 KB are sent: 413 at once, without waiting for the rest', async (path) => {
    const r = await rawPost(t.port, path, { contentLength: FIFTY_MB, total: FIFTY_MB, pauseAfter: 4096, pauseMs: 3000 });
    expect(r.status).toBe(413);
    expect(r.sentBeforeAnswer).toBe(4096);
    expect(r.ms).toBeLessThan(3000);
    await unchanged();
  });

  it.each(paths)('%s: chunked, no Content-Length, 20 MB: 413 once 1 MB has come, long before the end', async (path) => {
    const total = 20 * 1024 * 1024;
    const r = await rawPost(t.port, path, { chunked: true, total });
    expect(r.status).toBe(413);
    expect(r.sentAll).toBe(false);
    await unchanged();
  });

  it.each(paths)('%s: Content-Length says 1 MB + 1 byte and means it', async (path) => {
    const body = `{"text":"${'x'.repeat(MAX_BODY_BYTES)}"}`;
    const res = path === '/slack/events' ? await t.slackRaw(body, signedHeaders(body, 'application/json')) : await t.teamsRaw(body);
    expect(res.status).toBe(413);
    await unchanged();
  });

  it('(control) a body of 1 MB less a little is read: a signed command that large gets an answer', async () => {
    const text = 'x'.repeat(MAX_BODY_BYTES - 2000);
    const res = await t.command(text);
    expect(res.status).toBe(200);
    expect(res.text).toContain('characters long');
    await unchanged();
  });
});

// ---- Malformed bodies ----

const payload = (value: unknown) => new URLSearchParams({ payload: typeof value === 'string' ? value : JSON.stringify(value) }).toString();

/** [name, body, content type, status, what else to check] */
const SLACK_MALFORMED: [string, string, string, number, RegExp | null][] = [
  ['JSON that does not parse', '{not json', 'application/json', 400, /^Bad request$/],
  ['an empty JSON body', '', 'application/json', 400, /^Bad request$/],
  ['a JSON array', '[1,2,3]', 'application/json', 400, /^Bad request$/],
  ['JSON null', 'null', 'application/json', 400, /^Bad request$/],
  ['a JSON string', '"hello"', 'application/json', 400, /^Bad request$/],
  ['a JSON number', '42', 'application/json', 400, /^Bad request$/],
  ['JSON cut off half way', '{"type":"event_callback","event":{"type":"app_', 'application/json', 400, /^Bad request$/],
  ['an interactivity payload that does not parse', payload('{bad'), FORM, 400, /^Bad request$/],
  ['an empty interactivity payload', payload(''), FORM, 400, /^Bad request$/],
  ['an interactivity payload that is an array', payload([1]), FORM, 400, /^Bad request$/],
  ['an interactivity payload that is null', payload('null'), FORM, 400, /^Bad request$/],
  ['a modal submission without its view', payload({ type: 'view_submission' }), FORM, 400, /^Bad request$/],
  ['a message shortcut without team or user', payload({ type: 'message_action', callback_id: 'record_decision' }), FORM, 400, /^Bad request$/],
  ['a global shortcut without team or user', payload({ type: 'shortcut', callback_id: 'x' }), FORM, 400, /^Bad request$/],
  ['a button click whose team and user are null', payload({ type: 'block_actions', team: null, user: null, actions: [] }), FORM, 400, /^Bad request$/],
  ['an event that is null', JSON.stringify({ type: 'event_callback', team_id: 'T0RELIAB', event: null }), 'application/json', 400, /^Bad request$/],
  ['an event that is a string', JSON.stringify({ type: 'event_callback', team_id: 'T0RELIAB', event: 'app_mention' }), 'application/json', 400, /^Bad request$/],
  ['an event whose item is null', JSON.stringify({ type: 'event_callback', team_id: 'T0RELIAB', event: { type: 'reaction_added', item: null } }), 'application/json', 400, /^Bad request$/],
  ['an event whose authorizations hold null', JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U1' }, authorizations: [null] }), 'application/json', 400, /^Bad request$/],
  // Readable, but nothing Slack sends: acknowledged with an empty 200 (so Slack would not retry), and nothing runs.
  ['an empty form body', '', FORM, 200, /^$/],
  ['form bytes that are not UTF-8', '%FF%FE%00%C3%28=%E0%A4%A', FORM, 200, /^$/],
  ['a JSON body sent as a form', JSON.stringify({ type: 'event_callback' }), FORM, 200, /^$/],
  ['a JSON body with no content type', JSON.stringify({ command: '/decision' }), '', 200, /^$/],
  ['an event with no event in it', JSON.stringify({ type: 'event_callback', team_id: 'T0RELIAB' }), 'application/json', 200, /^$/],
  ['a command nobody registered: told, to the caller, which commands there are', commandBody('We will', { command: '/unknown' }), FORM, 200, /"response_type":"ephemeral".*I only answer `\/decision` and `\/evidence`/],
  ['a command without its channel', new URLSearchParams({ command: '/decision', text: 'We will', team_id: 'T0RELIAB', user_id: 'U0ANA' }).toString(), FORM, 200, /could not tell which channel/],
  ['a url_verification without a challenge', JSON.stringify({ type: 'url_verification' }), 'application/json', 200, /^\{"challenge":""\}$/],
  ['a url_verification whose challenge is an object', JSON.stringify({ type: 'url_verification', challenge: { a: 1 } }), 'application/json', 200, /^\{"challenge":""\}$/],
];

describe('Slack: malformed bodies, signed, get 400 (or an empty 200 when there is nothing to do), never 500', () => {
  it.each(SLACK_MALFORMED)('%s', async (_name, body, type, status, text) => {
    const headers = signedHeaders(body, type);
    if (type === '') delete headers['content-type'];
    const res = await t.slackRaw(body, headers);
    expect(res.status).toBe(status);
    if (text) expect(res.text).toMatch(text);
    await unchanged();
  });
});

describe('Teams: malformed activities get 400 (or the documented answer), never 500', () => {
  const base = () => teamsMessage('list', { serviceUrl: t.connector.serviceUrl });
  const invoke = (name: string, value: unknown) => ({ ...base(), type: 'invoke', name, value, text: undefined, entities: undefined });
  /** [name, body, status, replies: how many activities the bot may send] */
  const rows: [string, () => string, number, number][] = [
    ['JSON that does not parse', () => '{not json', 400, 0],
    ['an empty body', () => '', 400, 0],
    ['a JSON array', () => '[1]', 400, 0],
    ['JSON null', () => 'null', 400, 0],
    ['a JSON string', () => '"message"', 400, 0],
    ['JSON with a byte order mark', () => `\uFEFF${JSON.stringify(base())}`, 400, 0],
    ['an empty object', () => '{}', 400, 0],
    ['an activity with no type', () => JSON.stringify({ ...base(), type: undefined }), 400, 0],
    ['an activity whose type is a number', () => JSON.stringify({ ...base(), type: 5 }), 400, 0],
    ['an activity whose type is empty', () => JSON.stringify({ ...base(), type: '' }), 400, 0],
    // Well-formed JSON activities with wrong fields: answered 200, nothing recorded.
    ['a message with no conversation', () => JSON.stringify({ ...base(), conversation: null }), 200, 0],
    ['a message whose conversation id is a number', () => JSON.stringify({ ...base(), conversation: { id: 5, conversationType: 'channel', tenantId: TENANT } }), 200, 0],
    ['a message whose entities are a string', () => JSON.stringify({ ...base(), entities: 'mention' }), 200, 1],
    ['a message whose text is a number', () => JSON.stringify({ ...base(), text: 5, entities: [{ type: 'mention', mentioned: BOT, text: '<at>Decisions</at>' }] }), 200, 1],
    ['a message from nobody', () => JSON.stringify({ ...base(), from: null }), 200, 1],
    ['a card submit whose value is a string', () => JSON.stringify({ ...base(), text: '', entities: [], value: 'record' }), 200, 1],
    ['a card submit recording nothing', () => JSON.stringify({ ...base(), text: '', entities: [], value: { action: 'record', text: '   ' } }), 200, 1],
    ['a card submit adding evidence to no decision', () => JSON.stringify({ ...base(), text: '', entities: [], value: { action: 'evidence', decision: 'abc', text: 5 } }), 200, 1],
    ['a message action fetch with no value', () => JSON.stringify(invoke('composeExtension/fetchTask', null)), 200, 0],
    ['a message action submit with no data', () => JSON.stringify(invoke('composeExtension/submitAction', { commandId: 'recordDecision', data: null })), 200, 0],
    ['an invoke nobody handles (botbuilder: 501 Not Implemented)', () => JSON.stringify(invoke('nothing/here', {})), 501, 0],
    ['a members-added update whose members are a string', () => JSON.stringify({ ...base(), type: 'conversationUpdate', text: undefined, membersAdded: 'everyone' }), 200, 1],
    ['an activity type nobody handles', () => JSON.stringify({ ...base(), type: 'somethingElse' }), 200, 0],
  ];

  it.each(rows)('%s', async (_name, body, status, replies) => {
    const res = await t.teamsRaw(body());
    expect(res.status).toBe(status);
    expect(res.sent.length).toBeLessThanOrEqual(replies);
    // Whatever was sent back is a card in plain words, never an error's insides.
    for (const s of res.sent) expect(JSON.stringify(s.body)).not.toMatch(/TypeError|undefined|at \S+ \(|\[object/);
    expect(res.text).not.toMatch(/TypeError|at \S+ \(/);
    await unchanged();
  });
});

it('the server is still healthy after the whole corpus', async () => {
  const res = await fetch(`${t.base}/healthz`);
  expect(res.status).toBe(200);
});
