/**
 * The scheduler through the real Slack poster (Block Kit, WebClient, Retry-After) to a
 * local fake of the Slack Web API on 127.0.0.1.
 */
import { createCaseService } from '../../src/core/service';
import type { Place } from '../../src/core/model';
import { openSqliteStore } from '../../src/store/sqlite';
import type { SqliteStore } from '../../src/store/sqlite';
import { createScheduler } from '../../src/scheduler';
import type { Surface } from '../../src/surface';
import { createLogger } from '../../src/logger';
import { clientPool, createPoster } from '../../adapters/slack/post';
import { startFakeSlack } from '../../bench/fake-slack';
import type { FakeSlack, FakeSlackOptions } from '../../bench/fake-slack';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };

let store: SqliteStore;
let slack: FakeSlack | null = null;

beforeEach(() => {
  store = openSqliteStore(':memory:');
});
afterEach(async () => {
  await slack?.close();
  slack = null;
  await store.close();
});

async function setUp(options: FakeSlackOptions) {
  slack = await startFakeSlack(options);
  const clock = fakeClock('2026-11-24T10:00:00Z');
  const service = createCaseService({ store, clock, newId: sequentialIds() });
  await service.run({ place, actor: { id: 'U1', name: 'Alice' } }, 'We will drop the paper form');
  await service.run({ place, actor: { id: 'U1', name: 'Alice' } }, 'retro off');
  const logger = createLogger('silent');
  const waits: number[] = [];
  const surface: Surface = {
    platform: 'slack',
    description: 'Slack (test)',
    post: createPoster({ botToken: async () => 'xoxb-test', client: clientPool(slack.apiUrl, logger), logger }),
    async stop() { /* nothing */ },
  };
  const scheduler = createScheduler({ store, service, clock, logger, surfaces: new Map([['slack', surface]]), owner: 'test', sleep: async (ms) => { waits.push(ms); } });
  return { scheduler, waits, slack };
}

it('a 429 then a 200 from chat.postMessage delivers the digest once, after waiting the Retry-After', async () => {
  const { scheduler, waits, slack: api } = await setUp({ refuse429: (call) => call === 0 });
  const items = await scheduler.tick(new Date('2026-11-30T09:01:00Z'));
  expect(items.map((i) => `${i.outcome} ${i.kind} ${i.period}`)).toEqual(['sent digest 2026-W49']);
  expect(waits).toEqual([1000]);
  expect(api.calls()).toBe(2);
  expect(api.accepted).toHaveLength(1);
  expect(api.accepted[0]?.channel).toBe('C1');
  expect(api.accepted[0]?.text).toContain('Weekly digest for Business case (23 to 29 Nov 2026)');
  // Nothing more, then or a minute later.
  const later = await scheduler.tick(new Date('2026-11-30T09:02:00Z'));
  expect(later.filter((i) => i.outcome === 'sent')).toEqual([]);
  expect(api.calls()).toBe(2);
});

it('rate limited again and again: the tick waits each Retry-After and sends, and the 429s count as no attempt', async () => {
  // Each 429 is waited out by the scheduler (1 s), which then posts again.
  const { scheduler, waits, slack: api } = await setUp({ refuse429: (call) => call < 3 });
  const items = await scheduler.tick(new Date('2026-11-30T09:01:00Z'));
  expect(items.map((i) => `${i.outcome} ${i.kind} ${i.period} attempt ${i.attempt}`)).toEqual(['sent digest 2026-W49 attempt 1']);
  expect(waits).toEqual([1000, 1000, 1000]);
  expect(api.calls()).toBe(4);
  expect(api.accepted).toHaveLength(1);
});

it.each(['not_in_channel', 'channel_not_found'])('a channel that answers %s switches the case’s schedules off, once', async (error) => {
  const { scheduler, slack: api } = await setUp({ errorFor: () => error });
  const items = await scheduler.tick(new Date('2026-11-30T09:01:00Z'));
  expect(items.map((i) => `${i.outcome} ${i.reason}`)).toEqual([`gone ${error}`]);
  expect((await store.findCase(place))?.schedule).toMatchObject({ digestOn: false, retroOn: false });
  expect(await scheduler.tick(new Date('2026-11-30T09:30:00Z'))).toEqual([]);
  expect(api.calls()).toBe(1);
});
