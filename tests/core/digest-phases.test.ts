/**
 * The weekly digest names the phase, links to the case over time, and in the week a phase
 * ends (the next one starts) lists "Decisions that shaped <phase>" with the points of the
 * Service Standard still without a decision; an undone phase start ends nothing.
 */
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import type { Case, Place } from '../../src/core/model';
import { digestWindowBefore } from '../../src/core/schedule';
import { openSqliteStore } from '../../src/store/sqlite';
import type { SqliteStore } from '../../src/store/sqlite';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { digestText } from '../../adapters/console/render';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const alice = { id: 'U1', name: 'Alice' };

let store: SqliteStore;
let service: CaseService;
let clock: ReturnType<typeof fakeClock>;

async function say(text: string): Promise<void> {
  const reply = await service.run({ place, actor: alice }, text);
  if (reply.kind === 'error') throw new Error(`"${text}": ${reply.message}`);
}

async function theCase(): Promise<Case> {
  const c = await store.findCase(place);
  if (!c) throw new Error('no case');
  return c;
}

const links = {
  shareUrl: (c: Case) => `https://d.example/cases/${c.id}?token=t`,
  assessmentUrl: (c: Case, phase: string | null) => `https://d.example/cases/${c.id}/assessment?phase=${phase ?? 'all'}&token=t`,
};

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  clock = fakeClock('2026-11-16T10:00:00Z'); // Monday, the first day of Sprint 0
  service = createCaseService({ store, clock, newId: sequentialIds(), ...links });
  await say('phase start alpha');
  await say('We will drop the paper form [SS 2]'); // 0
  await say('We will test with screen reader users'); // 1
  await say('evidence 1 Two of five used one [SS 5]');
  await say('We will run a phone line'); // 2
  await say('withdraw 2 Nobody asked for it');
  await say('We will use the old address lookup'); // 3: no point
});

afterEach(() => store.close());

describe('the digest and phases', () => {
  it('names the phase and links to the case over time, in a week no phase ends', async () => {
    clock.set('2026-11-23T09:30:00Z');
    const c = await theCase();
    const reply = await service.digestReply(c, digestWindowBefore(c, '2026-11-23'), { linkUrl: links.shareUrl(c), preview: false });
    expect(reply.digest.phase).toBe('Sprint 0, Alpha');
    expect(reply.digest.timelineUrl).toBe(`${links.shareUrl(c)}#timeline`);
    expect(reply.digest.phasesEnded).toEqual([]);
    expect(reply.summary).toMatch(/^Weekly digest for Business case \(16 to 22 Nov 2026; Sprint 0, Alpha\): 4 new decisions/);
    expect(reply.digest.sections.map((s) => s.title)).not.toContain('Decisions that shaped Alpha');
    // A new decision says its points, as wherever else it shows.
    expect(reply.digest.sections.find((s) => s.title === 'New decisions')?.items[0]).toBe('Decision 0: We will drop the paper form [Service Standard 2]');
  });

  it('lists the decisions that shaped a phase, and the points still without one, in the week it ends', async () => {
    clock.set('2026-11-30T10:00:00Z'); // Sprint 1
    await say('phase start beta Private beta');
    clock.set('2026-12-07T09:30:00Z');
    const c = await theCase();
    const reply = await service.digestReply(c, digestWindowBefore(c, '2026-12-07'), { linkUrl: links.shareUrl(c), preview: false });
    const d = reply.digest;
    expect(d.quiet).toBe(false);
    expect(d.phase).toBe('Sprint 1, Private beta');
    expect(d.phasesEnded).toEqual([{ label: 'Alpha', span: 'Sprint 0', url: `https://d.example/cases/${c.id}/assessment?phase=alpha&token=t` }]);
    const shaped = d.sections.find((s) => s.title === 'Decisions that shaped Alpha');
    // Taken and not withdrawn, each with its points (a decision's evidence counts for it).
    expect(shaped?.items).toEqual([
      'Decision 0: We will drop the paper form (Service Standard 2)',
      'Decision 1: We will test with screen reader users (Service Standard 5)',
      'Decision 3: We will use the old address lookup (no point of the Service Standard yet)',
    ]);
    expect(d.sections.find((s) => s.title === 'Points of the Service Standard with no decision in Alpha')?.items).toEqual([
      '1. Understand users and their needs', '3. Provide a joined up experience across all channels', '4. Make the service simple to use',
      '6. Have a multidisciplinary team', '7. Use agile ways of working', '8. Iterate and improve frequently',
      "9. Create a secure service which protects users' privacy", '10. Define what success looks like and publish performance data',
      '11. Choose the right tools and technology', '12. Make new source code open',
      '13. Use and contribute to open standards, common components and patterns', '14. Operate a reliable service',
    ]);
    expect(d.sections[0]?.title).toBe('Decisions that shaped Alpha');
    expect(reply.summary).toContain('Alpha ended');
    const text = digestText(d);
    expect(text).toContain(`Alpha has ended. Its assessment pack: https://d.example/cases/${c.id}/assessment?phase=alpha&token=t`);
    expect(text).toContain(`The case over time: https://d.example/cases/${c.id}?token=t#timeline`);
  });

  it('an undone phase start ends nothing, and without a page there is no link', async () => {
    clock.set('2026-11-30T10:00:00Z');
    await say('phase start beta');
    await say('undo');
    clock.set('2026-12-07T09:30:00Z');
    const c = await theCase();
    const reply = await service.digestReply(c, digestWindowBefore(c, '2026-12-07'), { linkUrl: null, preview: false });
    expect(reply.digest.phasesEnded).toEqual([]);
    expect(reply.digest.quiet).toBe(true);
    expect(reply.digest.phase).toBe('Sprint 1, Alpha');
    expect(reply.digest.timelineUrl).toBeNull();
  });
});
