/**
 * The weekly digest and the retro prompt, checked against a case built here through the
 * service: every change and every gap is reported, and nothing else.
 */
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import type { Case, Place } from '../../src/core/model';
import { buildDigest } from '../../src/core/digest';
import { digestWindowBefore } from '../../src/core/schedule';
import { RETRO_QUESTION } from '../../src/core/retro';
import { openSqliteStore } from '../../src/store/sqlite';
import type { SqliteStore } from '../../src/store/sqlite';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const alice = { id: 'U1', name: 'Alice' };
const bob = { id: 'U2', name: 'Bob' };

let store: SqliteStore;
let service: CaseService;
let clock: ReturnType<typeof fakeClock>;

async function say(text: string, actor = alice): Promise<void> {
  const reply = await service.run({ place, actor }, text);
  if (reply.kind === 'error') throw new Error(`"${text}": ${reply.message}`);
}

async function theCase(): Promise<Case> {
  const c = await store.findCase(place);
  if (!c) throw new Error('no case');
  return c;
}

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  clock = fakeClock('2026-11-16T10:00:00Z'); // Monday, the first day of Sprint 0
  service = createCaseService({ store, clock, newId: sequentialIds() });

  // The week before the digest's week (16 to 22 Nov).
  await say('We will drop the paper form'); // 0
  await say('evidence 0 Nobody used the paper form in research');
  await say('We will test in private beta first'); // 1: never gets evidence
  await say('We will run a phone line'); // 2: withdrawn in the week
  await say('We will use the old address lookup'); // 3: superseded in the week
  await say('We will ask for the licence number first'); // 4: edited in the week
  await say('case Strategic Context Users repeat themselves (0a, 1), as research showed (see below) in (2020). Also (9) and (0c).');

  // The digest's week: 23 to 29 Nov.
  clock.set('2026-11-24T10:00:00Z');
  await say('We will put definitions inline'); // 5: new, no evidence
  await say('evidence 4 Three of five people had their licence number to hand');
  await say('edit 4 We will ask for the licence number second');
  await say('withdraw 2 Nobody asked for it', bob);
  clock.set('2026-11-25T10:00:00Z');
  await say('We will use the new address lookup'); // 6: new
  await say('evidence 6 It found every test address');
  await say('supersede 3 with 6');
  await say('case Benefits It saves a day per application (6a, 12b).');
  // Changes taken back within the week are not reported.
  clock.set('2026-11-26T10:00:00Z');
  await say('edit 1 We will test in public beta', bob);
  await say('undo', bob);
  await say('case Options Build it ourselves (4a).', bob);
  await say('undo', bob);
  clock.set('2026-11-30T09:00:00Z');
});

afterEach(async () => {
  await store.close();
});

