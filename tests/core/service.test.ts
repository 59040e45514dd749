import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { decisionsOf, evidenceOf } from '../helpers/records';
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import type { Actor, Place } from '../../src/core/model';
import type { Reply } from '../../src/core/views';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

const place: Place = { platform: 'console', workspace: 'local', channel: 'team-a' };
const other: Place = { platform: 'console', workspace: 'local', channel: 'team-b' };
const ana: Actor = { id: 'U1', name: 'Ana' };
const ben: Actor = { id: 'U2', name: 'Ben' };

let store: Store;
let service: CaseService;
let clock: ReturnType<typeof fakeClock>;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  store = openSqliteStore(path.join(t.dir, 'decisions.sqlite'));
  // Thursday 26 November 2026, 10:00 in London.
  clock = fakeClock('2026-11-26T10:00:00Z');
  service = createCaseService({ store, clock, newId: sequentialIds() });
});

afterEach(async () => {
  await store.close();
  cleanup();
});

const run = (text: string, actor: Actor = ana, where: Place = place) => service.run({ place: where, actor }, text);

function expectKind<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (reply.kind !== kind) throw new Error(`expected ${kind}, got ${reply.kind}: ${reply.summary}`);
  return reply as Extract<Reply, { kind: K }>;
}

describe('recording decisions and evidence', () => {
  it('numbers decisions from 0 and letters evidence from a, in the current sprint', async () => {
    const d0 = expectKind(await run('We will publish weekly'), 'decision');
    expect(d0.decision.number).toBe(0);
    expect(d0.decision.sprint).toBe(0);
    expect(d0.visibility).toBe('channel');
    expect(d0.summary).toBe('Decision 0 recorded in Sprint 0 by Ana: We will publish weekly');
    const d1 = expectKind(await run('record We will drop the paper form'), 'decision');
    expect(d1.decision.number).toBe(1);
    const e = expectKind(await run('evidence 1 Two of five teams asked for it'), 'decision');
    expect(e.newEvidence).toBe('1a');
    expect(e.decision.evidence.map((x) => x.label)).toEqual(['1a']);
    const e2 = expectKind(await run('evidence 1 A second finding', ben), 'decision');
    expect(e2.newEvidence).toBe('1b');
    expect(e2.summary).toBe('Evidence 1b added to Decision 1 by Ben: A second finding');
  });

  it('refuses bad input in plain words and changes nothing', async () => {
    await run('We will publish weekly');
    const cases: [string, RegExp][] = [
      ['evidence 7 Something', /There is no Decision 7: the only decision here is Decision 0\./],
      [`record ${'x'.repeat(3001)}`, /3,001 characters long/],
      ['record bad \u0000 byte', /control characters/],
      ['edit 9 words', /There is no Decision 9/],
      ['supersede 0 with 5', /There is no Decision 5/],
      ['list sprint 4', /There is no Sprint 4/],
      ['case Nonsense Some text', /No section of this case is called "Nonsense Some text" or starts that way/],
    ];
    for (const [text, message] of cases) {
      const r = expectKind(await run(text), 'error');
      expect(r.message).toMatch(message);
      expect(r.visibility).toBe('caller');
    }
    const c = await store.findCase(place);
    expect((await decisionsOf(store, c!.id)).map((d) => d.text)).toEqual(['We will publish weekly']);
    expect(await evidenceOf(store, c!.id)).toEqual([]);
  });

  it('keeps each channel to its own case', async () => {
    await run('We decided for team A');
    await run('We decided for team B', ana, other);
    const list = expectKind(await run('list all', ana, other), 'decisions');
    expect(list.decisions.map((d) => d.text)).toEqual(['We decided for team B']);
    expect(list.decisions[0]?.number).toBe(0);
  });
});

