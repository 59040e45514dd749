/**
 * Phases and points of the Service Standard through the case service, on a real SQLite
 * file: `phase`, `phase start`, `tag`, `untag`, points inline and from a form, undo of each,
 * what sprint, list and show say, and the assessment in chat and as Markdown.
 */
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import type { Actor, Place } from '../../src/core/model';
import type { Reply } from '../../src/core/views';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

const place: Place = { platform: 'console', workspace: 'local', channel: 'team-a' };
const ana: Actor = { id: 'U1', name: 'Ana' };
const ben: Actor = { id: 'U2', name: 'Ben' };

let store: Store;
let service: CaseService;
let clock: ReturnType<typeof fakeClock>;
let cleanup: () => void;

function open(withLinks: boolean): void {
  service = createCaseService({
    store, clock, newId: sequentialIds(),
    ...(withLinks ? { shareUrl: (c) => `https://d.example/cases/${c.id}?token=t`, assessmentUrl: (c, phase, format) => `https://d.example/cases/${c.id}/assessment${format === 'markdown' ? '.md' : ''}?phase=${phase ?? 'all'}&token=t` } : {}),
  });
}

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  store = openSqliteStore(path.join(t.dir, 'decisions.sqlite'));
  clock = fakeClock('2026-11-26T10:00:00Z');
  open(false);
});

afterEach(async () => {
  await store.close();
  cleanup();
});

const run = (text: string, actor: Actor = ana) => service.run({ place, actor }, text);

function expectKind<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (reply.kind !== kind) throw new Error(`expected ${kind}, got ${reply.kind}: ${reply.summary}`);
  return reply as Extract<Reply, { kind: K }>;
}

async function snapshot() {
  const c = await store.findCase(place);
  if (!c) throw new Error('no case');
  const s = await store.snapshot(c.id);
  if (!s) throw new Error('no snapshot');
  return s;
}

describe('phases', () => {
  it('starts a phase at the current sprint, and sprint, list and show say it', async () => {
    expect(expectKind(await run('phase'), 'phases').summary).toBe('This case has no phases yet. `phase start alpha` starts Alpha at the current sprint, Sprint 0.');
    const started = expectKind(await run('phase start alpha'), 'phases');
    expect(started.visibility).toBe('channel');
    expect(started.summary).toBe('Ana started Alpha at Sprint 0. Sprint 0 and the sprints after it belong to it until the next phase starts.');
    expect(started.undo).not.toBeNull();
    expect(started.phases).toEqual([{ kind: 'alpha', label: 'Alpha', from: 0, to: null, span: 'from Sprint 0', decisions: 0, current: true }]);
    expect(expectKind(await run('sprint'), 'sprint').summary).toMatch(/^Sprint 0, Alpha runs from 26 Nov 2026/);
    const d = expectKind(await run('We will publish weekly'), 'decision');
    expect(d.decision.phase).toBe('Alpha');
    expect(expectKind(await run('list'), 'decisions').heading).toBe('Decisions in Sprint 0, Alpha');
    expect((await snapshot()).sprints[0]?.phase).toEqual({ kind: 'alpha', name: null });
  });

  it('a later phase ends the one before, says so, and the phases run one after another', async () => {
    await run('phase start alpha');
    await run('We will test the prototype');
    await run('sprint start');
    const beta = expectKind(await run('phase start beta Private beta'), 'phases');
    expect(beta.summary).toBe('Ana started Private beta at Sprint 1. Sprint 1 and the sprints after it belong to it until the next phase starts. Alpha ended at Sprint 0: `assessment alpha` shows the decisions that shaped it.');
    expect(beta.phases.map((p) => [p.label, p.span, p.decisions, p.current])).toEqual([['Alpha', 'Sprint 0', 1, false], ['Private beta', 'from Sprint 1', 0, true]]);
    expect(expectKind(await run('phase'), 'phases').summary).toBe('Phases of this case: Alpha (Sprint 0), Private beta (from Sprint 1). Now: Sprint 1, Private beta.');
    // Started again at the same sprint: the new phase takes its place, as one more change.
    expect(expectKind(await run('phase start beta'), 'phases').summary).toMatch(/^Ana made Sprint 1 start Beta instead of Private beta\./);
    expect(expectKind(await run('phase start beta'), 'error').message).toBe('Beta already starts at Sprint 1. Nothing changed.');
  });

  it('starts a phase at an earlier sprint, never a later one or one the case does not have', async () => {
    await run('sprint start');
    await run('sprint start');
    expect(expectKind(await run('phase start alpha from sprint 1'), 'phases').summary).toMatch(/^Ana started Alpha at Sprint 1\./);
    expect(expectKind(await run('phase start beta from sprint 5'), 'error').message).toBe('Sprint 5 has not started yet: the current sprint is 2. A phase starts at the current sprint or an earlier one. Nothing changed.');
    const c = await store.findCase(place);
    expect(c).not.toBeNull();
    expect((await snapshot()).sprints.filter((s) => s.phase).map((s) => s.number)).toEqual([1]);
  });

  it('checks a phase name as any text: one line, at most 60 characters, no control characters', async () => {
    expect(expectKind(await run(`phase start beta ${'x'.repeat(61)}`), 'error').message).toBe('A phase name is 61 characters long; the most is 60.');
    expect(expectKind(await run('phase start beta bad\u0007name'), 'error').message).toBe('A phase name contains control characters; please retype it as plain text.');
    // Hostile text is kept as the team wrote it: each surface escapes it.
    expect(expectKind(await run('phase start beta <!channel> @here <b>x</b>'), 'phases').phases[0]?.label).toBe('<!channel> @here <b>x</b>');
  });

  it('undo takes a phase back, and refuses to take back a sprint a phase now starts at', async () => {
    await run('sprint start');
    await run('phase start alpha');
    expect(expectKind(await run('undo'), 'notice').summary).toBe('Ana undid: started Alpha at Sprint 1.');
    expect((await snapshot()).sprints.some((s) => s.phase)).toBe(false);
    await run('phase start alpha', ben);
    // Ana's `sprint start` made Sprint 1, which Ben's phase now starts at: it stays.
    expect(expectKind(await run('undo'), 'error').message).toBe('Since then Ben started Alpha at Sprint 1, and undoing would lose that. Nothing changed.');
  });
});