describe('the weekly digest', () => {
  it('reports what changed in the week and every gap, and nothing else', async () => {
    const c = await theCase();
    const window = digestWindowBefore(c, '2026-11-30');
    const reply = await service.digestReply(c, window, { linkUrl: null, preview: false });
    expect(reply.visibility).toBe('channel');
    const d = reply.digest;
    expect(d.caseTitle).toBe('Business case');
    expect(d.period).toBe('23 to 29 Nov 2026');
    expect(d.quiet).toBe(false);
    expect(d.added.map((x) => [x.number, x.text])).toEqual([[5, 'We will put definitions inline'], [6, 'We will use the new address lookup']]);
    expect(d.edited.map((x) => [x.number, x.text])).toEqual([[4, 'We will ask for the licence number second']]);
    expect(d.withdrawn.map((x) => x.number)).toEqual([2]);
    expect(d.superseded.map((x) => [x.number, x.supersededBy])).toEqual([[3, 6]]);
    expect(d.newEvidence).toEqual([
      { decision: 4, label: '4a', text: 'Three of five people had their licence number to hand' },
      { decision: 6, label: '6a', text: 'It found every test address' },
    ]);
    expect(d.sectionsChanged).toEqual(['Benefits']);
    expect(d.gaps).toEqual({
      decisionsWithoutEvidence: [
        { number: 1, text: 'We will test in private beta first' },
        { number: 5, text: 'We will put definitions inline' },
      ],
      emptySections: [
        { heading: 'Strategic Objectives', prompt: 'What are the key challenges we are trying to overcome?' },
        { heading: 'Critical Success Factors', prompt: 'What will we need to observe to say these challenges have been addressed, and what does success depend on?' },
        { heading: 'Options', prompt: 'Given the challenges and benefits, what are the possible options, and which benefits would each unlock?' },
      ],
      brokenCitations: [
        { section: 'Strategic Context', citation: '9' },
        { section: 'Strategic Context', citation: '0c' },
        { section: 'Benefits', citation: '12b' },
      ],
      uncitedEvidence: ['4a'],
      awaitingDecision: [],
    });
    expect(d.perSprint).toEqual([{ sprint: 0, heading: 'Sprint 0', decisions: 7, evidence: 3 }]);
    expect(d.link).toEqual({ kind: 'export', url: null });
    // What every surface shows: the same groups, titles and lines.
    expect(d.sections).toEqual([
      { title: 'New decisions', items: ['Decision 5: We will put definitions inline', 'Decision 6: We will use the new address lookup'] },
      { title: 'Edited', items: ['Decision 4: We will ask for the licence number second'] },
      { title: 'Withdrawn', items: [`Decision 2: ${d.withdrawn[0]?.text ?? ''}`] },
      { title: 'Superseded', items: ['Decision 3 by Decision 6'] },
      { title: 'New evidence', items: ['Evidence 4a: Three of five people had their licence number to hand', 'Evidence 6a: It found every test address'] },
      { title: 'Sections changed', items: ['Benefits'] },
      { title: 'Decisions with no evidence', items: ['Decision 1: We will test in private beta first', 'Decision 5: We will put definitions inline'] },
      { title: 'Sections still to be written', items: [
        'Strategic Objectives (What are the key challenges we are trying to overcome?)',
        'Critical Success Factors (What will we need to observe to say these challenges have been addressed, and what does success depend on?)',
        'Options (Given the challenges and benefits, what are the possible options, and which benefits would each unlock?)',
      ] },
      { title: 'Citations that point at nothing', items: ['(9) in Strategic Context', '(0c) in Strategic Context', '(12b) in Benefits'] },
      { title: 'Evidence no section cites', items: ['Evidence 4a'] },
      { title: 'Per sprint', items: ['Sprint 0: 7 decisions, 3 pieces of evidence'] },
    ]);
    expect(reply.summary).toBe('Weekly digest for Business case (23 to 29 Nov 2026): 2 new decisions, 1 edited decision, 1 withdrawn decision, 1 superseded decision, 2 new pieces of evidence, 1 section changed; 9 gaps to fill.');
  });

  it('links to the case page when there is one', async () => {
    const c = await theCase();
    const reply = await service.digestReply(c, digestWindowBefore(c, '2026-11-30'), { linkUrl: 'https://decisions.example/case/abc', preview: false });
    expect(reply.digest.link).toEqual({ kind: 'page', url: 'https://decisions.example/case/abc' });
  });

  it('reports the earlier week without this week’s changes', async () => {
    const c = await theCase();
    const d = (await service.digestReply(c, digestWindowBefore(c, '2026-11-23'), { linkUrl: null, preview: false })).digest;
    expect(d.period).toBe('16 to 22 Nov 2026');
    expect(d.added.map((x) => x.number)).toEqual([0, 1, 2, 3, 4]);
    expect(d.edited).toEqual([]);
    expect(d.withdrawn).toEqual([]);
    expect(d.superseded).toEqual([]);
    expect(d.newEvidence.map((e) => e.label)).toEqual(['0a']);
    expect(d.sectionsChanged).toEqual(['Strategic Context']);
  });

  it('a quiet week says so in one line: no lists, no gaps, no counts', async () => {
    const c = await theCase();
    const reply = await service.digestReply(c, digestWindowBefore(c, '2026-12-07'), { linkUrl: null, preview: false });
    expect(reply.digest).toEqual({
      caseTitle: 'Business case', period: '30 Nov to 6 Dec 2026', quiet: true, sections: [],
      added: [], edited: [], withdrawn: [], superseded: [], accepted: [], rejected: [], newEvidence: [], sectionsChanged: [], imported: null,
      gaps: { decisionsWithoutEvidence: [], emptySections: [], brokenCitations: [], uncitedEvidence: [], awaitingDecision: [] },
      perSprint: [], link: { kind: 'export', url: null }, published: null, phase: null, timelineUrl: null, phasesEnded: [],
    });
    expect(reply.summary).toBe('A quiet week in Business case (30 Nov to 6 Dec 2026): nothing changed.');
  });

  it('`digest` previews the week so far to the caller, gaps included even when quiet', async () => {
    clock.set('2026-12-02T15:00:00Z');
    const reply = await service.run({ place, actor: alice }, 'digest');
    if (reply.kind !== 'digest') throw new Error(`expected a digest, got ${reply.kind}`);
    expect(reply.visibility).toBe('caller');
    expect(reply.digest.period).toBe('30 Nov to 2 Dec 2026, so far');
    expect(reply.digest.quiet).toBe(true);
    expect(reply.digest.gaps.decisionsWithoutEvidence.map((x) => x.number)).toEqual([1, 5]);
    expect(reply.summary).toBe('A quiet week in Business case (30 Nov to 2 Dec 2026, so far): nothing changed. The digest posts here on Mondays at 09:00, Europe/London time.');

    await say('digest off');
    await say('We will publish weekly');
    clock.advance(60_000);
    const after = await service.run({ place, actor: alice }, 'digest');
    if (after.kind !== 'digest') throw new Error('expected a digest');
    expect(after.digest.added.map((x) => x.number)).toEqual([7]);
    expect(after.summary).toMatch(/The weekly digest is off here; `digest on` posts it on Mondays at 09:00, Europe\/London time\.$/);
  });
});

