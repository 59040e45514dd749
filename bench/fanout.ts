/**
 * Fan-out benchmark: 1,000 Slack cases whose weekly digest and end-of-sprint retro prompt
 * both fall due in the same minute, delivered by the real scheduler and the real Slack
 * surface (two app instances ticking at once against one SQLite file, as two processes
 * would) to a local fake Slack Web API that accepts one message per second per channel and
 * answers some calls with 429 and Retry-After: 1.
 *
 * Reports, as a JSON array on stdout, `{ name, value, baseline, ratio, target, met }`:
 * - fanout.deliver_seconds: time from the tick to the last message accepted, against the
 *   shortest time the fake's limits allow (baseline);
 * - fanout.duplicates and fanout.misses: (channel, kind) pairs delivered more than once, or
 *   never. Both must be 0.
 *
 * Run: npm run bench:fanout  (builds, then node dist/bench/fanout.js [cases])
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startApp } from '../src/app';
import type { App } from '../src/app';
import { newCase } from '../src/core/cases';
import type { Place } from '../src/core/model';
import { openSqliteStore } from '../src/store/sqlite';
import { sqliteFile } from '../src/store';
import { startFakeSlack } from './fake-slack';

interface Entry {
  name: string;
  value: number;
  baseline: number;
  ratio: number | null;
  target: string;
  met: boolean;
  unit?: string;
  note?: string;
}

const CASES = Number(process.argv[2] ?? 1000);
const INSTANCES = Number(process.env.FANOUT_INSTANCES ?? 2);
/** Friday 13 Nov 2026, 14:00 in London: each case's digest (fri 14:00) and Sprint 0's retro prompt (14:00 on its last working day). */
const DUE = '2026-11-13T14:00:00.000Z';
/** One chat.postMessage call in twenty is refused with 429, Retry-After: 1, whatever the channel's own limit. */
const refuse429 = (call: number): boolean => call % 20 === 7;
/**
 * The shortest time the fake allows: each channel takes two messages at least a second apart,
 * and a channel one of whose calls is refused waits Retry-After (1 s) more.
 */
const BASELINE_SECONDS = 2;
const TARGET_RATIO = 1.5;

async function seed(dataDir: string): Promise<void> {
  const store = openSqliteStore(sqliteFile(dataDir));
  try {
    for (let i = 0; i < CASES; i += 1) {
      const place: Place = { platform: 'slack', workspace: 'T1', channel: `C${String(i).padStart(5, '0')}` };
      const made = newCase({ id: `case-${i}`, place, now: '2026-11-01T10:00:00.000Z', title: `Case ${i}` });
      await store.putSnapshot({
        case: { ...made, version: 1, schedule: { ...made.schedule, digestWeekday: 5, digestTime: '14:00' } },
        sprints: [{ number: 0, suffix: '', intro: '', startsOn: '2026-11-02' }], decisions: [], evidence: [],
      }, { replace: false });
    }
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-fanout-'));
  const slack = await startFakeSlack({ perChannelMs: 1000, refuse429 });
  const apps: App[] = [];
  try {
    const dataDir = path.join(dir, 'data');
    await seed(dataDir);
    const config = loadConfig({
      DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: slack.apiUrl,
    });
    const logger = createLogger('silent');
    const now = new Date(DUE);
    for (let i = 0; i < INSTANCES; i += 1) {
      apps.push(await startApp(config, logger, { clock: { now: () => now }, receive: false, scheduler: false }));
    }

    const t0 = performance.now();
    const started = slack.accepted.length;
    const results = await Promise.all(apps.map((a) => a.scheduler.tick(now)));
    const elapsed = (performance.now() - t0) / 1000;
    if (slack.accepted.length !== started + results.flat().filter((r) => r.outcome === 'sent').length) {
      throw new Error('the fake accepted a different number of messages than the schedulers sent');
    }

    const seen = new Map<string, number>();
    for (const m of slack.accepted) {
      const kind = m.text.startsWith('Retro for') ? 'retro' : 'digest';
      const key = `${m.channel}:${kind}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    const misses = CASES * 2 - seen.size;
    const outcomes = results.flat().reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});
    const ratio = elapsed / BASELINE_SECONDS;
    const entries: Entry[] = [
      {
        name: 'fanout.deliver_seconds', value: round(elapsed), baseline: BASELINE_SECONDS, ratio: round(ratio),
        target: `ratio <= ${TARGET_RATIO}`, met: ratio <= TARGET_RATIO, unit: 's',
        note: `${CASES} cases x (digest + retro prompt) due at once; ${INSTANCES} instances on one SQLite file; ${slack.calls()} chat.postMessage calls, ${slack.rateLimited()} answered 429`,
      },
      { name: 'fanout.duplicates', value: duplicates, baseline: 0, ratio: null, target: '== 0', met: duplicates === 0 },
      { name: 'fanout.misses', value: misses, baseline: 0, ratio: null, target: '== 0', met: misses === 0 },
    ];
    process.stderr.write(`fan-out: ${slack.accepted.length} messages to ${CASES} channels in ${round(elapsed)} s (floor ${BASELINE_SECONDS} s); outcomes ${JSON.stringify(outcomes)}\n`);
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    if (!entries.every((e) => e.met)) process.exitCode = 1;
  } finally {
    for (const a of apps) await a.stop();
    await slack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
