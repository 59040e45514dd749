/**
 * End-to-end helpers for the Slack adapter: the real app on a free port, requests signed
 * exactly as Slack signs them, payloads as Slack sends them, and a nock-stubbed Slack Web
 * API (at SLACK_API_URL, nowhere else) that records every call.
 */
import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { nock, replyWith } from '../../helpers/native';
import { startApp } from '../../../src/app';
import type { App } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import type { Logger } from '../../../src/logger';
import type { Place } from '../../../src/core/model';
import { fakeClock, sequentialIds } from '../../helpers/fake-clock';
import { tempDir } from '../../helpers/temp-dir';

export { nock };
export type Scope = ReturnType<typeof nock>;

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-1111-2222-singleworkspacetoken';
export const SLACK_ORIGIN = 'http://slack.test';
export const SLACK_API_URL = `${SLACK_ORIGIN}/api/`;
export const ENCRYPTION_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

export const TEAM = 'T0TEAMA';
export const TEAM_B = 'T0TEAMB';
export const CHANNEL = 'C0GENERAL';
export const ANA = { id: 'U0ANA', name: 'ana' };
export const BEN = { id: 'U0BEN', name: 'ben' };

export const slackPlace = (team = TEAM, channel = CHANNEL): Place => ({ platform: 'slack', workspace: team, channel });

/** Only our own server is reachable; every other request must be stubbed. */
export function onlyLocalNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => host.startsWith('127.0.0.1'));
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

// ---- the stubbed Web API ----

export interface Call {
  method: string;
  body: Record<string, unknown>;
  /** The bearer token the call carried. */
  token: string | null;
  raw: string;
}

export function parseCallBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    }
    return out;
  }
  return { raw };
}

export type StubReply = Record<string, unknown> | ((call: Call) => Record<string, unknown>);

export interface StubOptions {
  status?: number;
  headers?: Record<string, string>;
  /** Answer this many calls (default: any number). */
  times?: number;
}

/** The Slack Web API and response URLs, stubbed with nock at SLACK_ORIGIN; every call is recorded. */
export class FakeSlack {
  readonly calls: Call[] = [];
  readonly scopes: Scope[] = [];

  /** Stubs `POST /api/<method>`. */
  api(method: string, reply: StubReply = { ok: true }, options: StubOptions = {}): Scope {
    return this.path(`/api/${method}`, method, reply, options);
  }

  /** Stubs any POST path on the fake Slack host (response URLs, upload URLs). */
  path(path: string, name: string, reply: StubReply = { ok: true }, options: StubOptions = {}): Scope {
    const scope = nock(SLACK_ORIGIN);
    if (options.times === undefined) scope.persist();
    const handler = replyWith((request) => {
      const raw = request.text;
      const auth = request.header('authorization');
      const call: Call = { method: name, body: parseCallBody(raw, request.header('content-type')), token: auth ? auth.replace(/^Bearer /, '') : null, raw };
      this.calls.push(call);
      return typeof reply === 'function' ? reply(call) : reply;
    });
    scope.post((uri: string) => uri.split('?')[0] === path).times(options.times ?? 1).reply(options.status ?? 200, handler, options.headers ?? {});
    this.scopes.push(scope);
    return scope;
  }

  /**
   * Stubs `GET <path>` on the fake Slack host (a file's private download URL), answering
   * `body`; recorded as `name`, with the bearer token the request carried.
   */
  download(path: string, name: string, body: string | Buffer, options: { contentType?: string; status?: number; delayMs?: number; delayBodyMs?: number; lengthKnown?: boolean } = {}): Scope {
    const scope = nock(SLACK_ORIGIN).persist();
    const handler = replyWith((request) => {
      const auth = request.header('authorization');
      this.calls.push({ method: name, body: {}, token: auth ? auth.replace(/^Bearer /, '') : null, raw: '' });
      // Without a known length the body goes as a stream, chunked, as a server sends what it is still producing.
      return options.lengthKnown === false ? Readable.from([Buffer.from(body)]) : Buffer.from(body);
    });
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/plain; charset=utf-8' };
    if (options.lengthKnown === true) headers['content-length'] = String(Buffer.byteLength(body));
    scope.get((uri: string) => uri.split('?')[0] === path).delay({ head: options.delayMs ?? 0, body: options.delayBodyMs ?? 0 })
      .reply(options.status ?? 200, handler, headers);
    this.scopes.push(scope);
    return scope;
  }

