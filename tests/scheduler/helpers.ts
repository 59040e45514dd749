import type { Case, Place, Platform } from '../../src/core/model';
import type { Reply } from '../../src/core/views';
import type { PostResult, Surface } from '../../src/surface';
import { createLogger } from '../../src/logger';
import type { Logger } from '../../src/logger';

export interface Posted {
  caseId: string;
  place: Place;
  reply: Reply;
  /** The tick time it was posted at (the test's clock). */
  at: string;
}

/** A surface that records what it is asked to post and answers as told. */
export function fakeSurface(platform: Platform, now: () => Date, answer: (c: Case, reply: Reply) => PostResult | Promise<PostResult> = () => ({ ok: true })): Surface & { posted: Posted[]; calls: number } {
  const surface = {
    platform,
    description: `fake ${platform}`,
    posted: [] as Posted[],
    calls: 0,
    async post(c: Case, reply: Reply): Promise<PostResult> {
      surface.calls += 1;
      const result = await answer(c, reply);
      if (result.ok) surface.posted.push({ caseId: c.id, place: c.place, reply, at: now().toISOString() });
      return result;
    },
    async stop() { /* nothing */ },
  };
  return surface;
}

/** A logger whose lines the test can read. */
export function captureLogger(): { logger: Logger; lines: () => { level: number; msg: string; [k: string]: unknown }[] } {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (line: string) => { raw.push(line); } });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as { level: number; msg: string }) };
}
