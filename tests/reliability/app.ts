/**
 * The hostile corpus's app: the real app in this process on a free port, Slack over HTTP
 * with its Web API faked on 127.0.0.1, Teams in local mode (TEAMS_LOCAL=1) replying to a fake connector
 * on 127.0.0.1; requests as Slack and Teams send them; and the whole store as one value,
 * to show a request changed nothing.
 */
import net from 'node:net';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { Place } from '../../src/core/model';
import { tempDir } from '../helpers/temp-dir';
import {
  BOT_TOKEN, CHANNEL, SIGNING_SECRET, TEAM, TEAMS_CHANNEL, TENANT,
  commandBody, signedHeaders, startFakeConnector, startFakeSlackApi, teamsMessage,
} from './harness';
import type { ActivityOptions, CommandOptions, FakeConnector, FakeSlackApi, Sent } from './harness';

export const FORM = 'application/x-www-form-urlencoded';
export const BEN = { id: 'U0BEN', name: 'ben' };
export const TEAMS_BEN = { id: '29:ben', name: 'Ben Example', aadObjectId: 'aad-ben' };

export const slackPlace: Place = { platform: 'slack', workspace: TEAM, channel: CHANNEL };
export const teamsPlace: Place = { platform: 'teams', workspace: TENANT, channel: TEAMS_CHANNEL };

export interface Answer {
  status: number;
  text: string;
}

export interface CorpusApp {
  app: App;
  base: string;
  port: number;
  api: FakeSlackApi;
  connector: FakeConnector;
  /** POSTs a body to /slack/events with these headers (nothing is added). */
  slackRaw(body: string | Buffer, headers: Record<string, string>): Promise<Answer>;
  /**
   * A slash command, signed now. Its text goes as Slack sends what a person typed, with
   * &, < and > encoded; `wire: 'raw'` sends it as given (Slack's own <…> markup).
   */
  command(text: string, o?: CommandOptions, wire?: 'typed' | 'raw'): Promise<Answer>;
  /** POSTs to /api/messages; returns the answer and the activities the bot sent meanwhile. */
  teamsRaw(body: string, headers?: Record<string, string>): Promise<Answer & { sent: Sent[] }>;
  /** An @mention in the Teams channel; the bot's replies are in `sent`. */
  teams(text: string, o?: Partial<ActivityOptions>): Promise<Answer & { sent: Sent[] }>;
  /** Every case's whole snapshot, as one string. */
  state(): Promise<string>;
  stop(): Promise<void>;
}

export async function startCorpusApp(env: Record<string, string> = {}): Promise<CorpusApp> {
  const api = await startFakeSlackApi();
  const connector = await startFakeConnector();
  const t = tempDir('decisions-corpus-');
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.apiUrl,
    // Teams as the Emulator uses it, unless the test brings its own MicrosoftAppId.
    ...(env.MicrosoftAppId === undefined ? { TEAMS_LOCAL: '1' } : {}),
    ...env, PORT: '0', DATA_DIR: t.dir,
  });
  const app = await startApp(config, createLogger('silent'), { scheduler: false });
  const base = `http://127.0.0.1:${app.port}`;

  const slackRaw: CorpusApp['slackRaw'] = async (body, headers) => {
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  };
  const teamsRaw: CorpusApp['teamsRaw'] = async (body, headers = {}) => {
    const before = connector.sent.length;
    const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await res.text();
    return { status: res.status, text, sent: connector.sent.slice(before) };
  };

  return {
    app, base, port: app.port, api, connector, slackRaw, teamsRaw,
    command(text, o = {}, wire = 'typed') {
      const sent = wire === 'raw' ? text : slackEncode(text);
      const body = commandBody(sent, { responseUrl: api.responseUrl('cmd'), ...o });
      return slackRaw(body, signedHeaders(body, FORM));
    },
    teams(text, o = {}) {
      return teamsRaw(JSON.stringify(teamsMessage(text, { serviceUrl: connector.serviceUrl, ...o })));
    },
    async state() {
      const cases = await app.store.listCases();
      const snapshots = await Promise.all(cases.map((c) => app.store.snapshot(c.id)));
      return JSON.stringify(snapshots.sort((a, b) => (a?.case.id ?? '').localeCompare(b?.case.id ?? '')));
    },
    async stop() {
      await app.stop();
      await api.close();
      await connector.close();
      t.cleanup();
    },
  };
}

/** Text as Slack sends it in a slash command: &, < and > as entities. */
export function slackEncode(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---- reading replies ----

/** Every string anywhere in a value. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

/** The Adaptive Card in an activity the bot sent. */
export function cardOf(s: Sent | undefined): Record<string, unknown> {
  const attachments = (s?.body.attachments ?? []) as { contentType: string; content: Record<string, unknown> }[];
  const found = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!found) throw new Error(`no Adaptive Card in ${JSON.stringify(s?.body).slice(0, 300)}`);
  return found.content;
}

/** The TextBlock texts of a card, in order. */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}


// ---- raw HTTP, for bodies fetch will not send ----

export interface RawResult {
  /** The status line's code, or null when the connection ended without one. */
  status: number | null;
  /** Bytes of body written before the first byte of the answer came back. */
  sentBeforeAnswer: number;
  /** ms from the request's first byte to the answer's first byte. */
  ms: number;
  /** True when every byte meant to be sent was written before the answer. */
  sentAll: boolean;
}

/**
 * Writes a request over a plain socket: the head, then up to `total` body bytes in
 * 64 KiB pieces (chunked when `chunked`), stopping as soon as an answer arrives.
 * `pauseAfter` bytes in, it waits `pauseMs` for an answer before writing more.
 */
export function rawPost(port: number, path: string, o: { contentLength?: number; chunked?: boolean; total: number; pauseAfter?: number; pauseMs?: number }): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let answered: RawResult | null = null;
    let finished = false;
    const finish = (r: RawResult) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve(r);
    };
    socket.on('data', (d: Buffer) => {
      if (answered) return;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'));
      answered = { status: m ? Number(m[1]) : null, sentBeforeAnswer: sent, ms: Date.now() - started, sentAll: sent >= o.total };
      finish(answered);
    });
    socket.on('error', () => finish(answered ?? { status: null, sentBeforeAnswer: sent, ms: Date.now() - started, sentAll: sent >= o.total }));
    socket.on('close', () => finish(answered ?? { status: null, sentBeforeAnswer: sent, ms: Date.now() - started, sentAll: sent >= o.total }));
    socket.on('connect', () => {
      const head = [
        `POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json',
        o.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${o.contentLength ?? o.total}`,
        '', '',
      ].join('\r\n');
      socket.write(head);
      const piece = Buffer.alloc(64 * 1024, 0x61);
      const pump = async () => {
        while (!answered && !finished && sent < o.total) {
          if (o.pauseAfter !== undefined && sent >= o.pauseAfter) {
            await new Promise((r) => setTimeout(r, o.pauseMs ?? 2000));
            if (answered || finished) return;
            // No answer while we waited: carry on (the test then sees sentAll).
            o = { ...o, pauseAfter: undefined };
          }
          const n = Math.min(piece.length, o.total - sent, o.pauseAfter !== undefined ? Math.max(1, o.pauseAfter - sent) : piece.length);
          const data = o.chunked ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece.subarray(0, n), Buffer.from('\r\n')]) : piece.subarray(0, n);
          sent += n;
          if (!socket.write(data)) await new Promise<void>((r) => { socket.once('drain', r); socket.once('close', r); });
        }
        if (!answered && !finished && o.chunked) socket.write('0\r\n\r\n');
      };
      pump().catch(reject);
    });
  });
}
