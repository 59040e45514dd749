/**
 * A Bolt Receiver on our own node:http server: `POST /slack/events` takes slash commands,
 * interactivity and events. It checks Slack's signature (HMAC-SHA256 of
 * `v0:<timestamp>:<body>` with the signing secret, timestamps within 5 minutes), refuses
 * anything else with 401 before parsing or acting on it, and answers with whatever the
 * listener acknowledges (or an empty 200 when none does in time).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { mistakeLog, type Logger, type MistakeLog } from '../../src/logger';
import type { Clock } from '../../src/core/service';
import { readBody } from '../../src/server/body';
import { sendJson, sendText } from '../../src/server/http';
import type { Handler } from '../../src/server/http';

/** Requests signed longer ago than this (or this far in the future) are replays. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}

/** Checks a request's Slack signature against the raw body, in constant time. */
export function verifySignature(input: { signingSecret: string; timestamp: string | null; signature: string | null; body: Buffer; nowSeconds: number }): SignatureVerdict {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) return { ok: false, reason: 'timestamp outside the 5-minute window' };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed signature' };
  const hmac = createHmac('sha256', input.signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(input.body);
  const expected = Buffer.from(`v0=${hmac.digest('hex')}`, 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

/** Slack sends commands and interactivity as forms (interactivity as a JSON `payload` field) and events as JSON. */
export function parseBody(raw: Buffer, contentType: string | null): Record<string, unknown> {
  const text = raw.toString('utf8');
  if ((contentType ?? '').toLowerCase().includes('application/json')) {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  }
  const form = Object.fromEntries(new URLSearchParams(text));
  if (typeof form.payload === 'string') {
    const parsed: unknown = JSON.parse(form.payload);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('payload is not a JSON object');
    return parsed as Record<string, unknown>;
  }
  return form;
}

function writeAck(res: ServerResponse, response: unknown): void {
  if (res.headersSent) return;
  if (response === undefined || response === null || response === '') {
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  } else if (typeof response === 'string') {
    sendText(res, 200, response);
  } else {
    sendJson(res, 200, response);
  }
}

export interface HttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  clock: Clock;
  /** After this, a request nobody acknowledged gets an empty 200 (Slack gives up at 3 s). */
  ackTimeoutMs?: number;
}

export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private readonly ackTimeoutMs: number;
  /** Anyone can send unsigned or unreadable requests by the thousand: one line per kind per window. */
  private readonly mistake: MistakeLog;

  constructor(private readonly options: HttpReceiverOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 2900;
    this.mistake = mistakeLog(options.logger);
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    // The shared HTTP server is started by the app; nothing to do here.
  }

  /** Waits for work still running after its acknowledgement (modals, posts). */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  /** The route handler for `POST /slack/events`. */
  readonly handler: Handler = async (req, res) => {
    const { clock } = this.options;
    const raw = await readBody(req);
    const verdict = verifySignature({
      signingSecret: this.options.signingSecret,
      timestamp: header(req, 'x-slack-request-timestamp'),
      signature: header(req, 'x-slack-signature'),
      body: raw,
      nowSeconds: Math.floor(clock.now().getTime() / 1000),
    });
    if (!verdict.ok) {
      this.mistake('slack signature', 'warn', { reason: verdict.reason }, 'Slack: refused a request that Slack did not sign');
      sendText(res, 401, 'Unauthorized');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, header(req, 'content-type'));
    } catch {
      this.mistake('slack body', 'warn', {}, 'Slack: a signed request had a body that could not be read');
      sendText(res, 400, 'Bad request');
      return;
    }
    if (body.ssl_check === '1') return writeAck(res, undefined);
    if (body.type === 'url_verification') return sendJson(res, 200, { challenge: typeof body.challenge === 'string' ? body.challenge : '' });

    const work = this.dispatch(req, res, body);
    this.inflight.add(work);
    try {
      await work;
    } finally {
      this.inflight.delete(work);
    }
  };

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const { logger } = this.options;
    let acked = false;
    const answer = (status: number, response?: unknown) => {
      if (acked) return;
      acked = true;
      if (status === 200) writeAck(res, response);
      else if (!res.headersSent) sendText(res, status, status === 400 ? 'Bad request' : 'Something went wrong');
    };
    const timer = setTimeout(() => {
      if (!acked) {
        logger.warn({ type: body.type }, 'Slack: nothing answered within 3 seconds; acknowledged with an empty reply');
        answer(200);
      }
    }, this.ackTimeoutMs);
    const retryNum = Number(header(req, 'x-slack-retry-num') ?? 'NaN');
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) {
          logger.debug('Slack: a second acknowledgement was ignored');
          return;
        }
        answer(200, response);
      },
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(header(req, 'x-slack-retry-reason') ? { retryReason: header(req, 'x-slack-retry-reason') ?? undefined } : {}),
      customProperties: {},
    };
    try {
      if (!this.app) throw new Error('the Slack receiver was not given its app');
      await this.app.processEvent(event);
    } catch (err) {
      // Listener failures go to app.error and never reach here. Bolt reads the payload's
      // shape (its team or user, view, event) before any listener runs, and a body without
      // them fails there with a TypeError: a bad request, not our failure.
      if (err instanceof TypeError) {
        this.mistake('slack payload', 'warn', { reason: err.message.slice(0, 200) }, 'Slack: a signed request had a payload Bolt could not read');
        answer(400);
      } else {
        logger.error({ err }, 'Slack: handling a request failed');
        answer(500);
      }
    } finally {
      clearTimeout(timer);
      // Events nobody listens to still need their 200, or Slack retries them.
      answer(200);
    }
  }
}
