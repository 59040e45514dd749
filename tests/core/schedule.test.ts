import { newCase } from '../../src/core/cases';
import type { Case, Sprint } from '../../src/core/model';
import { claimKey, dayRange, dueWork, isoWeekKey, previewWindow } from '../../src/core/schedule';
import type { DueItem } from '../../src/core/schedule';

const PLACE = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };
const MIN = 60_000;

function makeCase(fields: Partial<Omit<Case, 'schedule'>> & { schedule?: Partial<Case['schedule']> } = {}): Case {
  const base = newCase({ id: 'case-1', place: PLACE, now: '2025-12-01T00:00:00.000Z' });
  return { ...base, ...fields, schedule: { ...base.schedule, ...(fields.schedule ?? {}) } };
}

const sprint = (number: number, startsOn: string | null): Sprint => ({ number, suffix: '', intro: '', startsOn });

/** A moment as people in a zone read it, independently of the code under test: "Mon 09:00". */
function wallClock(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('weekday')} ${get('hour')}:${get('minute')}`;
}

function localDay(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/**
 * Every `stepMin` minutes from `from` to `to`, the first time each piece of work was due.
 * Every slot in these tests is on a quarter hour, so 15-minute steps land on each exactly.
 */
function sweep(c: Case, sprints: Sprint[], from: string, to: string, stepMin = 15): Map<string, { first: Date; item: DueItem }> {
  const seen = new Map<string, { first: Date; item: DueItem }>();
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMin * MIN) {
    const now = new Date(t);
    for (const item of dueWork(c, sprints, now)) {
      const key = claimKey(c.id, item);
      if (!seen.has(key)) seen.set(key, { first: now, item });
    }
  }
  return seen;
}

describe('the weekly digest slot', () => {
  it('is due at Monday 09:00 Europe/London for the week that just ended (the "done when" case)', () => {
    const c = makeCase();
    expect(dueWork(c, [], new Date('2026-11-30T08:59:00Z')).map((i) => i.period)).toEqual(['2026-W48']);
    const [item] = dueWork(c, [], new Date('2026-11-30T09:01:00Z'));
    expect(item).toEqual({
      kind: 'digest', period: '2026-W49', dueAt: new Date('2026-11-30T09:00:00Z'),
      window: { since: '2026-11-23T09:00:00.000Z', until: '2026-11-30T09:00:00.000Z', label: '23 to 29 Nov 2026' },
    });
    expect(claimKey(c.id, item as DueItem)).toBe('case-1:digest:2026-W49');
  });

  it('keeps 09:00 local in summer time, and a week across the change is 167 or 169 hours', () => {
    const c = makeCase();
    const [summer] = dueWork(c, [], new Date('2026-06-01T08:00:00Z'));
    expect(summer?.dueAt.toISOString()).toBe('2026-06-01T08:00:00.000Z');
    const [spring] = dueWork(c, [], new Date('2026-03-30T08:00:00Z'));
    expect(spring?.kind === 'digest' && spring.window).toEqual({ since: '2026-03-23T09:00:00.000Z', until: '2026-03-30T08:00:00.000Z', label: '23 to 29 Mar 2026' });
    const [autumn] = dueWork(c, [], new Date('2026-10-26T09:00:00Z'));
    expect(autumn?.kind === 'digest' && autumn.window).toEqual({ since: '2026-10-19T08:00:00.000Z', until: '2026-10-26T09:00:00.000Z', label: '19 to 25 Oct 2026' });
  });

  it.each([
    ['Europe/London', 1, '09:00'],
    ['Europe/London', 0, '01:30'], // 01:30 does not exist on 29 March and happens twice on 25 October
    ['America/New_York', 5, '17:30'],
    ['Australia/Sydney', 3, '08:15'],
  ])('over a year in %s (weekday %i at %s), falls due once a week at the local time', (timeZone, weekday, time) => {
    const c = makeCase({ timeZone, createdAt: '2026-01-01T00:00:00.000Z', schedule: { digestWeekday: weekday, digestTime: time, retroOn: false } });
    const seen = sweep(c, [], '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    const firsts = [...seen.values()];
    // 2026 has 52 of each of these weekdays (53 Thursdays), all after the case was made.
    expect(firsts).toHaveLength(52);
    const weeks = firsts.map((f) => f.item.period);
    expect(new Set(weeks).size).toBe(52);
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekday];
    for (const { first, item } of firsts) {
      // Due exactly at the slot, not a step earlier.
      expect(first).toEqual(item.dueAt);
      const local = wallClock(item.dueAt, timeZone);
      if (timeZone === 'Europe/London' && time === '01:30' && localDay(item.dueAt, timeZone) === '2026-03-29') {
        expect(local).toBe('Sun 02:30'); // the skipped hour: an hour later
      } else {
        expect(local).toBe(`${day} ${time}`);
      }
      expect(item.period).toBe(isoWeekKey(localDay(item.dueAt, timeZone)));
    }
    // Consecutive slots are a week apart on the calendar: 168 hours, or 167/169 across a change.
    for (let i = 1; i < firsts.length; i += 1) {
      const hours = ((firsts[i]?.item.dueAt.getTime() ?? 0) - (firsts[i - 1]?.item.dueAt.getTime() ?? 0)) / 3_600_000;
      expect([167, 168, 169]).toContain(hours);
    }
  });

  it('after ten days of downtime only the latest missed week is due: one catch-up digest', () => {
    const c = makeCase();
    const after = dueWork(c, [], new Date('2026-12-10T12:00:00Z'));
    expect(after.map((i) => i.period)).toEqual(['2026-W50']);
    // Seven days after a slot it is no longer due (the next slot has taken over).
    expect(dueWork(c, [], new Date('2026-12-07T08:59:00Z')).map((i) => i.period)).toEqual(['2026-W49']);
  });

  it('is never due from before the case was made, nor when switched off', () => {
    const c = makeCase({ createdAt: '2026-12-02T10:00:00.000Z' });
    expect(dueWork(c, [], new Date('2026-12-03T10:00:00Z'))).toEqual([]);
    expect(dueWork(c, [], new Date('2026-12-07T09:00:00Z')).map((i) => i.period)).toEqual(['2026-W50']);
    const off = makeCase({ schedule: { digestOn: false, retroOn: false } });
    expect(dueWork(off, [sprint(0, '2026-11-02')], new Date('2026-11-13T15:00:00Z'))).toEqual([]);
  });

  it('previews everything since the last slot', () => {
    const c = makeCase();
    expect(previewWindow(c, new Date('2026-12-02T15:00:00Z'))).toEqual({
      since: '2026-11-30T09:00:00.000Z', until: '2026-12-02T15:00:00.000Z', label: '30 Nov to 2 Dec 2026, so far',
    });
  });

  it('writes day ranges as people read them', () => {
    expect(dayRange('2026-11-23', '2026-11-29')).toBe('23 to 29 Nov 2026');
    expect(dayRange('2026-11-30', '2026-12-06')).toBe('30 Nov to 6 Dec 2026');
    expect(dayRange('2026-12-28', '2027-01-03')).toBe('28 Dec 2026 to 3 Jan 2027');
    expect(dayRange('2026-12-02', '2026-12-02')).toBe('2 Dec 2026');
    expect(isoWeekKey('2026-12-31')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-03')).toBe('2026-W53');
    expect(isoWeekKey('2026-01-01')).toBe('2026-W01');
  });
});

describe('the retro prompt', () => {
  /** Independently of the code: each sprint's last weekday and whether it ends in the year. */
  function expectedRetros(firstStart: string, days: number, until: string): { sprint: number; lastDay: string }[] {
    const out: { sprint: number; lastDay: string }[] = [];
    for (let n = 0; ; n += 1) {
      const start = new Date(`${firstStart}T12:00:00Z`);
      const end = new Date(start.getTime() + (n * days + days - 1) * 86_400_000);
      let last = end;
      while ([0, 6].includes(last.getUTCDay()) && last.getTime() > start.getTime() + n * days * 86_400_000) last = new Date(last.getTime() - 86_400_000);
      const lastDay = last.toISOString().slice(0, 10);
      if (lastDay >= until) return out;
      out.push({ sprint: n, lastDay });
    }
  }

  it.each([
    ['Europe/London', '2026-01-01', { count: 2, unit: 'weeks' as const }, '14:00'],
    ['America/New_York', '2026-01-05', { count: 1, unit: 'weeks' as const }, '16:30'],
    ['Australia/Sydney', '2026-01-02', { count: 10, unit: 'days' as const }, '10:00'],
  ])('over a year in %s, falls due once per sprint on its last working day at the local time', (timeZone, start, sprintLength, retroTime) => {
    const c = makeCase({ timeZone, sprintLength, createdAt: '2026-01-01T00:00:00.000Z', schedule: { digestOn: false, retroTime } });
    const seen = sweep(c, [sprint(0, start)], '2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z');
    const days = sprintLength.unit === 'weeks' ? sprintLength.count * 7 : sprintLength.count;
    const expected = expectedRetros(start, days, '2026-12-31');
    expect([...seen.values()].map((s) => s.item.period)).toEqual(expected.map((e) => `sprint-${e.sprint}`));
    for (const [i, { first, item }] of [...seen.values()].entries()) {
      expect(localDay(item.dueAt, timeZone)).toBe(expected[i]?.lastDay);
      expect(wallClock(item.dueAt, timeZone).slice(4)).toBe(retroTime);
      expect(first).toEqual(item.dueAt);
    }
  });

  it('stays due for two days after the sprint ends, then not', () => {
    const c = makeCase({ schedule: { digestOn: false } });
    const sprints = [sprint(0, '2026-11-02')]; // Mon 2 to Sun 15 Nov; last working day Fri 13 Nov
    expect(dueWork(c, sprints, new Date('2026-11-13T13:59:00Z'))).toEqual([]);
    expect(dueWork(c, sprints, new Date('2026-11-13T14:00:00Z'))).toEqual([{ kind: 'retro', period: 'sprint-0', dueAt: new Date('2026-11-13T14:00:00Z'), sprint: 0 }]);
    expect(dueWork(c, sprints, new Date('2026-11-17T23:59:00Z')).map((i) => i.period)).toEqual(['sprint-0']);
    expect(dueWork(c, sprints, new Date('2026-11-18T00:00:00Z'))).toEqual([]);
  });

  it('a sprint ended early by `sprint start` still gets its retro', () => {
    const c = makeCase({ schedule: { digestOn: false } });
    const sprints = [sprint(0, '2026-11-02'), sprint(1, '2026-11-11')];
    expect(dueWork(c, sprints, new Date('2026-11-11T10:00:00Z'))).toEqual([
      { kind: 'retro', period: 'sprint-0', dueAt: new Date('2026-11-10T14:00:00Z'), sprint: 0 },
    ]);
  });

  it('is not due before any sprint has a start date', () => {
    const c = makeCase({ schedule: { digestOn: false } });
    expect(dueWork(c, [sprint(0, null), sprint(1, null)], new Date('2026-11-13T15:00:00Z'))).toEqual([]);
  });
});

describe('the weekly publication to GitHub', () => {
  const publication = (connectedAt: string): Case['publication'] => ({
    owner: 'acme', repo: 'case', branch: 'main', mode: 'pr', connectedAt, last: null,
    files: [{ part: 'case', path: 'business-case.md', known: [], seen: null }],
  });

  it('is due at the digest\'s slot, before the digest, for the same week, under its own claim', () => {
    const c = makeCase({ publication: publication('2026-11-01T00:00:00.000Z'), schedule: { retroOn: false } });
    const items = dueWork(c, [], new Date('2026-11-30T09:00:00Z'));
    expect(items.map((i) => [i.kind, i.period, i.dueAt.toISOString()])).toEqual([
      ['publish', '2026-W49', '2026-11-30T09:00:00.000Z'],
      ['digest', '2026-W49', '2026-11-30T09:00:00.000Z'],
    ]);
    expect(items.map((i) => claimKey(c.id, i))).toEqual(['case-1:publish:2026-W49', 'case-1:digest:2026-W49']);
    const [publish, digest] = items;
    expect(publish?.kind === 'publish' && digest?.kind === 'digest' && publish.window).toEqual(digest?.kind === 'digest' && digest.window);
  });

  it('is due with the digest off; over a month, once a week', () => {
    const c = makeCase({ publication: publication('2026-11-01T00:00:00.000Z'), schedule: { digestOn: false, retroOn: false, digestWeekday: 3, digestTime: '16:30' } });
    const seen = sweep(c, [], '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');
    expect([...seen.values()].map((s) => [s.item.kind, wallClock(s.first, 'Europe/London')])).toEqual([
      ['publish', 'Wed 16:30'], ['publish', 'Wed 16:30'], ['publish', 'Wed 16:30'], ['publish', 'Wed 16:30'],
    ]);
  });

  it('is not due for a slot before the case was connected', () => {
    const c = makeCase({ publication: publication('2026-12-01T10:00:00.000Z'), schedule: { retroOn: false } });
    expect(dueWork(c, [], new Date('2026-12-01T11:00:00Z')).map((i) => i.kind)).toEqual(['digest']);
    expect(dueWork(c, [], new Date('2026-12-07T09:00:00Z')).map((i) => i.kind)).toEqual(['publish', 'digest']);
  });
});