  callsTo(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `method` has been called `count` times (work after the acknowledgement). */
  async waitFor(method: string, count = 1, timeoutMs = 5000): Promise<Call[]> {
    const until = Date.now() + timeoutMs;
    while (this.callsTo(method).length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} call(s) to ${method}; got ${this.callsTo(method).length}. Calls: ${this.calls.map((c) => c.method).join(', ') || 'none'}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.callsTo(method);
  }
}

/** A response URL on the fake Slack host, stubbed and recorded as method `response_url:<id>`. */
export function responseUrl(id: string): string {
  return `${SLACK_ORIGIN}/commands/${TEAM}/${id}`;
}

// ---- the app ----

export interface SlackTestApp {
  app: App;
  base: string;
  clock: ReturnType<typeof fakeClock>;
  dir: string;
  /** POSTs a body to /slack/events, signed unless told otherwise. */
  send(body: string, contentType: string, options?: { timestamp?: number; signature?: string | null; secret?: string }): Promise<Response>;
  command(text: string, options?: CommandOptions): Promise<Response>;
  interact(payload: Record<string, unknown>): Promise<Response>;
  event(event: Record<string, unknown>, options?: { team?: string; enterprise?: string; isEnterpriseInstall?: boolean }): Promise<Response>;
  stop(): Promise<void>;
}

export interface CommandOptions {
  command?: string;
  team?: string;
  channel?: string;
  user?: { id: string; name: string };
  responseUrl?: string;
  triggerId?: string;
}

export function commandBody(text: string, o: CommandOptions = {}): string {
  const user = o.user ?? ANA;
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: o.team ?? TEAM,
    team_domain: 'example',
    channel_id: o.channel ?? CHANNEL,
    channel_name: 'general',
    user_id: user.id,
    user_name: user.name,
    command: o.command ?? '/decision',
    text,
    api_app_id: 'A0APP',
    is_enterprise_install: 'false',
    response_url: o.responseUrl ?? responseUrl('cmd'),
    trigger_id: o.triggerId ?? 'trigger-1',
  }).toString();
}

export const FORM = 'application/x-www-form-urlencoded';

export async function startSlackApp(options: { env?: Record<string, string>; authTest?: boolean; singleToken?: boolean; logger?: Logger; dir?: string; idPrefix?: string } = {}): Promise<SlackTestApp> {
  // With `dir`, the store of another app (a second instance on one SQLite file); it is not removed on stop.
  const t = options.dir !== undefined ? { dir: options.dir, cleanup: () => undefined } : tempDir('decisions-slack-');
  const clock = fakeClock('2026-11-26T10:00:00Z');
  const single = options.singleToken ?? true;
  const base: Record<string, string> = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: SLACK_API_URL };
  if (single) base.SLACK_BOT_TOKEN = BOT_TOKEN;
  if (single && options.authTest !== false) {
    nock(SLACK_ORIGIN).post('/api/auth.test').reply(200, { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'decisions', team_id: TEAM, user_id: 'U0BOT', bot_id: 'B0BOT' });
  }
  const app = await startApp(loadConfig({ ...base, ...options.env, PORT: '0', DATA_DIR: t.dir }), options.logger ?? createLogger('silent'), { clock, newId: sequentialIds(options.idPrefix), scheduler: false });
  const url = `http://127.0.0.1:${app.port}`;

  const send: SlackTestApp['send'] = (body, contentType, o = {}) => {
    const timestamp = o.timestamp ?? Math.floor(clock.now().getTime() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (o.signature !== null) {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = o.signature ?? sign(body, timestamp, o.secret);
    }
    return fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  };

  return {
    app, base: url, clock, dir: t.dir, send,
    command: (text, o) => send(commandBody(text, o), FORM),
    interact: (payload) => send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM),
    event: (event, o = {}) => send(JSON.stringify({
      token: 'deprecated', team_id: o.team ?? TEAM, ...(o.enterprise ? { enterprise_id: o.enterprise } : {}), api_app_id: 'A0APP', event, type: 'event_callback',
      event_id: `Ev${Math.random().toString(36).slice(2)}`, event_time: Math.floor(clock.now().getTime() / 1000),
      authorizations: [{ enterprise_id: o.enterprise ?? null, team_id: o.team ?? TEAM, user_id: 'U0BOT', is_bot: true, is_enterprise_install: o.isEnterpriseInstall ?? false }],
      is_ext_shared_channel: false,
    }), 'application/json'),
    async stop() {
      await app.stop();
      t.cleanup();
    },
  };
}

