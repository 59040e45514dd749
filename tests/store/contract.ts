/**
 * The contract every Store implementation passes. A store's test file calls
 * `storeContract(name, open)`; `open` gives a fresh, empty store for each test, and
 * `cleanup` removes whatever it made after the store has been closed.
 *
 * Written against the Store port only, so the MongoDB store runs the same suite.
 */
import { newCase } from '../../src/core/cases';
import type {
  Actor, Case, CaseSnapshot, Change, Decision, Evidence, Place, Sprint, UndoStep,
} from '../../src/core/model';
import { StoreConflict, type ChangeInput, type NewDecision, type Store } from '../../src/store/store';

const T0 = Date.parse('2025-03-03T09:00:00.000Z');
/** An ISO time `minutes` after the start of the test clock. */
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

const alice: Actor = { id: 'U-ALICE', name: 'Alice' };
const bob: Actor = { id: 'U-BOB', name: 'Bob' };

const place = (channel = 'C-TEAM', workspace = 'T-ONE', platform: Place['platform'] = 'slack'): Place => ({
  platform, workspace, channel,
});

export function storeContract(
  name: string,
  open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let ids = 0;
    const id = (prefix: string): string => `${prefix}-${(ids += 1)}`;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });

    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    const makeCase = (p: Place = place(), now = at(0), caseId = id('case')): Case => newCase({ id: caseId, place: p, now });

    const ensure = (p: Place = place(), now = at(0)): Promise<Case> => store.ensureCase(p, () => makeCase(p, now));

    const changeFor = (caseId: string, actor: Actor, when: string, description: string, undo?: UndoStep[]): ChangeInput => ({
      id: id('change'), caseId, actor, at: when, description, ...(undo ? { undo } : {}),
    });

    const decisionInput = (text: string, when = at(1), sprint = 1, author = alice): NewDecision => ({
      sprint, text, author, at: when, sourceUrl: null,
    });

    const record = (caseId: string, text: string, when = at(1), author = alice, sprint = 1): Promise<Decision> =>
      store.recordDecision(caseId, decisionInput(text, when, sprint, author), changeFor(caseId, author, when, `recorded "${text}"`));

    const addEvidence = (caseId: string, decision: number, text: string, when = at(2), author = alice): Promise<Evidence> =>
      store.addEvidence(
        caseId,
        { decision, text, author, at: when, sourceUrl: null },
        changeFor(caseId, author, when, `added evidence to Decision ${decision}`),
      );

    const sprint = (number: number, suffix = ''): Sprint => ({ number, suffix, intro: '', startsOn: null });

    // ---------------------------------------------------------------------------------
    describe('cases', () => {
      it('ensureCase makes the case once, then returns it without calling init', async () => {
        const p = place();
        const made = makeCase(p);
        const init = jest.fn(() => made);
        const first = await store.ensureCase(p, init);
        expect(first).toEqual(made);
        expect(init).toHaveBeenCalledTimes(1);

        const again = jest.fn(() => makeCase(p));
        const second = await store.ensureCase(p, again);
        expect(second).toEqual(made);
        expect(again).not.toHaveBeenCalled();
      });

      it('getCase and findCase return the case, or null when there is none', async () => {
        const c = await ensure();
        expect(await store.getCase(c.id)).toEqual(c);
        expect(await store.findCase(place())).toEqual(c);
        expect(await store.getCase('no-such-case')).toBeNull();
        expect(await store.findCase(place('C-OTHER'))).toBeNull();
        expect(await store.findCase(place('C-TEAM', 'T-OTHER'))).toBeNull();
        expect(await store.findCase(place('C-TEAM', 'T-ONE', 'teams'))).toBeNull();
      });

      it('keeps every field of a case, including null title and nested layout', async () => {
        const p = place('C-FIVE');
        const c: Case = {
          ...newCase({ id: 'case-five', place: p, now: at(3), template: 'five-case', title: null }),
          timeZone: 'America/New_York',
          sprintLength: { count: 10, unit: 'days' },
          shareVersion: 4,
          updatedAt: at(4),
        };
        c.layout = { ...c.layout, preamble: 'Intro *text*\n', decisionsHeading: null, sprintLevel: 2, decisionStyle: 'heading' };
        await store.ensureCase(p, () => c);
        expect(await store.getCase('case-five')).toEqual(c);
      });

      it('listCases orders by creation time and filters by platform and workspace', async () => {
        const c1 = await ensure(place('C1', 'T1', 'slack'), at(2));
        const c2 = await ensure(place('C2', 'tenant', 'teams'), at(1));
        const c3 = await ensure(place('C3', 'T2', 'slack'), at(3));
        const ids = (cs: Case[]): string[] => cs.map((c) => c.id);
        expect(ids(await store.listCases())).toEqual([c2.id, c1.id, c3.id]);
        expect(ids(await store.listCases({}))).toEqual([c2.id, c1.id, c3.id]);
        expect(ids(await store.listCases({ platform: 'slack' }))).toEqual([c1.id, c3.id]);
        expect(ids(await store.listCases({ platform: 'teams' }))).toEqual([c2.id]);
        expect(ids(await store.listCases({ workspace: 'T1' }))).toEqual([c1.id]);
        expect(ids(await store.listCases({ platform: 'slack', workspace: 'T2' }))).toEqual([c3.id]);
        expect(await store.listCases({ platform: 'console' })).toEqual([]);
      });

      it('updateCase applies fields, sets updatedAt, records the change and returns the case', async () => {
        const c = await ensure();
        const fields = {
          title: 'Apply for a fishing licence',
          template: 'five-case' as const,
          timeZone: 'Europe/Dublin',
          sprintLength: { count: 1, unit: 'weeks' as const },
          schedule: { ...c.schedule, digestOn: false, digestWeekday: 5 },
          layout: { ...c.layout, preamble: 'Owned by the licensing team.\n' },
          shareVersion: 2,
        };
        const change: Change = {
          id: id('change'), caseId: c.id, actor: alice, at: at(5), description: 'renamed the case',
          undo: [{ op: 'putCase', fields: { title: c.title, shareVersion: c.shareVersion } }],
        };
        const updated = await store.updateCase(c.id, fields, at(5), change);
        const expected: Case = { ...c, ...fields, updatedAt: at(5) };
        expect(updated).toEqual(expected);
        expect(await store.getCase(c.id)).toEqual(expected);
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual(change);

        const untitled = await store.updateCase(c.id, { title: null }, at(6));
        expect(untitled).toEqual({ ...expected, title: null, updatedAt: at(6) });
        // No change passed: nothing new to undo.
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual(change);
      });

      it('updateCase refuses a case that does not exist', async () => {
        await expect(store.updateCase('no-such-case', { title: 'x' }, at(1))).rejects.toBeInstanceOf(StoreConflict);
      });

      it('deleteCase removes the case and everything in it, and nothing else', async () => {
        const gone = await ensure(place('C-GONE'));
        const kept = await ensure(place('C-KEPT'));
        for (const c of [gone, kept]) {
          await store.ensureSprints(c.id, [sprint(0), sprint(1)]);
          const d = await record(c.id, 'We will drop the paper form');
          await addEvidence(c.id, d.number, 'Nobody used it in research');
        }
        const keptBefore = await store.snapshot(kept.id);

        await store.deleteCase(gone.id);

        expect(await store.getCase(gone.id)).toBeNull();
        expect(await store.findCase(place('C-GONE'))).toBeNull();
        expect(await store.listSprints(gone.id)).toEqual([]);
        expect(await store.listDecisions(gone.id)).toEqual([]);
        expect(await store.listEvidence(gone.id)).toEqual([]);
        expect(await store.getDecision(gone.id, 0)).toBeNull();
        expect(await store.lastChange(gone.id, alice.id, at(0))).toBeNull();
        expect(await store.snapshot(gone.id)).toBeNull();
        expect(await store.snapshot(kept.id)).toEqual(keptBefore);
        expect((await store.listCases()).map((c) => c.id)).toEqual([kept.id]);

        // The place is free again, and a new case there starts from Decision 0.
        const fresh = await ensure(place('C-GONE'), at(9));
        expect(fresh.id).not.toBe(gone.id);
        await store.ensureSprints(fresh.id, [sprint(1)]);
        expect((await record(fresh.id, 'Start again')).number).toBe(0);
      });

      it('deleteCase of an unknown case does nothing', async () => {
        const c = await ensure();
        await store.deleteCase('no-such-case');
        expect(await store.getCase(c.id)).toEqual(c);
      });

      it('ten racing ensureCase calls for one place make exactly one case', async () => {
        const p = place('C-RACE');
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.ensureCase(p, () => makeCase(p, at(0), `race-${i}`))),
        );
        const ids = new Set(results.map((c) => c.id));
        expect(ids.size).toBe(1);
        const [only] = [...ids];
        expect(await store.listCases()).toHaveLength(1);
        expect((await store.findCase(p))?.id).toBe(only);
        for (const c of results) expect(c).toEqual(results[0]);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('sprints', () => {
      it('ensureSprints inserts missing sprints and leaves existing ones alone', async () => {
        const c = await ensure();
        expect(await store.listSprints(c.id)).toEqual([]);
        const one: Sprint = { number: 1, suffix: ': Alpha', intro: 'We started testing.', startsOn: '2025-03-03' };
        await store.ensureSprints(c.id, [one, sprint(0)]);
        await store.ensureSprints(c.id, [{ ...one, suffix: ' (changed)', intro: 'changed' }, sprint(2, ' (17 to 28 Mar)')]);
        expect(await store.listSprints(c.id)).toEqual([sprint(0), one, sprint(2, ' (17 to 28 Mar)')]);
        await store.ensureSprints(c.id, []);
        expect(await store.listSprints(c.id)).toHaveLength(3);
      });

      it('addSprint adds the sprint and records a change whose undo deletes it', async () => {
        const c = await ensure();
        await store.ensureSprints(c.id, [sprint(0), sprint(1)]);
        const input = changeFor(c.id, bob, at(3), 'added Sprint 2');
        const s: Sprint = { number: 2, suffix: '', intro: '', startsOn: '2025-03-17' };
        expect(await store.addSprint(c.id, s, input)).toEqual(s);
        expect(await store.listSprints(c.id)).toEqual([sprint(0), sprint(1), s]);
        expect(await store.lastChange(c.id, bob.id, at(0))).toEqual({ ...input, undo: [{ op: 'deleteSprint', number: 2 }] });
      });

      it('addSprint refuses a sprint that already exists', async () => {
        const c = await ensure();
        await store.ensureSprints(c.id, [sprint(1)]);
        await expect(store.addSprint(c.id, sprint(1, ' again'), changeFor(c.id, bob, at(3), 'added Sprint 1')))
          .rejects.toBeInstanceOf(StoreConflict);
        expect(await store.listSprints(c.id)).toEqual([sprint(1)]);
        expect(await store.lastChange(c.id, bob.id, at(0))).toBeNull();
      });
    });

    // ---------------------------------------------------------------------------------
    describe('decisions', () => {
      it('numbers decisions 0, 1, 2 across sprints and keeps what was given', async () => {
        const c = await ensure();
        await store.ensureSprints(c.id, [sprint(0), sprint(1), sprint(2)]);
        const d0 = await store.recordDecision(
          c.id,
          { sprint: 1, text: 'We decided to test the case in private beta first', author: alice, at: at(1), sourceUrl: 'https://example.slack.com/archives/C/p1' },
          changeFor(c.id, alice, at(1), 'recorded Decision 0'),
        );
        const d1 = await record(c.id, 'We will drop the paper form', at(2), bob, 1);
        const d2 = await record(c.id, 'We will put definitions inline', at(3), alice, 2);
        expect([d0.number, d1.number, d2.number]).toEqual([0, 1, 2]);
        expect(d0).toEqual({
          number: 0, sprint: 1, text: 'We decided to test the case in private beta first', author: alice,
          createdAt: at(1), updatedAt: at(1), status: 'active', statusReason: null, supersededBy: null,
          sourceUrl: 'https://example.slack.com/archives/C/p1', revisions: [],
        });
        expect(await store.getDecision(c.id, 0)).toEqual(d0);
        expect(await store.getDecision(c.id, 2)).toEqual(d2);
        expect(await store.getDecision(c.id, 3)).toBeNull();
        expect(await store.listDecisions(c.id)).toEqual([d0, d1, d2]);
        expect(await store.listDecisions(c.id, {})).toEqual([d0, d1, d2]);
        expect(await store.listDecisions(c.id, { sprint: 1 })).toEqual([d0, d1]);
        expect(await store.listDecisions(c.id, { sprint: 2 })).toEqual([d2]);
        expect(await store.listDecisions(c.id, { sprint: 0 })).toEqual([]);
      });

      it('numbers each case separately', async () => {
        const a = await ensure(place('C-A'));
        const b = await ensure(place('C-B'));
        expect((await record(a.id, 'a0')).number).toBe(0);
        expect((await record(a.id, 'a1')).number).toBe(1);
        expect((await record(b.id, 'b0')).number).toBe(0);
      });

      it('records the change with an undo that deletes the decision, keeping the caller’s own undo steps', async () => {
        const c = await ensure();
        await record(c.id, 'first');
        const extra: UndoStep = { op: 'putCase', fields: { shareVersion: 1 } };
        const input = changeFor(c.id, bob, at(4), 'recorded Decision 1', [extra]);
        const d = await store.recordDecision(c.id, decisionInput('second', at(4), 1, bob), input);
        const ch = await store.lastChange(c.id, bob.id, at(0));
        expect(ch).toEqual({ ...input, undo: expect.any(Array) });
        expect(ch?.undo).toHaveLength(2);
        expect(ch?.undo).toEqual(expect.arrayContaining([{ op: 'deleteDecision', number: d.number }, extra]));
      });

      it('records evidence given with the decision, lettered a, b in order, and one undo removes all of it', async () => {
        const c = await ensure();
        const d = await store.recordDecision(c.id, { ...decisionInput('with evidence'), evidence: ['first', 'second'] },
          changeFor(c.id, alice, at(1), 'recorded with evidence'));
        const evidence = await store.listEvidence(c.id, { decision: d.number });
        expect(evidence.map((e) => [e.letter, e.position, e.text, e.author])).toEqual([['a', 0, 'first', alice], ['b', 1, 'second', alice]]);
        expect((await addEvidence(c.id, d.number, 'third')).letter).toBe('c');
        const recordChange = (await store.lastChange(c.id, alice.id, at(0)))!;
        await store.revertChange(recordChange); // undoes the third evidence first
        await store.revertChange((await store.lastChange(c.id, alice.id, at(0)))!);
        expect(await store.listDecisions(c.id)).toEqual([]);
        expect(await store.listEvidence(c.id)).toEqual([]);
      });

      it('after undoing the last decision its number is used again: no gap', async () => {
        const c = await ensure();
        await record(c.id, 'zero', at(1));
        await record(c.id, 'one', at(2));
        expect((await record(c.id, 'two', at(3))).number).toBe(2);
        const last = await store.lastChange(c.id, alice.id, at(0));
        expect(last?.undo).toEqual([{ op: 'deleteDecision', number: 2 }]);
        await store.revertChange(last as Change);
        expect((await store.listDecisions(c.id)).map((d) => d.number)).toEqual([0, 1]);
        const again = await record(c.id, 'two, again', at(4));
        expect(again.number).toBe(2);
        expect((await store.listDecisions(c.id)).map((d) => d.text)).toEqual(['zero', 'one', 'two, again']);
      });

      it('updateDecision applies the patch, keeps revisions, and records the change', async () => {
        const c = await ensure();
        const before = await record(c.id, 'We will put definitions inline', at(1));
        const revisions = [{ text: before.text, editedBy: bob, editedAt: at(5) }];
        const change: Change = {
          id: id('change'), caseId: c.id, actor: bob, at: at(5), description: 'edited Decision 0',
          undo: [{ op: 'putDecision', decision: before }],
        };
        const after = await store.updateDecision(
          c.id, 0, { text: 'We will put definitions in a glossary', revisions, updatedAt: at(5) }, change,
        );
        const expected: Decision = { ...before, text: 'We will put definitions in a glossary', revisions, updatedAt: at(5) };
        expect(after).toEqual(expected);
        expect(await store.getDecision(c.id, 0)).toEqual(expected);
        expect(await store.lastChange(c.id, bob.id, at(0))).toEqual(change);

        // A second edit appends to the history the caller passes.
        const more = [...revisions, { text: expected.text, editedBy: alice, editedAt: at(6) }];
        const again = await store.updateDecision(
          c.id, 0, { text: 'third', revisions: more, updatedAt: at(6) },
          { id: id('change'), caseId: c.id, actor: alice, at: at(6), description: 'edited Decision 0', undo: [{ op: 'putDecision', decision: expected }] },
        );
        expect(again.revisions).toEqual(more);
        expect((await store.getDecision(c.id, 0))?.revisions).toEqual(more);
      });

      it('updateDecision changes status, reason and superseding decision', async () => {
        const c = await ensure();
        const d0 = await record(c.id, 'zero');
        const d1 = await record(c.id, 'one');
        const withdrawn = await store.updateDecision(
          c.id, 0, { status: 'withdrawn', statusReason: 'Research said otherwise', updatedAt: at(7) },
          { id: id('change'), caseId: c.id, actor: alice, at: at(7), description: 'withdrew Decision 0', undo: [{ op: 'putDecision', decision: d0 }] },
        );
        expect(withdrawn).toEqual({ ...d0, status: 'withdrawn', statusReason: 'Research said otherwise', updatedAt: at(7) });
        const superseded = await store.updateDecision(
          c.id, 1, { status: 'superseded', supersededBy: 0 },
          { id: id('change'), caseId: c.id, actor: alice, at: at(8), description: 'superseded Decision 1', undo: [{ op: 'putDecision', decision: d1 }] },
        );
        expect(superseded.status).toBe('superseded');
        expect(superseded.supersededBy).toBe(0);
        expect(superseded.text).toBe('one');
        expect(await store.getDecision(c.id, 1)).toEqual(superseded);
      });

      it('updateDecision refuses a decision that does not exist, and records nothing', async () => {
        const c = await ensure();
        await record(c.id, 'zero');
        await expect(store.updateDecision(
          c.id, 5, { text: 'x' },
          { id: id('change'), caseId: c.id, actor: bob, at: at(9), description: 'edited Decision 5', undo: [] },
        )).rejects.toBeInstanceOf(StoreConflict);
        expect(await store.lastChange(c.id, bob.id, at(0))).toBeNull();
        expect(await store.getDecision(c.id, 5)).toBeNull();
      });

      it('50 concurrent recordDecision calls get numbers 0..49 with no duplicate or gap', async () => {
        const c = await ensure();
        const made = await Promise.all(
          Array.from({ length: 50 }, (_, i) => record(c.id, `decision ${i}`, at(1), i % 2 ? alice : bob)),
        );
        const numbers = made.map((d) => d.number).sort((x, y) => x - y);
        expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i));
        const stored = await store.listDecisions(c.id);
        expect(stored.map((d) => d.number)).toEqual(numbers);
        // Each call got back the row it wrote.
        for (const d of made) expect(stored[d.number]).toEqual(d);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('evidence', () => {
      it('letters evidence a … z, aa under each decision, in position order', async () => {
        const c = await ensure();
        await record(c.id, 'zero');
        await record(c.id, 'one');
        const added: Evidence[] = [];
        for (let i = 0; i < 27; i += 1) added.push(await addEvidence(c.id, 0, `finding ${i}`, at(10 + i)));
        const letters = added.map((e) => e.letter);
        expect(letters.slice(0, 3)).toEqual(['a', 'b', 'c']);
        expect(letters[25]).toBe('z');
        expect(letters[26]).toBe('aa');
        expect(added.map((e) => e.position)).toEqual(Array.from({ length: 27 }, (_, i) => i));
        expect(new Set(added.map((e) => e.id)).size).toBe(27);
        expect(added[0]).toEqual({
          id: added[0].id, decision: 0, letter: 'a', refersTo: null, position: 0, text: 'finding 0',
          author: alice, createdAt: at(10), sourceUrl: null,
        });

        // Another decision starts at a again.
        const other = await store.addEvidence(
          c.id,
          { decision: 1, text: 'A quote', author: bob, at: at(50), sourceUrl: 'https://example.org/q' },
          changeFor(c.id, bob, at(50), 'added evidence to Decision 1'),
        );
        expect(other).toMatchObject({ decision: 1, letter: 'a', position: 0, sourceUrl: 'https://example.org/q', author: bob });

        expect(await store.listEvidence(c.id)).toEqual([...added, other]);
        expect(await store.listEvidence(c.id, { decision: 0 })).toEqual(added);
        expect(await store.listEvidence(c.id, { decision: 1 })).toEqual([other]);
        expect(await store.listEvidence(c.id, { decision: 7 })).toEqual([]);
      });

      it('records the change with an undo that deletes the evidence', async () => {
        const c = await ensure();
        await record(c.id, 'zero');
        const input = changeFor(c.id, bob, at(3), 'added Evidence 0a');
        const e = await store.addEvidence(c.id, { decision: 0, text: 'x', author: bob, at: at(3), sourceUrl: null }, input);
        expect(await store.lastChange(c.id, bob.id, at(0))).toEqual({ ...input, undo: [{ op: 'deleteEvidence', id: e.id }] });
      });

      it('refuses evidence for a decision that does not exist', async () => {
        const c = await ensure();
        await record(c.id, 'zero');
        await expect(addEvidence(c.id, 3, 'orphan', at(3), bob)).rejects.toBeInstanceOf(StoreConflict);
        expect(await store.listEvidence(c.id)).toEqual([]);
        expect(await store.lastChange(c.id, bob.id, at(0))).toBeNull();
      });

      it('back-references (letter null) keep their place but do not use up letters', async () => {
        const p = place('C-REFS');
        const c = makeCase(p);
        const d = (number: number): Decision => ({
          number, sprint: 1, text: `Decision text ${number}`, author: alice, createdAt: at(1), updatedAt: at(1),
          status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [],
        });
        const ev = (decision: number, letter: string | null, position: number, refersTo: string | null = null): Evidence => ({
          id: `ev-${decision}-${position}`, decision, letter, refersTo, position, text: refersTo ? 'See above' : 'finding',
          author: alice, createdAt: at(2), sourceUrl: null,
        });
        await store.putSnapshot({
          case: c,
          sprints: [sprint(1)],
          decisions: [d(0), d(1)],
          evidence: [ev(0, 'a', 0), ev(0, null, 1, '0a'), ev(1, null, 0, '0a')],
        }, { replace: false });

        const under1 = await addEvidence(c.id, 1, 'new finding', at(5));
        expect(under1).toMatchObject({ letter: 'a', position: 1, refersTo: null });
        const under0 = await addEvidence(c.id, 0, 'another finding', at(6));
        expect(under0).toMatchObject({ letter: 'b', position: 2 });
        expect((await store.listEvidence(c.id)).map((e) => [e.decision, e.letter, e.refersTo])).toEqual([
          [0, 'a', null], [0, null, '0a'], [0, 'b', null], [1, null, '0a'], [1, 'a', null],
        ]);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('undo', () => {
      it('lastChange finds the actor’s newest change at or after `since` that is not undone', async () => {
        const c = await ensure();
        const other = await ensure(place('C-OTHER'));
        await record(c.id, 'alice early', at(1), alice);
        await record(c.id, 'bob', at(2), bob);
        await record(c.id, 'alice late', at(3), alice);
        await record(other.id, 'alice elsewhere', at(4), alice);

        const latest = await store.lastChange(c.id, alice.id, at(0));
        expect(latest).toMatchObject({ caseId: c.id, actor: alice, at: at(3), description: 'recorded "alice late"' });
        expect(latest?.undo).toEqual([{ op: 'deleteDecision', number: 2 }]);
        expect(await store.lastChange(c.id, bob.id, at(0))).toMatchObject({ actor: bob, at: at(2) });
        expect(await store.lastChange(c.id, alice.id, at(3))).toMatchObject({ at: at(3) }); // `since` is inclusive
        expect(await store.lastChange(c.id, alice.id, at(4))).toBeNull();
        expect(await store.lastChange(c.id, 'U-NOBODY', at(0))).toBeNull();
        expect(await store.lastChange(other.id, alice.id, at(0))).toMatchObject({ caseId: other.id, at: at(4) });

        await store.revertChange(latest as Change);
        expect(await store.lastChange(c.id, alice.id, at(0))).toMatchObject({ at: at(1), description: 'recorded "alice early"' });
        expect(await store.lastChange(c.id, alice.id, at(2))).toBeNull();
      });

      it('revertChange deleteDecision removes the decision and its own evidence, and marks the change undone', async () => {
        const c = await ensure();
        await record(c.id, 'zero', at(1));
        await addEvidence(c.id, 0, 'kept', at(2));
        const d1 = await record(c.id, 'one', at(3), bob);
        const recorded = await store.lastChange(c.id, bob.id, at(0));
        await addEvidence(c.id, d1.number, 'goes with it', at(4));
        await addEvidence(c.id, d1.number, 'this too', at(5));

        await store.revertChange(recorded as Change);

        expect(await store.getDecision(c.id, 1)).toBeNull();
        expect((await store.listDecisions(c.id)).map((d) => d.number)).toEqual([0]);
        expect((await store.listEvidence(c.id)).map((e) => e.text)).toEqual(['kept']);
        expect(await store.lastChange(c.id, bob.id, at(0))).toBeNull();
        await expect(store.revertChange(recorded as Change)).rejects.toBeInstanceOf(StoreConflict);
      });

      it('revertChange refuses to delete a decision that a later one follows, and changes nothing', async () => {
        const c = await ensure();
        await record(c.id, 'zero', at(1), alice);
        const mine = await store.lastChange(c.id, alice.id, at(0));
        await record(c.id, 'one', at(2), bob);
        await expect(store.revertChange(mine as Change)).rejects.toBeInstanceOf(StoreConflict);
        expect((await store.listDecisions(c.id)).map((d) => d.number)).toEqual([0, 1]);
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual(mine);
      });

      it('revertChange putDecision puts the decision back and keeps its evidence', async () => {
        const c = await ensure();
        const before = await record(c.id, 'original', at(1));
        await addEvidence(c.id, 0, 'still here', at(2));
        const change: Change = {
          id: id('change'), caseId: c.id, actor: bob, at: at(3), description: 'edited Decision 0',
          undo: [{ op: 'putDecision', decision: before }],
        };
        await store.updateDecision(
          c.id, 0,
          { text: 'edited', status: 'withdrawn', statusReason: 'why', revisions: [{ text: 'original', editedBy: bob, editedAt: at(3) }] },
          change,
        );
        await store.revertChange(change);
        expect(await store.getDecision(c.id, 0)).toEqual(before);
        expect((await store.listEvidence(c.id, { decision: 0 })).map((e) => e.text)).toEqual(['still here']);
        expect(await store.lastChange(c.id, bob.id, at(0))).toBeNull();
      });

      it('revertChange deleteEvidence removes that evidence only, and its letter is free again', async () => {
        const c = await ensure();
        await record(c.id, 'zero');
        const a = await addEvidence(c.id, 0, 'first', at(2), alice);
        await addEvidence(c.id, 0, 'second', at(3), bob);
        const added = await store.lastChange(c.id, bob.id, at(0));
        await store.revertChange(added as Change);
        expect(await store.listEvidence(c.id)).toEqual([a]);
        expect((await addEvidence(c.id, 0, 'second again', at(4))).letter).toBe('b');
      });

      it('revertChange putCase puts the case fields back', async () => {
        const c = await ensure();
        const change: Change = {
          id: id('change'), caseId: c.id, actor: alice, at: at(5), description: 'changed the schedule',
          undo: [{ op: 'putCase', fields: { title: c.title, schedule: c.schedule, sprintLength: c.sprintLength } }],
        };
        await store.updateCase(
          c.id,
          { title: 'New title', schedule: { ...c.schedule, digestOn: false }, sprintLength: { count: 3, unit: 'weeks' } },
          at(5), change,
        );
        await store.revertChange(change);
        const back = await store.getCase(c.id);
        expect(back).toMatchObject({ title: c.title, schedule: c.schedule, sprintLength: c.sprintLength, layout: c.layout });
        expect(await store.lastChange(c.id, alice.id, at(0))).toBeNull();
      });

      it('revertChange deleteSprint removes the sprint it added', async () => {
        const c = await ensure();
        await store.ensureSprints(c.id, [sprint(0), sprint(1)]);
        await store.addSprint(c.id, sprint(2), changeFor(c.id, alice, at(2), 'added Sprint 2'));
        const added = await store.lastChange(c.id, alice.id, at(0));
        expect(added?.undo).toEqual([{ op: 'deleteSprint', number: 2 }]);
        await store.revertChange(added as Change);
        expect(await store.listSprints(c.id)).toEqual([sprint(0), sprint(1)]);
        expect(await store.lastChange(c.id, alice.id, at(0))).toBeNull();
      });

      it('revertChange refuses to delete a sprint that has decisions in it', async () => {
        const c = await ensure();
        await store.addSprint(c.id, sprint(3), changeFor(c.id, alice, at(2), 'added Sprint 3'));
        const added = await store.lastChange(c.id, alice.id, at(0));
        await record(c.id, 'in sprint 3', at(3), bob, 3);
        await expect(store.revertChange(added as Change)).rejects.toBeInstanceOf(StoreConflict);
        expect(await store.listSprints(c.id)).toEqual([sprint(3)]);
      });

      it('revertChange applies every step of a change, all or nothing', async () => {
        const c = await ensure();
        const old = await record(c.id, 'old', at(1));
        // Decision 1 supersedes Decision 0: one change, two undo steps.
        const input = changeFor(c.id, bob, at(2), 'recorded Decision 1, superseding Decision 0', [
          { op: 'putDecision', decision: old },
        ]);
        await store.recordDecision(c.id, decisionInput('new', at(2), 1, bob), input);
        await store.updateDecision(c.id, 0, { status: 'superseded', supersededBy: 1 }, {
          id: id('change'), caseId: c.id, actor: alice, at: at(2), description: 'marked Decision 0 superseded', undo: [],
        });
        const change = await store.lastChange(c.id, bob.id, at(2));
        expect(change?.description).toBe('recorded Decision 1, superseding Decision 0');
        await store.revertChange(change as Change);
        expect(await store.listDecisions(c.id)).toEqual([old]);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('history', () => {
      it('listChanges gives the changes in [since, until), oldest first, with subjects and undone flags', async () => {
        const c = await ensure();
        const other = await ensure(place('C-OTHER'));
        await store.ensureSprints(c.id, [sprint(1)]);
        await record(c.id, 'zero', at(1));
        await record(other.id, 'elsewhere', at(2));
        const d0 = await store.getDecision(c.id, 0) as Decision;
        const edit: Change = {
          id: id('change'), caseId: c.id, actor: bob, at: at(3), description: 'edited Decision 0',
          undo: [{ op: 'putDecision', decision: d0 }], subject: { kind: 'decision', number: 0, action: 'edited' },
        };
        await store.updateDecision(c.id, 0, { text: 'zero, reworded', updatedAt: at(3) }, edit);
        const section: Change = {
          id: id('change'), caseId: c.id, actor: alice, at: at(4), description: 'rewrote the Benefits section',
          undo: [{ op: 'putCase', fields: { title: c.title } }], subject: { kind: 'section', heading: 'Benefits' },
        };
        await store.updateCase(c.id, { title: 'Renamed' }, at(4), section);
        // Two changes at the same moment keep the order they were recorded in.
        await addEvidence(c.id, 0, 'first', at(5));
        await addEvidence(c.id, 0, 'second', at(5), bob);
        await record(c.id, 'one', at(9));

        // Bob undoes his evidence: the change stays in the history, flagged.
        const bobs = await store.lastChange(c.id, bob.id, at(0));
        expect(bobs?.description).toBe('added evidence to Decision 0');
        await store.revertChange(bobs as Change);

        const all = await store.listChanges(c.id, at(0), at(10));
        expect(all.map((ch) => ch.description)).toEqual([
          'recorded "zero"', 'edited Decision 0', 'rewrote the Benefits section',
          'added evidence to Decision 0', 'added evidence to Decision 0', 'recorded "one"',
        ]);
        expect(all.every((ch) => ch.caseId === c.id)).toBe(true);
        expect(all[1]).toEqual({ ...edit, undoneAt: null });
        expect(all[2]).toEqual({ ...section, undoneAt: null });
        expect(all[0]?.subject).toBeUndefined();
        expect(all.map((ch) => ch.undoneAt !== null && ch.undoneAt !== undefined)).toEqual([false, false, false, false, true, false]);
        expect(typeof all[4]?.undoneAt).toBe('string');
        expect(all[4]?.actor).toEqual(bob);

        // since is inclusive, until exclusive.
        expect((await store.listChanges(c.id, at(3), at(5))).map((ch) => ch.description))
          .toEqual(['edited Decision 0', 'rewrote the Benefits section']);
        expect(await store.listChanges(c.id, at(10), at(20))).toEqual([]);
        expect(await store.listChanges('no-such-case', at(0), at(20))).toEqual([]);
      });

      it('lastChange keeps the subject a change was recorded with', async () => {
        const c = await ensure();
        const change: Change = {
          id: id('change'), caseId: c.id, actor: alice, at: at(2), description: 'rewrote the Options section',
          undo: [{ op: 'putCase', fields: { layout: c.layout } }], subject: { kind: 'section', heading: 'Options' },
        };
        await store.updateCase(c.id, { layout: { ...c.layout, preamble: 'x\n' } }, at(2), change);
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual(change);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('whole cases', () => {
      const fullSnapshot = (p: Place, caseId: string): CaseSnapshot => {
        const c: Case = { ...newCase({ id: caseId, place: p, now: at(0), title: '[Prototype] Business case: Apply for a fishing licence' }), updatedAt: at(30) };
        const decision = (number: number, sprintNo: number, extra: Partial<Decision> = {}): Decision => ({
          number, sprint: sprintNo, text: `Decision ${number} text`, author: number % 2 ? bob : alice,
          createdAt: at(number), updatedAt: at(number + 1), status: 'active', statusReason: null, supersededBy: null,
          sourceUrl: null, revisions: [], ...extra,
        });
        const ev = (e: Partial<Evidence> & Pick<Evidence, 'id' | 'decision' | 'letter' | 'position'>): Evidence => ({
          refersTo: null, text: `Evidence ${e.decision}${e.letter ?? ''}`, author: alice, createdAt: at(20), sourceUrl: null, ...e,
        });
        return {
          case: c,
          sprints: [sprint(0), { number: 1, suffix: ': Alpha', intro: 'Intro to sprint 1\n', startsOn: '2025-03-03' }, sprint(2), sprint(3)],
          decisions: [
            decision(0, 1, { sourceUrl: 'https://example.slack.com/archives/C1/p100' }),
            decision(1, 1, { status: 'withdrawn', statusReason: 'We learned otherwise' }),
            decision(2, 2, { status: 'superseded', supersededBy: 3, revisions: [{ text: 'Earlier', editedBy: bob, editedAt: at(4) }] }),
            decision(3, 2),
          ],
          evidence: [
            ev({ id: `${caseId}-e0a`, decision: 0, letter: 'a', position: 0 }),
            ev({ id: `${caseId}-e0b`, decision: 0, letter: 'b', position: 1, text: '[a malformed link](htp:/x', sourceUrl: 'https://example.org' }),
            ev({ id: `${caseId}-e3r`, decision: 3, letter: null, position: 0, refersTo: '0a', text: 'See above' }),
            ev({ id: `${caseId}-e3a`, decision: 3, letter: 'a', position: 1 }),
          ],
        };
      };

      it('putSnapshot then snapshot round-trips exactly', async () => {
        const snap = fullSnapshot(place('C-SNAP'), 'snap-case');
        await store.putSnapshot(snap, { replace: false });
        expect(await store.snapshot('snap-case')).toEqual(snap);
        expect(await store.findCase(place('C-SNAP'))).toEqual(snap.case);
        // Numbering carries on from what was imported.
        expect((await record('snap-case', 'next')).number).toBe(4);
        expect((await addEvidence('snap-case', 3, 'more')).letter).toBe('b');
      });

      it('snapshot of a live case holds its sprints, decisions and evidence', async () => {
        const c = await ensure();
        await store.ensureSprints(c.id, [sprint(0), sprint(1)]);
        const d = await record(c.id, 'zero');
        const e = await addEvidence(c.id, 0, 'finding');
        expect(await store.snapshot(c.id)).toEqual({ case: { ...c, updatedAt: expect.any(String) }, sprints: [sprint(0), sprint(1)], decisions: [d], evidence: [e] });
        expect(await store.snapshot('no-such-case')).toBeNull();
      });

      it('putSnapshot refuses a place that already has a case unless replace, and changes nothing', async () => {
        const p = place('C-TAKEN');
        const existing = await ensure(p);
        await record(existing.id, 'keep me');
        const before = await store.snapshot(existing.id);
        const snap = fullSnapshot(p, 'incoming');
        await expect(store.putSnapshot(snap, { replace: false })).rejects.toBeInstanceOf(StoreConflict);
        await expect(store.putSnapshot(snap, { replace: false })).rejects.toThrow(/--replace/);
        expect(await store.snapshot(existing.id)).toEqual(before);
        expect(await store.getCase('incoming')).toBeNull();
      });

      it('putSnapshot with replace removes the old case first', async () => {
        const p = place('C-REPLACE');
        const old = await ensure(p);
        await record(old.id, 'old decision');
        await addEvidence(old.id, 0, 'old evidence');
        const snap = fullSnapshot(p, 'replacement');
        await store.putSnapshot(snap, { replace: true });
        expect(await store.getCase(old.id)).toBeNull();
        expect(await store.listDecisions(old.id)).toEqual([]);
        expect(await store.listEvidence(old.id)).toEqual([]);
        expect(await store.lastChange(old.id, alice.id, at(0))).toBeNull();
        expect(await store.snapshot('replacement')).toEqual(snap);
        expect((await store.listCases()).map((c) => c.id)).toEqual(['replacement']);

        // Re-importing over itself, same ids, also works.
        const edited: CaseSnapshot = { ...snap, decisions: snap.decisions.map((d) => ({ ...d, text: `${d.text}!` })) };
        await store.putSnapshot(edited, { replace: true });
        expect(await store.snapshot('replacement')).toEqual(edited);
      });

      it('putSnapshot with replace into an empty place just writes', async () => {
        const snap = fullSnapshot(place('C-EMPTY'), 'empty-place');
        await store.putSnapshot(snap, { replace: true });
        expect(await store.snapshot('empty-place')).toEqual(snap);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('installations', () => {
      it('saves, gets, updates, lists and deletes installations', async () => {
        expect(await store.listInstallations()).toEqual([]);
        expect(await store.getInstallation('T1')).toBeNull();
        const t1 = { key: 'T1', data: '{"team":"one","token":"enc:abc"}', updatedAt: at(1) };
        const e1 = { key: 'E1', data: '{"enterprise":"org"}', updatedAt: at(2) };
        await store.saveInstallation(t1);
        await store.saveInstallation(e1);
        expect(await store.getInstallation('T1')).toEqual(t1);
        expect(await store.listInstallations()).toEqual(expect.arrayContaining([t1, e1]));
        expect(await store.listInstallations()).toHaveLength(2);

        const t1b = { ...t1, data: '{"team":"one","token":"enc:new"}', updatedAt: at(3) };
        await store.saveInstallation(t1b);
        expect(await store.getInstallation('T1')).toEqual(t1b);
        expect(await store.listInstallations()).toHaveLength(2);

        await store.deleteInstallation('T1');
        expect(await store.getInstallation('T1')).toBeNull();
        expect(await store.listInstallations()).toEqual([e1]);
        await store.deleteInstallation('not-there');
        expect(await store.listInstallations()).toEqual([e1]);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('conversation references', () => {
      it('saves, gets and lists references; saving again updates', async () => {
        const p1 = place('19:abc@thread.tacv2', 'tenant-1', 'teams');
        const p2 = place('19:def@thread.tacv2', 'tenant-1', 'teams');
        expect(await store.listConversationRefs()).toEqual([]);
        expect(await store.getConversationRef(p1)).toBeNull();
        const r1 = { place: p1, reference: '{"conversation":{"id":"19:abc"}}', updatedAt: at(1) };
        const r2 = { place: p2, reference: '{"conversation":{"id":"19:def"}}', updatedAt: at(2) };
        await store.saveConversationRef(r1);
        await store.saveConversationRef(r2);
        expect(await store.getConversationRef(p1)).toEqual(r1);
        expect(await store.getConversationRef({ ...p1, workspace: 'tenant-2' })).toBeNull();

        const r1b = { ...r1, reference: '{"conversation":{"id":"19:abc"},"serviceUrl":"https://new"}', updatedAt: at(3) };
        await store.saveConversationRef(r1b);
        expect(await store.getConversationRef(p1)).toEqual(r1b);
        const all = await store.listConversationRefs();
        expect(all).toHaveLength(2);
        expect(all).toEqual(expect.arrayContaining([r1b, r2]));
      });
    });

    // ---------------------------------------------------------------------------------
    describe('claims', () => {
      it('the first claimant wins; a second loses while the lease runs', async () => {
        expect(await store.claim('digest:case-1:2025-W10', 'worker-a', at(0), at(5))).toEqual({ won: true, attempt: 1, done: false, leaseUntil: at(5) });
        // A loser learns until when the holder's lease runs.
        expect(await store.claim('digest:case-1:2025-W10', 'worker-b', at(1), at(6))).toEqual({ won: false, attempt: 1, done: false, leaseUntil: at(5) });
        expect(await store.claim('digest:case-1:2025-W10', 'worker-a', at(2), at(7))).toEqual({ won: false, attempt: 1, done: false, leaseUntil: at(5) });
        // Another key is another piece of work.
        expect(await store.claim('digest:case-2:2025-W10', 'worker-b', at(1), at(6))).toEqual({ won: true, attempt: 1, done: false, leaseUntil: at(6) });
      });

      it('after the lease expires without completion, a new owner wins', async () => {
        const key = 'retro:case-1:sprint-3';
        expect(await store.claim(key, 'worker-a', at(0), at(5))).toMatchObject({ won: true, attempt: 1 });
        expect(await store.claim(key, 'worker-b', at(6), at(11))).toEqual({ won: true, attempt: 2, done: false, leaseUntil: at(11) });
        expect(await store.claim(key, 'worker-c', at(7), at(12))).toEqual({ won: false, attempt: 2, done: false, leaseUntil: at(11) });
        // The first owner finishing late does not close the work the new owner holds...
        await store.completeClaim(key, 'worker-a', at(8));
        // ...so once the new lease runs out it can be taken again, and the attempts go on counting.
        expect(await store.claim(key, 'worker-c', at(13), at(18))).toEqual({ won: true, attempt: 3, done: false, leaseUntil: at(18) });
      });

      it('once completed, nobody wins the claim again, even after the lease', async () => {
        const key = 'digest:case-9:2025-W11';
        expect((await store.claim(key, 'worker-a', at(0), at(5))).won).toBe(true);
        await store.completeClaim(key, 'worker-a', at(1));
        expect(await store.claim(key, 'worker-b', at(2), at(7))).toEqual({ won: false, attempt: 1, done: true, leaseUntil: at(5) });
        expect((await store.claim(key, 'worker-b', at(60), at(65))).won).toBe(false);
        expect((await store.claim(key, 'worker-a', at(60), at(65))).won).toBe(false);
      });

      it('concurrent claims of one key have exactly one winner', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.claim('digest:race', `worker-${i}`, at(0), at(5))),
        );
        expect(results.filter((r) => r.won)).toHaveLength(1);
        expect(results.every((r) => r.attempt === 1)).toBe(true);
      });

      it('a lease that has not yet expired at the exact same instant is still held', async () => {
        expect((await store.claim('digest:edge', 'worker-a', at(0), at(5))).won).toBe(true);
        expect((await store.claim('digest:edge', 'worker-b', at(5), at(10))).won).toBe(false);
        expect((await store.claim('digest:edge', 'worker-b', at(6), at(11))).won).toBe(true);
      });
    });
  });
}
