/**
 * The weekly publication as the scheduler runs it, over a real SQLite file, the real GitHub
 * adapter and a local fake of the GitHub REST API: once a week at the digest's slot, before the
 * digest, which then links to the pull request; claimed once by two schedulers; whether the
 * digest is on or not; never from before the case was connected; skipped unclaimed where GitHub
 * is not configured; and the channel told what came back from GitHub.
 */
import path from 'node:path';
import { mountGitHub } from '../../adapters/github';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { Place } from '../../src/core/model';
import { createCaseService, type CaseService } from '../../src/core/service';
import type { Reply } from '../../src/core/views';
import type { RepoAddress, Repositories } from '../../src/core/ports';
import { createScheduler, type Scheduler } from '../../src/scheduler';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github';
import { tempDir } from '../helpers/temp-dir';
import { fakeSurface } from './helpers';

const TOKEN = 'github_pat_11AAAAAAA0scheduler0token';
const REPO = 'acme/case';
const FILE = 'business-case.md';
const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const alice = { id: 'U1', name: 'Alice' };

let dir: string;
let cleanup: () => void;
let store: SqliteStore;
let gh: FakeGitHub;
let clock: ReturnType<typeof fakeClock>;

function serviceFor(s: SqliteStore, github = true): CaseService {
  const repositories = github ? mountGitHub(loadConfig({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl }).github, createLogger('silent')) : null;
  return createCaseService({ store: s, clock, newId: sequentialIds(), pause: async () => undefined, ...(repositories ? { repositories } : {}) });
}

function schedulerFor(s: SqliteStore, service: CaseService, surface: ReturnType<typeof fakeSurface>, owner: string): Scheduler {
  return createScheduler({ store: s, service, clock, logger: createLogger('silent'), surfaces: new Map([['slack', surface]]), owner, channelGapMs: 0 });
}

async function run(service: CaseService, text: string): Promise<Reply> {
  const r = await service.run({ place, actor: alice }, text);
  if (r.kind === 'error') throw new Error(`${text}: ${r.message}`);
  return r;
}

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('decisions-publish-'));
  store = openSqliteStore(path.join(dir, 'decisions.sqlite'));
  // Thursday 26 November 2026; the digest's slot is Mondays at 09:00, London.
  clock = fakeClock('2026-11-26T10:00:00Z');
  gh = await startFakeGitHub({ tokens: [TOKEN] });
  gh.addRepo(REPO);
});

afterEach(async () => {
  await gh.close();
  await store.close();
  cleanup();
});

