/**
 * The scheduler: once a minute, works out from core what is due (weekly digests, retro
 * prompts), claims each piece in the Store under a unique key, builds its view model and
 * posts it through the case's surface. Any number of processes may tick against one
 * store: the claim makes each piece happen once, and a claim whose process died before
 * finishing is taken over once its lease has expired.
 *
 * Outcomes of one piece of work:
 * - sent: posted; the claim is completed and never taken again.
 * - gone: the channel removed the bot (or no longer exists). The case's digest and retro
 *   prompt are switched off, one warning is logged, the claim is completed: never retried.
 * - failed: anything else (Slack down, a timeout). The claim is left to expire, so a later
 *   tick retries it after the lease; after `maxAttempts` the claim is completed with an error.
 * - taken: already done, or another process holds it.
 * - no surface: the case's platform is not configured in this process; nothing is claimed.
 *
 * The weekly publication to GitHub is a piece of work like these, due at the digest's slot
 * and run just before the digest, so the digest posted after it links to the pull request or
 * commit. It needs GitHub credentials in this process (else it is skipped unclaimed) but no
 * chat surface; it posts into the channel only when it has something to tell (edits taken in
 * from GitHub, parts that differ).
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger';
import type { CaseStore, ClaimStore } from './core/ports';
import { publishedLinkFor } from './core/publishing/settings';
import type { CaseService, Clock } from './core/service';
import type { Case, Place, Platform, Sprint } from './core/model';
import type { Reply } from './core/views';
import type { PostResult, Surface } from './surface';
import { claimKey, dueWork, nextDueAfter } from './core/schedule';
import type { DueItem, DueKind } from './core/schedule';

export type TickOutcome = 'sent' | 'gone' | 'failed' | 'gave up' | 'taken' | 'no surface';

export interface TickItem {
  caseId: string;
  place: Place;
  kind: DueKind;
  period: string;
  /** When it fell due, ISO. */
  dueAt: string;
  outcome: TickOutcome;
  /** Why it failed or was skipped. */
  reason?: string;
  /** Which attempt this was, for work this process claimed. */
  attempt?: number;
  /** What publishing did ("Pull request #3 into main of acme/case …"). */
  detail?: string;
}

export interface SchedulerDeps {
  store: Pick<CaseStore, 'listDue' | 'setNextDue' | 'snapshot' | 'getCase'> & ClaimStore;
  service: CaseService;
  /** The surface that posts each platform's cases. */
  surfaces: Map<Platform, Surface>;
  clock: Clock;
  logger: Logger;
  /** Who claims: unique per process. Defaults to host:pid:random. */
  owner?: string;
  /** How long a claim is held before another process may take it over (default 10 minutes). Longer than any post can take. */
  leaseMs?: number;
  /** The case's web page for the digest, or null to point at `export`. Defaults to the service's share link. */
  linkFor?: (c: Case) => string | null;
  /**
   * How many posts are in flight at once (default 20). A post waiting for a rate limit or
   * for its channel's gap does not hold one.
   */
  concurrency?: number;
  /** Attempts before failing work is given up (default 3). */
  maxAttempts?: number;
  /**
   * Least time between two posts into one channel in a tick (default 1000 ms: Slack takes
   * about one message a second per channel, and answers faster ones with 429).
   */
  channelGapMs?: number;
  /** Waits out a Retry-After or a channel's gap (tests record the waits instead). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Scheduler {
  readonly owner: string;
  /** Runs one tick at `now` (default: the clock): claims and posts what is due. */
  tick(now?: Date): Promise<TickItem[]>;
  /** Ticks every minute, just after the minute turns, until stop(). Does not keep the process alive. */
  start(): void;
  /** Stops ticking and waits for a tick that is running. */
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;
export const DEFAULT_CONCURRENCY = 20;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_CHANNEL_GAP_MS = 1000;
/** Due cases read at once. */
const DUE_PAGE = 500;
/** A wait for a rate limit must end this long before the lease does, so the post is not made twice. */
const LEASE_MARGIN_MS = 30_000;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const DAY_MS = 86_400_000;

const PLATFORM_NAMES: Record<Platform, string> = { slack: 'Slack', teams: 'Teams', console: 'The console' };

/**
 * Cases under way at once, per post in flight: the others wait (a Retry-After, their
 * channel's gap) without holding up posts elsewhere. Bounded, so no claim is made long
 * before its post: with 20 posts in flight, 1,000 cases.
 */
const UNDER_WAY_PER_POST = 50;

/** Runs calls of `fn`, at most `limit` at a time; the others wait their turn, in order. */
function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    // A finished call hands its place straight to the next waiting one.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export function describePlace(p: Place): string {
  return `${p.platform} ${p.workspace}/${p.channel}`;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { store, service, surfaces, clock } = deps;
  const logger = deps.logger.child({ component: 'scheduler' });
  const owner = deps.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const channelGapMs = deps.channelGapMs ?? DEFAULT_CHANNEL_GAP_MS;
  const sleep = deps.sleep ?? realSleep;
  const linkFor = deps.linkFor ?? ((c: Case) => service.caseLink(c));

