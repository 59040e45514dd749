/** What the composition root hands each chat surface, and what a surface gives back. */
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './store/store';
import type { CaseService, Clock } from './core/service';
import type { HttpServer } from './server/http';
import type { Case, Platform } from './core/model';
import type { Reply } from './core/views';
import type { ChannelCanvases } from './core/ports';

export interface AppContext {
  config: Config;
  logger: Logger;
  store: Store;
  service: CaseService;
  http: HttpServer;
  clock: Clock;
  newId: () => string;
  /**
   * False when the surface is mounted only to post (`decisions tick`): nothing will listen
   * for platform requests, so it needs only what posting needs (Slack: a bot token and
   * SLACK_API_URL; no signing secret or app token) and must not connect anywhere at mount.
   * Absent means true.
   */
  receive?: boolean;
}

/** The outcome of posting a scheduled message into a case's channel. */
export type PostResult =
  | { ok: true }
  /** The channel removed the bot or no longer exists: stop posting there. */
  | { ok: false; gone: true; reason: string }
  /** Anything else; `retryAfterMs` when the platform said "slow down" (a 429): not a failure, the scheduler waits and posts again. */
  | { ok: false; gone: false; reason: string; retryAfterMs?: number };

export interface Surface {
  /** The platform whose cases it posts to: the scheduler routes digests and retro prompts by it. */
  readonly platform: Platform;
  /** One line for the start-up log: which mode it runs in. */
  readonly description: string;
  /** Posts a reply (digest, retro prompt) into a case's channel, unprompted. */
  post?(c: Case, reply: Reply): Promise<PostResult>;
  /** The platform's canvases, where it has them (Slack): the case kept in the channel's canvas. */
  canvases?: ChannelCanvases;
  start?(): Promise<void>;
  stop(): Promise<void>;
}