it('publishes at the digest\'s slot, before the digest, which links to the pull request; once', async () => {
  const service = serviceFor(store);
  await run(service, 'We will publish weekly');
  await run(service, `publish github ${REPO}`);
  const surface = fakeSurface('slack', () => clock.now());
  const s = schedulerFor(store, service, surface, 'a');

  clock.set('2026-11-30T08:59:00Z');
  expect(await s.tick()).toEqual([]);
  expect(gh.repo(REPO).pulls).toEqual([]);

  clock.set('2026-11-30T09:00:00Z');
  const items = await s.tick();
  expect(items.map((i) => [i.kind, i.period, i.outcome])).toEqual([['publish', '2026-W49', 'sent'], ['digest', '2026-W49', 'sent']]);
  expect(items[0]?.detail).toBe(`Pull request #1 into main of ${REPO} (1 commit): ${gh.webUrl}/acme/case/pull/1`);
  expect(gh.repo(REPO).pulls.map((p) => [p.number, p.head, p.title])).toEqual([[1, 'decisions/business-case/2026-W49', 'Week 2026-W49: Business case']]);
  // The description is the week's digest, the same one the channel gets.
  expect(gh.repo(REPO).pulls[0]?.body).toContain('## Weekly digest: Business case (23 to 29 Nov 2026)');
  expect(gh.repo(REPO).pulls[0]?.body).toContain('\n### New decisions\n\n- Decision 0: We will publish weekly\n');
  expect(surface.posted).toHaveLength(1);
  const digest = surface.posted[0]?.reply;
  expect(digest?.kind === 'digest' && digest.digest.published).toEqual({ kind: 'pull request', url: `${gh.webUrl}/acme/case/pull/1`, number: 1, repository: REPO, label: `pull request #1 in ${REPO}` });
  expect(digest?.kind === 'digest' && digest.digest.period).toBe('23 to 29 Nov 2026');

  // The rest of the week: nothing more.
  for (const at of ['2026-11-30T09:01:00Z', '2026-12-02T12:00:00Z', '2026-12-07T08:59:00Z']) {
    clock.set(at);
    expect((await s.tick()).filter((i) => i.outcome !== 'taken')).toEqual([]);
  }
  expect(gh.repo(REPO).pulls).toHaveLength(1);
  // The next week: its own branch and pull request.
  clock.set('2026-12-07T09:00:00Z');
  await run(service, 'We will drop the paper form');
  await s.tick();
  expect(gh.repo(REPO).pulls.map((p) => p.head)).toEqual(['decisions/business-case/2026-W49', 'decisions/business-case/2026-W50']);
  // Last week's, never merged, is superseded: closed, so an older case cannot be merged over a newer one.
  expect(gh.repo(REPO).pulls.map((p) => [p.number, p.state])).toEqual([[1, 'closed'], [2, 'open']]);
  expect(gh.repo(REPO).pulls[0]?.comments).toEqual([expect.stringMatching(/^Superseded by #2, which carries the whole case as it now stands\./)]);
  // Its description is left as it was: the week's digest.
  expect(gh.repo(REPO).pulls[0]?.body).toMatch(/^## Weekly digest: Business case/);

  // A week whose pull request was merged: the next one leaves it as it is.
  gh.merge(REPO, 2);
  clock.set('2026-12-14T09:00:00Z');
  await run(service, 'We will keep the paper form for one more sprint');
  await s.tick();
  expect(gh.repo(REPO).pulls.map((p) => [p.number, p.state, p.merged])).toEqual([[1, 'closed', false], [2, 'closed', true], [3, 'open', false]]);
});

it('two schedulers on one database publish once', async () => {
  const service = serviceFor(store);
  await run(service, 'We will publish weekly');
  await run(service, `publish github ${REPO}`);
  const other = openSqliteStore(path.join(dir, 'decisions.sqlite'));
  try {
    const a = schedulerFor(store, service, fakeSurface('slack', () => clock.now()), 'a');
    const b = schedulerFor(other, serviceFor(other), fakeSurface('slack', () => clock.now()), 'b');
    gh.delayMs = 30;
    clock.set('2026-11-30T09:01:00Z');
    const [x, y] = await Promise.all([a.tick(), b.tick()]);
    const published = [...x, ...y].filter((i) => i.kind === 'publish' && i.outcome === 'sent');
    expect(published).toHaveLength(1);
    expect(gh.repo(REPO).pulls).toHaveLength(1);
    expect(gh.commitsOn(REPO, 'decisions/business-case/2026-W49').length - gh.commitsOn(REPO, 'main').length).toBe(1);
  } finally {
    await other.close();
  }
});

it('publishes with the digest off, never for a week before it was connected, and not where GitHub is not configured', async () => {
  const service = serviceFor(store);
  await run(service, 'We will publish weekly');
  await run(service, 'digest off');
  await run(service, 'retro off');
  const surface = fakeSurface('slack', () => clock.now());

  // Connected on Tuesday 1 December: the slot of Monday 30 November is not its to publish.
  clock.set('2026-12-01T10:00:00Z');
  await run(service, `publish github ${REPO}`);
  const s = schedulerFor(store, service, surface, 'a');
  expect(await s.tick()).toEqual([]);

  // A process without GitHub credentials leaves the work to one that has them.
  clock.set('2026-12-07T09:00:00Z');
  const without = schedulerFor(store, serviceFor(store, false), surface, 'c');
  const calls = gh.requests.length;
  expect((await without.tick()).map((i) => [i.kind, i.outcome, i.reason])).toEqual([['publish', 'no surface', 'GitHub is not configured here']]);
  expect(gh.requests).toHaveLength(calls);
  const items = await s.tick();
  expect(items.map((i) => [i.kind, i.outcome])).toEqual([['publish', 'sent']]);
  expect(surface.posted).toEqual([]);
  expect(gh.repo(REPO).pulls.map((p) => p.head)).toEqual(['decisions/business-case/2026-W50']);
});

it('tells the channel what came back from GitHub and what differs', async () => {
  const service = serviceFor(store);
  await run(service, 'We will publish weekly');
  await run(service, 'case Benefits Fewer calls.');
  await run(service, `publish github ${REPO}`);
  await run(service, 'publish mode commit');
  await run(service, 'publish now');
  const onMain = gh.file(REPO, 'main', FILE) ?? '';
  gh.commit(REPO, 'main', { [FILE]: onMain.replace('Fewer calls.', 'Fewer calls, and shorter queues.') }, { name: 'Alice Smith', login: 'alice' });
  const surface = fakeSurface('slack', () => clock.now());
  const s = schedulerFor(store, service, surface, 'a');
  clock.set('2026-11-30T09:00:00Z');
  const items = await s.tick();
  expect(items.map((i) => [i.kind, i.outcome, i.detail])).toEqual([
    ['publish', 'sent', `Nothing to publish: ${FILE} on main of ${REPO} already matches the case.`],
    ['digest', 'sent', undefined],
  ]);
  expect(surface.posted.map((p) => p.reply.kind)).toEqual(['notice', 'digest']);
  expect(surface.posted[0]?.reply.summary).toMatch(/^Publishing this week's case to GitHub\. Taken in from GitHub, edited by Alice Smith \(.*\/commit\/[0-9a-f]{40}\): the Benefits section\.$/);
  // Nothing was published this week, so the digest has no link; it lists the section GitHub changed.
  const digest = surface.posted[1]?.reply;
  expect(digest?.kind === 'digest' && [digest.digest.published, digest.digest.sectionsChanged]).toEqual([null, ['Benefits']]);
});

it('a file on GitHub that cannot be taken in is told to the channel once, and never committed over week after week', async () => {
  const service = serviceFor(store);
  await run(service, 'We will publish weekly');
  await run(service, `publish github ${REPO}`);
  await run(service, 'publish mode commit');
  await run(service, 'publish now');
  const broken = Buffer.concat([Buffer.from('# Business case\n\n'), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('\n')]);
  gh.commit(REPO, 'main', { [FILE]: broken }, { name: 'Mallory', login: 'mallory' });
  const surface = fakeSurface('slack', () => clock.now());
  const s = schedulerFor(store, service, surface, 'a');
  const notices = (): string[] => surface.posted.filter((p) => p.reply.kind === 'notice').map((p) => p.reply.summary);
  for (const [week, at] of [['2026-W49', '2026-11-30T09:00:00Z'], ['2026-W50', '2026-12-07T09:00:00Z'], ['2026-W51', '2026-12-14T09:00:00Z']] as const) {
    clock.set(at);
    await run(service, `record We will keep going in ${week}`);
    const items = await s.tick();
    expect(items.find((i) => i.kind === 'publish')).toMatchObject({ outcome: 'sent', detail: expect.stringMatching(/^Pull request #\d+ into main/) });
    expect(gh.commitsOn(REPO, 'main')[0]?.author.name).toBe('Mallory');
  }
  expect(notices()).toEqual([expect.stringMatching(/^Publishing this week's case to GitHub\. The case kept its own version: business-case\.md was edited on GitHub by Mallory \(.*\) but cannot be taken in \(it is not valid UTF-8 text \(line 3\)\)/)]);
});

it('a failing GitHub is retried after the lease, and the digest goes out meanwhile', async () => {
  const service = serviceFor(store);
  await run(service, 'We will publish weekly');
  await run(service, `publish github ${REPO}`);
  const surface = fakeSurface('slack', () => clock.now());
  const s = schedulerFor(store, service, surface, 'a');
  gh.repo(REPO).lacks.add('contents');
  clock.set('2026-11-30T09:00:00Z');
  const first = await s.tick();
  expect(first.map((i) => [i.kind, i.outcome])).toEqual([['publish', 'failed'], ['digest', 'sent']]);
  expect(first[0]?.reason).toBe('GitHub refused the bot access to this in acme/case (it needs contents: read).');
  gh.repo(REPO).lacks.clear();
  clock.set('2026-11-30T09:11:00Z');
  expect((await s.tick()).filter((i) => i.outcome !== 'taken').map((i) => [i.kind, i.outcome])).toEqual([['publish', 'sent']]);
  expect(gh.repo(REPO).pulls).toHaveLength(1);
});

it('connecting again while someone changes the publishing mode says the case changed, and keeps their mode', async () => {
  const service = serviceFor(store);
  await run(service, 'We will publish weekly');
  await run(service, `publish github ${REPO}`);
  const github = mountGitHub(loadConfig({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl }).github, createLogger('silent'));
  if (!github) throw new Error('GitHub is not configured');
  // While this command asks GitHub about the repository, someone switches to direct commits.
  const racing: Repositories = Object.assign(Object.create(github) as Repositories, {
    access: async (repo: RepoAddress) => {
      await run(service, 'publish mode commit');
      return github.access(repo);
    },
  });
  const racer = createCaseService({ store, clock, newId: sequentialIds('racer-'), pause: async () => undefined, repositories: racing });
  const reply = await racer.run({ place, actor: { id: 'U2', name: 'Ben' } }, `publish github ${REPO}`);
  expect(reply).toMatchObject({ kind: 'error', message: `The case's publishing settings changed while I was checking ${REPO}. Nothing changed; run the command again.` });
  expect((await store.findCase(place))?.publication?.mode).toBe('commit');
});
