/** The schedule settings of a case, through the one grammar, and what they make due. */
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import type { Place } from '../../src/core/model';
import { dueWork } from '../../src/core/schedule';
import { openSqliteStore } from '../../src/store/sqlite';
import type { SqliteStore } from '../../src/store/sqlite';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const ctx = { place, actor: { id: 'U1', name: 'Alice' } };

let store: SqliteStore;
let service: CaseService;
let clock: ReturnType<typeof fakeClock>;

beforeEach(() => {
  store = openSqliteStore(':memory:');
  clock = fakeClock('2026-11-02T10:00:00Z'); // a Monday
  service = createCaseService({ store, clock, newId: sequentialIds() });
});
afterEach(async () => {
  await store.close();
});

async function run(text: string) {
  return service.run(ctx, text);
}

async function schedule() {
  const c = await store.findCase(place);
  if (!c) throw new Error('no case');
  return { schedule: c.schedule, timeZone: c.timeZone, c };
}

describe('schedule settings', () => {
  it('start at the defaults: digest on, Monday 09:00; retro on, 14:00; Europe/London', async () => {
    expect((await run('timezone')).summary).toBe('This case runs on Europe/London time. Working days are Monday to Friday, except the public holidays of England and Wales (from the time zone Europe/London).');
    // Reading the setting made no case; the first change does, with the defaults.
    expect(await store.findCase(place)).toBeNull();
    await run('case title Apply for a fishing licence');
    expect(await schedule()).toMatchObject({
      schedule: { digestOn: true, digestWeekday: 1, digestTime: '09:00', retroOn: true, retroTime: '14:00' },
      timeZone: 'Europe/London',
    });
  });

  it('switch on and off, move, and change zone; each in plain words to the channel', async () => {
    const said = async (text: string) => {
      const r = await run(text);
      expect(r.kind).toBe('notice');
      expect(r.visibility).toBe('channel');
      return r.summary;
    };
    expect(await said('digest off')).toBe('Alice switched the weekly digest off.');
    expect(await said('digest on')).toBe('Alice switched the weekly digest on.');
    expect(await said('digest fri 16:30')).toBe('Alice set the weekly digest for Friday at 16:30.');
    expect(await said('retro off')).toBe('Alice switched the end-of-sprint retro prompt off.');
    expect(await said('retro 9.15')).toBe('Alice set the retro prompt for 09:15 on the last working day of each sprint.');
    expect(await said('timezone America/New_York')).toBe('Alice set the time zone to America/New_York.');
    expect(await schedule()).toMatchObject({
      schedule: { digestOn: true, digestWeekday: 5, digestTime: '16:30', retroOn: false, retroTime: '09:15' },
      timeZone: 'America/New_York',
    });
  });

  it.each([
    ['digest someday 09:00', /`digest` takes `on`, `off`, or a day and a time/],
    ['digest monday 9', /`digest` takes `on`, `off`, or a day and a time/],
    ['digest monday 24:00', /`digest` takes/],
    ['retro 25:00', /"25:00" is not a time/],
    ['timezone Mars/Olympus_Mons', /"Mars\/Olympus_Mons" is not a time zone name/],
    ['timezone London', /"London" is not a time zone name/],
    ['timezone Europe/London please', /`timezone` takes one name/],
  ])('%s is refused with a clear message, changing nothing', async (text, message) => {
    await run('digest on');
    const before = await schedule();
    const r = await run(text);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(message);
    expect(await schedule()).toEqual(before);
  });

  it('undo puts a setting back', async () => {
    await run('digest wed 11:00');
    await run('undo');
    expect((await schedule()).schedule).toMatchObject({ digestWeekday: 1, digestTime: '09:00' });
  });

  it('decide what falls due, in the case’s zone', async () => {
    await run('digest fri 16:30');
    await run('timezone America/New_York');
    await run('retro off');
    const { c } = await schedule();
    // Friday 6 Nov 2026, 16:30 in New York (EST since 1 Nov) is 21:30 UTC.
    expect(dueWork(c, [], new Date('2026-11-06T21:29:00Z'))).toEqual([]);
    expect(dueWork(c, [], new Date('2026-11-06T21:30:00Z')).map((i) => [i.kind, i.period, i.dueAt.toISOString()]))
      .toEqual([['digest', '2026-W45', '2026-11-06T21:30:00.000Z']]);
    await run('digest off');
    expect(dueWork((await schedule()).c, [], new Date('2026-11-06T21:30:00Z'))).toEqual([]);
  });
});