describe('changing decisions', () => {
  beforeEach(async () => {
    await run('We will publish weekly');
    await run('We will drop the paper form');
  });

  it('edits keep the earlier wording in the history', async () => {
    const r = expectKind(await run('edit 0 We will publish every Monday'), 'decision');
    expect(r.decision.text).toBe('We will publish every Monday');
    expect(r.decision.revisions.map((x) => x.text)).toEqual(['We will publish weekly']);
    const shown = expectKind(await run('show 0'), 'decision');
    expect(shown.visibility).toBe('caller');
    expect(shown.decision.revisions[0]?.editedBy).toEqual(ana);
  });

  it('withdrawn and superseded decisions refuse further changes and evidence', async () => {
    expectKind(await run('withdraw 0 Users did not want it'), 'decision');
    expect(expectKind(await run('evidence 0 More'), 'error').message).toBe('Decision 0 was withdrawn, so you cannot add evidence to it. Nothing changed.');
    expect(expectKind(await run('edit 0 Again'), 'error').message).toMatch(/withdrawn/);
    await run('record We will publish monthly');
    const s = expectKind(await run('supersede 1 with 2'), 'decision');
    expect(s.decision.status).toBe('superseded');
    expect(s.decision.supersededBy).toBe(2);
    expect(expectKind(await run('supersede 2 with 1'), 'error').message).toMatch(/superseded by Decision 2/);
  });

  it('search shows twenty matches at a time, says how many there are and how to see the rest', async () => {
    for (let i = 0; i < 45; i++) await run(`We will try idea number ${i}`);
    const first = expectKind(await run('search idea'), 'decisions');
    expect(first.summary).toBe('45 decisions match "idea"; showing 1 to 20, newest first.');
    expect([first.total, first.decisions.length, first.decisions[0]?.text, first.next]).toEqual([45, 20, 'We will try idea number 44', 'search idea page 2']);
    const last = expectKind(await run(first.next ?? ''), 'decisions');
    const third = expectKind(await run(last.next ?? ''), 'decisions');
    expect(third.summary).toBe('45 decisions match "idea"; showing 41 to 45, newest first.');
    expect([third.decisions.map((d) => d.text.replace('We will try idea number ', '')), third.next]).toEqual([['4', '3', '2', '1', '0'], null]);
    expect(expectKind(await run('search number 44'), 'decisions').summary).toBe('1 decision matches "number 44".');
  });

  it('search finds decisions by their text and their evidence', async () => {
    await run('evidence 1 Printing costs £40,000 a year');
    const r = expectKind(await run('search printing'), 'decisions');
    expect(r.decisions.map((d) => d.number)).toEqual([1]);
    expect(expectKind(await run('search nothing-like-this'), 'decisions').decisions).toEqual([]);
  });
});

describe('undo', () => {
  it('undoes the caller’s own last change only, within 15 minutes', async () => {
    await run('We will publish weekly');
    await run('evidence 0 Seen in research', ben);
    // While Ben's evidence stands under it, Ana's record cannot be undone.
    expect(expectKind(await run('undo'), 'error').message).toBe('Ben added Evidence 0a to Decision 0 since. To take it back, use `withdraw 0`. Nothing changed.');
    expect(expectKind(await run('undo', ben), 'notice').summary).toBe('Ben undid: added Evidence 0a to Decision 0.');
    const c = (await store.findCase(place))!;
    expect(await evidenceOf(store, c.id)).toEqual([]);
    expect(expectKind(await run('undo'), 'notice').summary).toBe('Ana undid: recorded Decision 0.');
    expect(await decisionsOf(store, c.id)).toEqual([]);
    // The number is free again: no gap.
    expect(expectKind(await run('Again, we will publish'), 'decision').decision.number).toBe(0);
    clock.advance(16 * 60_000);
    expect(expectKind(await run('undo'), 'error').message).toBe('You have nothing left to undo here from the last 15 minutes.');
  });

  it('never frees a number a later decision follows: it says to withdraw instead and changes nothing', async () => {
    await run('We will publish weekly');
    await run('Another decision', ben);
    const r = expectKind(await run('undo'), 'error');
    expect(r.message).toBe('Decision 1 was recorded after Decision 0, so its number cannot be freed. To take it back, use `withdraw 0`. Nothing changed.');
    const c = (await store.findCase(place))!;
    expect((await decisionsOf(store, c.id)).map((d) => [d.number, d.status])).toEqual([[0, 'active'], [1, 'active']]);
  });

  it('a second undo by the only person in the case undoes their previous change, then says there is nothing left', async () => {
    await run('We will publish weekly');
    await run('evidence 0 Seen in research');
    await run('edit 0 We will publish monthly');
    expect(expectKind(await run('undo'), 'notice').summary).toBe('Ana undid: edited Decision 0.');
    expect(expectKind(await run('undo'), 'notice').summary).toBe('Ana undid: added Evidence 0a to Decision 0.');
    expect(expectKind(await run('undo'), 'notice').summary).toBe('Ana undid: recorded Decision 0.');
    expect(expectKind(await run('undo'), 'error').message).toBe('You have nothing left to undo here from the last 15 minutes.');
    const c = (await store.findCase(place))!;
    expect(await decisionsOf(store, c.id)).toEqual([]);
  });

  it('undoes an edit, a withdraw and a section change', async () => {
    await run('We will publish weekly');
    await run('edit 0 We will publish monthly');
    await run('undo');
    const c = (await store.findCase(place))!;
    expect((await decisionsOf(store, c.id))[0]?.text).toBe('We will publish weekly');
    await run('withdraw 0');
    await run('undo');
    expect((await decisionsOf(store, c.id))[0]?.status).toBe('active');
    await run('case Benefits Fewer calls (0a)');
    expect((await store.getCase(c.id))?.layout.sections.find((s) => s.heading === 'Benefits')?.body).toBe('Fewer calls (0a)');
    await run('undo');
    expect((await store.getCase(c.id))?.layout.sections.find((s) => s.heading === 'Benefits')?.body).toBe('To be written.');
  });
});

