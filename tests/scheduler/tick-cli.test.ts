/**
 * `decisions tick` as operators and cron run it: real OS processes against one SQLite data
 * directory and a local fake of the Slack Web API. Needs `npm run build` first (npm test does).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { newCase } from '../../src/core/cases';
import type { Place } from '../../src/core/model';
import { openSqliteStore } from '../../src/store/sqlite';
import { sqliteFile } from '../../src/store';
import { startFakeSlack } from '../../bench/fake-slack';
import type { FakeSlack, FakeSlackOptions } from '../../bench/fake-slack';
import { BIN, runCli } from '../helpers/cli';
import type { CliResult } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { ensureCaseWith } from '../helpers/records';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
let dir: string;
let cleanup: () => void;
let slack: FakeSlack | null = null;

beforeAll(() => {
  if (!fs.existsSync(BIN.replace(/bin[/\\]decisions\.js$/, 'dist/src/cli.js'))) throw new Error('dist/ is missing: run `npm run build` before jest.');
});

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('decisions-tick-'));
  // A Slack case made before the Monday 09:00 Europe/London digest of 30 Nov 2026 (the defaults).
  const store = openSqliteStore(sqliteFile(path.join(dir, 'data')));
  await ensureCaseWith(store, newCase({ id: 'case-1', place, now: '2026-11-20T10:00:00.000Z' }));
  await store.close();
});

afterEach(async () => {
  await slack?.close();
  slack = null;
  cleanup();
});

async function fake(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  slack = await startFakeSlack(options);
  return slack;
}

function env(api: FakeSlack): Record<string, string> {
  return {
    DATA_DIR: path.join(dir, 'data'),
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: api.apiUrl,
    // No SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: `tick` only posts.
    LOG_LEVEL: 'warn',
  };
}

const tick = (api: FakeSlack, now: string): Promise<CliResult> => runCli(['tick', '--now', now], { env: env(api) });

it('says each post once: without LOG_LEVEL, the report on stdout and no log line repeating it', async () => {
  const api = await fake();
  const { LOG_LEVEL: _quiet, ...noLevel } = env(api);
  const r = await runCli(['tick', '--now', '2026-11-30T09:01:00Z'], { env: noLevel });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('sent digest 2026-W49 to slack T1/C1\ntick at 2026-11-30T09:01:00.000Z: 1 sent\n');
  expect(r.stderr).toBe('');
});

it('two processes ticking together against one data directory send the digest once; a minute later, nothing', async () => {
  // Slow answers keep the first process posting while the second one claims.
  const api = await fake({ delayMs: 500 });
  const [a, b] = await Promise.all([tick(api, '2026-11-30T09:01:00Z'), tick(api, '2026-11-30T09:01:00Z')]);
  for (const r of [a, b]) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(api.calls()).toBe(1);
  expect(api.accepted.map((m) => m.channel)).toEqual(['C1']);
  const outputs = [a.stdout, b.stdout].sort();
  expect(outputs).toEqual([
    'sent digest 2026-W49 to slack T1/C1\ntick at 2026-11-30T09:01:00.000Z: 1 sent\n',
    'tick at 2026-11-30T09:01:00.000Z: 0 sent, 1 already sent or being sent elsewhere\n',
  ]);

  // Sent: the case is next due a week on, so a minute later the tick does not even read it.
  const later = await tick(api, '2026-11-30T09:02:00Z');
  expect(later.code).toBe(0);
  expect(later.stdout).toBe('tick at 2026-11-30T09:02:00.000Z: 0 sent\n');
  expect(api.calls()).toBe(1);
});

it('a process killed between claim and send: the digest goes once, after the lease', async () => {
  // The first call is never answered: the process claimed, started posting, and is killed.
  const api = await fake({ hang: (call) => call === 0 });
  const child = spawn(process.execPath, [BIN, 'tick', '--now', '2026-11-30T09:01:00Z'], { env: { PATH: process.env.PATH ?? '', ...env(api) }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('close', resolve));
  await api.waitForCalls(1);
  child.kill('SIGKILL');
  await exited;
  expect(api.accepted).toEqual([]);

  // Within the ten-minute lease another process leaves it alone...
  const early = await tick(api, '2026-11-30T09:10:00Z');
  expect(early.stdout).toBe('tick at 2026-11-30T09:10:00.000Z: 0 sent, 1 already sent or being sent elsewhere\n');
  // ...after it, takes it over and sends it, once.
  const after = await tick(api, '2026-11-30T09:12:00Z');
  expect(after.stdout).toBe('sent digest 2026-W49 to slack T1/C1\ntick at 2026-11-30T09:12:00.000Z: 1 sent\n');
  const again = await tick(api, '2026-11-30T09:13:00Z');
  expect(again.stdout).toBe('tick at 2026-11-30T09:13:00.000Z: 0 sent\n');
  expect(api.accepted.map((m) => m.channel)).toEqual(['C1']);
  expect(api.calls()).toBe(2);
});

it('refuses a --now that is not an ISO time', async () => {
  const api = await fake();
  const r = await runCli(['tick', '--now', 'next monday'], { env: env(api) });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('--now must be an ISO time such as 2026-11-30T09:01:00Z (got "next monday").\n');
});

it('says what it skipped when the platform is not configured', async () => {
  const store = openSqliteStore(sqliteFile(path.join(dir, 'data')));
  const teams: Place = { platform: 'teams', workspace: 'tenant', channel: '19:abc' };
  await ensureCaseWith(store, newCase({ id: 'case-2', place: teams, now: '2026-11-20T10:00:00.000Z' }));
  await store.close();
  // No Slack configuration: the Slack case is skipped without claiming, like any unconfigured platform.
  const r = await runCli(['tick', '--now', '2026-11-30T09:01:00Z'], { env: { DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' } });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('skipped digest 2026-W49 for slack T1/C1: Slack is not configured here\n');
});
