/**
 * Scheduler tick benchmark: one tick over a SQLite store of 100,000 cases of which 1,000 are
 * due this minute (their weekly digest), against the same tick over a store holding only
 * those 1,000. The tick finds the due cases, claims each digest, builds it and posts it to a
 * surface that answers at once. A tick whose cost follows the work due takes about as long
 * over either store.
 *
 * The stores are seeded with raw SQL in one transaction (each case's row as the store writes
 * it, with its due time as core works it out), so seeding 100,000 cases takes seconds.
 * Each store is ticked 3 times, alternately; before each tick the due times and claims are
 * put back as seeded, and each tick is a fresh scheduler (nothing remembered).
 *
 * Prints a JSON array of figures on stdout. Run: node dist/bench/tick.js (after a build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newCase } from '../src/core/cases';
import type { Case } from '../src/core/model';
import { nextDueAfter } from '../src/core/schedule';
import { createCaseService } from '../src/core/service';
import { createLogger } from '../src/logger';
import { createScheduler } from '../src/scheduler';
import type { Surface } from '../src/surface';
import { openSqliteStore } from '../src/store/sqlite';
import type { SqliteStore } from '../src/store/sqlite';
import { CASE_COLUMNS, caseParams } from '../src/store/sqlite/rows';
import { atMost, entry, median } from './common';

const ALL = 100_000;
const DUE = 1_000;
const RUNS = 3;
const TARGET = 1.5;
/** Monday 30 Nov 2026, 09:00:20 in London (UTC): the default digest slot (Monday 09:00) has just passed. */
const NOW = new Date('2026-11-30T09:00:20.000Z');
const CREATED = '2026-11-02T10:00:00.000Z';

/** Case i: the first DUE have the default Monday 09:00 digest; the rest post theirs on other days and times. */
function caseFor(i: number): Case {
  const made = newCase({ id: `case-${String(i).padStart(6, '0')}`, place: { platform: 'slack', workspace: `T${i % 1000}`, channel: `C${i}` }, now: CREATED, title: `Case ${i}` });
  const schedule = i < DUE
    ? { ...made.schedule, retroOn: false }
    : { ...made.schedule, retroOn: false, digestWeekday: 2 + (i % 4), digestTime: `${String(8 + (i % 9)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}` };
  return { ...made, schedule, version: 1 };
}

function seed(store: SqliteStore, count: number): void {
  // One placeholder per column, however many the store has.
  const places = [...CASE_COLUMNS.split(','), 'next_due_at'].map(() => '?').join(', ');
  const insert = store.db.prepare(`INSERT INTO cases (${CASE_COLUMNS}, next_due_at) VALUES (${places})`);
  store.db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const c = caseFor(i);
      // As the tick after last week's posts left it: due at its next slot.
      insert.run(...caseParams(c), nextDueAfter(c, [], new Date(NOW.getTime() - 60_000))?.toISOString() ?? null);
    }
  })();
}

/** Puts the due times and claims back as seeded, then times one tick of a fresh scheduler. */
async function oneTick(store: SqliteStore, seeded: Map<string, string | null>): Promise<{ ms: number; sent: number }> {
  const reset = store.db.prepare('UPDATE cases SET next_due_at = ? WHERE id = ?');
  store.db.transaction(() => {
    for (const [id, due] of seeded) reset.run(due, id);
    store.db.exec('DELETE FROM claims');
  })();
  const surface: Surface = { platform: 'slack', description: 'answers at once', post: async () => ({ ok: true }), async stop() { /* nothing */ } };
  const clock = { now: () => NOW };
  const service = createCaseService({ store, clock, newId: () => 'unused' });
  const scheduler = createScheduler({ store, service, clock, logger: createLogger('silent'), surfaces: new Map([['slack', surface]]), channelGapMs: 0 });
  const t0 = performance.now();
  const items = await scheduler.tick(NOW);
  const ms = performance.now() - t0;
  const sent = items.filter((i) => i.outcome === 'sent').length;
  if (sent !== DUE) throw new Error(`a tick sent ${sent} digests, not ${DUE}: ${JSON.stringify(items.slice(0, 3))}`);
  return { ms, sent };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-tick-'));
  const big = openSqliteStore(path.join(dir, 'all.sqlite'));
  const small = openSqliteStore(path.join(dir, 'due.sqlite'));
  try {
    const s0 = performance.now();
    seed(big, ALL);
    seed(small, DUE);
    const seedMs = performance.now() - s0;
    // Only the due cases' times need putting back: the tick touches no other.
    const dueTimes = (s: SqliteStore) => new Map((s.db.prepare('SELECT id, next_due_at FROM cases WHERE next_due_at <= ?').all(NOW.toISOString()) as Array<{ id: string; next_due_at: string | null }>).map((r) => [r.id, r.next_due_at]));
    const bigDue = dueTimes(big);
    const smallDue = dueTimes(small);
    if (bigDue.size !== DUE || smallDue.size !== DUE) throw new Error(`seeded ${bigDue.size} and ${smallDue.size} due cases, not ${DUE}`);
    const times = { big: [] as number[], small: [] as number[] };
    await oneTick(small, smallDue); // warm-up
    for (let r = 0; r < RUNS; r += 1) {
      times.small.push((await oneTick(small, smallDue)).ms);
      times.big.push((await oneTick(big, bigDue)).ms);
    }
    process.stderr.write(`tick: seeded ${ALL} + ${DUE} cases in ${(seedMs / 1000).toFixed(1)} s; ${ALL} cases ${times.big.map((t) => t.toFixed(0)).join(' ')} ms | ${DUE} cases ${times.small.map((t) => t.toFixed(0)).join(' ')} ms\n`);
    const entries = [entry('scheduler.tick_100k_ms', median(times.big), median(times.small), atMost(TARGET), {
      unit: 'ms', places: 1,
      note: `one tick finding, claiming, building and posting (to a surface that answers at once) the ${DUE} digests due, over ${ALL} cases in SQLite, against the same over only the ${DUE} due cases; median of ${RUNS}, alternately, after a warm-up`,
    })];
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  } finally {
    await big.close();
    await small.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
