/**
 * Composition root: config -> store -> core -> surfaces -> server (-> scheduler).
 * `npm start` and the end-to-end tests both build the app here.
 */
import type { AddressInfo } from 'node:net';
import { ConfigError } from './config';
import type { Config } from './config';
import type { Logger } from './logger';
import { openStore } from './store';
import type { Store } from './store/store';
import type { CaseService, Clock } from './core/service';
import { caseServiceFor } from './case-service';
import { createHttpServer } from './server/http';
import type { ShareLinks } from './server/share';
import { registerCasePages } from './server/pages/case-page';
import { registerHomePage } from './server/pages/home-page';
import { registerTeamsTab } from './server/pages/teams-tab';
import type { AppContext, Surface } from './surface';
import type { Case, Platform } from './core/model';
import { createScheduler } from './scheduler';
import { createCanvasRunner } from './canvas-runner';
import type { CanvasRunner } from './canvas-runner';
import type { ChannelCanvases } from './core/ports';
import type { Scheduler } from './scheduler';
import { mountSlack, PATHS as SLACK_PATHS } from '../adapters/slack';
import { mountTeams } from '../adapters/teams';
import { timeOrderedId } from './ids';

export interface App {
  port: number;
  store: Store;
  service: CaseService;
  surfaces: Surface[];
  /** Share links to case pages; null unless both PUBLIC_URL and SHARE_SECRET are set. */
  share: ShareLinks | null;
  /** Posts the digests and retro prompts; ticks every minute unless started with `scheduler: false`. */
  scheduler: Scheduler;
  /** Keeps Slack canvases current; runs every second unless started with `scheduler: false`. */
  canvases: CanvasRunner;
  stop(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export interface StartOptions {
  clock?: Clock;
  newId?: () => string;
  /** False: do not open the HTTP port (surfaces still start). */
  listen?: boolean;
  /**
   * False: mount the surfaces only to post (`decisions tick`): no HTTP port, no surface
   * start (no Socket Mode connection, no token check), and the surfaces are told so.
   */
  receive?: boolean;
  /** False: do not tick every minute (the scheduler is still there to tick by hand). */
  scheduler?: boolean;
  /** The scheduler's claim lease, in ms. */
  leaseMs?: number;
  /** The page the digest links to; by default the case's share link (PUBLIC_URL and SHARE_SECRET). */
  linkFor?: (c: Case) => string | null;
}

/** Opens the port on HOST (every interface when unset); an address this machine does not have is a ConfigError. */
async function listen(http: ReturnType<typeof createHttpServer>, config: Config): Promise<number> {
  try {
    return await http.listen(config.port, config.host ?? undefined);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (config.host !== null && (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')) {
      throw new ConfigError(`HOST ${config.host} is not an address of this machine (try 127.0.0.1 for this machine only, or leave it unset for every interface).`);
    }
    throw err;
  }
}

/** The start line: the address actually bound, and plainly when that is every interface. */
function listeningLine(bound: AddressInfo): [Record<string, unknown>, string] {
  const where = bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  const everywhere = bound.address === '::' || bound.address === '0.0.0.0';
  const note = everywhere ? 'every interface; HOST=127.0.0.1 keeps it to this machine' : 'this address only';
  return [{ address: bound.address, port: bound.port }, `Listening on ${where} (${note}; health: /healthz)`];
}

/** The last start line: every feature, on or off, in one place. */
function featuresLine(on: { slack: boolean; teams: 'on' | 'local' | 'off'; sharing: boolean; publishing: boolean; store: string }): [Record<string, unknown>, string] {
  const word = (b: boolean): string => (b ? 'on' : 'off');
  const teams = on.teams === 'local' ? 'on for the Emulator on this machine' : on.teams;
  const store = on.store === 'sqlite' ? 'SQLite' : on.store === 'mongodb' ? 'MongoDB' : on.store;
  return [
    { features: { slack: on.slack, teams: on.teams, sharing: on.sharing, publishing: on.publishing, store: on.store } },
    `Slack ${word(on.slack)}, Teams ${teams}, sharing ${word(on.sharing)}, publishing ${word(on.publishing)}, store ${store}`,
  ];
}

export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? timeOrderedId;
  const { store, description } = await openStore(config);
  logger.info({ store: store.kind }, `Store: ${description}`);
  // The surfaces' canvases, known once they are mounted below.
  const canvasApis = new Map<Platform, ChannelCanvases>();
  const { service, share, features, githubLinks, close: closeService } = caseServiceFor(config, store, logger, {
    clock, newId, canvases: (p) => canvasApis.get(p) ?? null,
    canvasRefused: (caseId, refusal) => canvases?.noteRefusal(caseId, refusal),
  });
  logger.info(features.sharing.line);
  logger.info(features.publishing.line);
  // /healthz says 503 with the reason while the store cannot take writes (a full disk, a
  // read-only or replaced file, an unreachable MongoDB).
  let canvases: CanvasRunner | null = null;
  const http = createHttpServer({ logger, health: async () => ({ ...await store.health(), details: { store: store.kind, ...(canvases && canvasApis.size > 0 ? { canvases: canvases.health() } : {}) } }) });
  registerCasePages(http, { store, share, clock });
  registerTeamsTab(http, { store, share, publicUrl: config.publicUrl });
  githubLinks?.register(http);
  const receive = options.receive !== false;
  const ctx: AppContext = { config, logger, store, service, http, clock, newId, receive };

  const surfaces: Surface[] = [];
  const byPlatform = new Map<Platform, Surface>();
  for (const mount of [mountSlack, mountTeams]) {
    const surface = await mount(ctx);
    if (surface) {
      logger.info(surface.description);
      surfaces.push(surface);
      byPlatform.set(surface.platform, surface);
      if (surface.canvases) canvasApis.set(surface.platform, surface.canvases);
    }
  }
  registerHomePage(http, {
    slack: !byPlatform.has('slack') ? { kind: 'off' } : config.slack.clientId !== null ? { kind: 'oauth', installPath: SLACK_PATHS.install } : { kind: 'workspace' },
    teams: !byPlatform.has('teams') ? 'off' : config.teams.local ? 'local' : 'on',
  });
  const listening = receive && options.listen !== false;
  const port = listening ? await listen(http, config) : 0;
  if (receive) for (const s of surfaces) await s.start?.();
  if (listening) logger.info(...listeningLine(http.server.address() as AddressInfo));
  logger.info(...featuresLine({
    slack: byPlatform.has('slack'), teams: !byPlatform.has('teams') ? 'off' : config.teams.local ? 'local' : 'on',
    sharing: features.sharing.on, publishing: features.publishing.on, store: store.kind,
  }));

  // Weekly digests and retro prompts: every minute, claimed in the store so each goes out once.
  const scheduler = createScheduler({
    store, service, surfaces: byPlatform, clock, logger,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.linkFor ? { linkFor: options.linkFor } : {}),
  });
  if (options.scheduler !== false) scheduler.start();
  // The case in Slack canvases: changes from every process reach them.
  const runner = createCanvasRunner({ store, service, surfaces: byPlatform, clock, logger });
  canvases = runner;
  if (options.scheduler !== false && canvasApis.size > 0 && receive) runner.start();

  let stopped = false;
  return {
    port, store, service, surfaces, share, scheduler, canvases: runner,
    async stop() {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await runner.stop();
      for (const s of surfaces) await s.stop();
      await http.close();
      await closeService();
      await store.close();
    },
  };
}
