/**
 * The contract every Store implementation passes. A store's test file calls
 * `storeContract(name, open)`; `open` gives a fresh, empty store for each test, and
 * `cleanup` removes whatever it made after the store has been closed.
 *
 * Written against the storage port (src/core/ports.ts) only, so every store runs the same
 * suite. A store holds no business rules: it numbers nothing and applies no undo. It
 * loads a case's records and commits a CaseWrite that core decided, conditionally on the
 * case's version. The writes below play the part of core: they decide every number,
 * letter, version and undo mark themselves, and the store must keep exactly that.
 */
import { newCase } from '../../src/core/cases';
import type {
  Actor, Case, CaseSnapshot, Change, Decision, Evidence, Place, Sprint,
} from '../../src/core/model';
import { DUE_AT_NEXT_TICK, StoreConflict, type CaseWrite } from '../../src/core/ports';
import { type Store } from '../../src/store/store';

const T0 = Date.parse('2025-03-03T09:00:00.000Z');
/** An ISO time `minutes` after the start of the test clock. */
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

const alice: Actor = { id: 'U-ALICE', name: 'Alice' };
const bob: Actor = { id: 'U-BOB', name: 'Bob' };

const place = (channel = 'C-TEAM', workspace = 'T-ONE', platform: Place['platform'] = 'slack'): Place => ({
  platform, workspace, channel,
});

const sprint = (number: number, suffix = ''): Sprint => ({ number, suffix, intro: '', startsOn: null });

const decision = (number: number, extra: Partial<Decision> = {}): Decision => ({
  number, sprint: 1, text: `Decision ${number} text`, author: alice, createdAt: at(1), updatedAt: at(1),
  status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [], ...extra,
});

const evidence = (e: Partial<Evidence> & Pick<Evidence, 'id' | 'decision'>): Evidence => ({
  letter: 'a', refersTo: null, position: 0, text: `Evidence for ${e.decision}`, author: alice, createdAt: at(2),
  sourceUrl: null, points: [], ...e,
});

/** Strings a store must keep exactly: no trimming, no newline or Unicode normalisation, no key interpretation. */
const TRICKY = [
  'line one\r\nline two\r\n',
  'trailing spaces   \n\n  leading and trailing  ',
  '   ',
  '\n',
  'tabs\tand\u00a0non-breaking\u2028separator',
  'lone\rcarriage return',
  'e\u0301 decomposed, \u00e9 composed, \ufb01 ligature',
  '🚀 astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, ZWJ 👩‍💻, flag 🇬🇧, RTL שלום, CJK 決定',
  '$set {"$inc": {"a.b": 1}, "$where": "1", "x.y.z": null}',
  '\\ backslash, \\n not a newline, \'single\' "double" `back` \\u0041',
  '<script>alert(1)</script> &amp; &lt;',
  '%s %d ${x} ?1 :name @p; DROP TABLE decisions; --',
  '',
];

const NO_WRITES: Omit<CaseWrite, 'case' | 'expectedVersion'> = {
  putSprints: [], deleteSprints: [], putDecisions: [], deleteDecisions: [], putEvidence: [], deleteEvidence: [],
  addChanges: [], undone: [],
};

type WriteParts = Partial<Omit<CaseWrite, 'case' | 'expectedVersion'>> & { fields?: Partial<Case> };

/**
 * The write core would make from `current`: the case afterwards carries the next version
 * (1 for a new case, whose `current.version` is 0 and whose expectedVersion is null).
 */
function writeFrom(current: Case, parts: WriteParts = {}): CaseWrite {
  const { fields, ...rest } = parts;
  return {
    case: { ...current, ...fields, version: current.version + 1 },
    expectedVersion: current.version === 0 ? null : current.version,
    ...NO_WRITES,
    ...rest,
  };
}

