/**
 * A local fake of the Slack Web API (node:http on 127.0.0.1) for the scheduler's tests and
 * the fan-out benchmark: chat.postMessage with Slack's per-channel limit (one message a
 * second; a faster one gets 429 and Retry-After), calls it is told to refuse with 429 or a
 * platform error, calls it holds without answering, and auth.test. It records every message
 * it accepted, so duplicates and misses can be counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackOptions {
  /** Least time between two accepted messages in one channel (ms); 0 for no limit. Default 1000. */
  perChannelMs?: number;
  /** Answer this call (0-based, over all chat.postMessage calls) with 429 and Retry-After: 1. */
  refuse429?: (call: number, channel: string) => boolean;
  /** A platform error for a channel (e.g. "not_in_channel"), or null. */
  errorFor?: (channel: string) => string | null;
  /** Never answer this call: for a process killed while posting. */
  hang?: (call: number, channel: string) => boolean;
  /** Wait this long before answering each accepted call (ms). */
  delayMs?: number;
}

export interface Accepted {
  channel: string;
  text: string;
  /** ms since the fake started. */
  at: number;
}

export interface FakeSlack {
  /** The Web API base for SLACK_API_URL, ending in a slash. */
  apiUrl: string;
  accepted: Accepted[];
  /** chat.postMessage calls received, answered or not. */
  calls: () => number;
  /** Calls answered 429 (by the per-channel limit or by `refuse429`). */
  rateLimited: () => number;
  /** Resolves when `n` chat.postMessage calls have arrived. */
  waitForCalls(n: number): Promise<void>;
  close(): Promise<void>;
}

function parseBody(raw: string, type: string | undefined): Record<string, string> {
  if (type?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(raw));
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const perChannelMs = options.perChannelMs ?? 1000;
  const started = performance.now();
  const accepted: Accepted[] = [];
  const lastAccepted = new Map<string, number>();
  const held: http.ServerResponse[] = [];
  let calls = 0;
  let rateLimited = 0;
  const waiters: { n: number; resolve: () => void }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path.endsWith('/auth.test')) return json(200, { ok: true, team: 'Fake', team_id: 'T1', user: 'decisions', user_id: 'U0BOT', bot_id: 'B0BOT' });
      if (!path.endsWith('/chat.postMessage')) return json(200, { ok: false, error: 'unknown_method' });
      const call = calls;
      calls += 1;
      for (const w of waiters.filter((x) => calls >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      const channel = String(body.channel ?? '');
      if (options.hang?.(call, channel)) {
        held.push(res);
        return undefined;
      }
      const error = options.errorFor?.(channel) ?? null;
      if (error) return json(200, { ok: false, error });
      const now = performance.now() - started;
      const last = lastAccepted.get(channel);
      if (options.refuse429?.(call, channel) || (perChannelMs > 0 && last !== undefined && now - last < perChannelMs)) {
        rateLimited += 1;
        const wait = last !== undefined && perChannelMs > 0 ? Math.max(1, Math.ceil((perChannelMs - (now - last)) / 1000)) : 1;
        return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
      }
      lastAccepted.set(channel, now);
      accepted.push({ channel, text: String(body.text ?? ''), at: now });
      const answer = () => json(200, { ok: true, channel, ts: `${Math.floor(Date.now() / 1000)}.${String(accepted.length).padStart(6, '0')}` });
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
      return undefined;
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    accepted,
    calls: () => calls,
    rateLimited: () => rateLimited,
    waitForCalls: (n) => (calls >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
