/**
 * Real `decisions serve` processes (bin/decisions.js, so dist/ must be built) talking to a
 * local fake of the Slack Web API, and slash commands signed as Slack signs them. Only
 * loopback traffic: the fake answers on 127.0.0.1 and every response URL points at it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BIN, freePort } from '../../helpers/cli';
import { BOT_TOKEN, FORM, SIGNING_SECRET, commandBody, sign } from '../../adapters/slack/helpers';

export const BOT = { user_id: 'UBOT', team_id: 'T0TEAMA', bot_id: 'B1' };

// ---- the fake Slack Web API (and response URLs) ----

/** `at`: when it arrived (Date.now()). */
export interface ApiCall { path: string; body: string; at: number }

export interface LocalSlack {
  /** For SLACK_API_URL. */
  apiUrl: string;
  /** A response URL on the fake; whatever is posted to it is kept under `id`. */
  responseUrl(id: string): string;
  calls: ApiCall[];
  /** Canvases as Slack keeps them: id → Markdown; a channel's canvas by channel. */
  canvases: Map<string, string>;
  channelCanvases: Map<string, string>;
  /** The first body posted to the response URL `id`, waiting at most `timeoutMs`. */
  waitForResponse(id: string, timeoutMs: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startLocalSlack(): Promise<LocalSlack> {
  const calls: ApiCall[] = [];
  const responses = new Map<string, Record<string, unknown>>();
  const canvases = new Map<string, string>();
  const channelCanvases = new Map<string, string>();
  /** A WebClient form: nested values are JSON. */
  const form = (body: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(body)) out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    return out;
  };
  const markdownOf = (content: unknown): string => (content as { markdown?: string } | undefined)?.markdown ?? '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      calls.push({ path, body, at: Date.now() });
      const json = (value: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(value));
      };
      const response = /^\/response\/(.+)$/.exec(path);
      if (response?.[1]) {
        try {
          responses.set(decodeURIComponent(response[1]), JSON.parse(body || '{}') as Record<string, unknown>);
        } catch {
          responses.set(decodeURIComponent(response[1]), { raw: body });
        }
        return json({ ok: true });
      }
      if (path.endsWith('/auth.test')) return json({ ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'decisions', ...BOT });
      if (path.endsWith('/chat.postMessage')) return json({ ok: true, channel: 'C', ts: '1.1' });
      // Canvases, with Slack's semantics: one channel canvas a channel; edit replaces the whole canvas.
      if (path.endsWith('/conversations.canvases.create')) {
        const b = form(body);
        const channel = String(b.channel_id ?? '');
        if (channelCanvases.has(channel)) return json({ ok: false, error: 'channel_canvas_already_exists' });
        const id = `F0LOCAL${canvases.size + 1}`;
        canvases.set(id, markdownOf(b.document_content));
        channelCanvases.set(channel, id);
        return json({ ok: true, canvas_id: id });
      }
      if (path.endsWith('/canvases.edit')) {
        const b = form(body);
        const id = String(b.canvas_id ?? '');
        const changes = b.changes as Array<{ operation?: string; document_content?: unknown }> | undefined;
        if (!canvases.has(id)) return json({ ok: false, error: 'canvas_not_found' });
        if (!Array.isArray(changes) || changes.length !== 1 || changes[0]?.operation !== 'replace') return json({ ok: false, error: 'invalid_arguments' });
        canvases.set(id, markdownOf(changes[0]?.document_content));
        return json({ ok: true });
      }
      if (path.endsWith('/users.info')) {
        // Slack's answer for the test's people (U0ANA is "ana"), as their display names.
        const id = new URLSearchParams(body).get('user') ?? 'U0';
        const name = id.replace(/^U0/, '').toLowerCase();
        return json({ ok: true, user: { id, name, real_name: name, tz: 'Europe/London', profile: { display_name: name, real_name: name } } });
      }
      return json({ ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${origin}/api/`,
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id)}`,
    calls, canvases, channelCanvases,
    async waitForResponse(id, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = responses.get(id);
        if (found) return found;
        if (Date.now() > until) throw new Error(`nothing was posted to response URL ${id} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- `decisions serve` ----

export interface ServeProcess {
  /** http://127.0.0.1:<port> */
  base: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `decisions serve` on `port` and waits (at most `timeoutMs`) until /healthz answers. */
export async function startServe(env: Record<string, string>, options: { port?: number; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const port = options.port ?? await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  let exited: number | string | null | undefined;
  const closed = new Promise<void>((resolve) => child.on('close', (code, signal) => { exited = code ?? signal; resolve(); }));
  const base = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
    if (await Promise.race([closed.then(() => 'closed' as const), timer]) === 'timeout') {
      child.kill('SIGKILL');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
  };

  const until = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`decisions serve exited (${String(exited)}) before it was ready:\n${out}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`decisions serve on port ${port} was not ready within ${options.timeoutMs ?? 15_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, port, child, output: () => out, stop };
}

/** The environment for single-workspace Slack over HTTP. */
export function slackEnv(dataDir: string, apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: dataDir, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: apiUrl, ...extra };
}

// ---- slash commands ----

export interface CommandReply {
  /** The reply's fallback text ('' if none came). */
  text: string;
  /** Whether it came in the acknowledgement or later through the response URL. */
  via: 'ack' | 'response_url';
  status: number;
  /** When the request left and when its answer arrived (performance.now()). */
  sentAt: number;
  answeredAt: number;
}

let requestCounter = 0;

/**
 * Sends `/decision <text>` signed with the real clock, and returns the answer: from the
 * acknowledgement, or (when the server was slow and acknowledged first) from the response URL.
 */
export async function slashCommand(
  server: { base: string },
  slack: LocalSlack,
  text: string,
  o: { user: { id: string; name: string }; channel: string; team?: string; timeoutMs?: number },
): Promise<CommandReply> {
  requestCounter += 1;
  const id = `cmd-${process.pid}-${requestCounter}`;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const body = commandBody(text, { user: o.user, channel: o.channel, team: o.team, responseUrl: slack.responseUrl(id), triggerId: `trigger-${id}` });
  const timestamp = Math.floor(Date.now() / 1000);
  const sentAt = performance.now();
  const res = await fetch(`${server.base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(body, timestamp) },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const raw = await res.text();
  const answered = { status: res.status, sentAt, answeredAt: performance.now() };
  if (raw.trim() !== '') {
    let parsed: { text?: unknown };
    try {
      parsed = JSON.parse(raw) as { text?: unknown };
    } catch {
      return { text: raw, via: 'ack', ...answered };
    }
    return { text: typeof parsed.text === 'string' ? parsed.text : raw, via: 'ack', ...answered };
  }
  if (res.status !== 200) return { text: '', via: 'ack', ...answered };
  const late = await slack.waitForResponse(id, timeoutMs);
  return { text: typeof late.text === 'string' ? late.text : JSON.stringify(late), via: 'response_url', status: res.status, sentAt, answeredAt: performance.now() };
}
