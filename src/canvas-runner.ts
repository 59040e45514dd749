/**
 * Keeps cases' Slack canvases current: every second it reads the cases whose canvas a change
 * waits for (the store's due list, so changes made by any process are seen) and asks core to
 * bring each up to date. Core claims each write on the version the canvas shows, so any
 * number of processes write it once per change, and keeps at most one write a case every
 * 10 s; this loop only remembers when to look at a case again. A refusal found here (someone
 * deleted the canvas) is told to the channel once (core switches the canvas off with it) and
 * shown in /healthz.
 */
import type { Logger } from './logger';
import type { CanvasStore } from './core/ports';
import type { CaseService, Clock } from './core/service';
import type { CanvasOutcome } from './core/canvas/keep';
import type { CaseStore } from './core/ports';
import type { Platform } from './core/model';
import type { Surface } from './surface';

/** How often the due list is read. */
export const CANVAS_POLL_MS = 1000;
/** Cases looked at in one pass. */
const PAGE = 100;
/** Refusals kept for /healthz. */
const KEPT_PROBLEMS = 20;

export interface CanvasRunItem {
  caseId: string;
  outcome: CanvasOutcome | { kind: 'failed'; reason: string } | { kind: 'waiting'; until: number };
}

/** What /healthz shows of canvases: the last refusals, each one line (Slack's code and its meaning), and waits. */
export interface CanvasHealth {
  refusals: Array<{ at: string; code: string; line: string }>;
  /** Cases waiting out a rate limit or Slack being unreachable. */
  waiting: number;
}

export interface CanvasRunner {
  /** One pass at the clock's now: every due case whose time has come. */
  run(): Promise<CanvasRunItem[]>;
  start(): void;
  stop(): Promise<void>;
  health(): CanvasHealth;
  /** A refusal met anywhere in this process (a command too), for /healthz. */
  noteRefusal(caseId: string, refusal: { code: string; words: string }): void;
}

export function createCanvasRunner(deps: {
  store: Pick<CanvasStore, 'canvasesDue'> & Pick<CaseStore, 'getCase'>;
  service: CaseService;
  surfaces: Map<Platform, Surface>;
  clock: Clock;
  logger: Logger;
  pollMs?: number;
}): CanvasRunner {
  const { store, service, logger, clock } = deps;
  /** When each case is to be looked at again (ms); absent: at once. */
  const notBefore = new Map<string, number>();
  const retrying = new Set<string>();
  const refusals: CanvasHealth['refusals'] = [];

  async function tell(caseId: string, words: string): Promise<void> {
    const c = await store.getCase(caseId);
    const surface = c ? deps.surfaces.get(c.place.platform) : undefined;
    if (!c || !surface?.post) return;
    const posted = await surface.post(c, { kind: 'notice', summary: words, visibility: 'channel' });
    if (!posted.ok) logger.warn({ caseId, reason: posted.reason }, 'Canvas: could not tell the channel why its canvas is no longer kept');
  }

  async function one(caseId: string, now: number): Promise<CanvasRunItem> {
    const until = notBefore.get(caseId);
    if (until !== undefined && until > now) return { caseId, outcome: { kind: 'waiting', until } };
    notBefore.delete(caseId);
    let outcome: CanvasOutcome;
    try {
      outcome = await service.syncCanvas(caseId);
    } catch (err) {
      notBefore.set(caseId, now + 5000);
      logger.error({ err, caseId }, 'Canvas: bringing a canvas up to date failed');
      return { caseId, outcome: { kind: 'failed', reason: err instanceof Error ? err.message : String(err) } };
    }
    retrying.delete(caseId);
    // Kept on a platform this process has not got: another process looks at it.
    if (outcome.kind === 'off') notBefore.set(caseId, now + 30_000);
    if (outcome.kind === 'later') {
      notBefore.set(caseId, outcome.at);
      if (outcome.why === 'retry') {
        retrying.add(caseId);
        logger.info({ caseId, reason: outcome.reason }, 'Canvas: Slack could not take the canvas just now; trying again later');
      }
    } else if (outcome.kind === 'refused') {
      logger.warn({ caseId, code: outcome.code }, `Canvas: ${outcome.words}`);
      await tell(caseId, outcome.words);
    }
    return { caseId, outcome };
  }

  async function run(): Promise<CanvasRunItem[]> {
    const due = await store.canvasesDue(PAGE);
    const now = clock.now().getTime();
    const items: CanvasRunItem[] = [];
    // One at a time: a pass is a handful of cases, and Slack takes canvas edits slowly anyway.
    for (const p of due) items.push(await one(p.caseId, now));
    // Cases no longer due (written elsewhere, switched off) are forgotten.
    const ids = new Set(due.map((p) => p.caseId));
    for (const id of notBefore.keys()) if (!ids.has(id)) { notBefore.delete(id); retrying.delete(id); }
    return items;
  }

  let interval: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  return {
    run,
    start() {
      if (interval) return;
      interval = setInterval(() => {
        if (running) return; // a slow pass is never overlapped
        running = run().then(() => undefined, (err: unknown) => { logger.error({ err }, 'Canvas: a pass failed'); }).finally(() => { running = null; });
      }, deps.pollMs ?? CANVAS_POLL_MS);
      interval.unref();
    },
    async stop() {
      if (interval) clearInterval(interval);
      interval = null;
      if (running) await running;
    },
    health: () => ({ refusals: [...refusals], waiting: retrying.size }),
    noteRefusal(_caseId, refusal) {
      refusals.unshift({ at: clock.now().toISOString(), code: refusal.code, line: refusal.words });
      refusals.length = Math.min(refusals.length, KEPT_PROBLEMS);
    },
  };
}