const ascending = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

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

    /** A change as core records it with the write that makes `version`. */
    const change = (
      caseId: string, version: number, actor: Actor, when: string, description: string, extra: Partial<Change> = {},
    ): Change => ({
      id: id('change'), caseId, actor, at: when, version, touches: [], description, undo: [], ...extra,
    });

    /** Commits `write` and insists it was taken; gives the case as it now stands. */
    const commitOk = async (write: CaseWrite): Promise<Case> => {
      expect(await store.commit(write)).toBe(true);
      return write.case;
    };

    /** Creates a case (version 1), optionally with records. */
    const create = (p: Place = place(), parts: WriteParts = {}, now = at(0), caseId = id('case')): Promise<Case> =>
      commitOk(writeFrom(newCase({ id: caseId, place: p, now }), parts));

    /** Creates a case with sprints 0 and 1, as `decisions 0` then the first record would. */
    const createWithSprints = (p: Place = place(), now = at(0), caseId = id('case')): Promise<Case> =>
      create(p, { putSprints: [sprint(0), sprint(1)] }, now, caseId);

    /** Records `d` with its change by `actor` at `when`, as core would; gives the case afterwards and the change. */
    const record = async (
      current: Case, d: Decision, actor = d.author, when = d.createdAt, parts: WriteParts = {},
    ): Promise<{ case: Case; change: Change }> => {
      const ch = change(current.id, current.version + 1, actor, when, `recorded Decision ${d.number}`, {
        touches: [`decision.${d.number}`], undo: [{ op: 'deleteDecision', number: d.number }],
      });
      const after = await commitOk(writeFrom(current, { putDecisions: [d], addChanges: [ch], fields: { updatedAt: when }, ...parts }));
      return { case: after, change: ch };
    };

    const numbers = (ds: Decision[] | undefined): number[] | undefined => ds?.map((d) => d.number);

    // ---------------------------------------------------------------------------------
    describe('cases', () => {
      it('a commit with expectedVersion null creates the case at version 1, and every read finds it', async () => {
        const p = place();
        const fresh = newCase({ id: 'case-new', place: p, now: at(0) });
        expect(fresh.version).toBe(0);
        expect(await store.findCase(p)).toBeNull();
        const write = writeFrom(fresh, { putSprints: [sprint(0), sprint(1)] });
        expect(write.expectedVersion).toBeNull();
        expect(await store.commit(write)).toBe(true);

        const made: Case = { ...fresh, version: 1 };
        expect(await store.getCase('case-new')).toEqual(made);
        expect(await store.findCase(p)).toEqual(made);
        expect(await store.listCases()).toEqual([made]);
        const snap: CaseSnapshot = { case: made, sprints: [sprint(0), sprint(1)], decisions: [], evidence: [] };
        expect(await store.snapshot('case-new')).toEqual(snap);
        expect(await store.loadCase(p)).toEqual(snap);
      });

      it('a second create for the same place returns false and writes nothing', async () => {
        const p = place();
        const first = await createWithSprints(p, at(0), 'case-first');
        const before = await store.snapshot(first.id);

        const intruder = newCase({ id: 'case-second', place: p, now: at(5) });
        const ch = change('case-second', 1, bob, at(5), 'recorded Decision 0');
        const lost = writeFrom(intruder, {
          putSprints: [sprint(1, ': Intruder')],
          putDecisions: [decision(0, { text: 'must not appear', author: bob })],
          putEvidence: [evidence({ id: 'ev-intruder', decision: 0 })],
          addChanges: [ch],
        });
        expect(await store.commit(lost)).toBe(false);

        expect(await store.getCase('case-second')).toBeNull();
        expect(await store.snapshot('case-second')).toBeNull();
        expect(await store.findCase(p)).toEqual(first);
        expect(await store.snapshot(first.id)).toEqual(before);
        expect(await store.loadCase(p)).toEqual(before);
        expect(await store.getChange('case-second', ch.id)).toBeNull();
        expect(await store.getChange(first.id, ch.id)).toBeNull();
        expect(await store.listChanges('case-second', at(0), at(60))).toEqual([]);
        expect(await store.lastChange('case-second', bob.id, at(0))).toBeNull();
        expect((await store.listCases()).map((c) => c.id)).toEqual([first.id]);
      });

      it('a create reusing a case id at another place returns false and writes nothing', async () => {
        const first = await createWithSprints(place('C-ONE'), at(0), 'case-taken');
        const before = await store.snapshot(first.id);
        const elsewhere = newCase({ id: 'case-taken', place: place('C-TWO'), now: at(5) });
        const lost = writeFrom(elsewhere, {
          putSprints: [sprint(7)],
          putDecisions: [decision(0, { sprint: 7, text: 'must not appear' })],
          addChanges: [change('case-taken', 1, bob, at(5), 'recorded Decision 0')],
        });
        expect(await store.commit(lost)).toBe(false);
        expect(await store.findCase(place('C-TWO'))).toBeNull();
        expect(await store.getCase('case-taken')).toEqual(first);
        expect(await store.snapshot('case-taken')).toEqual(before);
        expect(await store.lastChange('case-taken', bob.id, at(0))).toBeNull();
        expect(await store.listCases()).toEqual([first]);
      });

      it('ten racing creates for one place: exactly one is taken, and it is the case stored', async () => {
        const p = place('C-RACE');
        const writes = ascending(10).map((i) => writeFrom(newCase({ id: `race-${i}`, place: p, now: at(0) }), {
          putSprints: [sprint(1, ` by ${i}`)],
        }));
        const results = await Promise.all(writes.map((w) => store.commit(w)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = writes[results.indexOf(true)];
        expect(await store.listCases()).toEqual([winner.case]);
        expect(await store.loadCase(p)).toEqual({ case: winner.case, sprints: winner.putSprints, decisions: [], evidence: [] });
      });

      it('getCase and findCase return the case, or null when there is none', async () => {
        const c = await create();
        expect(await store.getCase(c.id)).toEqual(c);
        expect(await store.findCase(place())).toEqual(c);
        expect(await store.getCase('no-such-case')).toBeNull();
        expect(await store.findCase(place('C-OTHER'))).toBeNull();
        expect(await store.findCase(place('C-TEAM', 'T-OTHER'))).toBeNull();
        expect(await store.findCase(place('C-TEAM', 'T-ONE', 'teams'))).toBeNull();
        expect(await store.snapshot('no-such-case')).toBeNull();
        expect(await store.loadCase(place('C-OTHER'))).toBeNull();
      });

      it('keeps every field of a case, including null title and nested layout', async () => {
        const p = place('C-FIVE');
        const c: Case = {
          ...newCase({ id: 'case-five', place: p, now: at(3), template: 'five-case', title: null }),
          timeZone: 'America/New_York',
          sprintLength: { count: 10, unit: 'days' },
          schedule: { digestOn: false, digestWeekday: 0, digestTime: '17:45', retroOn: false, retroTime: '08:05' },
          shareVersion: 4,
          publication: {
            owner: 'acme', repo: 'business-case', branch: 'main', mode: 'pr', connectedAt: at(3),
            files: [{ part: 'case', path: 'docs/business-case.md', known: ['a'.repeat(40), 'b'.repeat(40)], seen: 'b'.repeat(40) }],
            last: { at: at(3), week: '2026-W49', outcome: 'pull request', url: 'https://github.com/acme/business-case/pull/3', number: 3, base: 'c'.repeat(40) },
          },
          updatedAt: at(4),
        };
        c.layout = { ...c.layout, preamble: 'Intro *text*\n', decisionsHeading: null, sprintLevel: 2, decisionStyle: 'heading' };
        await commitOk(writeFrom(c));
        expect(await store.getCase('case-five')).toEqual({ ...c, version: 1 });

        // And a later write replaces them all.
        const current = { ...c, version: 1 };
        const changed: Case = {
          ...current,
          title: 'Apply for a fishing licence',
          template: 'prototype',
          timeZone: 'Europe/Dublin',
          sprintLength: { count: 1, unit: 'weeks' },
          schedule: { ...c.schedule, digestOn: true, digestWeekday: 5 },
          layout: {
            ...c.layout, preamble: 'Owned by the licensing team.\n', decisionsAt: 1,
            decisionsHeading: { level: 2, text: 'Key decisions that shaped this', intro: 'Newest last.\n' },
            sprintLevel: 3, decisionStyle: 'inline',
          },
          shareVersion: 5,
          publication: null,
          updatedAt: at(9),
        };
        await commitOk(writeFrom(current, { fields: changed }));
        expect(await store.getCase('case-five')).toEqual({ ...changed, version: 2 });
        expect(await store.findCase(p)).toEqual({ ...changed, version: 2 });
        expect(await store.listCases()).toEqual([{ ...changed, version: 2 }]);
      });

      it('listCases orders by creation time and filters by platform and workspace', async () => {
        const c1 = await create(place('C1', 'T1', 'slack'), {}, at(2));
        const c2 = await create(place('C2', 'tenant', 'teams'), {}, at(1));
        const c3 = await create(place('C3', 'T2', 'slack'), {}, at(3));
        const c4 = await create(place('C4', 'T1', 'console'), {}, at(4));
        const caseIds = (cs: Case[]): string[] => cs.map((c) => c.id);
        expect(await store.listCases()).toEqual([c2, c1, c3, c4]);
        expect(caseIds(await store.listCases({}))).toEqual([c2.id, c1.id, c3.id, c4.id]);
        expect(caseIds(await store.listCases({ platform: 'slack' }))).toEqual([c1.id, c3.id]);
        expect(caseIds(await store.listCases({ platform: 'teams' }))).toEqual([c2.id]);
        expect(caseIds(await store.listCases({ workspace: 'T1' }))).toEqual([c1.id, c4.id]);
        expect(caseIds(await store.listCases({ platform: 'slack', workspace: 'T1' }))).toEqual([c1.id]);
        expect(caseIds(await store.listCases({ platform: 'slack', workspace: 'T2' }))).toEqual([c3.id]);
        expect(await store.listCases({ platform: 'teams', workspace: 'T1' })).toEqual([]);
        expect(await store.listCases({ workspace: 'nowhere' })).toEqual([]);
      });

      it('listDue gives the cases due by a time, earliest first, a page at a time; null is never due', async () => {
        const due = (cs: Array<{ case: Case; dueAt: string }>) => cs.map((d) => `${d.case.id} ${d.dueAt}`);
        const later = await commitOk({ ...writeFrom(newCase({ id: 'due-b', place: place('C1'), now: at(0) })), nextDueAt: at(30) });
        const soon = await commitOk({ ...writeFrom(newCase({ id: 'due-c', place: place('C2'), now: at(0) })), nextDueAt: at(10) });
        const tie = await commitOk({ ...writeFrom(newCase({ id: 'due-a', place: place('C3'), now: at(0) })), nextDueAt: at(10) });
        await commitOk({ ...writeFrom(newCase({ id: 'due-never', place: place('C4'), now: at(0) })), nextDueAt: null });
        // Written without a due time: due at once, so the next tick works it out.
        const unknown = await create(place('C5'), {}, at(0), 'due-unknown');
        expect(due(await store.listDue(at(5), 10))).toEqual([`${unknown.id} ${DUE_AT_NEXT_TICK}`]);
        expect(due(await store.listDue(at(10), 10))).toEqual([`${unknown.id} ${DUE_AT_NEXT_TICK}`, `${tie.id} ${at(10)}`, `${soon.id} ${at(10)}`]);
        const first = await store.listDue(at(40), 2);
        expect(due(first)).toEqual([`${unknown.id} ${DUE_AT_NEXT_TICK}`, `${tie.id} ${at(10)}`]);
        const next = await store.listDue(at(40), 2, { dueAt: at(10), id: tie.id });
        expect(due(next)).toEqual([`${soon.id} ${at(10)}`, `${later.id} ${at(30)}`]);
        expect(await store.listDue(at(40), 2, { dueAt: at(30), id: later.id })).toEqual([]);
        expect((await store.listDue(at(40), 10)).find((d) => d.case.id === later.id)?.case).toEqual(later);
      });

      it('a commit sets the due time only when it carries one; setNextDue sets it only at the version given', async () => {
        const made = await commitOk({ ...writeFrom(newCase({ id: 'due-1', place: place('C1'), now: at(0) })), nextDueAt: at(10) });
        const renamed = await commitOk(writeFrom(made, { fields: { title: 'Renamed' } }));
        expect((await store.listDue(at(10), 10)).map((d) => d.dueAt)).toEqual([at(10)]);
        const moved = await commitOk({ ...writeFrom(renamed, { fields: { timeZone: 'Europe/Dublin' } }), nextDueAt: at(20) });
        expect(await store.listDue(at(10), 10)).toEqual([]);
        // A tick that read the case before the last commit: its due time is refused.
        expect(await store.setNextDue(made.id, renamed.version, at(5))).toBe(false);
        expect((await store.listDue(at(20), 10)).map((d) => d.dueAt)).toEqual([at(20)]);
        expect(await store.setNextDue(made.id, moved.version, at(40))).toBe(true);
        expect(await store.listDue(at(39), 10)).toEqual([]);
        expect(await store.setNextDue(made.id, moved.version, null)).toBe(true);
        expect(await store.listDue(at(999), 10)).toEqual([]);
        expect(await store.getCase(made.id)).toEqual(moved);
      });

      it('deleteCase removes the case and everything in it, and nothing else', async () => {
        const build = async (p: Place): Promise<Case> => {
          const c = await createWithSprints(p);
          const { case: after } = await record(c, decision(0, { text: 'We will drop the paper form' }));
          return commitOk(writeFrom(after, {
            putEvidence: [evidence({ id: `${c.id}-e0a`, decision: 0, text: 'Nobody used it in research' })],
            addChanges: [change(c.id, after.version + 1, alice, at(2), 'added Evidence 0a', { touches: [`evidence.${c.id}-e0a`] })],
          }));
        };
        const gone = await build(place('C-GONE'));
        const kept = await build(place('C-KEPT'));
        const keptBefore = await store.snapshot(kept.id);
        const keptChanges = await store.changesAfter(kept.id, 0);
        const goneChange = await store.lastChange(gone.id, alice.id, at(0));
        expect(goneChange).not.toBeNull();
        expect(keptChanges).toHaveLength(2);

        await store.deleteCase(gone.id);

        expect(await store.getCase(gone.id)).toBeNull();
        expect(await store.findCase(place('C-GONE'))).toBeNull();
        expect(await store.snapshot(gone.id)).toBeNull();
        expect(await store.loadCase(place('C-GONE'))).toBeNull();
        expect(await store.lastChange(gone.id, alice.id, at(0))).toBeNull();
        expect(await store.getChange(gone.id, goneChange!.id)).toBeNull();
        expect(await store.listChanges(gone.id, at(0), at(60))).toEqual([]);
        expect(await store.changesAfter(gone.id, 0)).toEqual([]);
        expect(await store.snapshot(kept.id)).toEqual(keptBefore);
        expect(await store.changesAfter(kept.id, 0)).toEqual(keptChanges);
        expect((await store.listCases()).map((c) => c.id)).toEqual([kept.id]);

        // The place is free again: a new case there starts empty at version 1, and the
        // evidence id the old case used is free again too.
        const fresh = await createWithSprints(place('C-GONE'), at(9));
        expect(fresh.id).not.toBe(gone.id);
        expect(await store.loadCase(place('C-GONE'))).toEqual({ case: fresh, sprints: [sprint(0), sprint(1)], decisions: [], evidence: [] });
        const { case: after } = await record(fresh, decision(0, { text: 'Start again' }));
        await commitOk(writeFrom(after, { putEvidence: [evidence({ id: `${gone.id}-e0a`, decision: 0 })] }));
        expect((await store.snapshot(fresh.id))?.evidence.map((e) => e.id)).toEqual([`${gone.id}-e0a`]);
      });

      it('deleteCase of an unknown case does nothing', async () => {
        const c = await createWithSprints();
        await record(c, decision(0));
        const before = await store.snapshot(c.id);
        await store.deleteCase('no-such-case');
        expect(await store.snapshot(c.id)).toEqual(before);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('commit', () => {
      it('with the current version commits the case, sprints, decisions, evidence and changes exactly', async () => {
        const p = place();
        const c = await create(p);
        expect(c.version).toBe(1);

        const one: Sprint = { number: 1, suffix: ': Alpha', intro: 'We started testing.\n', startsOn: '2025-03-03' };
        const two: Sprint = { number: 2, suffix: ' (17 to 28 Mar)', intro: '', startsOn: null };
        const d0 = decision(0, {
          sprint: 1, text: 'We decided to test the case in private beta first', author: alice,
          createdAt: at(1), updatedAt: at(1), sourceUrl: 'https://example.slack.com/archives/C/p1',
        });
        const d1 = decision(1, {
          sprint: 2, text: 'We will drop the paper form', author: bob, createdAt: at(2), updatedAt: at(6),
          status: 'superseded', supersededBy: 2, revisions: [{ text: 'We might drop the paper form', editedBy: bob, editedAt: at(6) }],
        });
        const d2 = decision(2, {
          sprint: 2, text: 'We will keep a paper form for assisted digital', author: alice, createdAt: at(7), updatedAt: at(8),
          status: 'withdrawn', statusReason: 'Research said otherwise',
        });
        const e0a = evidence({ id: 'ev-0a', decision: 0, letter: 'a', position: 0, text: 'Nobody used it', author: bob, createdAt: at(3), sourceUrl: 'https://example.org/r' });
        const e0b = evidence({ id: 'ev-0b', decision: 0, letter: 'b', position: 1, text: 'Second finding', createdAt: at(4) });
        const e2r = evidence({ id: 'ev-2r', decision: 2, letter: null, refersTo: '0a', position: 0, text: 'See above' });
        const ch = change(c.id, 2, alice, at(8), 'recorded Decisions 0 to 2', {
          touches: ['sprint.1', 'sprint.2', 'decision.0', 'decision.1', 'decision.2', 'evidence.ev-0a', 'evidence.ev-0b', 'evidence.ev-2r'],
          undo: [
            { op: 'deleteDecision', number: 2 }, { op: 'deleteDecision', number: 1 }, { op: 'deleteDecision', number: 0 },
            { op: 'deleteEvidence', id: 'ev-0a' }, { op: 'deleteSprint', number: 2 },
            { op: 'putCase', fields: { title: c.title, layout: c.layout } }, { op: 'putSection', heading: 'Benefits', body: 'old body\n' },
            { op: 'putDecision', decision: d1 },
          ],
          subject: { kind: 'decision', number: 1, action: 'superseded' },
        });
        const write = writeFrom(c, {
          fields: { title: 'Apply for a fishing licence', updatedAt: at(8) },
          // Deliberately out of order: reads come back in number / decision-position order.
          putSprints: [two, one],
          putDecisions: [d2, d0, d1],
          putEvidence: [e2r, e0b, e0a],
          addChanges: [ch],
        });
        expect(write.expectedVersion).toBe(1);
        expect(await store.commit(write)).toBe(true);

        const expected: CaseSnapshot = {
          case: { ...c, title: 'Apply for a fishing licence', updatedAt: at(8), version: 2 },
          sprints: [one, two],
          decisions: [d0, d1, d2],
          evidence: [e0a, e0b, e2r],
        };
        expect(await store.snapshot(c.id)).toEqual(expected);
        expect(await store.loadCase(p)).toEqual(expected);
        expect(await store.getCase(c.id)).toEqual(expected.case);
        expect(await store.findCase(p)).toEqual(expected.case);
        expect(await store.getChange(c.id, ch.id)).toEqual({ ...ch, undoneAt: null });
        expect(await store.changesAfter(c.id, 1)).toEqual([{ ...ch, undoneAt: null }]);
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual({ ...ch, undoneAt: null });

        // The next write expects version 2, and leaves untouched records as they were.
        const e0c = evidence({ id: 'ev-0c', decision: 0, letter: 'c', position: 2, text: 'Third' });
        await commitOk(writeFrom(expected.case, { putEvidence: [e0c] }));
        expect(await store.snapshot(c.id)).toEqual({
          ...expected, case: { ...expected.case, version: 3 }, evidence: [e0a, e0b, e0c, e2r],
        });
      });

      it('with a stale version returns false and changes nothing', async () => {
        const c = await createWithSprints();
        const { case: v2, change: first } = await record(c, decision(0, { text: 'zero' }));
        const e = evidence({ id: 'ev-keep', decision: 0 });
        const v3 = await commitOk(writeFrom(v2, { putEvidence: [e] }));
        expect(v3.version).toBe(3);
        const before = await store.snapshot(c.id);
        const changesBefore = await store.changesAfter(c.id, 0);

        // Written from version 2, which is no longer current.
        const stale = change(c.id, 3, bob, at(5), 'recorded Decision 1');
        const lost = writeFrom(v2, {
          fields: { title: 'Stale title', updatedAt: at(5) },
          putSprints: [sprint(2), sprint(1, ': renamed')],
          deleteSprints: [0],
          putDecisions: [decision(1, { text: 'must not appear', author: bob }), decision(0, { text: 'must not change' })],
          deleteDecisions: [0],
          putEvidence: [evidence({ id: 'ev-stale', decision: 0, letter: 'b', position: 1 })],
          deleteEvidence: ['ev-keep'],
          addChanges: [stale],
          undone: [{ id: first.id, at: at(5) }],
        });
        expect(lost.expectedVersion).toBe(2);
        expect(await store.commit(lost)).toBe(false);

        expect(await store.snapshot(c.id)).toEqual(before);
        expect((await store.getCase(c.id))?.version).toBe(3);
        expect(await store.getChange(c.id, stale.id)).toBeNull();
        expect(await store.getChange(c.id, first.id)).toEqual({ ...first, undoneAt: null });
        expect(await store.changesAfter(c.id, 0)).toEqual(changesBefore);
        expect(await store.lastChange(c.id, bob.id, at(0))).toBeNull();

        // A version from the future, and a version for a case that does not exist, lose too.
        expect(await store.commit(writeFrom({ ...v3, version: 7 }, { putDecisions: [decision(1)] }))).toBe(false);
        expect(await store.commit(writeFrom({ ...v3, id: 'no-such-case', version: 3 }, { putDecisions: [decision(1)] }))).toBe(false);
        expect(await store.snapshot(c.id)).toEqual(before);
        expect(await store.getCase('no-such-case')).toBeNull();

        // The current version still commits.
        await commitOk(writeFrom(v3, { putDecisions: [decision(1)] }));
        expect(numbers((await store.snapshot(c.id))?.decisions)).toEqual([0, 1]);
        expect((await store.getCase(c.id))?.version).toBe(4);
      });

      it('a write with nothing but the case still advances the version', async () => {
        const c = await create();
        const v2 = await commitOk(writeFrom(c, { fields: { shareVersion: 2, updatedAt: at(3) } }));
        expect(await store.getCase(c.id)).toEqual({ ...c, shareVersion: 2, updatedAt: at(3), version: 2 });
        expect(await store.commit(writeFrom(c))).toBe(false);
        await commitOk(writeFrom(v2));
        expect((await store.getCase(c.id))?.version).toBe(3);
      });

      it('twenty commits racing from one version: exactly one is taken, and only its records are kept', async () => {
        const c = await createWithSprints();
        const writes = ascending(20).map((i) => {
          const actor = { id: `U-${i}`, name: `Racer ${i}` };
          return writeFrom(c, {
            fields: { updatedAt: at(i) },
            putDecisions: [decision(0, { text: `racer ${i}`, author: actor })],
            putEvidence: [evidence({ id: `ev-racer-${i}`, decision: 0 })],
            addChanges: [change(c.id, 2, actor, at(i), `recorded Decision 0 for racer ${i}`)],
          });
        });
        const results = await Promise.all(writes.map((w) => store.commit(w)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = writes[results.indexOf(true)];
        expect(await store.snapshot(c.id)).toEqual({
          case: winner.case, sprints: [sprint(0), sprint(1)], decisions: winner.putDecisions, evidence: winner.putEvidence,
        });
        expect(await store.changesAfter(c.id, 0)).toEqual([{ ...winner.addChanges[0], undoneAt: null }]);
      });

      it('four workers racing read-decide-commit-retry record decisions 0..39 with no gap or duplicate', async () => {
        const p = place('C-WORKERS');
        const c = await createWithSprints(p);
        let retries = 0;
        const worker = async (w: number): Promise<void> => {
          const actor = { id: `U-WORKER-${w}`, name: `Worker ${w}` };
          for (let i = 0; i < 10; i += 1) {
            for (let attempt = 0; ; attempt += 1) {
              if (attempt > 500) throw new Error(`worker ${w} gave up on decision ${i}`);
              const snap = await store.loadCase(p);
              if (!snap) throw new Error('the case disappeared');
              const next = snap.decisions.length === 0 ? 0 : Math.max(...snap.decisions.map((d) => d.number)) + 1;
              // Let the other workers read the same version before this one writes.
              await new Promise((resolve) => setImmediate(resolve));
              const ch = change(c.id, snap.case.version + 1, actor, at(10), `recorded Decision ${next}`, {
                touches: [`decision.${next}`], undo: [{ op: 'deleteDecision', number: next }],
              });
              const write = writeFrom(snap.case, {
                putDecisions: [decision(next, { text: `worker ${w} item ${i}`, author: actor })],
                addChanges: [ch],
              });
              if (await store.commit(write)) break;
              retries += 1;
            }
          }
        };
        await Promise.all(ascending(4).map(worker));

        const snap = await store.snapshot(c.id);
        expect(numbers(snap?.decisions)).toEqual(ascending(40));
        expect(snap?.case.version).toBe(41);
        const texts = (snap?.decisions ?? []).map((d) => d.text).sort();
        expect(texts).toEqual(ascending(4).flatMap((w) => ascending(10).map((i) => `worker ${w} item ${i}`)).sort());
        // Each worker's own decisions in the order it wrote them.
        for (const w of ascending(4)) {
          expect((snap?.decisions ?? []).filter((d) => d.author.id === `U-WORKER-${w}`).map((d) => d.text))
            .toEqual(ascending(10).map((i) => `worker ${w} item ${i}`));
        }
        // One change per taken commit, at versions 2..41, none from a commit that lost.
        const changes = await store.changesAfter(c.id, 1);
        expect(changes.map((ch) => ch.version)).toEqual(ascending(40, 2));
        expect(changes.map((ch) => ch.description)).toEqual(ascending(40).map((n) => `recorded Decision ${n}`));
        // The workers really did race.
        expect(retries).toBeGreaterThan(0);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('puts and deletes', () => {
      const seed = async (): Promise<{ c: Case; snap: CaseSnapshot }> => {
        const c = await create(place(), {
          putSprints: [sprint(0), sprint(1), sprint(2), sprint(3)],
          putDecisions: [decision(0), decision(1, { author: bob }), decision(2, { sprint: 2 })],
          putEvidence: [
            evidence({ id: 'e0a', decision: 0, letter: 'a', position: 0 }),
            evidence({ id: 'e0b', decision: 0, letter: 'b', position: 1 }),
            evidence({ id: 'e1a', decision: 1, letter: 'a', position: 0 }),
            evidence({ id: 'e1b', decision: 1, letter: 'b', position: 1 }),
            evidence({ id: 'e2r', decision: 2, letter: null, refersTo: '0a', position: 0 }),
          ],
        });
        const snap = await store.snapshot(c.id);
        return { c, snap: snap! };
      };

      it('deleteDecisions removes the decision and all its evidence, and nothing else', async () => {
        const { c, snap } = await seed();
        const after = await commitOk(writeFrom(c, { deleteDecisions: [1] }));
        expect(await store.snapshot(c.id)).toEqual({
          ...snap, case: after,
          decisions: snap.decisions.filter((d) => d.number !== 1),
          evidence: snap.evidence.filter((e) => e.decision !== 1),
        });
        // Its evidence ids are free again.
        const v3 = await commitOk(writeFrom(after, {
          putDecisions: [decision(1, { text: 'again' })],
          putEvidence: [evidence({ id: 'e1a', decision: 1, text: 'new' })],
        }));
        expect((await store.snapshot(c.id))?.evidence.filter((e) => e.decision === 1))
          .toEqual([evidence({ id: 'e1a', decision: 1, text: 'new' })]);
        expect(v3.version).toBe(3);
      });

      it('deleteDecisions takes several at once', async () => {
        const { c, snap } = await seed();
        await commitOk(writeFrom(c, { deleteDecisions: [0, 2] }));
        const now = await store.snapshot(c.id);
        expect(numbers(now?.decisions)).toEqual([1]);
        expect(now?.evidence.map((e) => e.id)).toEqual(['e1a', 'e1b']);
        expect(now?.sprints).toEqual(snap.sprints);
      });

      it('deleteEvidence removes only the named evidence', async () => {
        const { c, snap } = await seed();
        const after = await commitOk(writeFrom(c, { deleteEvidence: ['e0b', 'e2r'] }));
        expect(await store.snapshot(c.id)).toEqual({
          ...snap, case: after, evidence: snap.evidence.filter((e) => e.id !== 'e0b' && e.id !== 'e2r'),
        });
      });

      it('deleteSprints removes only the named sprints', async () => {
        const { c, snap } = await seed();
        const after = await commitOk(writeFrom(c, { deleteSprints: [3, 0] }));
        expect(await store.snapshot(c.id)).toEqual({ ...snap, case: after, sprints: [sprint(1), sprint(2)] });
      });

      it('putDecisions replaces every field of an existing decision', async () => {
        const original = decision(0, {
          text: 'original', sourceUrl: 'https://example.slack.com/archives/C/p9', statusReason: null,
          revisions: [
            { text: 'first', editedBy: alice, editedAt: at(2) },
            { text: 'second', editedBy: bob, editedAt: at(3) },
          ],
        });
        const c = await create(place(), { putSprints: [sprint(1), sprint(2)], putDecisions: [original, decision(1)] });
        const replaced: Decision = {
          number: 0, sprint: 2, text: 'reworded\r\n', author: bob, createdAt: at(4), updatedAt: at(5),
          status: 'superseded', statusReason: 'We learned more', supersededBy: 1, sourceUrl: null,
          revisions: [{ text: 'original', editedBy: bob, editedAt: at(5) }], deciders: ['Ana Smith', 'Ben'], points: [1, 5, 14],
        };
        const v2 = await commitOk(writeFrom(c, { putDecisions: [replaced] }));
        expect((await store.snapshot(c.id))?.decisions).toEqual([replaced, decision(1)]);

        // And back again: status, reason, superseding decision and revisions all go back.
        await commitOk(writeFrom(v2, { putDecisions: [original] }));
        expect((await store.snapshot(c.id))?.decisions).toEqual([original, decision(1)]);
      });

      it('keeps proposed and rejected decisions and who took a decision, and puts them back on undo', async () => {
        const c = await create(place(), { putSprints: [sprint(1)], putDecisions: [decision(0), decision(1)] });
        const proposed = { ...decision(0), status: 'proposed' as const };
        const rejected = { ...decision(1), status: 'rejected' as const, statusReason: 'Too costly: see 1a', deciders: ['Ana Smith', 'Ben O’Neill', 'Zoë'] };
        const v2 = await commitOk(writeFrom(c, { putDecisions: [proposed, rejected] }));
        expect((await store.snapshot(c.id))?.decisions).toEqual([proposed, rejected]);
        expect((await store.loadCase(c.place))?.decisions).toEqual([proposed, rejected]);
        const accepted = { ...proposed, status: 'active' as const, deciders: ['Ana Smith'] };
        const v3 = await commitOk(writeFrom(v2, { putDecisions: [accepted] }));
        expect((await store.snapshot(c.id))?.decisions[0]).toEqual(accepted);
        await commitOk(writeFrom(v3, { putDecisions: [proposed] }));
        expect((await store.snapshot(c.id))?.decisions[0]).toEqual(proposed);
      });

      it('keeps the phase a sprint starts and the points of decisions and evidence, and puts them back as they were', async () => {
        const e0 = evidence({ id: 'pe0', decision: 0, points: [5, 9] });
        const c = await create(place(), {
          putSprints: [sprint(0), { ...sprint(1), phase: { kind: 'alpha', name: null } }, { ...sprint(2), phase: { kind: 'beta', name: 'Private beta <b>’s</b> $set' } }],
          putDecisions: [decision(0, { points: [1, 14] }), decision(1)],
          putEvidence: [e0],
        });
        const snap = await store.snapshot(c.id);
        expect(snap?.sprints).toEqual([sprint(0), { ...sprint(1), phase: { kind: 'alpha', name: null } }, { ...sprint(2), phase: { kind: 'beta', name: 'Private beta <b>’s</b> $set' } }]);
        expect(snap?.sprints[0]).not.toHaveProperty('phase');
        expect(snap?.decisions.map((d) => d.points)).toEqual([[1, 14], []]);
        expect(snap?.evidence).toEqual([e0]);
        expect((await store.loadCase(c.place))?.sprints[2]?.phase).toEqual({ kind: 'beta', name: 'Private beta <b>’s</b> $set' });
        // A phase taken off a sprint, points changed on both: every field as the write says.
        const v2 = await commitOk(writeFrom(c, { putSprints: [sprint(1)], putDecisions: [decision(0, { points: [] })], putEvidence: [{ ...e0, points: [2] }] }));
        const after = await store.snapshot(c.id);
        expect(after?.sprints[1]).toEqual(sprint(1));
        expect(after?.sprints[1]).not.toHaveProperty('phase');
        expect(after?.decisions[0]?.points).toEqual([]);
        expect(after?.evidence[0]?.points).toEqual([2]);
        // And a whole case written and read back keeps them too.
        const whole = await store.snapshot(v2.id);
        if (!whole) throw new Error('no snapshot');
        await store.putSnapshot({ ...whole, case: { ...whole.case, id: 'copy-of-phases', place: place('C-COPY') }, evidence: whole.evidence.map((x) => ({ ...x, id: `copy-${x.id}` })) }, { replace: false });
        const copy = await store.snapshot('copy-of-phases');
        expect(copy?.sprints).toEqual(whole.sprints);
        expect(copy?.decisions).toEqual(whole.decisions);
        expect(copy?.evidence.map((x) => x.points)).toEqual(whole.evidence.map((x) => x.points));
      });

      it('putSprints and putEvidence replace what has the same number or id, without duplicating it', async () => {
        const { c, snap } = await seed();
        const s1: Sprint = { number: 1, suffix: ': Beta', intro: 'Now in beta.\n', startsOn: '2025-03-17' };
        const e0a: Evidence = {
          id: 'e0a', decision: 0, letter: null, refersTo: '1a', position: 5, text: 'Rewritten', author: bob,
          createdAt: at(9), sourceUrl: 'https://example.org/x', points: [3],
        };
        const after = await commitOk(writeFrom(c, { putSprints: [s1], putEvidence: [e0a] }));
        const byId = (id: string): Evidence => snap.evidence.find((e) => e.id === id)!;
        expect(await store.snapshot(c.id)).toEqual({
          ...snap, case: after,
          sprints: [sprint(0), s1, sprint(2), sprint(3)],
          evidence: [byId('e0b'), e0a, byId('e1a'), byId('e1b'), byId('e2r')],
        });
      });

      it('reads come back in number order, and decision then position order, however they were written', async () => {
        const c = await create(place(), {
          putSprints: [sprint(10), sprint(2), sprint(0), sprint(1)],
          putDecisions: [decision(10, { sprint: 10 }), decision(2), decision(0), decision(1, { sprint: 2 })],
          putEvidence: [
            evidence({ id: 'z', decision: 10, letter: 'a', position: 0 }),
            evidence({ id: 'y', decision: 2, letter: 'k', position: 10 }),
            evidence({ id: 'x', decision: 2, letter: 'c', position: 2 }),
            evidence({ id: 'w', decision: 2, letter: null, refersTo: '0a', position: 1 }),
            evidence({ id: 'v', decision: 0, letter: 'a', position: 0 }),
          ],
        });
        const snap = await store.snapshot(c.id);
        expect(snap?.sprints.map((s) => s.number)).toEqual([0, 1, 2, 10]);
        expect(numbers(snap?.decisions)).toEqual([0, 1, 2, 10]);
        expect(snap?.evidence.map((e) => e.id)).toEqual(['v', 'w', 'x', 'y', 'z']);
        expect(await store.loadCase(place())).toEqual(snap);
      });

      it('each case keeps its own records under the same numbers', async () => {
        const a = await create(place('C-A'), { putSprints: [sprint(1)], putDecisions: [decision(0, { text: 'a0' })] });
        const b = await create(place('C-B'), { putSprints: [sprint(1)], putDecisions: [decision(0, { text: 'b0' })] });
        await commitOk(writeFrom(a, { deleteDecisions: [0], deleteSprints: [1] }));
        expect((await store.snapshot(a.id))?.decisions).toEqual([]);
        expect((await store.snapshot(a.id))?.sprints).toEqual([]);
        expect((await store.snapshot(b.id))?.decisions).toEqual([decision(0, { text: 'b0' })]);
        expect((await store.snapshot(b.id))?.sprints).toEqual([sprint(1)]);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('text', () => {
      it('keeps text byte for byte: CRLF, trailing spaces, Unicode, `$` and dotted strings', async () => {
        const p = place('C-TEXT');
        const author: Actor = { id: 'U-$.x', name: TRICKY[7] };
        const base = newCase({ id: 'case-text', place: p, now: at(0) });
        const c: Case = {
          ...base,
          title: TRICKY[0],
          layout: {
            ...base.layout,
            preamble: TRICKY.join('|'),
            sections: [
              { level: 2, heading: '$set', body: '```json\r\n{"$set": {"a.b": 1}, "$where": "1", "x.y": {"$gt": ""}}\r\n```\r\n' },
              { level: 2, heading: 'a.b.c', body: '' },
              { level: 3, heading: '__proto__', body: TRICKY[1] },
              { level: 2, heading: 'constructor', body: TRICKY[6] },
              ...TRICKY.map((t, i) => ({ level: 2 + (i % 3), heading: `${i}. ${t}`, body: t })),
            ],
            decisionsAt: 3,
            decisionsHeading: { level: 2, text: '$decisions.heading ', intro: TRICKY[5] },
          },
        };
        const sprints = TRICKY.map((t, i): Sprint => ({ number: i, suffix: t, intro: t, startsOn: null }));
        const decisions = TRICKY.map((t, i): Decision => decision(i, {
          sprint: i, text: t, author, statusReason: t || null, sourceUrl: `https://example.org/${encodeURIComponent(t)}?$x=a.b`,
          revisions: [{ text: t, editedBy: author, editedAt: at(3) }],
        }));
        const evidences = TRICKY.map((t, i): Evidence => evidence({
          id: `ev.$${i}`, decision: i, text: t, author, refersTo: i % 2 ? t : null, letter: i % 2 ? null : 'a',
        }));
        const ch = change('case-text', 1, author, at(1), TRICKY.join(''), {
          touches: ['case.layout.section.$set', 'case.layout.section.a.b.c', ...TRICKY.map((t) => `case.layout.section.${t}`)],
          undo: [
            { op: 'putSection', heading: '$set', body: TRICKY[0] },
            { op: 'putDecision', decision: decisions[8] },
            { op: 'putCase', fields: { title: TRICKY[9], layout: c.layout } },
          ],
          subject: { kind: 'section', heading: '$where.a.b' },
        });
        await commitOk(writeFrom(c, { putSprints: sprints, putDecisions: decisions, putEvidence: evidences, addChanges: [ch] }));

        const expected: CaseSnapshot = { case: { ...c, version: 1 }, sprints, decisions, evidence: evidences };
        expect(await store.snapshot('case-text')).toEqual(expected);
        expect(await store.loadCase(p)).toEqual(expected);
        expect(await store.getChange('case-text', ch.id)).toEqual({ ...ch, undoneAt: null });
        expect(await store.lastChange('case-text', author.id, at(0))).toEqual({ ...ch, undoneAt: null });
        // Byte for byte, not merely equal after some normalisation.
        const read = await store.snapshot('case-text');
        for (const [i, t] of TRICKY.entries()) {
          expect(Buffer.from(read!.decisions[i].text, 'utf8').equals(Buffer.from(t, 'utf8'))).toBe(true);
          expect(Buffer.from(read!.evidence[i].text, 'utf8').equals(Buffer.from(t, 'utf8'))).toBe(true);
        }
        expect(read!.case.layout.preamble).toBe(TRICKY.join('|'));

        // The same through putSnapshot, under another place and new ids.
        const copy: CaseSnapshot = {
          ...expected,
          case: { ...expected.case, id: 'case-text-copy', place: place('C-TEXT-COPY') },
          evidence: evidences.map((e) => ({ ...e, id: `copy-${e.id}` })),
        };
        await store.putSnapshot(copy, { replace: false });
        expect(await store.snapshot('case-text-copy')).toEqual(copy);
      });
    });

    // ---------------------------------------------------------------------------------
    describe('history', () => {
      it('every change read gives back version, touches, subject and undoneAt', async () => {
        const c = await createWithSprints();
        const touched = await commitOk(writeFrom(c, {
          fields: { layout: { ...c.layout, preamble: 'x\n' } },
          addChanges: [],
        }));
        const ch = change(c.id, 3, alice, at(2), 'rewrote the Options section', {
          touches: ['case.layout.section.options', 'case.layout.section.$set', 'case.layout.section.a.b', 'decision.10', 'evidence.e-1', 'sprint.4'],
          undo: [{ op: 'putSection', heading: 'Options', body: 'old\n' }],
          subject: { kind: 'section', heading: 'Options' },
        });
        const v3 = await commitOk(writeFrom(touched, { addChanges: [ch] }));
        const plain = change(c.id, 4, alice, at(3), 'changed nothing in particular');
        await commitOk(writeFrom(v3, { addChanges: [plain] }));

        const want = { ...ch, undoneAt: null };
        expect(await store.getChange(c.id, ch.id)).toEqual(want);
        expect(await store.listChanges(c.id, at(0), at(60))).toEqual([want, { ...plain, undoneAt: null }]);
        expect(await store.changesAfter(c.id, 2)).toEqual([want, { ...plain, undoneAt: null }]);
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual({ ...plain, undoneAt: null });
        expect(await store.lastChange(c.id, alice.id, at(0))).toHaveProperty('touches', []);
        // A change recorded without a subject has none.
        expect((await store.getChange(c.id, plain.id))?.subject).toBeUndefined();
        expect(await store.getChange(c.id, 'no-such-change')).toBeNull();
        expect(await store.getChange('no-such-case', ch.id)).toBeNull();
      });

      it('listChanges gives the changes in [since, until) in commit order; ties keep commit order', async () => {
        const c = await createWithSprints();
        const other = await createWithSprints(place('C-OTHER'));
        let current = c;
        const made: Change[] = [];
        const commitChange = async (actor: Actor, when: string, description: string, extra: Partial<Change> = {}): Promise<Change> => {
          const ch = change(c.id, current.version + 1, actor, when, description, extra);
          current = await commitOk(writeFrom(current, { addChanges: [ch] }));
          made.push(ch);
          return ch;
        };
        await commitChange(alice, at(1), 'zero');
        await commitOk(writeFrom(other, { addChanges: [change(other.id, 2, alice, at(2), 'elsewhere')] }));
        await commitChange(bob, at(3), 'edited Decision 0', { subject: { kind: 'decision', number: 0, action: 'edited' } });
        await commitChange(alice, at(4), 'rewrote the Benefits section', { subject: { kind: 'section', heading: 'Benefits' } });
        // Two changes at the same moment keep the order they were committed in.
        await commitChange(alice, at(5), 'added evidence, first');
        await commitChange(bob, at(5), 'added evidence, second');
        // Two changes in one write keep the order they were given in.
        const pair = [
          change(c.id, current.version + 1, alice, at(6), 'pair, first'),
          change(c.id, current.version + 1, alice, at(6), 'pair, second'),
        ];
        current = await commitOk(writeFrom(current, { addChanges: pair }));
        made.push(...pair);
        await commitChange(alice, at(9), 'late');

        const all = await store.listChanges(c.id, at(0), at(10));
        expect(all).toEqual(made.map((ch) => ({ ...ch, undoneAt: null })));
        expect(all.every((ch) => ch.caseId === c.id)).toBe(true);
        // since is inclusive, until exclusive.
        expect((await store.listChanges(c.id, at(3), at(5))).map((ch) => ch.description))
          .toEqual(['edited Decision 0', 'rewrote the Benefits section']);
        expect((await store.listChanges(c.id, at(5), at(6))).map((ch) => ch.description))
          .toEqual(['added evidence, first', 'added evidence, second']);
        expect((await store.listChanges(c.id, at(6), at(9))).map((ch) => ch.description)).toEqual(['pair, first', 'pair, second']);
        expect(await store.listChanges(c.id, at(10), at(20))).toEqual([]);
        expect(await store.listChanges(c.id, at(4), at(4))).toEqual([]);
        expect(await store.listChanges('no-such-case', at(0), at(20))).toEqual([]);
        expect((await store.listChanges(other.id, at(0), at(20))).map((ch) => ch.description)).toEqual(['elsewhere']);
      });

      it('reads a change stamped earlier than the one committed before it (another process\'s clock), and changes long before', async () => {
        const c = await createWithSprints();
        let current = c;
        const commitChange = async (actor: Actor, when: string, description: string): Promise<void> => {
          current = await commitOk(writeFrom(current, { addChanges: [change(c.id, current.version + 1, actor, when, description)] }));
        };
        await commitChange(bob, at(-6000), 'long before');
        await commitChange(alice, at(30), 'on time');
        // Committed next, by a process whose clock is half an hour behind.
        await commitChange(bob, at(3), 'slow clock');
        expect((await store.listChanges(c.id, at(5), at(60))).map((ch) => ch.description)).toEqual(['on time']);
        expect((await store.listChanges(c.id, at(0), at(60))).map((ch) => ch.description)).toEqual(['on time', 'slow clock']);
        expect((await store.listChanges(c.id, at(-6001), at(-5999))).map((ch) => ch.description)).toEqual(['long before']);
        expect((await store.lastChange(c.id, alice.id, at(5)))?.description).toBe('on time');
        expect(await store.lastChange(c.id, bob.id, at(5))).toBeNull();
        expect((await store.lastChange(c.id, bob.id, at(0)))?.description).toBe('slow clock');
        expect((await store.lastChange(c.id, bob.id, at(-7000)))?.description).toBe('slow clock');
      });

      it('changesAfter gives only later versions, in version order, undone ones included', async () => {
        const c = await createWithSprints();
        const r0 = await record(c, decision(0), alice, at(1));
        const r1 = await record(r0.case, decision(1, { author: bob }), bob, at(2));
        const r2 = await record(r1.case, decision(2), alice, at(3));
        const undo = change(c.id, 5, alice, at(4), 'undid recording Decision 2', { touches: ['decision.2'] });
        const v5 = await commitOk(writeFrom(r2.case, {
          deleteDecisions: [2], addChanges: [undo], undone: [{ id: r2.change.id, at: at(4) }],
        }));
        expect(v5.version).toBe(5);
        const undoneR2 = { ...r2.change, undoneAt: at(4) };

        expect(await store.changesAfter(c.id, 0)).toEqual([
          { ...r0.change, undoneAt: null }, { ...r1.change, undoneAt: null }, undoneR2, { ...undo, undoneAt: null },
        ]);
        expect((await store.changesAfter(c.id, 0)).map((ch) => ch.version)).toEqual([2, 3, 4, 5]);
        expect(await store.changesAfter(c.id, 2)).toEqual([{ ...r1.change, undoneAt: null }, undoneR2, { ...undo, undoneAt: null }]);
        expect(await store.changesAfter(c.id, 3)).toEqual([undoneR2, { ...undo, undoneAt: null }]);
        expect(await store.changesAfter(c.id, 4)).toEqual([{ ...undo, undoneAt: null }]);
        expect(await store.changesAfter(c.id, 5)).toEqual([]);
        expect(await store.changesAfter(c.id, 99)).toEqual([]);
        expect(await store.changesAfter('no-such-case', 0)).toEqual([]);
        expect((await store.changesAfter(c.id, 1)).map((ch) => ch.touches)).toEqual([['decision.0'], ['decision.1'], ['decision.2'], ['decision.2']]);
      });

      it('an undone mark shows on getChange, listChanges and changesAfter, and lastChange skips it', async () => {
        const c = await createWithSprints();
        const other = await createWithSprints(place('C-OTHER'));
        const r0 = await record(c, decision(0, { text: 'alice early' }), alice, at(1));
        const r1 = await record(r0.case, decision(1, { text: 'bob', author: bob }), bob, at(2));
        const r2 = await record(r1.case, decision(2, { text: 'alice late' }), alice, at(3));
        await record(other, decision(0, { text: 'alice elsewhere' }), alice, at(4));

        // Before the undo: the newest, since inclusive, per actor and per case.
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual({ ...r2.change, undoneAt: null });
        expect(await store.lastChange(c.id, bob.id, at(0))).toEqual({ ...r1.change, undoneAt: null });
        expect(await store.lastChange(c.id, alice.id, at(3))).toEqual({ ...r2.change, undoneAt: null });
        expect(await store.lastChange(c.id, alice.id, at(4))).toBeNull();
        expect(await store.lastChange(c.id, 'U-NOBODY', at(0))).toBeNull();
        expect(await store.lastChange(other.id, alice.id, at(0))).toMatchObject({ caseId: other.id, at: at(4), undoneAt: null });
        expect(await store.lastChange('no-such-case', alice.id, at(0))).toBeNull();

        // Alice undoes her last change: core removes the decision and marks the change undone.
        await commitOk(writeFrom(r2.case, {
          fields: { updatedAt: at(5) }, deleteDecisions: [2], undone: [{ id: r2.change.id, at: at(5) }],
        }));
        const undone = { ...r2.change, undoneAt: at(5) };
        expect(await store.getChange(c.id, r2.change.id)).toEqual(undone);
        expect(await store.listChanges(c.id, at(0), at(60))).toEqual([
          { ...r0.change, undoneAt: null }, { ...r1.change, undoneAt: null }, undone,
        ]);
        expect(await store.changesAfter(c.id, 2)).toEqual([{ ...r1.change, undoneAt: null }, undone]);
        expect(await store.changesAfter(c.id, 3)).toEqual([undone]);
        expect(numbers((await store.snapshot(c.id))?.decisions)).toEqual([0, 1]);

        // lastChange skips it, and gives Alice's previous change; `since` and actor still apply.
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual({ ...r0.change, undoneAt: null });
        expect(await store.lastChange(c.id, alice.id, at(1))).toEqual({ ...r0.change, undoneAt: null });
        expect(await store.lastChange(c.id, alice.id, at(2))).toBeNull();
        expect(await store.lastChange(c.id, bob.id, at(0))).toEqual({ ...r1.change, undoneAt: null });
        expect(await store.lastChange(c.id, bob.id, at(2))).toEqual({ ...r1.change, undoneAt: null });
        expect(await store.lastChange(c.id, bob.id, at(3))).toBeNull();
        // The other case is untouched.
        expect(await store.lastChange(other.id, alice.id, at(0))).toMatchObject({ caseId: other.id, undoneAt: null });

        // A second undo marks the previous one; both stay in the history, flagged.
        const v = (await store.getCase(c.id))!;
        await commitOk(writeFrom(v, { deleteDecisions: [1], undone: [{ id: r1.change.id, at: at(6) }] }));
        expect(await store.lastChange(c.id, bob.id, at(0))).toBeNull();
        expect((await store.listChanges(c.id, at(0), at(60))).map((ch) => ch.undoneAt)).toEqual([null, at(6), at(5)]);
      });

      it('lastChange picks the newest by commit, and a change committed by the undoing write is itself eligible', async () => {
        const c = await createWithSprints();
        const r0 = await record(c, decision(0), alice, at(1));
        const r1 = await record(r0.case, decision(1), alice, at(2));
        const redo = change(c.id, 4, alice, at(3), 'undid recording Decision 1', { touches: ['decision.1'] });
        await commitOk(writeFrom(r1.case, { deleteDecisions: [1], addChanges: [redo], undone: [{ id: r1.change.id, at: at(3) }] }));
        expect(await store.lastChange(c.id, alice.id, at(0))).toEqual({ ...redo, undoneAt: null });
        expect(await store.getChange(c.id, r1.change.id)).toEqual({ ...r1.change, undoneAt: at(3) });
      });
    });

    // ---------------------------------------------------------------------------------
    describe('whole cases', () => {
      const fullSnapshot = (p: Place, caseId: string, version = 7): CaseSnapshot => {
        const c: Case = {
          ...newCase({ id: caseId, place: p, now: at(0), title: '[Prototype] Business case: Apply for a fishing licence' }),
          updatedAt: at(30), version,
        };
        const d = (number: number, sprintNo: number, extra: Partial<Decision> = {}): Decision => decision(number, {
          sprint: sprintNo, author: number % 2 ? bob : alice, createdAt: at(number), updatedAt: at(number + 1), ...extra,
        });
        const ev = (e: Partial<Evidence> & Pick<Evidence, 'id' | 'decision' | 'letter' | 'position'>): Evidence => evidence({
          text: `Evidence ${e.decision}${e.letter ?? ''}`, createdAt: at(20), ...e,
        });
        return {
          case: c,
          sprints: [sprint(0), { number: 1, suffix: ': Alpha', intro: 'Intro to sprint 1\n', startsOn: '2025-03-03' }, sprint(2), sprint(3)],
          decisions: [
            d(0, 1, { sourceUrl: 'https://example.slack.com/archives/C1/p100' }),
            d(1, 1, { status: 'withdrawn', statusReason: 'We learned otherwise' }),
            d(2, 2, { status: 'superseded', supersededBy: 3, revisions: [{ text: 'Earlier', editedBy: bob, editedAt: at(4) }] }),
            d(3, 2),
          ],
          evidence: [
            ev({ id: `${caseId}-e0a`, decision: 0, letter: 'a', position: 0 }),
            ev({ id: `${caseId}-e0b`, decision: 0, letter: 'b', position: 1, text: '[a malformed link](htp:/x', sourceUrl: 'https://example.org' }),
            ev({ id: `${caseId}-e3r`, decision: 3, letter: null, position: 0, refersTo: '0a', text: 'See above' }),
            ev({ id: `${caseId}-e3a`, decision: 3, letter: 'a', position: 1 }),
          ],
        };
      };

      it('putSnapshot then snapshot round-trips exactly, version as given, and commits carry on from it', async () => {
        const p = place('C-SNAP');
        const snap = fullSnapshot(p, 'snap-case', 7);
        await store.putSnapshot(snap, { replace: false });
        expect(await store.snapshot('snap-case')).toEqual(snap);
        // Written whole: due at once, so the next tick works out when its scheduled work falls due.
        expect((await store.listDue(at(0), 10)).map((d) => `${d.case.id} ${d.dueAt}`)).toEqual([`snap-case ${DUE_AT_NEXT_TICK}`]);
        expect(await store.loadCase(p)).toEqual(snap);
        expect(await store.findCase(p)).toEqual(snap.case);
        expect(await store.changesAfter('snap-case', 0)).toEqual([]);

        // The next write must expect version 7.
        expect(await store.commit(writeFrom({ ...snap.case, version: 1 }, { putDecisions: [decision(4)] }))).toBe(false);
        await commitOk(writeFrom(snap.case, { putDecisions: [decision(4, { sprint: 3 })] }));
        expect((await store.getCase('snap-case'))?.version).toBe(8);
        expect(numbers((await store.snapshot('snap-case'))?.decisions)).toEqual([0, 1, 2, 3, 4]);
      });

      it('putSnapshot puts records in their read order, however the snapshot lists them', async () => {
        const snap = fullSnapshot(place('C-SHUFFLED'), 'shuffled');
        const shuffled: CaseSnapshot = {
          ...snap,
          sprints: [...snap.sprints].reverse(),
          decisions: [snap.decisions[2], snap.decisions[0], snap.decisions[3], snap.decisions[1]],
          evidence: [...snap.evidence].reverse(),
        };
        await store.putSnapshot(shuffled, { replace: false });
        expect(await store.snapshot('shuffled')).toEqual(snap);
      });

      it('snapshot of a live case holds what its commits wrote', async () => {
        const c = await createWithSprints();
        const { case: v2 } = await record(c, decision(0, { text: 'zero' }));
        const e = evidence({ id: 'finding', decision: 0, text: 'finding' });
        const v3 = await commitOk(writeFrom(v2, { putEvidence: [e] }));
        expect(await store.snapshot(c.id)).toEqual({ case: v3, sprints: [sprint(0), sprint(1)], decisions: [decision(0, { text: 'zero' })], evidence: [e] });
      });

      it('putSnapshot refuses a place that already has a case unless replace, and changes nothing', async () => {
        const p = place('C-TAKEN');
        const existing = await createWithSprints(p);
        const { change: kept } = await record(existing, decision(0, { text: 'keep me' }));
        const before = await store.snapshot(existing.id);
        const snap = fullSnapshot(p, 'incoming');
        await expect(store.putSnapshot(snap, { replace: false })).rejects.toBeInstanceOf(StoreConflict);
        await expect(store.putSnapshot(snap, { replace: false })).rejects.toThrow(/--replace/);
        expect(await store.snapshot(existing.id)).toEqual(before);
        expect(await store.getChange(existing.id, kept.id)).toEqual({ ...kept, undoneAt: null });
        expect(await store.getCase('incoming')).toBeNull();
        expect(await store.listCases()).toEqual([before!.case]);
      });

      it('putSnapshot refuses a case id or an evidence id another case already uses, and changes nothing', async () => {
        const first = fullSnapshot(place('C-FIRST'), 'first');
        await store.putSnapshot(first, { replace: false });

        // Same case id at another place.
        const sameId = fullSnapshot(place('C-SECOND'), 'first');
        await expect(store.putSnapshot(sameId, { replace: false })).rejects.toBeInstanceOf(StoreConflict);
        await expect(store.putSnapshot(sameId, { replace: true })).rejects.toBeInstanceOf(StoreConflict);
        expect(await store.findCase(place('C-SECOND'))).toBeNull();

        // New case id, but an evidence id the first case holds.
        const sharedEvidence: CaseSnapshot = {
          ...fullSnapshot(place('C-THIRD'), 'third'),
          evidence: [evidence({ id: 'first-e0a', decision: 0 })],
        };
        await expect(store.putSnapshot(sharedEvidence, { replace: false })).rejects.toBeInstanceOf(StoreConflict);
        expect(await store.getCase('third')).toBeNull();
        expect(await store.findCase(place('C-THIRD'))).toBeNull();

        expect(await store.snapshot('first')).toEqual(first);
        expect(await store.listCases()).toEqual([first.case]);
      });

      it('putSnapshot with replace removes the old case, its records and its changes first', async () => {
        const p = place('C-REPLACE');
        const old = await createWithSprints(p);
        const { case: v2, change: oldChange } = await record(old, decision(0, { text: 'old decision' }));
        await commitOk(writeFrom(v2, { putEvidence: [evidence({ id: 'old-evidence', decision: 0 })] }));
        const snap = fullSnapshot(p, 'replacement');
        await store.putSnapshot(snap, { replace: true });
        expect(await store.getCase(old.id)).toBeNull();
        expect(await store.snapshot(old.id)).toBeNull();
        expect(await store.getChange(old.id, oldChange.id)).toBeNull();
        expect(await store.lastChange(old.id, alice.id, at(0))).toBeNull();
        expect(await store.changesAfter(old.id, 0)).toEqual([]);
        expect(await store.snapshot('replacement')).toEqual(snap);
        expect(await store.loadCase(p)).toEqual(snap);
        expect((await store.listCases()).map((c) => c.id)).toEqual(['replacement']);
        // The old case's evidence id is free again.
        await commitOk(writeFrom(snap.case, { putEvidence: [evidence({ id: 'old-evidence', decision: 1, letter: 'a', position: 0 })] }));

        // Re-importing over itself, same ids, also works.
        const edited: CaseSnapshot = { ...snap, decisions: snap.decisions.map((d) => ({ ...d, text: `${d.text}!` })) };
        await store.putSnapshot(edited, { replace: true });
        expect(await store.snapshot('replacement')).toEqual(edited);
      });

      it('putSnapshot with replace into an empty place just writes', async () => {
        const snap = fullSnapshot(place('C-EMPTY'), 'empty-place', 1);
        await store.putSnapshot(snap, { replace: true });
        expect(await store.snapshot('empty-place')).toEqual(snap);
      });

      it('a commit creating a case at a place putSnapshot filled returns false', async () => {
        const p = place('C-IMPORTED');
        const snap = fullSnapshot(p, 'imported');
        await store.putSnapshot(snap, { replace: false });
        expect(await store.commit(writeFrom(newCase({ id: 'late', place: p, now: at(50) }), { putSprints: [sprint(9)] }))).toBe(false);
        expect(await store.snapshot('imported')).toEqual(snap);
        expect(await store.getCase('late')).toBeNull();
      });
    });

    // ---------------------------------------------------------------------------------
    describe('installations', () => {
      it('saves, gets, updates, lists and deletes installations', async () => {
        expect(await store.listInstallations()).toEqual([]);
        expect(await store.getInstallation('T1')).toBeNull();
        const t1 = { key: 'T1', data: '{"team":"one","token":"enc:abc"}', updatedAt: at(1) };
        const e1 = { key: 'E1', data: '{"enterprise":"org","$set":{"a.b":1}}', updatedAt: at(2) };
        await store.saveInstallation(t1);
        await store.saveInstallation(e1);
        expect(await store.getInstallation('T1')).toEqual(t1);
        expect(await store.getInstallation('E1')).toEqual(e1);
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
        expect(await store.getConversationRef({ ...p1, platform: 'slack' })).toBeNull();

        const r1b = { ...r1, reference: '{"conversation":{"id":"19:abc"},"serviceUrl":"https://new"}', updatedAt: at(3) };
        await store.saveConversationRef(r1b);
        expect(await store.getConversationRef(p1)).toEqual(r1b);
        const all = await store.listConversationRefs();
        expect(all).toHaveLength(2);
        expect(all).toEqual(expect.arrayContaining([r1b, r2]));
      });
    });

    // ---------------------------------------------------------------------------------
    describe('announcements', () => {
      it('an announcement is taken once, and not after it expired', async () => {
        await store.saveAnnouncement({ changeId: 'c-1', data: 'slack:one', expiresAt: at(10) });
        await store.saveAnnouncement({ changeId: 'c-2', data: 'teams:two', expiresAt: at(2) });
        await store.saveAnnouncement({ changeId: 'c-3', data: 'slack:three', expiresAt: at(20) });
        expect(await store.takeAnnouncement('c-9', at(1))).toBeNull();
        expect(await store.takeAnnouncement('c-1', at(1))).toEqual({ changeId: 'c-1', data: 'slack:one', expiresAt: at(10) });
        expect(await store.takeAnnouncement('c-1', at(1))).toBeNull();
        // Expired: gone, whether asked for or not.
        expect(await store.takeAnnouncement('c-2', at(3))).toBeNull();
        await store.saveAnnouncement({ changeId: 'c-4', data: 'slack:four', expiresAt: at(4) });
        expect(await store.takeAnnouncement('c-3', at(5))).toEqual({ changeId: 'c-3', data: 'slack:three', expiresAt: at(20) });
        expect(await store.takeAnnouncement('c-4', at(1))).toBeNull();
      });

      it('two undos racing for one announcement: exactly one gets it', async () => {
        await store.saveAnnouncement({ changeId: 'c-1', data: 'slack:one', expiresAt: at(10) });
        const taken = await Promise.all([store.takeAnnouncement('c-1', at(1)), store.takeAnnouncement('c-1', at(1))]);
        expect(taken.filter((a) => a !== null)).toHaveLength(1);
      });
    });

    // ---------------------------------------------------------------------------------

    describe('health', () => {
      it('an open store can take writes, says so at once, and keeps saying so after writes', async () => {
        const started = Date.now();
        expect(await store.health()).toEqual({ ok: true });
        expect(Date.now() - started).toBeLessThan(1000);
        await createWithSprints();
        expect(await store.health()).toEqual({ ok: true });
      });

      it('a closed store is not healthy, and says why in words', async () => {
        await store.close();
        const health = await store.health();
        expect(health.ok).toBe(false);
        expect(health.ok ? '' : health.reason).toMatch(/^[A-Z].+\.$/);
      });
    });

    describe('layout left as it is', () => {
      it('a write marked layoutUnchanged keeps the stored layout and sets every other field; an unmarked one writes it', async () => {
        const c = await create(place(), { fields: { layout: { ...newCase({ id: 'x', place: place(), now: at(0) }).layout, preamble: 'Kept as stored.\n' } } });
        const stored = (await store.getCase(c.id))?.layout;
        const next = await commitOk({ ...writeFrom(c, { fields: { title: 'Renamed' } }), layoutUnchanged: true });
        expect(await store.getCase(c.id)).toEqual({ ...next, layout: stored });
        const third = await commitOk(writeFrom(next, { fields: { layout: { ...next.layout, preamble: 'Rewritten.\n' } } }));
        expect((await store.getCase(c.id))?.layout.preamble).toBe('Rewritten.\n');
        expect(third.version).toBe(3);
      });
    });

    describe('publish targets', () => {
      const FILE = 'file:acme/case:c4.md';
      const BRANCHES = 'branches:acme/case:decisions/c4';

      it('a key held by one case refuses another case’s write whole, and the holder keeps it', async () => {
        const a = await create(place('C-A'), { publishTargets: [FILE, BRANCHES] });
        const b = await create(place('C-B'));
        const before = await store.snapshot(b.id);
        const attempt = writeFrom(b, { fields: { title: 'Taken over' }, putSprints: [sprint(3)], publishTargets: ['file:acme/case:c8.md', FILE] });
        await expect(store.commit(attempt)).rejects.toMatchObject({ name: 'PublishTargetTaken', key: FILE });
        await expect(store.commit(attempt)).rejects.toBeInstanceOf(StoreConflict);
        // Nothing of the refused write landed, not even its other key.
        expect(await store.snapshot(b.id)).toEqual(before);
        const c = await create(place('C-C'), { publishTargets: ['file:acme/case:c8.md'] });
        expect(c.version).toBe(1);
        // The holder can rewrite its own keys; writes that leave them out keep them.
        const a2 = await commitOk(writeFrom(a, { fields: { title: 'Still mine' } }));
        await expect(store.commit(writeFrom(b, { publishTargets: [BRANCHES] }))).rejects.toMatchObject({ key: BRANCHES });
        await commitOk(writeFrom(a2, { publishTargets: [FILE, BRANCHES] }));
        expect((await store.publishTargetsOf(a.id)).sort()).toEqual([BRANCHES, FILE]);
        expect(await store.publishTargetsOf(b.id)).toEqual([]);
      });

      it('a key is free again once its case lets it go, or is deleted', async () => {
        const a = await create(place('C-A'), { publishTargets: [FILE] });
        const b = await create(place('C-B'));
        await commitOk(writeFrom(a, { publishTargets: [] }));
        expect(await store.publishTargetsOf(a.id)).toEqual([]);
        const b2 = await commitOk(writeFrom(b, { publishTargets: [FILE] }));
        await store.deleteCase(b2.id);
        const c = await create(place('C-C'), { publishTargets: [FILE] });
        expect(c.version).toBe(1);
      });

      it('two cases racing for one key: exactly one holds it, the other is refused and unchanged', async () => {
        for (let round = 0; round < 5; round += 1) {
          const a = await create(place(`C-A${round}`));
          const b = await create(place(`C-B${round}`));
          const key = `file:acme/case:race-${round}.md`;
          const results = await Promise.allSettled([
            store.commit(writeFrom(a, { fields: { title: 'A' }, publishTargets: [key] })),
            store.commit(writeFrom(b, { fields: { title: 'B' }, publishTargets: [key] })),
          ]);
          expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
          const loser = results[0]?.status === 'rejected' ? a : b;
          expect((await store.getCase(loser.id))?.version).toBe(1);
        }
      });
    });

    describe('GitHub links', () => {
      it('ties an installation to a workspace, and to no other', async () => {
        expect(await store.isLinked('slack:T1', 42)).toBe(false);
        await store.linkInstallation({ workspace: 'slack:T1', installation: 42, account: 'acme', linkedBy: 'alice', at: at(1) });
        await store.linkInstallation({ workspace: 'slack:T1', installation: 42, account: 'acme', linkedBy: 'bob', at: at(2) });
        expect(await store.isLinked('slack:T1', 42)).toBe(true);
        expect(await store.isLinked('slack:T2', 42)).toBe(false);
        expect(await store.isLinked('teams:T1', 42)).toBe(false);
        expect(await store.isLinked('slack:T1', 43)).toBe(false);
        expect(await store.isLinked('slack:T1 42', 42)).toBe(false);
      });
    });

    describe('canvases', () => {
      const canvas = { on: true, id: 'F1', kind: 'channel' as const, url: null, problem: null };

      it('keeps the case\'s canvas, and a case that never had one has none', async () => {
        const plain = await create(place('C-PLAIN'));
        expect((await store.getCase(plain.id))?.canvas ?? null).toBeNull();
        const kept = await create(place('C-CANVAS'), { fields: { canvas } });
        expect((await store.getCase(kept.id))?.canvas).toEqual(canvas);
        const off = await commitOk(writeFrom(kept, { fields: { canvas: { ...canvas, on: false, problem: 'Someone deleted it.' } } }));
        expect((await store.snapshot(off.id))?.case.canvas).toEqual({ ...canvas, on: false, problem: 'Someone deleted it.' });
        expect(await store.canvasProgress('no-such-case')).toBeNull();
      });

      it('a write marked canvasDue makes the canvas due once, from the first write that waits, until a write of that version', async () => {
        const c = await create(place('C-DUE'), { fields: { canvas } });
        expect(await store.canvasProgress(c.id)).toEqual({ caseId: c.id, version: 1, shownVersion: 0, writtenAt: null, dueSince: null, heldUntil: null });
        const v2 = await commitOk(writeFrom(c, { canvasDue: true, fields: { updatedAt: at(1) } }));
        expect((await store.canvasProgress(c.id))?.dueSince).toBe(at(1));
        expect((await store.canvasesDue(10)).map((p) => p.caseId)).toEqual([c.id]);
        // The holder writes version 2; meanwhile version 3 arrives: still due.
        expect(await store.claimCanvas(c.id, 0, 'worker-a', at(2), at(4))).toBe(true);
        const v3 = await commitOk(writeFrom(v2, { canvasDue: true, fields: { updatedAt: at(3) } }));
        await store.releaseCanvas(c.id, 'worker-a', { version: 2, at: at(3) });
        expect(await store.canvasProgress(c.id)).toMatchObject({ version: 3, shownVersion: 2, writtenAt: at(3), heldUntil: null });
        expect((await store.canvasProgress(c.id))?.dueSince).not.toBeNull();
        // Version 3 written: nothing waits.
        expect(await store.claimCanvas(c.id, 2, 'worker-b', at(5), at(7))).toBe(true);
        await store.releaseCanvas(c.id, 'worker-b', { version: v3.version, at: at(5) });
        expect(await store.canvasProgress(c.id)).toEqual({ caseId: c.id, version: 3, shownVersion: 3, writtenAt: at(5), dueSince: null, heldUntil: null });
        expect(await store.canvasesDue(10)).toEqual([]);
        // A write not marked leaves it alone.
        await commitOk(writeFrom(v3, { fields: { updatedAt: at(6) } }));
        expect(await store.canvasesDue(10)).toEqual([]);
      });

      it('the claim on a canvas\'s next write is won once per version shown, and taken over only after its lease', async () => {
        const c = await create(place('C-CLAIM'), { fields: { canvas }, canvasDue: true });
        const racers = await Promise.all(ascending(10).map((i) => store.claimCanvas(c.id, 0, `worker-${i}`, at(0), at(2))));
        expect(racers.filter(Boolean)).toHaveLength(1);
        // The version shown is the claim's: a claimant that read an older one loses.
        expect(await store.claimCanvas(c.id, 0, 'late', at(1), at(3))).toBe(false);
        expect((await store.canvasProgress(c.id))?.heldUntil).toBe(at(2));
        // The lease ends: someone else takes it; the first holder letting go late frees nothing.
        expect(await store.claimCanvas(c.id, 0, 'worker-x', at(2), at(4))).toBe(false);
        expect(await store.claimCanvas(c.id, 0, 'worker-x', at(3), at(5))).toBe(true);
        const first = `worker-${racers.indexOf(true)}`;
        await store.releaseCanvas(c.id, first, { version: 1, at: at(3) });
        expect(await store.canvasProgress(c.id)).toMatchObject({ shownVersion: 0, heldUntil: at(5) });
        // Let go without writing: free at once, still due.
        await store.releaseCanvas(c.id, 'worker-x', null);
        expect(await store.canvasProgress(c.id)).toMatchObject({ shownVersion: 0, heldUntil: null });
        expect((await store.canvasProgress(c.id))?.dueSince).not.toBeNull();
        // Once it shows version 1, claims on 0 lose and claims on 1 win.
        expect(await store.claimCanvas(c.id, 0, 'worker-y', at(4), at(6))).toBe(true);
        await store.releaseCanvas(c.id, 'worker-y', { version: 1, at: at(4) });
        expect(await store.claimCanvas(c.id, 0, 'worker-z', at(5), at(7))).toBe(false);
        expect(await store.claimCanvas(c.id, 1, 'worker-z', at(5), at(7))).toBe(true);
      });

      it('the version shown never goes back, and settling clears the wait only at the version given', async () => {
        const c = await create(place('C-SETTLE'), { fields: { canvas }, canvasDue: true });
        expect(await store.claimCanvas(c.id, 0, 'a', at(0), at(2))).toBe(true);
        await store.releaseCanvas(c.id, 'a', { version: 1, at: at(1) });
        expect(await store.claimCanvas(c.id, 1, 'b', at(1), at(3))).toBe(true);
        await store.releaseCanvas(c.id, 'b', { version: 0, at: at(2) });
        expect((await store.canvasProgress(c.id))?.shownVersion).toBe(1);
        const v2 = await commitOk(writeFrom(c, { canvasDue: true, fields: { updatedAt: at(3) } }));
        await store.settleCanvas(c.id, 1);
        expect((await store.canvasProgress(c.id))?.dueSince).toBe(at(3));
        await store.settleCanvas(c.id, v2.version);
        expect((await store.canvasProgress(c.id))?.dueSince).toBeNull();
      });

      it('a case put whole that is kept in a canvas is due; canvasesDue lists the longest waiting first, at most the limit', async () => {
        const snap = (caseId: string, channel: string, when: string): CaseSnapshot => ({
          case: { ...newCase({ id: caseId, place: place(channel), now: when }), version: 4, canvas }, sprints: [], decisions: [], evidence: [],
        });
        await store.putSnapshot(snap('case-put-b', 'C-PUT-B', at(5)), { replace: false });
        await store.putSnapshot(snap('case-put-a', 'C-PUT-A', at(2)), { replace: false });
        await store.putSnapshot({ ...snap('case-put-c', 'C-PUT-C', at(1)), case: { ...snap('case-put-c', 'C-PUT-C', at(1)).case, canvas: null } }, { replace: false });
        expect((await store.canvasesDue(10)).map((p) => p.caseId)).toEqual(['case-put-a', 'case-put-b']);
        expect((await store.canvasesDue(1)).map((p) => p.caseId)).toEqual(['case-put-a']);
        expect(await store.canvasProgress('case-put-a')).toMatchObject({ version: 4, shownVersion: 0, dueSince: at(2) });
      });
    });

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
          ascending(10).map((i) => store.claim('digest:race', `worker-${i}`, at(0), at(5))),
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
