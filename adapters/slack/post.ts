/**
 * Posting into a case's channel without a request to answer (the scheduler's digests and
 * retro prompts), and the Web API plumbing the listeners share: one WebClient per token,
 * bounded retries, and 429 Retry-After honoured a few times before giving up.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../../src/logger';
import type { Case } from '../../src/core/model';
import type { Reply } from '../../src/core/views';
import type { PostResult } from '../../src/surface';
import { boltLogger } from './logger';
import { GONE_ERRORS, describe, platformError, retryAfter } from './errors';
import { renderReply } from './render/blocks';

export type WebClient = webApi.WebClient;

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** A Retry-After longer than this is not waited for. */
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call`, waiting out 429s as Slack asks (Retry-After), a bounded number of times. */
export async function withRateLimitRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const maxWait = options.maxWaitSeconds ?? 30;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const wait = retryAfter(err);
      if (wait === null || attempt >= attempts || wait > maxWait) throw err;
      await sleep(Math.max(0, wait) * 1000);
    }
  }
}

/**
 * WebClient options for every client we make: our API URL, our logger (masking tokens and
 * the given `secrets`), short bounded retries.
 */
export function clientOptions(apiUrl: string, logger: Logger, secrets: string[] = []): webApi.WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    logger: boltLogger(logger, secrets),
    // Network failures retry twice, quickly; rate limits come back to us (withRateLimitRetry).
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
}

/** One WebClient per token, kept for reuse; `overrides` change the options for this pool's clients. */
export function clientPool(apiUrl: string, logger: Logger, secrets: string[] = [], overrides: Partial<webApi.WebClientOptions> = {}): (token: string) => WebClient {
  const options = { ...clientOptions(apiUrl, logger, secrets), ...overrides };
  const clients = new Map<string, WebClient>();
  return (token) => {
    let client = clients.get(token);
    if (!client) {
      if (clients.size >= 500) clients.clear();
      client = new webApi.WebClient(token, options);
      clients.set(token, client);
    }
    return client;
  };
}

/** Builds the Surface's `post`: render the reply, find the workspace's token, post it. */
export function createPoster(deps: {
  botToken: (workspace: string) => Promise<string | null>;
  client: (token: string) => WebClient;
  logger: Logger;
}): (c: Case, reply: Reply) => Promise<PostResult> {
  return async (c, reply) => {
    if (c.place.platform !== 'slack') return { ok: false, gone: false, reason: `case ${c.id} is not a Slack case` };
    let token: string | null;
    try {
      token = await deps.botToken(c.place.workspace);
    } catch (err) {
      deps.logger.error({ err, workspace: c.place.workspace }, 'Slack: could not read the workspace installation');
      return { ok: false, gone: false, reason: 'the installation could not be read' };
    }
    if (!token) return { ok: false, gone: true, reason: 'Decisions is not installed in this workspace' };
    const message = renderReply(reply);
    try {
      // Not waited for here: the scheduler waits out a Retry-After without holding back
      // posts to other channels meanwhile.
      await deps.client(token).chat.postMessage({
        channel: c.place.channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false,
      });
      return { ok: true };
    } catch (err) {
      const code = platformError(err);
      const reason = describe(err);
      const wait = retryAfter(err);
      // Rate limited: the scheduler waits, and it is no failure.
      if (wait !== null) return { ok: false, gone: false, reason, retryAfterMs: Math.max(1, wait) * 1000 };
      deps.logger.warn({ workspace: c.place.workspace, channel: c.place.channel, reason }, 'Slack: could not post to the channel');
      if (code !== null && GONE_ERRORS.has(code)) return { ok: false, gone: true, reason: code };
      return { ok: false, gone: false, reason };
    }
  };
}
