/**
 * The scheduler with a fake clock and fake surfaces over a real SQLite file: exactly one
 * digest per case per week and one retro prompt per sprint over a year with both clock
 * changes; catch-up; claims shared by two schedulers; a dead claimant's work taken over
 * after the lease; a channel that removed the bot; failures retried a bounded number of times.
 */
import path from 'node:path';
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import type { Case, Place, Platform } from '../../src/core/model';
import { openSqliteStore } from '../../src/store/sqlite';
import type { SqliteStore } from '../../src/store/sqlite';
import { createScheduler, DEFAULT_LEASE_MS } from '../../src/scheduler';
import type { Scheduler, SchedulerDeps } from '../../src/scheduler';
import type { Surface } from '../../src/surface';
import { createLogger } from '../../src/logger';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';
import { captureLogger, fakeSurface } from './helpers';
import { sprintsOf } from '../helpers/records';

const MIN = 60_000;
const slack = (channel: string): Place => ({ platform: 'slack', workspace: 'T1', channel });
const alice = { id: 'U1', name: 'Alice' };

let dir: string;
let cleanup: () => void;
let file: string;
let store: SqliteStore;
let clock: ReturnType<typeof fakeClock>;
let service: CaseService;
const extraStores: SqliteStore[] = [];

beforeEach(() => {
  ({ dir, cleanup } = tempDir('decisions-scheduler-'));
  file = path.join(dir, 'decisions.sqlite');
  store = openSqliteStore(file);
  clock = fakeClock('2026-11-23T10:00:00Z');
  service = createCaseService({ store, clock, newId: sequentialIds('id') });
});

afterEach(async () => {
  for (const s of extraStores.splice(0)) await s.close();
  await store.close();
  cleanup();
});

async function makeCase(place: Place, commands: string[] = []): Promise<Case> {
  for (const text of ['timezone Europe/London', ...commands]) {
    const r = await service.run({ place, actor: alice }, text);
    if (r.kind === 'error') throw new Error(`${text}: ${r.message}`);
  }
  const c = await store.findCase(place);
  if (!c) throw new Error('no case');
  return c;
}

function scheduler(surfaces: Surface[], extra: Partial<SchedulerDeps> = {}): Scheduler {
  return createScheduler({
    store, service, clock, logger: createLogger('silent'),
    surfaces: new Map(surfaces.map((s) => [s.platform as Platform, s])),
    owner: 'test-owner', ...extra,
  });
}

async function tickEvery(s: Scheduler, from: string, to: string, stepMin: number): Promise<void> {
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMin * MIN) {
    clock.set(new Date(t).toISOString());
    await s.tick(clock.now());
  }
}