  /**
   * Keys this process need not claim again before `until` (ms): done for good (Infinity),
   * or held elsewhere (until that lease could have run out). Saves a write per case per tick.
   */
  const settled = new Map<string, { until: number; dueAt: number }>();


  async function build(c: Case, item: Exclude<DueItem, { kind: 'publish' }>): Promise<Reply> {
    if (item.kind === 'retro') return service.retroReply(c, item.sprint);
    // Read again: this tick may have just published the case, and the digest links to it.
    const now = c.publication ? (await store.getCase(c.id)) ?? c : c;
    return service.digestReply(c, item.window, { linkUrl: linkFor(c), preview: false, published: publishedLinkFor(now, item.period) });
  }

  /** Publishes the case to GitHub, and tells the channel what it must know; a failed message does not fail the publication. */
  async function publish(surface: Surface | undefined, c: Case, item: Extract<DueItem, { kind: 'publish' }>): Promise<PostResult & { detail?: string }> {
    try {
      const done = await service.publishWeekly(c, item);
      if (!done.ok) return { ok: false, gone: false, reason: done.reason };
      if (done.notice) {
        const told = surface?.post ? await surface.post(c, done.notice) : { ok: false as const, gone: false as const, reason: 'no surface posts here' };
        if (!told.ok) logger.warn({ caseId: c.id, period: item.period, reason: told.reason }, 'Scheduler: published, but could not tell the channel what came back from GitHub');
      }
      return { ok: true, detail: done.line };
    } catch (err) {
      logger.error({ err, caseId: c.id, period: item.period }, 'Scheduler: publishing failed');
      return { ok: false, gone: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  async function post(surface: Surface | undefined, c: Case, item: DueItem): Promise<PostResult & { detail?: string }> {
    if (item.kind === 'publish') return publish(surface, c, item);
    try {
      if (!surface?.post) return { ok: false, gone: false, reason: 'this surface cannot post' };
      const reply = await build(c, item);
      return await surface.post(c, reply);
    } catch (err) {
      logger.error({ err, caseId: c.id, kind: item.kind, period: item.period }, 'Scheduler: building or posting failed');
      return { ok: false, gone: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  async function tick(now: Date = clock.now()): Promise<TickItem[]> {
    const started = performance.now();
    /** The tick's time plus the real time it has taken so far: leases start when the claim is made. */
    const at = (): Date => new Date(now.getTime() + Math.round(performance.now() - started));
    const nowMs = now.getTime();
    for (const [key, entry] of settled) if (entry.dueAt < nowMs - 8 * DAY_MS) settled.delete(key);

    const results: TickItem[] = [];
    const report = (c: Case, item: DueItem, outcome: TickOutcome, extra: { reason?: string; attempt?: number; detail?: string } = {}): void => {
      results.push({ caseId: c.id, place: c.place, kind: item.kind, period: item.period, dueAt: item.dueAt.toISOString(), outcome, ...extra });
    };

    // Only the cases whose next piece of work has fallen due (an index in the store), a page
    // at a time: the cost of a tick follows the work due, not the number of cases.
    const work: { c: Case; sprints: Sprint[]; surface: Surface | undefined; items: DueItem[]; retryAt: number }[] = [];
    const moveOn = async (c: Case, sprints: Sprint[], retryAt: number): Promise<void> => {
      const next = nextDueAfter(c, sprints, now);
      const at = Math.min(next?.getTime() ?? Infinity, retryAt);
      if (await store.setNextDue(c.id, c.version, Number.isFinite(at) ? new Date(at).toISOString() : null)) return;
      // Written since it was read (this tick's own publication, or a command): worked out once
      // more on the case as it stands, so it is not looked at again before it is due.
      const fresh = await store.snapshot(c.id);
      if (!fresh) return;
      const again = Math.min(nextDueAfter(fresh.case, fresh.sprints, now)?.getTime() ?? Infinity, retryAt);
      await store.setNextDue(c.id, fresh.case.version, Number.isFinite(again) ? new Date(again).toISOString() : null);
    };
    let after: { dueAt: string; id: string } | undefined;
    for (;;) {
      const page = await store.listDue(now.toISOString(), DUE_PAGE, after);
      for (const { case: c } of page) {
        let sprints: Sprint[] = [];
        let items: DueItem[];
        try {
          sprints = c.schedule.retroOn ? (await store.snapshot(c.id))?.sprints ?? [] : [];
          items = dueWork(c, sprints, now);
        } catch (err) {
          logger.error({ err, caseId: c.id }, 'Scheduler: could not work out what is due');
          continue;
        }
        if (items.length === 0) {
          await moveOn(c, sprints, Infinity);
          continue;
        }
        const surface = surfaces.get(c.place.platform);
        // Publishing needs GitHub, not the chat surface; posting needs the surface. What this
        // process cannot do is left due, for a process where it is configured.
        const runnable = items.filter((item) => {
          const missing = item.kind === 'publish'
            ? (service.canPublish() ? null : 'GitHub is not configured here')
            : (surface?.post ? null : `${PLATFORM_NAMES[c.place.platform]} is not configured here`);
          if (missing) report(c, item, 'no surface', { reason: missing });
          return missing === null;
        });
        if (runnable.length > 0 && runnable.length === items.length) work.push({ c, sprints, surface, items: runnable, retryAt: Infinity });
        // Some of it runs elsewhere: do this part, and keep the case due for the rest.
        else if (runnable.length > 0) work.push({ c, sprints, surface, items: runnable, retryAt: nowMs + 60_000 });
      }
      const last = page[page.length - 1];
      if (page.length < DUE_PAGE || !last) break;
      after = { dueAt: last.dueAt, id: last.case.id };
    }

    const gone = new Set<string>();
    const posting = limiter(concurrency);
    /** When this tick last posted into each case's channel (performance.now()). */
    const lastPost = new Map<string, number>();
    /** Posts one piece of work; returns when it must be looked at again (ms), Infinity when settled for good. */
    async function run(c: Case, surface: Surface | undefined, item: DueItem): Promise<number> {
      const key = claimKey(c.id, item);
      const known = settled.get(key);
      if (gone.has(c.id) || (known && known.until > nowMs)) {
        if (!gone.has(c.id)) report(c, item, 'taken');
        return known?.until ?? Infinity;
      }
      const claimedAt = at();
      const claim = await store.claim(key, owner, claimedAt.toISOString(), new Date(claimedAt.getTime() + leaseMs).toISOString());
      if (!claim.won) {
        // Done: never again. Held: not before that lease could have run out.
        const until = claim.done ? Infinity : Date.parse(claim.leaseUntil);
        settled.set(key, { until, dueAt: item.dueAt.getTime() });
        report(c, item, 'taken', { attempt: claim.attempt });
        return until;
      }
      const wait = (lastPost.get(c.id) ?? -Infinity) + channelGapMs - performance.now();
      if (wait > 0 && item.kind !== 'publish') await sleep(wait);
      let result = await posting(() => post(surface, c, item));
      // "Slow down" is not failure: wait as the platform asks, within this tick, while the lease lasts.
      const leaseEnds = Date.parse(claim.leaseUntil);
      while (!result.ok && !result.gone && result.retryAfterMs !== undefined
        && at().getTime() + result.retryAfterMs + LEASE_MARGIN_MS < leaseEnds) {
        await sleep(result.retryAfterMs);
        result = await posting(() => post(surface, c, item));
      }
      if (item.kind !== 'publish') lastPost.set(c.id, performance.now());
      const where = describePlace(c.place);
      const fields = { caseId: c.id, kind: item.kind, period: item.period, place: where, attempt: claim.attempt };
      if (result.ok) {
        await store.completeClaim(key, owner, at().toISOString());
        settled.set(key, { until: Infinity, dueAt: item.dueAt.getTime() });
        logger.info(fields, item.kind === 'publish' ? `Scheduler: published ${item.period} for ${where}` : `Scheduler: sent ${item.kind} ${item.period} to ${where}`);
        report(c, item, 'sent', { attempt: claim.attempt, ...(result.detail ? { detail: result.detail } : {}) });
        return Infinity;
      } else if (result.gone) {
        gone.add(c.id);
        await service.stopPosting(c, result.reason);
        await store.completeClaim(key, owner, at().toISOString());
        settled.set(key, { until: Infinity, dueAt: item.dueAt.getTime() });
        logger.warn({ ...fields, reason: result.reason }, `Scheduler: ${where} no longer takes posts from the bot (${result.reason}); switched off its digest and retro prompt`);
        report(c, item, 'gone', { reason: result.reason, attempt: claim.attempt });
        return Infinity;
      } else if (claim.attempt >= maxAttempts && result.retryAfterMs === undefined) {
        // Rate limited is never given up on: only real failures count.
        await store.completeClaim(key, owner, at().toISOString());
        settled.set(key, { until: Infinity, dueAt: item.dueAt.getTime() });
        logger.error({ ...fields, reason: result.reason }, `Scheduler: gave up on ${item.kind} ${item.period} for ${where} after ${claim.attempt} attempts (${result.reason})`);
        report(c, item, 'gave up', { reason: result.reason, attempt: claim.attempt });
        return Infinity;
      }
      // Leave the claim: it expires after the lease and a later tick (here or elsewhere) retries.
      settled.set(key, { until: leaseEnds, dueAt: item.dueAt.getTime() });
      logger.warn({ ...fields, reason: result.reason }, `Scheduler: could not post ${item.kind} ${item.period} to ${where} (${result.reason}); will retry after the lease`);
      report(c, item, 'failed', { reason: result.reason, attempt: claim.attempt });
      return leaseEnds;
    }

    // Case by case, each case's items in order: its second post waits for its channel's gap
    // (Slack takes about one message a second per channel) while other channels' posts go
    // on. No round waits for the slowest post of the one before (one answered "slow down").
    await eachLimit(work, concurrency * UNDER_WAY_PER_POST, async (w) => {
      for (const item of w.items) {
        try {
          w.retryAt = Math.min(w.retryAt, await run(w.c, w.surface, item));
        } catch (err) {
          // Looked at again next tick.
          w.retryAt = nowMs;
          logger.error({ err, caseId: w.c.id }, 'Scheduler: a scheduled post failed');
        }
      }
    });
    // Each case handled: when it is next due. A case switched off (gone) was written by that.
    // Many at once, so the store can commit them together.
    await eachLimit(work.filter((w) => !gone.has(w.c.id)), DUE_PAGE, async (w) => {
      try {
        await moveOn(w.c, w.sprints, w.retryAt);
      } catch (err) {
        logger.error({ err, caseId: w.c.id }, 'Scheduler: could not record when the case is next due');
      }
    });
    return results;
  }

  let timer: NodeJS.Timeout | null = null;
  let interval: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  function fire(): void {
    if (running || stopped) return; // a slow tick is never overlapped by the next
    running = tick(clock.now())
      .then(() => undefined, (err: unknown) => { logger.error({ err }, 'Scheduler: a tick failed'); })
      .finally(() => { running = null; });
  }

  return {
    owner,
    tick,
    start() {
      if (timer || interval) return;
      stopped = false;
      // Just after the next minute turns, then every minute.
      const delay = 60_000 - (Date.now() % 60_000) + 200;
      timer = setTimeout(() => {
        timer = null;
        fire();
        interval = setInterval(fire, 60_000);
        interval.unref();
      }, delay);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (interval) clearInterval(interval);
      timer = null;
      interval = null;
      if (running) await running;
    },
  };
}
