/**
 * The reliability suite's harness, shared by its Jest tests and the soak script (which the
 * build compiles, so nothing here may use Jest): the real server as a child process, a fake
 * Slack Web API and a fake Bot Framework connector on 127.0.0.1, requests signed as Slack
 * signs them, activities as Teams sends them, and the server's memory from /proc.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';

/** The repository: the nearest folder up with bin/decisions.js (this file also runs from dist/tests/reliability). */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'bin/decisions.js'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no bin/decisions.js above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export const ROOT = repoRoot();
/** The built CLI (npm run build first). */
export const BIN = path.join(ROOT, 'bin/decisions.js');

export const SIGNING_SECRET = 'reliability-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-0000-1111-reliabilitytoken';
export const TEAM = 'T0RELIAB';
export const CHANNEL = 'C0RELIAB';
export const USER = { id: 'U0ANA', name: 'ana' };

// ---- small things ----

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function readAll(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// ---- Slack ----

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export interface CommandOptions {
  command?: string;
  team?: string;
  channel?: string;
  user?: { id: string; name: string };
  responseUrl?: string;
}

/** A slash command's form body, as Slack posts it. */
export function commandBody(text: string, o: CommandOptions = {}): string {
  const user = o.user ?? USER;
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
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response',
    trigger_id: 'trigger-1',
  }).toString();
}

/** Headers for a body signed now (or at `timestamp`). */
export function signedHeaders(body: string, contentType: string, timestamp = nowSeconds(), secret = SIGNING_SECRET): Record<string, string> {
  return { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(body, timestamp, secret) };
}

export interface ApiCall {
  method: string;
  raw: string;
  at: number;
}

export interface FakeSlackApi {
  /** For SLACK_API_URL, ending in a slash. */
  apiUrl: string;
  /** A response URL on this fake; calls to it are recorded as `response:<id>`. */
  responseUrl(id: string): string;
  calls: ApiCall[];
  /** Bodies POSTed to the upload URL it hands out (files.getUploadURLExternal). */
  uploads: string[];
  close(): Promise<void>;
}

/**
 * The Slack Web API, enough for the bot: auth.test names a workspace, the file upload
 * steps hand out an upload URL here and record what is uploaded, and everything else
 * (chat.postMessage, views.open, response URLs) answers `{ ok: true }`.
 */
export async function startFakeSlackApi(options: { record?: boolean } = {}): Promise<FakeSlackApi> {
  const record = options.record ?? true;
  const calls: ApiCall[] = [];
  const uploads: string[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    readAll(req).then((raw) => {
      const url = (req.url ?? '/').split('?')[0] ?? '/';
      const method = url.startsWith('/api/') ? url.slice('/api/'.length) : url.startsWith('/response/') ? `response:${url.slice('/response/'.length)}` : url;
      if (record) calls.push({ method, raw, at: Date.now() });
      let body: Record<string, unknown> = { ok: true };
      if (method === 'auth.test') body = { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'decisions', team_id: TEAM, user_id: 'U0BOT', bot_id: 'B0BOT' };
      else if (method === 'files.getUploadURLExternal') body = { ok: true, upload_url: `${base}/upload/F0FILE`, file_id: 'F0FILE' };
      else if (method === 'files.completeUploadExternal') body = { ok: true, files: [{ id: 'F0FILE' }] };
      else if (method === 'chat.postMessage') body = { ok: true, ts: '1700000000.000100', channel: CHANNEL };
      else if (url.startsWith('/upload/')) {
        if (record) uploads.push(raw);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK - 1');
        return;
      }
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }, () => res.destroy());
  });
  base = await listen(server);
  return { apiUrl: `${base}/api/`, responseUrl: (id) => `${base}/response/${id}`, calls, uploads, close: () => close(server) };
}

// ---- Teams ----