function wallClock(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('weekday')} ${get('hour')}:${get('minute')}`;
}

/** England and Wales's bank holidays in 2026, as GOV.UK lists them: the oracle for London's retro days. */
const ENGLAND_2026 = ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'];

/** The last working day of each sprint that ends before `until`, worked out here without the code under test. */
function lastWeekdays(firstStart: string, days: number, until: string, holidays: string[] = []): string[] {
  const out: string[] = [];
  for (let n = 0; ; n += 1) {
    const start = Date.parse(`${firstStart}T12:00:00Z`) + n * days * 86_400_000;
    let last = start + (days - 1) * 86_400_000;
    const off = (t: number) => [0, 6].includes(new Date(t).getUTCDay()) || holidays.includes(new Date(t).toISOString().slice(0, 10));
    while (off(last) && last > start) last -= 86_400_000;
    const day = new Date(last).toISOString().slice(0, 10);
    if (day >= until) return out;
    out.push(day);
  }
}

describe('a year of ticks', () => {
  it('posts one digest per case per week and one retro prompt per sprint, across both clock changes', async () => {
    clock.set('2026-01-01T00:00:00Z');
    const london = await makeCase(slack('C-LONDON'), ['sprint length 2 weeks']);
    const newYork = await makeCase(slack('C-NY'), ['timezone America/New_York', 'digest fri 17:30', 'retro 16:30', 'sprint length 1 week']);
    const sydney = await makeCase({ platform: 'teams', workspace: 'tenant', channel: '19:sydney' }, ['timezone Australia/Sydney', 'digest wed 08:30', 'retro 10:00', 'sprint length 10 days']);
    await makeCase({ platform: 'console', workspace: 'local', channel: 'demo' });
    const slackSurface = fakeSurface('slack', () => clock.now());
    const teamsSurface = fakeSurface('teams', () => clock.now());
    const s = scheduler([slackSurface, teamsSurface]);

    // Every 30 minutes: every time set above is on the hour or half hour, so a tick lands on
    // each (a minute-by-minute run over both clock-change weekends follows).
    await tickEvery(s, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 30);

    const posted = [...slackSurface.posted, ...teamsSurface.posted];
    const cases: [Case, string, string, string][] = [
      [london, 'Europe/London', 'Mon 09:00', '14:00'],
      [newYork, 'America/New_York', 'Fri 17:30', '16:30'],
      [sydney, 'Australia/Sydney', 'Wed 08:30', '10:00'],
    ];
    for (const [c, tz, digestAt, retroAt] of cases) {
      const digests = posted.filter((p) => p.caseId === c.id && p.reply.kind === 'digest');
      // 52 Mondays, Fridays and Wednesdays in 2026, each after the case was made.
      expect(digests).toHaveLength(52);
      expect(new Set(digests.map((p) => p.at)).size).toBe(52);
      for (const p of digests) expect(wallClock(p.at, tz).slice(11)).toBe(digestAt);
      // Both clock changes were crossed at 09:00 local: in UTC, 09:00 then 08:00 then 09:00.
      if (c === london) {
        expect(digests.find((p) => p.at.startsWith('2026-03-23'))?.at).toBe('2026-03-23T09:00:00.000Z');
        expect(digests.find((p) => p.at.startsWith('2026-03-30'))?.at).toBe('2026-03-30T08:00:00.000Z');
        expect(digests.find((p) => p.at.startsWith('2026-10-19'))?.at).toBe('2026-10-19T08:00:00.000Z');
        expect(digests.find((p) => p.at.startsWith('2026-10-26'))?.at).toBe('2026-10-26T09:00:00.000Z');
      }

      const sprints = await sprintsOf(store, c.id);
      const first = sprints.find((x) => x.number === 0)?.startsOn as string;
      const days = c.sprintLength.unit === 'weeks' ? c.sprintLength.count * 7 : c.sprintLength.count;
      const expected = lastWeekdays(first, days, wallClock('2027-01-01T00:00:00Z', tz).slice(0, 10), tz === 'Europe/London' ? ENGLAND_2026 : []);
      const retros = posted.filter((p) => p.caseId === c.id && p.reply.kind === 'retro');
      expect(retros.map((p) => (p.reply.kind === 'retro' ? p.reply.retro.sprint.number : -1))).toEqual(expected.map((_, i) => i));
      expect(retros.map((p) => wallClock(p.at, tz).slice(0, 10))).toEqual(expected);
      for (const p of retros) expect(wallClock(p.at, tz).slice(-5)).toBe(retroAt);
    }
    // Nothing for the console case; nothing else at all.
    expect(posted.filter((p) => ![london.id, newYork.id, sydney.id].includes(p.caseId))).toEqual([]);
    // Every claim was completed.
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM claims WHERE done_at IS NULL').get()).toEqual({ n: 0 });
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM claims').get() as { n: number }).n).toBe(posted.length);
  });
});

describe('the clock-change weekends, minute by minute', () => {
  it.each([
    ['March', '2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'],
    ['October', '2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z'],
  ])('in %s, each digest and retro prompt goes once, at its local time', async (_month, from, to) => {
    clock.set('2026-03-01T00:00:00Z');
    // Sprint 0 from Mon 2 Mar; one-week sprints end on Sundays, so retros fall on the Fridays.
    const monday = await makeCase(slack('C-MON'), ['sprint length 1 week']);
    // 01:30 on a Sunday: skipped by the clock in March (it runs at 02:30 BST), twice in October (once).
    const sunday = await makeCase(slack('C-SUN'), ['digest sun 01:30', 'retro off']);
    const surface = fakeSurface('slack', () => clock.now());
    const s = scheduler([surface]);
    // Nothing ran before: the first tick catches up the weeks before; then, minute by minute.
    await s.tick(new Date(from));
    surface.posted.length = 0;
    await tickEvery(s, from, to, 1);
    const sent = (c: Case) => surface.posted.filter((p) => p.caseId === c.id).map((p) => `${p.reply.kind} ${wallClock(p.at, 'Europe/London')}`);
    if (from.startsWith('2026-03')) {
      expect(sent(monday)).toEqual(['retro 2026-03-27 Fri 14:00', 'digest 2026-03-30 Mon 09:00']);
      expect(sent(sunday)).toEqual(['digest 2026-03-29 Sun 02:30']);
      expect(surface.posted.find((p) => p.caseId === sunday.id)?.at).toBe('2026-03-29T01:30:00.000Z');
    } else {
      expect(sent(monday)).toEqual(['retro 2026-10-23 Fri 14:00', 'digest 2026-10-26 Mon 09:00']);
      expect(sent(sunday)).toEqual(['digest 2026-10-25 Sun 01:30']);
      expect(surface.posted.find((p) => p.caseId === sunday.id)?.at).toBe('2026-10-25T01:30:00.000Z');
    }
  });
});

describe('catching up', () => {
  it('after ten days down, a case gets one digest for the missed week, not one per missed tick', async () => {
    clock.set('2026-11-24T10:00:00Z');
    const c = await makeCase(slack('C1'), ['retro off']);
    const surface = fakeSurface('slack', () => clock.now());
    const s = scheduler([surface]);
    await tickEvery(s, '2026-11-30T08:50:00Z', '2026-11-30T09:10:00Z', 1);
    expect(surface.posted.map((p) => p.reply.kind === 'digest' && p.reply.digest.period)).toEqual(['23 to 29 Nov 2026']);
    // Down from 09:10 on 30 Nov to 17 Dec: the 7 and 14 Dec digests were missed.
    await tickEvery(s, '2026-12-17T12:00:00Z', '2026-12-21T09:05:00Z', 5);
    expect(surface.posted.map((p) => [p.at, p.reply.kind === 'digest' && p.reply.digest.period])).toEqual([
      ['2026-11-30T09:00:00.000Z', '23 to 29 Nov 2026'],
      ['2026-12-17T12:00:00.000Z', '7 to 13 Dec 2026'],
      ['2026-12-21T09:00:00.000Z', '14 to 20 Dec 2026'],
    ]);
    expect(c.schedule.digestOn).toBe(true);
  });

  it('a retro prompt missed by downtime is sent within two days of the sprint’s end, not later', async () => {
    clock.set('2026-11-02T08:00:00Z');
    await makeCase(slack('C1'), ['digest off', 'sprint']); // Sprint 0: 2 to 15 Nov
    const surface = fakeSurface('slack', () => clock.now());
    const s = scheduler([surface]);
    await s.tick(new Date('2026-11-17T12:00:00Z'));
    expect(surface.posted.map((p) => p.reply.kind)).toEqual(['retro']);
    await makeCase(slack('C2'), ['digest off']);
    const late = fakeSurface('slack', () => clock.now());
    await scheduler([late]).tick(new Date('2026-11-18T00:00:00Z'));
    expect(late.posted).toEqual([]);
  });
});

describe('exactly once', () => {
  it('two schedulers on one SQLite file ticking at the same moment post once', async () => {
    clock.set('2026-11-20T10:00:00Z');
    await makeCase(slack('C1'));
    await makeCase(slack('C2'));
    const other = openSqliteStore(file);
    extraStores.push(other);
    const surface = fakeSurface('slack', () => clock.now(), async () => {
      await new Promise((r) => setTimeout(r, 20));
      return { ok: true };
    });
    const a = scheduler([surface], { owner: 'process-a' });
    const b = createScheduler({ store: other, service: createCaseService({ store: other, clock, newId: sequentialIds('b') }), clock, logger: createLogger('silent'), surfaces: new Map([['slack', surface]]), owner: 'process-b' });
    const now = new Date('2026-11-30T09:01:00Z');
    const [ra, rb] = await Promise.all([a.tick(now), b.tick(now)]);
    expect(surface.posted).toHaveLength(2);
    expect(new Set(surface.posted.map((p) => p.caseId)).size).toBe(2);
    const sent = [...ra, ...rb].filter((i) => i.outcome === 'sent');
    const taken = [...ra, ...rb].filter((i) => i.outcome === 'taken');
    expect(sent).toHaveLength(2);
    expect(taken).toHaveLength(2);
    // A minute later, nothing.
    await Promise.all([a.tick(new Date('2026-11-30T09:02:00Z')), b.tick(new Date('2026-11-30T09:02:00Z'))]);
    expect(surface.posted).toHaveLength(2);
  });

  it('work claimed by a process that died before posting is posted once, after the lease', async () => {
    clock.set('2026-11-20T10:00:00Z');
    const c = await makeCase(slack('C1'), ['retro off']);
    const key = `${c.id}:digest:2026-W49`;
    // The dead process claimed at 09:00:30 and was killed before it posted.
    expect((await store.claim(key, 'dead-process', '2026-11-30T09:00:30.000Z', new Date(Date.parse('2026-11-30T09:00:30Z') + DEFAULT_LEASE_MS).toISOString())).won).toBe(true);
    const surface = fakeSurface('slack', () => clock.now());
    const s = scheduler([surface]);
    await tickEvery(s, '2026-11-30T09:01:00Z', '2026-11-30T09:10:00Z', 1);
    expect(surface.calls).toBe(0);
    // A fresh process (no memory of earlier ticks) cannot take it while the lease runs either.
    await scheduler([surface], { owner: 'fresh' }).tick(new Date('2026-11-30T09:10:29Z'));
    expect(surface.calls).toBe(0);
    await tickEvery(s, '2026-11-30T09:10:00Z', '2026-11-30T10:00:00Z', 1);
    expect(surface.posted.map((p) => p.at)).toEqual(['2026-11-30T09:11:00.000Z']);
    expect(store.db.prepare('SELECT owner, attempts, done_at IS NOT NULL AS done FROM claims WHERE key = ?').get(key)).toEqual({ owner: 'test-owner', attempts: 2, done: 1 });
  });
});

describe('a channel that removed the bot', () => {
  it('turns that case’s schedules off, says so once in the log, and is never retried', async () => {
    clock.set('2026-11-02T08:00:00Z');
    const gone = await makeCase(slack('C-GONE'), ['sprint']);
    const kept = await makeCase(slack('C-KEPT'));
    const surface = fakeSurface('slack', () => clock.now(), (c) => (c.id === gone.id ? { ok: false, gone: true, reason: 'not_in_channel' } : { ok: true }));
    const { logger, lines } = captureLogger();
    const s = scheduler([surface], { logger });
    // The retro (Fri 13 Nov) and digest (Mon 16 Nov) both fall in this stretch.
    await tickEvery(s, '2026-11-13T13:55:00Z', '2026-11-16T09:30:00Z', 5);
    // One refused retro prompt; kept's two digests and its Sprint 0 retro (its first change stored Sprint 0).
    expect(surface.posted.map((p) => [p.place.channel, p.reply.kind])).toEqual([['C-KEPT', 'digest'], ['C-KEPT', 'retro'], ['C-KEPT', 'digest']]);
    expect(surface.calls).toBe(1 + 3);
    const after = await store.getCase(gone.id);
    expect(after?.schedule).toMatchObject({ digestOn: false, retroOn: false, digestWeekday: 1, digestTime: '09:00' });
    expect((await store.getCase(kept.id))?.schedule).toMatchObject({ digestOn: true, retroOn: true });
    const warnings = lines().filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toBe('Scheduler: slack T1/C-GONE no longer takes posts from the bot (not_in_channel); switched off its digest and retro prompt');
    // A fresh process (no memory) does not try again either.
    await scheduler([surface], { owner: 'fresh' }).tick(new Date('2026-11-16T09:40:00Z'));
    expect(surface.calls).toBe(4);
  });
});

describe('failures', () => {
  it('are retried after the lease, and given up after three attempts', async () => {
    clock.set('2026-11-20T10:00:00Z');
    await makeCase(slack('C1'), ['retro off']);
    const surface = fakeSurface('slack', () => clock.now(), () => ({ ok: false, gone: false, reason: 'HTTP 503' }));
    const { logger, lines } = captureLogger();
    // A lease starts when the claim is made: the tick's time plus the real milliseconds it has
    // taken. A lease of whole minutes would end at a tick or just after it, by a millisecond of
    // real time; half a minute more makes the retry's minute certain.
    const s = scheduler([surface], { logger, leaseMs: 10 * MIN + 30_000 });
    const outcomes: string[] = [];
    for (let t = Date.parse('2026-11-30T09:00:00Z'); t < Date.parse('2026-11-30T11:00:00Z'); t += MIN) {
      for (const item of await s.tick(new Date(t))) if (item.outcome !== 'taken') outcomes.push(`${new Date(t).toISOString().slice(11, 16)} ${item.outcome} ${item.attempt}`);
    }
    expect(outcomes).toEqual(['09:00 failed 1', '09:11 failed 2', '09:22 gave up 3']);
    expect(surface.calls).toBe(3);
    expect(lines().filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
      'Scheduler: gave up on digest 2026-W49 for slack T1/C1 after 3 attempts (HTTP 503)',
    ]);
  });

  it('a failure then a success posts once; a surface that throws counts as a failure', async () => {
    clock.set('2026-11-20T10:00:00Z');
    await makeCase(slack('C1'), ['retro off']);
    let calls = 0;
    const surface = fakeSurface('slack', () => clock.now(), () => {
      calls += 1;
      if (calls === 1) throw new Error('socket hang up');
      return { ok: true };
    });
    // As above: a lease that does not end on a tick, so the retry's minute is certain.
    const s = scheduler([surface], { logger: createLogger('silent'), leaseMs: 10 * MIN + 30_000 });
    await tickEvery(s, '2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z', 1);
    expect(calls).toBe(2);
    expect(surface.posted.map((p) => p.at)).toEqual(['2026-11-30T09:11:00.000Z']);
  });

  it('a platform with no surface here is skipped without claiming', async () => {
    clock.set('2026-11-20T10:00:00Z');
    await makeCase({ platform: 'teams', workspace: 'tenant', channel: '19:abc' }, ['retro off']);
    const items = await scheduler([fakeSurface('slack', () => clock.now())]).tick(new Date('2026-11-30T09:01:00Z'));
    expect(items).toEqual([expect.objectContaining({ kind: 'digest', period: '2026-W49', outcome: 'no surface', reason: 'Teams is not configured here' })]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM claims').get()).toEqual({ n: 0 });
  });
});

describe('fan-out', () => {
  it('a post told to wait (429) gives up its place: other channels are posted to meanwhile', async () => {
    clock.set('2026-11-20T10:00:00Z');
    await makeCase(slack('C-SLOW'), ['retro off']);
    await makeCase(slack('C-OTHER'), ['retro off']);
    const order: string[] = [];
    let refused = false;
    const surface = fakeSurface('slack', () => clock.now(), (c) => {
      order.push(c.place.channel);
      if (c.place.channel === 'C-SLOW' && !refused) {
        refused = true;
        return { ok: false, gone: false, reason: 'rate limited (retry after 1 s)', retryAfterMs: 1000 };
      }
      return { ok: true };
    });
    const waits: number[] = [];
    // One post at a time: a wait that held the place would keep C-OTHER behind C-SLOW's retry.
    const s = scheduler([surface], { concurrency: 1, sleep: async (ms) => { waits.push(ms); await new Promise((r) => setTimeout(r, 20)); } });
    const items = await s.tick(new Date('2026-11-30T09:01:00Z'));
    expect(items.map((i) => `${i.outcome} ${i.place.channel}`).sort()).toEqual(['sent C-OTHER', 'sent C-SLOW']);
    expect(waits).toEqual([1000]);
    expect(order).toEqual(['C-SLOW', 'C-OTHER', 'C-SLOW']);
  });

  it('posts to many channels at once, at most `concurrency` at a time; a channel\'s second post waits for its gap (here, after every first post)', async () => {
    clock.set('2026-11-02T08:00:00Z');
    for (let i = 0; i < 30; i += 1) await makeCase(slack(`C${i}`), ['digest fri 14:00', 'sprint']);
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const surface = fakeSurface('slack', () => clock.now(), async (_c, reply) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      order.push(reply.kind);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return { ok: true };
    });
    // Friday 13 Nov at 14:00: each case's digest and its Sprint 0 retro prompt fall due together.
    const items = await scheduler([surface], { concurrency: 8 }).tick(new Date('2026-11-13T14:00:00Z'));
    expect(items.filter((i) => i.outcome === 'sent')).toHaveLength(60);
    expect(most).toBe(8);
    expect(order.slice(0, 30).every((k) => k === 'digest')).toBe(true);
    expect(order.slice(30).every((k) => k === 'retro')).toBe(true);
  });
});

describe('start and stop', () => {
  afterEach(() => jest.useRealTimers());

  it('ticks just after each minute turns until stopped, and stop waits for a running tick', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T08:59:30Z'), doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    clock.set('2026-11-20T10:00:00Z');
    await makeCase(slack('C1'), ['retro off']);
    let release: () => void = () => undefined;
    const surface = fakeSurface('slack', () => clock.now(), () => new Promise((resolve) => { release = () => resolve({ ok: true }); }));
    const realNow = { now: () => new Date(Date.now()) };
    const s = createScheduler({ store, service, clock: realNow, logger: createLogger('silent'), surfaces: new Map([['slack', surface]]) });
    s.start();
    await jest.advanceTimersByTimeAsync(29_000); // 08:59:59
    expect(surface.calls).toBe(0);
    await jest.advanceTimersByTimeAsync(1_500); // 09:00:00.5: the tick starts and waits on the post
    // The store's group commit answers on a turn of the (real) event loop.
    for (let turns = 0; turns < 100 && surface.calls === 0; turns += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(surface.calls).toBe(1);
    let stopped = false;
    const stopping = s.stop().then(() => { stopped = true; });
    await jest.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(surface.posted).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(5 * MIN);
    expect(surface.calls).toBe(1);
  });
});
