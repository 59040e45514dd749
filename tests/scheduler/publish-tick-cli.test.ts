/**
 * `decisions tick` publishing as cron runs it: real OS processes against one SQLite data
 * directory, with GITHUB_TOKEN and GITHUB_API_URL pointing at a local fake of the GitHub REST
 * API (and SLACK_API_URL at a fake Slack for the digest). Needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mountGitHub } from '../../adapters/github';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { renderCaseMarkdown } from '../../src/core/markdown';
import type { Place } from '../../src/core/model';
import { createCaseService } from '../../src/core/service';
import { sqliteFile } from '../../src/store';
import { openSqliteStore } from '../../src/store/sqlite';
import { startFakeSlack, type FakeSlack } from '../../bench/fake-slack';
import { BIN, runCli, type CliResult } from '../helpers/cli';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github';
import { tempDir } from '../helpers/temp-dir';

const TOKEN = 'github_pat_11AAAAAAA0tick0process0token';
const REPO = 'acme/case';
const FILE = 'docs/business-case.md';
const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };

let dir: string;
let cleanup: () => void;
let gh: FakeGitHub;
let slack: FakeSlack;

beforeAll(() => {
  if (!fs.existsSync(BIN.replace(/bin[/\\]decisions\.js$/, 'dist/src/cli.js'))) throw new Error('dist/ is missing: run `npm run build` before jest.');
});

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('decisions-publish-tick-'));
  gh = await startFakeGitHub({ tokens: [TOKEN] });
  gh.addRepo(REPO);
  slack = await startFakeSlack();
  // The case, connected to the repository in chat the week before.
  const store = openSqliteStore(sqliteFile(path.join(dir, 'data')));
  const repositories = mountGitHub(loadConfig({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl }).github, createLogger('silent'));
  const service = createCaseService({ store, clock: fakeClock('2026-11-26T10:00:00Z'), newId: sequentialIds(), ...(repositories ? { repositories } : {}) });
  for (const text of ['We will publish the case each week', 'evidence 0 Teams asked for it in research', `publish github ${REPO} ${FILE}`]) {
    const r = await service.run({ place, actor: { id: 'U1', name: 'Ana' } }, text);
    if (r.kind === 'error') throw new Error(r.message);
  }
  await store.close();
});

afterEach(async () => {
  await gh.close();
  await slack.close();
  cleanup();
});

const tick = (now: string): Promise<CliResult> => runCli(['tick', '--now', now], {
  env: { DATA_DIR: path.join(dir, 'data'), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.apiUrl, GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl, LOG_LEVEL: 'warn' },
});

it('two tick processes at the weekly time publish once: one branch, one commit, one pull request; a minute later, nothing', async () => {
  // Slow answers keep one process publishing while the other claims.
  gh.delayMs = 100;
  const [a, b] = await Promise.all([tick('2026-11-30T09:01:00Z'), tick('2026-11-30T09:01:00Z')]);
  for (const r of [a, b]) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = `${a.stdout}${b.stdout}`.split('\n');
  expect(lines.filter((l) => l.startsWith('published '))).toEqual([
    `published 2026-W49 for slack T1/C1: Pull request #1 into main of ${REPO} (1 commit): ${gh.webUrl}/acme/case/pull/1`,
  ]);
  expect(lines.filter((l) => l.startsWith('sent digest '))).toEqual(['sent digest 2026-W49 to slack T1/C1']);

  const branch = 'decisions/docs/business-case/2026-W49';
  expect([...gh.repo(REPO).branches.keys()].sort()).toEqual([branch, 'main']);
  expect(gh.commitsOn(REPO, branch).length - gh.commitsOn(REPO, 'main').length).toBe(1);
  expect(gh.repo(REPO).pulls.map((p) => [p.number, p.head, p.base, p.title])).toEqual([[1, branch, 'main', 'Week 2026-W49: Business case']]);
  const store = openSqliteStore(sqliteFile(path.join(dir, 'data')));
  try {
    const c = await store.findCase(place);
    const snap = await store.snapshot(c?.id ?? '');
    expect(snap && gh.file(REPO, branch, FILE)).toBe(snap && renderCaseMarkdown(snap));
    expect(c?.publication?.last).toMatchObject({ week: '2026-W49', outcome: 'pull request', number: 1 });
  } finally {
    await store.close();
  }
  expect(slack.accepted.map((m) => m.channel)).toEqual(['C1']);

  const requests = gh.requests.length;
  const later = await tick('2026-11-30T09:02:00Z');
  // Not even read: the case is next due next week.
  expect(later.stdout).toBe('tick at 2026-11-30T09:02:00.000Z: 0 sent\n');
  expect(gh.requests).toHaveLength(requests);
});

it('without GitHub credentials a tick skips the publication and leaves it to one that has them', async () => {
  const calls = gh.requests.length;
  const r = await runCli(['tick', '--now', '2026-11-30T09:01:00Z'], { env: { DATA_DIR: path.join(dir, 'data'), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'warn' } });
  expect(r.stdout).toBe([
    'skipped publish 2026-W49 for slack T1/C1: GitHub is not configured here',
    'sent digest 2026-W49 to slack T1/C1',
    'tick at 2026-11-30T09:01:00.000Z: 1 sent, 1 skipped (platform not configured)',
    '',
  ].join('\n'));
  expect(gh.requests).toHaveLength(calls);
  const later = await tick('2026-11-30T09:05:00Z');
  expect(later.stdout).toContain('published 2026-W49 for slack T1/C1: Pull request #1');
});