describe('points of the Service Standard', () => {
  it('tags and untags a decision and a piece of evidence, shows them, and undo puts them back', async () => {
    await run('We will put definitions inline');
    await run('evidence 0 Readers stumbled on three undefined terms');
    const tagged = expectKind(await run('tag 0 5 1'), 'decision');
    expect(tagged.event).toBe('tagged');
    expect(tagged.summary).toBe('Decision 0 tagged with points 1 and 5 of the Service Standard by Ana.');
    expect(tagged.decision.points).toEqual([{ number: 1, title: 'Understand users and their needs' }, { number: 5, title: 'Make sure everyone can use the service' }]);
    expect(expectKind(await run('tag 0 5'), 'error').message).toBe('Decision 0 already has point 5. Nothing changed.');
    const ev = expectKind(await run('tag 0a 4'), 'decision');
    expect(ev.newEvidence).toBe('0a');
    expect(ev.decision.evidence[0]?.points).toEqual([{ number: 4, title: 'Make the service simple to use' }]);
    expect(expectKind(await run('untag 0 5'), 'decision').summary).toBe('Ana took point 5 of the Service Standard off Decision 0.');
    expect(expectKind(await run('untag 0 9'), 'error').message).toBe('Decision 0 does not have point 9: it has point 1. Nothing changed.');
    expect(expectKind(await run('show 0'), 'decision').decision.points.map((p) => p.number)).toEqual([1]);
    await run('undo');
    expect((await snapshot()).decisions[0]?.points).toEqual([1, 5]);
    await run('undo');
    expect((await snapshot()).evidence[0]?.points).toEqual([]);
    expect(expectKind(await run('untag 0'), 'decision').summary).toBe('Ana took points 1 and 5 of the Service Standard off Decision 0.');
    expect(expectKind(await run('untag 0'), 'error').message).toBe('Decision 0 has no points of the Service Standard to take off. Nothing changed.');
  });

  it('says what there is when the decision or evidence named is not there', async () => {
    await run('We will put definitions inline');
    await run('evidence 0 A finding');
    expect(expectKind(await run('tag 3 1'), 'error').message).toBe('There is no Decision 3: the only decision here is Decision 0.');
    expect(expectKind(await run('tag 0c 1'), 'error').message).toBe('There is no Evidence 0c. Decision 0 has Evidence 0a.');
  });

  it('an undo of a tag is refused once someone has changed the decision since', async () => {
    await run('We will put definitions inline');
    await run('tag 0 4');
    await run('edit 0 We will put definitions inline and in a glossary', ben);
    expect(expectKind(await run('undo'), 'error').message).toBe('Since then Ben edited Decision 0, and undoing would lose that. Nothing changed.');
  });

  it('takes points inline when recording, and from a form, each line of evidence with its own', async () => {
    const d = expectKind(await run('We will test with screen reader users [SS 5]'), 'decision');
    expect(d.summary).toBe('Decision 0 recorded in Sprint 0 by Ana: We will test with screen reader users [Service Standard 5]');
    expect(d.decision.text).toBe('We will test with screen reader users');
    const formed = expectKind(await service.runCommand({ place, actor: ana }, {
      name: 'record', text: 'We will publish weekly [SS 8]', points: '7,10', evidence: 'Users asked for it [SS 1]\nA second finding',
    }), 'decision');
    expect(formed.decision.points.map((p) => p.number)).toEqual([7, 8, 10]);
    expect(formed.decision.evidence.map((e) => e.points.map((p) => p.number))).toEqual([[1], []]);
    expect(expectKind(await run('evidence 1 Two of five said so [SS 9]'), 'decision').decision.evidence[2]?.points.map((p) => p.number)).toEqual([9]);
  });

  it('refuses points that are not the standard\'s, on the field they came from, and records nothing', async () => {
    const bad = expectKind(await run('We will publish weekly [SS 99]'), 'error');
    expect(bad.message).toBe('There is no point 99 of the Service Standard. The Service Standard has 14 points, numbered 1 to 14: `help tag` lists them.');
    expect(bad.field).toBe('points');
    expect(expectKind(await service.runCommand({ place, actor: ana }, { name: 'record', text: 'We will publish', evidence: 'Seen [SS x]' }), 'error').field).toBe('evidence');
    expect(await store.findCase(place)).toBeNull();
  });

  it('help tag lists the 14 points with their titles', async () => {
    const help = expectKind(await run('help tag'), 'help');
    expect(help.entries[0]?.details).toHaveLength(14);
    expect(help.entries[0]?.details?.[8]).toBe('9. Create a secure service which protects users\' privacy');
  });
});

