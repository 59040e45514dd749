/**
 * Composition root: config -> store -> core -> surfaces -> server (-> scheduler).
 * `npm start` and the end-to-end tests both build the app here.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from './config';
import type { Logger } from './logger';
import { openStore } from './store';
import type { Store } from './store/store';
import { createCaseService } from './core/service';
import type { CaseService, Clock } from './core/service';
import { createHttpServer } from './server/http';
import type { AppContext, Surface } from './surface';
import { mountSlack } from '../adapters/slack';
import { mountTeams } from '../adapters/teams';

export interface App {
  port: number;
  store: Store;
  service: CaseService;
  surfaces: Surface[];
  stop(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export async function startApp(config: Config, logger: Logger, options: { clock?: Clock; newId?: () => string; listen?: boolean } = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomUUID;
  const { store, description } = await openStore(config);
  logger.info({ store: store.kind }, `Store: ${description}`);
  const service = createCaseService({ store, clock, newId });
  const http = createHttpServer({ logger, health: async () => ({ store: store.kind }) });
  const ctx: AppContext = { config, logger, store, service, http, clock, newId };

  const surfaces: Surface[] = [];
  for (const mount of [mountSlack, mountTeams]) {
    const surface = await mount(ctx);
    if (surface) {
      logger.info(surface.description);
      surfaces.push(surface);
    }
  }
  const port = options.listen === false ? 0 : await http.listen(config.port);
  for (const s of surfaces) await s.start?.();
  if (options.listen !== false) logger.info({ port }, `Listening on http://localhost:${port} (health: /healthz)`);

  let stopped = false;
  return {
    port, store, service, surfaces,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of surfaces) await s.stop();
      await http.close();
      await store.close();
    },
  };
}