describe('sprints', () => {
  it('runs a two-week calendar from the first change, and sprint start ends one early', async () => {
    // Reading makes nothing: the calendar starts with the first thing recorded.
    expectKind(await run('sprint'), 'sprint');
    expect(await store.findCase(place)).toBeNull();
    clock.set('2026-11-26T10:00:00Z');
    await run('case title Apply for a fishing licence');
    const s = expectKind(await run('sprint'), 'sprint');
    expect(s.sprint).toMatchObject({ number: 0, startsOn: '26 Nov 2026', endsOn: '9 Dec 2026', length: '2 weeks' });
    clock.set('2026-12-10T09:00:00Z');
    expect(expectKind(await run('sprint'), 'sprint').sprint.number).toBe(1);
    const started = expectKind(await run('sprint start Private beta'), 'sprint');
    expect(started.sprint.heading).toBe('Sprint 2: Private beta');
    expect(started.sprint.startsOn).toBe('10 Dec 2026');
    const d = expectKind(await run('We will open the beta'), 'decision');
    expect(d.decision.sprintHeading).toBe('Sprint 2: Private beta');
    expect(d.summary).toContain('recorded in Sprint 2: Private beta');
  });

  it('sets the sprint length', async () => {
    await run('sprint');
    expect(expectKind(await run('sprint length 10 days'), 'notice').summary).toMatch(/set sprints to 10 days/);
    expect(expectKind(await run('sprint'), 'sprint').sprint.endsOn).toBe('5 Dec 2026');
  });
});

describe('the business case', () => {
  it('lists sections and which are empty, writes and reads one', async () => {
    const c = expectKind(await run('case'), 'case');
    expect(c.sections.map((s) => [s.heading, s.empty])).toEqual([
      ['Strategic Case', false], ['Strategic Context', true], ['Strategic Objectives', true],
      ['Critical Success Factors', true], ['Benefits', true], ['Economic Case', false], ['Options', true],
    ]);
    expect(c.sections[1]?.prompt).toMatch(/Why are we conducting this project/);
    expectKind(await run('case strategic context Users repeat themselves (0a).\n\n- a list'), 'notice');
    const s = expectKind(await run('case Strategic Context'), 'section');
    expect(s.body).toBe('Users repeat themselves (0a).\n\n- a list');
    expectKind(await run('case title Apply for a fishing licence'), 'notice');
    const exp = expectKind(await run('export'), 'export');
    expect(exp.filename).toBe('apply-for-a-fishing-licence.md');
    expect(exp.markdown).toContain('# Apply for a fishing licence');
    expect(exp.markdown).toContain('### Strategic Context\n\nUsers repeat themselves (0a).');
  });

  it('names the section meant when the words do not match a section', async () => {
    const r = expectKind(await run('case Problem Users repeat their details (0a)'), 'error');
    expect(r.message).toContain('No section of this case is called "Problem Users repeat their details (0a)"');
    expect(r.message).toContain('Its sections: Strategic Case, Strategic Context');
    const near = expectKind(await run('case Success factors We ship weekly'), 'error');
    expect(near.suggestion).toBe('case Critical Success Factors');
  });

  it('switches template and keeps written sections', async () => {
    await run('case Benefits We save money');
    expectKind(await run('case template five-case'), 'notice');
    const c = expectKind(await run('case'), 'case');
    expect(c.template).toBe('five-case');
    expect(c.sections.map((s) => s.heading)).toEqual(expect.arrayContaining(['Commercial Case', 'Financial Case', 'Management Case', 'Benefits']));
    // Benefits goes back under the Strategic Case, after its subsections, not under the Management Case.
    const at = (h: string) => c.sections.findIndex((s) => s.heading === h);
    expect(c.sections[at('Benefits')]?.level).toBe(3);
    expect([at('SMART Objectives') + 1, at('Economic Case') - 1]).toEqual([at('Benefits'), at('Benefits')]);
  });
});