describe('buildDigest on its own', () => {
  it('reads only the changes inside the window, and skips undone ones', async () => {
    const c = await theCase();
    const snap = await store.snapshot(c.id);
    if (!snap) throw new Error('no snapshot');
    const window = digestWindowBefore(c, '2026-11-30');
    const all = await store.listChanges(c.id, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');
    expect(all.filter((ch) => ch.undoneAt).map((ch) => ch.description)).toEqual(['edited Decision 1', 'rewrote the Options section']);
    // Given every change of the year, it still reports only the window's.
    const d = buildDigest(snap, all, window, { linkUrl: null });
    expect(d.edited.map((x) => x.number)).toEqual([4]);
    expect(d.sectionsChanged).toEqual(['Benefits']);
  });
});

describe('the retro prompt', () => {
  it('lists the sprint’s decisions (not withdrawn ones), those without evidence, and asks the question', async () => {
    const c = await theCase();
    const reply = await service.retroReply(c, 0);
    expect(reply.visibility).toBe('channel');
    expect(reply.retro.sprint).toEqual({ number: 0, heading: 'Sprint 0' });
    expect(reply.retro.question).toBe(RETRO_QUESTION);
    expect(reply.retro.question).toBe('What did you decide this sprint, and what showed you?');
    expect(reply.retro.decisions.map((d) => d.number)).toEqual([0, 1, 3, 4, 5, 6]);
    expect(reply.retro.withoutEvidence.map((d) => d.number)).toEqual([1, 5]);
    expect(reply.summary).toBe('Retro for Sprint 0: What did you decide this sprint, and what showed you? 6 decisions, 2 without evidence.');
  });

  it('for a sprint with no decisions says so', async () => {
    const c = await theCase();
    const reply = await service.retroReply(c, 1);
    expect(reply.retro.sprint.heading).toBe('Sprint 1');
    expect(reply.retro.decisions).toEqual([]);
    expect(reply.summary).toMatch(/No decisions recorded yet\.$/);
  });
});
