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
