/**
 * The records cache of the SQLite store: two stores on one file (as two processes): what one
 * writes, the other reads at once; its own writes need no reading; cached records are frozen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite';
import { createCaseService } from '../../../src/core/service';
import type { Place } from '../../../src/core/model';
import fc from 'fast-check';
import { fakeClock, sequentialIds } from '../../helpers/fake-clock';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const ana = { id: 'U1', name: 'Ana' };
let dir: string;
let a: SqliteStore;
let b: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'decisions-cache-'));
  a = openSqliteStore(join(dir, 'decisions.sqlite'));
  b = openSqliteStore(join(dir, 'decisions.sqlite'));
});

afterEach(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

const serviceOn = (store: SqliteStore, prefix: string) => createCaseService({ store, clock: fakeClock('2026-11-26T10:00:00Z'), newId: sequentialIds(prefix) });

it('what one store writes, the other reads at once, though it had the case cached', async () => {
  const one = serviceOn(a, 'a');
  const two = serviceOn(b, 'b');
  await one.run({ place, actor: ana }, 'We will publish weekly');
  await one.run({ place, actor: ana }, 'list all'); // cached in a
  await two.run({ place, actor: ana }, 'edit 0 We will publish every Monday');
  await two.run({ place, actor: ana }, 'evidence 0 Seen in research');
  const seen = await one.run({ place, actor: ana }, 'show 0');
  expect(seen.kind === 'decision' ? [seen.decision.text, seen.decision.evidence.map((e) => e.text)] : null).toEqual(['We will publish every Monday', ['Seen in research']]);
});

it('its own writes are applied to the cached records, in the order the file holds them', async () => {
  const one = serviceOn(a, 'a');
  for (let i = 0; i < 5; i++) await one.run({ place, actor: ana }, `We will try idea ${i}`);
  await one.run({ place, actor: ana }, 'evidence 3 Three');
  await one.run({ place, actor: ana }, 'evidence 1 One');
  await one.run({ place, actor: ana }, 'withdraw 2 No longer needed');
  await one.run({ place, actor: ana }, 'undo');
  const c = await a.findCase(place);
  const cached = await a.snapshot(c?.id ?? '');
  // A third store, with nothing cached, reads the file itself.
  const fresh = openSqliteStore(join(dir, 'decisions.sqlite'));
  try {
    expect(cached).toEqual(await fresh.snapshot(c?.id ?? ''));
  } finally {
    await fresh.close();
  }
  expect(Object.isFrozen(cached?.decisions[0])).toBe(true);
});

it('after any run of commands, the cached records are those in the file (property)', async () => {
  const decision = fc.integer({ min: 0, max: 4 });
  const command = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 99 }).map((n) => `We will try idea ${n}`) },
    { weight: 4, arbitrary: fc.tuple(decision, fc.integer({ min: 0, max: 99 })).map(([d, n]) => `evidence ${d} Finding ${n}`) },
    { weight: 1, arbitrary: decision.map((d) => `withdraw ${d} Not now`) },
    { weight: 1, arbitrary: fc.tuple(decision, fc.integer({ min: 0, max: 99 })).map(([d, n]) => `edit ${d} We will try idea ${n} again`) },
    { weight: 1, arbitrary: fc.constant('undo') },
  );
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
    run += 1;
    const here: Place = { ...place, channel: `C-prop-${run}` };
    const one = serviceOn(a, `p${run}-`);
    for (const words of commands) await one.run({ place: here, actor: ana }, words);
    const c = await a.findCase(here);
    const fresh = openSqliteStore(join(dir, 'decisions.sqlite'));
    try {
      expect(await a.snapshot(c?.id ?? '')).toEqual(await fresh.snapshot(c?.id ?? ''));
    } finally {
      await fresh.close();
    }
  }), { numRuns: 40 });
});
