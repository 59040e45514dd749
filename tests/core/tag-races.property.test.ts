/**
 * Tags racing: batches of `tag` commands on the same few decisions and pieces of evidence,
 * fired at once through two service instances sharing one SQLite file. Each tag reads the
 * points, adds to them and commits only on the version it read, so no acknowledged point is
 * ever lost to another tag racing it, nothing is tagged that nobody asked for, and the case
 * still exports and imports with exactly those points.
 */
import path from 'node:path';
import fc from 'fast-check';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite';
import { createCaseService, type CaseService } from '../../src/core/service';
import { parseCaseMarkdown, renderCaseMarkdown } from '../../src/core/markdown';
import type { Place } from '../../src/core/model';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

const place: Place = { platform: 'console', workspace: 'local', channel: 'tag-races' };
const PEOPLE = [{ id: 'U1', name: 'Ana' }, { id: 'U2', name: 'Ben' }];
const TARGETS = ['0', '1', '2', '0a', '1a'];

const tagArb = fc.record({ target: fc.constantFrom(...TARGETS), point: fc.integer({ min: 1, max: 14 }), via: fc.integer({ min: 0, max: 1 }), who: fc.integer({ min: 0, max: 1 }) });

it('no acknowledged point is lost to a tag racing it, and none appears that nobody asked for', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.array(tagArb, { minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 4 }), async (batches) => {
    const { dir, cleanup } = tempDir('decisions-tags-');
    const file = path.join(dir, 'decisions.sqlite');
    const stores: SqliteStore[] = [openSqliteStore(file), openSqliteStore(file)];
    const clock = fakeClock('2026-11-26T10:00:00Z');
    const ids = sequentialIds();
    const services: CaseService[] = stores.map((store) => createCaseService({ store, clock, newId: ids, pause: async () => undefined }));
    try {
      const ctx = { place, actor: PEOPLE[0] ?? { id: 'U1', name: 'Ana' } };
      for (const t of ['We will publish weekly', 'We will drop the form', 'We will test', 'evidence 0 Seen', 'evidence 1 Heard']) {
        expect((await services[0]?.run(ctx, t))?.kind).toBe('decision');
      }
      const asked = new Map<string, Set<number>>(TARGETS.map((t) => [t, new Set()]));
      const acknowledged = new Map<string, Set<number>>(TARGETS.map((t) => [t, new Set()]));
      for (const batch of batches) {
        const replies = await Promise.all(batch.map((b) => {
          asked.get(b.target)?.add(b.point);
          return (services[b.via] as CaseService).run({ place, actor: PEOPLE[b.who] ?? ctx.actor }, `tag ${b.target} ${b.point}`);
        }));
        replies.forEach((r, i) => {
          const b = batch[i];
          if (!b) return;
          if (r.kind === 'decision') acknowledged.get(b.target)?.add(b.point);
          // The only refusals: the point is there already (someone racing added it), or the case was too busy.
          else expect(r.kind === 'error' && /already has point|could not be saved/.test(r.message)).toBe(true);
        });
        const snap = await stores[1]?.loadCase(place);
        if (!snap) throw new Error('no case');
        const pointsOf = (target: string): number[] => {
          const n = Number(/^\d+/.exec(target)?.[0]);
          const letters = /[a-z]+$/.exec(target)?.[0];
          return letters ? snap.evidence.find((e) => e.decision === n && e.letter === letters)?.points ?? [] : snap.decisions.find((d) => d.number === n)?.points ?? [];
        };
        for (const t of TARGETS) {
          const now = pointsOf(t);
          for (const p of acknowledged.get(t) ?? []) expect(now).toContain(p);
          for (const p of now) expect(asked.get(t)?.has(p)).toBe(true);
          expect(now).toEqual([...now].sort((a, b) => a - b));
        }
        const parsed = parseCaseMarkdown(renderCaseMarkdown(snap), { strict: true });
        expect(parsed.decisions.map((d) => d.points)).toEqual(snap.decisions.map((d) => d.points));
        expect(parsed.evidence.map((e) => e.points)).toEqual(snap.evidence.map((e) => e.points));
      }
    } finally {
      for (const s of stores) await s.close();
      cleanup();
    }
  }), { numRuns: 15 });
}, 120_000);
