/**
 * The canvas kept current exactly once, whatever the interleaving: three service instances
 * on one SQLite file record decisions and bring the canvas up to date at random moments, with
 * the fake canvases answering after random delays. However they interleave, the channel gets
 * one canvas, no write goes back to an older case, no two writes repeat one version, writes
 * are at least the gap apart, and once things settle the canvas holds every decision.
 */
import path from 'node:path';
import fc from 'fast-check';
import { CANVAS_GAP_MS } from '../../../src/core/canvas/keep';
import { createCaseService, type CaseService } from '../../../src/core/service';
import type { Place } from '../../../src/core/model';
import type { ChannelCanvases } from '../../../src/core/ports';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite';
import { fakeClock, sequentialIds } from '../../helpers/fake-clock';
import { tempDir } from '../../helpers/temp-dir';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const ana = { id: 'U1', name: 'Ana' };

interface Written { at: number; markdown: string }

/** A channel's canvases as Slack keeps them: one channel canvas at most; each call answers after a delay. */
function fakeCanvases(delays: () => number, now: () => number): ChannelCanvases & { writes: Written[]; made: number } {
  let channelCanvas: string | null = null;
  const content = new Map<string, string>();
  const later = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, delays()));
  const fake = {
    writes: [] as Written[],
    made: 0,
    async createChannelCanvas(_p: Place, _title: string, markdown: string) {
      await later();
      if (channelCanvas !== null) return { exists: { id: channelCanvas, ours: true } };
      channelCanvas = 'F-CHANNEL';
      fake.made += 1;
      content.set(channelCanvas, markdown);
      fake.writes.push({ at: now(), markdown });
      return { created: channelCanvas };
    },
    async createStandalone(): Promise<{ id: string; url: string | null }> {
      throw new Error('the bot made this channel\'s canvas, so it never needs one apart');
    },
    async shareWithChannel() { await later(); },
    async replace(_p: Place, id: string, markdown: string) {
      await later();
      if (!content.has(id)) throw new Error(`no canvas ${id}`);
      content.set(id, markdown);
      fake.writes.push({ at: now(), markdown });
    },
  };
  return fake;
}

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('record' as const), via: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('sync' as const), via: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 500, max: 12_000 }) }),
);

const decisionsIn = (markdown: string): number[] => [...markdown.matchAll(/We will try idea (\d+)/g)].map((m) => Number(m[1]));

it('one canvas, never an older case over a newer one, never one version twice, the gap kept, and the last change reaches it', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.array(stepArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
    fc.infiniteStream(fc.integer({ min: 0, max: 4 })),
    async (batches, delayStream) => {
      const { dir, cleanup } = tempDir('decisions-canvas-');
      const file = path.join(dir, 'decisions.sqlite');
      const stores: SqliteStore[] = [openSqliteStore(file), openSqliteStore(file), openSqliteStore(file)];
      const clock = fakeClock('2026-11-26T10:00:00Z');
      const delays = delayStream[Symbol.iterator]();
      const slack = fakeCanvases(() => delays.next().value as number, () => clock.now().getTime());
      const ids = sequentialIds();
      const services: CaseService[] = stores.map((store, i) => createCaseService({
        store, clock, newId: ids, pause: async () => undefined,
        canvases: { api: () => slack, store, owner: `instance-${i}`, sleep: async () => undefined },
      }));
      const first = services[0] as CaseService;
      try {
        let recorded = 0;
        expect((await first.run({ place, actor: ana }, 'We will try idea 0')).kind).toBe('decision');
        recorded += 1;
        expect((await first.run({ place, actor: ana }, 'canvas on')).kind).not.toBe('error');
        const caseId = (await stores[0]?.findCase(place))?.id ?? '';
        for (const batch of batches) {
          await Promise.all(batch.map(async (step) => {
            if (step.kind === 'wait') return clock.advance(step.ms);
            const service = services[step.via] as CaseService;
            if (step.kind === 'sync') return void await service.syncCanvas(caseId);
            const n = recorded++;
            const reply = await service.run({ place, actor: ana }, `We will try idea ${n}`);
            expect(reply.kind).toBe('decision');
          }));
        }
        // Settled: past the gap, every instance looks once more.
        clock.advance(CANVAS_GAP_MS + 1);
        for (const s of services) await s.syncCanvas(caseId);

        expect(slack.made).toBe(1);
        const shown = slack.writes.map((w) => decisionsIn(w.markdown));
        for (let i = 1; i < shown.length; i += 1) {
          const before = new Set(shown[i - 1]);
          // Each write holds every decision the one before it held, and more: nothing older comes back, no version twice.
          expect([...before].every((n) => shown[i]?.includes(n))).toBe(true);
          expect(shown[i]?.length).toBeGreaterThan(before.size);
          expect((slack.writes[i]?.at ?? 0) - (slack.writes[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(CANVAS_GAP_MS);
        }
        expect(new Set(shown[shown.length - 1])).toEqual(new Set([...Array(recorded).keys()]));
      } finally {
        for (const s of stores) await s.close();
        cleanup();
      }
    },
  ), { numRuns: 25 });
}, 180_000);