export interface Sent {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

export interface FakeConnector {
  /** The serviceUrl activities name; on loopback, so local mode serves them. */
  serviceUrl: string;
  /** What the bot sent or updated (empty when not recording). */
  sent: Sent[];
  /** How many activities the bot sent or updated. */
  count(): number;
  close(): Promise<void>;
}

/**
 * The Bot Framework connector: records every activity the bot sends or updates, or (for the
 * soak, which must not grow) only counts them and hands each to `onActivity`.
 */
export async function startFakeConnector(options: { record?: boolean; onActivity?: (activity: Sent) => void } = {}): Promise<FakeConnector> {
  const record = options.record ?? true;
  const sent: Sent[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    readAll(req).then((raw) => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // Recorded as an empty body.
      }
      const activity: Sent = { method: req.method ?? '', path: decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'), body };
      if (record) sent.push(activity);
      options.onActivity?.(activity);
      const text = JSON.stringify({ id: `sent-${++n}` });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }, () => res.destroy());
  });
  const base = await listen(server);
  return { serviceUrl: `${base}/`, sent, count: () => n, close: () => close(server) };
}

export const BOT = { id: '28:decisions-bot', name: 'Decisions' };
export const ANN = { id: '29:ann', name: 'Ann Example', aadObjectId: 'aad-ann' };
export const TENANT = 'tenant-reliability';
export const TEAMS_CHANNEL = '19:reliability@thread.tacv2';

let activityCounter = 0;

export interface ActivityOptions {
  serviceUrl: string;
  conversationId?: string;
  from?: { id: string; name: string; aadObjectId?: string };
  /** False: no @mention (only a personal chat answers those). */
  mention?: boolean;
}

/** A message in a Teams channel thread with the bot @mentioned, as Teams posts it. */
export function teamsMessage(text: string, o: ActivityOptions): Record<string, unknown> {
  const id = `1700000${++activityCounter}`;
  const mention = o.mention ?? true;
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: o.from ?? ANN,
    recipient: BOT,
    conversation: { id: `${o.conversationId ?? TEAMS_CHANNEL};messageid=${id}`, conversationType: 'channel', tenantId: TENANT, isGroup: true },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: o.conversationId ?? TEAMS_CHANNEL } },
    locale: 'en-GB',
    text: mention ? `<at>${BOT.name}</at> ${text}` : text,
    entities: mention ? [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }] : [],
  };
}

// ---- the server as a child process ----

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly base: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL, and wait for it to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), and wait. */
  stop(): Promise<number | string | null>;
}

export interface SpawnOptions {
  dataDir: string;
  env?: Record<string, string>;
  port?: number;
  /** How long to wait for /healthz (ms). */
  readyMs?: number;
  /** Keep at most this many characters of output (the soak runs for long). */
  keepOutput?: number;
  /** Flags for node itself, such as --trace-gc (not all are allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
}

/** Starts `node bin/decisions.js serve` and waits until /healthz answers. */
export async function spawnServer(o: SpawnOptions): Promise<ServerProcess> {
  const port = o.port ?? await freePort();
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...o.env, PORT: String(port), DATA_DIR: o.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = o.keepOutput ?? 200_000;
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
    if (out.length > keep) out = out.slice(out.length - keep);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + (o.readyMs ?? 20_000);
  let gone = false;
  void exited.then(() => { gone = true; });
  for (;;) {
    if (gone) throw new Error(`the server exited before it was ready:\n${out}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        await res.arrayBuffer();
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within ${o.readyMs ?? 20_000} ms:\n${out}`);
    }
    await sleep(50);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server has no pid');
  return {
    pid, port, base, child, exited,
    output: () => out,
    async kill() {
      if (!gone) process.kill(pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone) process.kill(pid, 'SIGTERM');
      return exited;
    },
  };
}

/** Environment for Slack over HTTP (one workspace) with the Web API at `apiUrl`. */
export function slackEnv(apiUrl: string): Record<string, string> {
  return { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: apiUrl };
}

// ---- figures ----

/** Where the suite leaves its figures (tests/artefacts/reliability, not committed). */
export const ARTEFACTS = path.join(ROOT, 'tests/artefacts/reliability');

export function writeArtefact(name: string, value: unknown): string {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  const file = path.join(ARTEFACTS, name);
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

// ---- memory ----

/**
 * A process's resident memory in KiB, from /proc/<pid>/status (Linux): all of it (VmRSS),
 * anonymous (heap, stacks) and file-backed (the node binary and libraries as paged in).
 */
export function memoryKiB(pid: number): { rss: number; anon: number; file: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    if (!m) throw new Error(`no ${name} for process ${pid}`);
    return Number(m[1]);
  };
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}