// ---- interactivity payloads ----

export function blockAction(o: { actionId: string; value: string; team?: string; channel?: string; user?: { id: string; name: string }; responseUrl?: string; triggerId?: string }): Record<string, unknown> {
  const user = o.user ?? ANA;
  return {
    type: 'block_actions',
    team: { id: o.team ?? TEAM, domain: 'example' },
    user: { id: user.id, username: user.name, name: user.name, team_id: o.team ?? TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: o.channel ?? CHANNEL, is_ephemeral: false },
    trigger_id: o.triggerId ?? 'trigger-button',
    channel: { id: o.channel ?? CHANNEL, name: 'general' },
    message: { type: 'message', ts: '1700000000.000100', text: 'Decision 0 recorded' },
    response_url: o.responseUrl ?? responseUrl('button'),
    actions: [{ type: 'button', action_id: o.actionId, block_id: 'decision:0', value: o.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000001.000000' }],
  };
}

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

export function textValue(value: string): Record<string, unknown> {
  return { value: { type: 'plain_text_input', value } };
}

export function selectValue(value: string | null): Record<string, unknown> {
  return { value: { type: 'static_select', selected_option: value === null ? null : { value, text: { type: 'plain_text', text: value } } } };
}

export function viewSubmission(o: { view: Record<string, unknown>; values: Record<string, Record<string, unknown>>; team?: string; user?: { id: string; name: string } }): Record<string, unknown> {
  const user = o.user ?? ANA;
  return {
    type: 'view_submission',
    team: { id: o.team ?? TEAM, domain: 'example' },
    user: { id: user.id, username: user.name, name: user.name, team_id: o.team ?? TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: 'trigger-submit',
    view: { id: 'V0VIEW', team_id: o.team ?? TEAM, type: 'modal', hash: 'h', ...o.view, state: { values: o.values } },
    response_urls: [],
    is_enterprise_install: false,
  };
}

export function messageShortcut(o: { callbackId: string; text: string; ts?: string; team?: string; channel?: string; user?: { id: string; name: string }; responseUrl?: string }): Record<string, unknown> {
  const user = o.user ?? ANA;
  const ts = o.ts ?? '1700000000.000200';
  return {
    type: 'message_action',
    token: 'deprecated',
    action_ts: '1700000002.000000',
    team: { id: o.team ?? TEAM, domain: 'example' },
    user: { id: user.id, username: user.name, name: user.name, team_id: o.team ?? TEAM },
    channel: { id: o.channel ?? CHANNEL, name: 'general' },
    is_enterprise_install: false,
    callback_id: o.callbackId,
    trigger_id: 'trigger-shortcut',
    response_url: o.responseUrl ?? responseUrl('shortcut'),
    message_ts: ts,
    message: { type: 'message', user: BEN.id, ts, text: o.text },
  };
}

/** Every string anywhere in a value (blocks, views), for checks that must hold of all rendered text. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

/** A logger that keeps every line, at every level, for checks on what was logged. */
export function capturingLogger(level = 'trace'): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => { lines.push(line); } });
  return { logger, lines, text: () => lines.join('') };
}