describe('the assessment in chat', () => {
  it('covers the current phase, another named, or the whole case, and says when a phase is not there', async () => {
    open(true);
    await run('We will map the journey [SS 1]');
    await run('sprint start');
    await run('phase start alpha');
    await run('We will prototype the form [SS 4]');
    await run('propose We will build an app [SS 11]');
    const a = expectKind(await run('assessment'), 'assessment');
    expect(a.summary).toBe('Alpha: 1 decision, 1 of 14 points covered; nothing yet for 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 14. 1 proposal not yet taken.');
    expect(a.url).toBe(`https://d.example/cases/${a.caseId ?? ''}/assessment?phase=alpha&token=t`);
    expect(a.assessment.points[3]?.decisions.map((d) => d.number)).toEqual([1]);
    expect(a.assessment.proposals.map((d) => d.number)).toEqual([2]);
    expect(a.visibility).toBe('caller');
    const all = expectKind(await run('assessment all'), 'assessment');
    expect(all.assessment.covered).toEqual([1, 4]);
    expect(expectKind(await run('assessment beta'), 'error').message).toBe('This case has no Beta phase. Its phases: Alpha (from Sprint 1).');
    expect(expectKind(await run('assessment gamma'), 'error').message).toBe('"gamma" is not a phase of this case. Its phases: Alpha (from Sprint 1).');
    const file = expectKind(await run('assessment export'), 'export');
    expect(file.filename).toBe('business-case-alpha-assessment.md');
    expect(file.describes).toBe('the Alpha assessment pack');
    expect(file.url).toBe(`https://d.example/cases/${file.caseId ?? ''}/assessment.md?phase=alpha&token=t`);
    expect(file.markdown.startsWith('# Alpha assessment: Business case\n\nAlpha: 1 decision')).toBe(true);
  });

  it('covers the whole case while there are no phases, with no link when sharing is off', async () => {
    await run('We will map the journey');
    const a = expectKind(await run('assessment'), 'assessment');
    expect(a.assessment.scope).toEqual({ kind: 'case', label: 'The whole case', key: null, sprints: 'Sprint 0' });
    expect(a.summary).toBe('The whole case: 1 decision, 0 of 14 points covered; nothing yet for 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 14.');
    expect(a.url).toBeNull();
  });
});