describe('help', () => {
  it('lists every command and explains one', async () => {
    const h = expectKind(await run('help'), 'help');
    expect(h.entries.map((e) => e.command)).toEqual(expect.arrayContaining(['record', 'evidence', 'list', 'show', 'search', 'edit', 'withdraw', 'supersede', 'tag', 'untag', 'undo', 'sprint', 'phase', 'assessment', 'case', 'digest', 'export', 'help']));
    const one = expectKind(await run('help evidence'), 'help');
    expect(one.entries[0]?.usage).toBe('evidence <N> <text> [SS <points>]');
    expect(expectKind(await run('help frobnicate'), 'error').message).toMatch(/There is no command "frobnicate"/);
  });
});

describe('recording with evidence in one step (forms)', () => {
  it('letters the evidence and undoes the whole record at once', async () => {
    const r = expectKind(await service.runCommand({ place, actor: ana }, { name: 'record', text: 'We will publish weekly', evidence: 'First finding\n\nSecond finding' }), 'decision');
    expect(r.decision.evidence.map((e) => [e.label, e.text])).toEqual([['0a', 'First finding'], ['0b', 'Second finding']]);
    expect(expectKind(await run('undo'), 'notice').summary).toBe('Ana undid: recorded Decision 0 and its evidence.');
    const c = (await store.findCase(place))!;
    expect(await decisionsOf(store, c.id)).toEqual([]);
    expect(await evidenceOf(store, c.id)).toEqual([]);
  });

  it('refuses a bad evidence line and records nothing', async () => {
    const r = expectKind(await service.runCommand({ place, actor: ana }, { name: 'record', text: 'We will publish weekly', evidence: 'x'.repeat(3001) }), 'error');
    expect(r.field).toBe('evidence');
    expect(r.message).toMatch(/^Evidence is 3,001 characters long/);
    // Refused before anything was written: not even the case exists yet.
    expect(await store.findCase(place)).toBeNull();
  });
});

describe('a case imported from a document with no sprints', () => {
  async function importDoc(markdown: string): Promise<void> {
    const { importCase } = await import('../../src/core/import');
    await store.putSnapshot(importCase(markdown, { id: 'imported', place, now: clock.now(), newId: sequentialIds('e') }).snapshot, { replace: false });
  }
  const { parseCaseMarkdown } = jest.requireActual<typeof import('../../src/core/markdown')>('../../src/core/markdown');

  it('gets the template’s decisions heading before its first sprint, so the export still reads back', async () => {
    await importDoc('# Case\n\n## Economic Case\n\n### Options\n\nTo be written.\n');
    await run('We will add a glossary');
    const markdown = expectKind(await run('export'), 'export').markdown;
    expect(markdown).toBe('# Case\n\n## Economic Case\n\n### Options\n\nTo be written.\n\n## Key decisions that shaped this\n\n### Sprint 0\n\nDecision 0: We will add a glossary\n');
    const back = parseCaseMarkdown(markdown);
    expect(back.layout.sections.map((s) => s.heading)).toEqual(['Economic Case', 'Options']);
    expect(back.decisions.map((d) => d.text)).toEqual(['We will add a glossary']);
  });

  it('uses its own empty "Key decisions" section as that heading', async () => {
    await importDoc('# Case\n\n## Benefits\n\nTo be written.\n\n## Key decisions\n\n## Appendix\n\nNotes.\n');
    await run('We will add a glossary');
    const markdown = expectKind(await run('export'), 'export').markdown;
    expect(markdown).toBe('# Case\n\n## Benefits\n\nTo be written.\n\n## Key decisions\n\n### Sprint 0\n\nDecision 0: We will add a glossary\n\n## Appendix\n\nNotes.\n');
    expect(parseCaseMarkdown(markdown).layout.sections.map((s) => s.heading)).toEqual(['Benefits', 'Appendix']);
  });
});
