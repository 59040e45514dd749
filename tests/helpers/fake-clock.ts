import type { Clock } from '../../src/core/service';

/** A clock tests move by hand. */
export function fakeClock(start: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    set(iso: string) { now = new Date(iso).getTime(); },
    advance(ms: number) { now += ms; },
  };
}

/** Sequential ids, so tests can tell things apart. */
export function sequentialIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
