/**
 * Group commit on a real SQLite file: commits that arrive together share one transaction
 * (one fsync), each in its own savepoint, so one that fails alone changes nothing of the
 * others, and each is answered only after the shared commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCase } from '../../../src/core/cases';
import type { Case, Decision, Evidence } from '../../../src/core/model';
import type { CaseWrite } from '../../../src/core/ports';
import { openDb, type Db } from '../../../src/store/sqlite/connection';
import { applyWrite, groupCommitter, type GroupCommit } from '../../../src/store/sqlite/commit';
import { caseById } from '../../../src/store/sqlite/reads';
import { saveAnnouncement, takeAnnouncement } from '../../../src/store/sqlite/announcements';

const NOW = '2026-11-26T10:00:00.000Z';
let dir: string;
let d: Db;
let transactions: number;
let group: GroupCommit;
let commit: (w: CaseWrite) => Promise<boolean>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'decisions-group-'));
  const real = openDb(join(dir, 'decisions.sqlite'));
  transactions = 0;
  d = { ...real, write: (fn) => { transactions += 1; return real.write(fn); } };
  group = groupCommitter(d);
  commit = (w) => group(() => applyWrite(d, w));
});

afterEach(() => {
  d.close();
  rmSync(dir, { recursive: true, force: true });
});

function newCaseWrite(n: number, extra: Partial<CaseWrite> = {}): CaseWrite {
  const c: Case = { ...newCase({ id: `case-${n}`, place: { platform: 'slack', workspace: 'T1', channel: `C${n}` }, now: NOW, title: `Case ${n}` }), version: 1 };
  return { case: c, expectedVersion: null, putSprints: [], deleteSprints: [], putDecisions: [], deleteDecisions: [], putEvidence: [], deleteEvidence: [], addChanges: [], undone: [], ...extra };
}

const decision = (number: number): Decision => ({
  number, sprint: 0, text: `Decision ${number}`, author: { id: 'U1', name: 'Ana' }, createdAt: NOW, updatedAt: NOW,
  status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [],
});

it('twenty commits arriving together share one transaction, and every one is stored', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => commit(newCaseWrite(i))));
  expect(results).toEqual(Array.from({ length: 20 }, () => true));
  expect(transactions).toBe(1);
  expect((d.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(20);
});

it('one that breaks a rule fails alone; one decided on a stale version is refused alone; the others are stored', async () => {
  // Evidence for a decision that does not exist: the foreign key refuses it.
  const orphan: Evidence = { id: 'ev-1', decision: 99, letter: 'a', refersTo: null, position: 0, text: 'x', author: { id: 'U1', name: 'Ana' }, createdAt: NOW, sourceUrl: null, points: [] };
  const first = await commit(newCaseWrite(1));
  expect(first).toBe(true);
  transactions = 0;
  const stale: CaseWrite = { ...newCaseWrite(1), case: { ...newCaseWrite(1).case, title: 'Stale', version: 2 }, expectedVersion: 7 };
  const outcomes = await Promise.allSettled([
    commit(newCaseWrite(2, { putDecisions: [decision(0)] })),
    commit(newCaseWrite(3, { putEvidence: [orphan] })),
    commit(stale),
    commit(newCaseWrite(4)),
  ]);
  expect(transactions).toBe(1);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'))).toEqual([true, 'failed', false, true]);
  // Nothing of the failed one, nothing of the stale one; all of the rest.
  expect(caseById(d, 'case-3')).toBeNull();
  expect(caseById(d, 'case-1')?.title).toBe('Case 1');
  expect(caseById(d, 'case-2')).not.toBeNull();
  expect((d.db.prepare('SELECT count(*) AS n FROM decisions WHERE case_id = ?').get('case-2') as { n: number }).n).toBe(1);
  expect(caseById(d, 'case-4')).not.toBeNull();
});

it('commits that arrive one after another are each committed at once', async () => {
  expect(await commit(newCaseWrite(1))).toBe(true);
  expect(await commit(newCaseWrite(2))).toBe(true);
  expect(transactions).toBe(2);
});

it('an announcement saved beside commits shares their transaction', async () => {
  const announcement = { changeId: 'change-1', data: 'sealed', expiresAt: '2026-11-26T10:15:00.000Z' };
  await Promise.all([commit(newCaseWrite(1)), saveAnnouncement(d, group, announcement), commit(newCaseWrite(2))]);
  expect(transactions).toBe(1);
  expect(await takeAnnouncement(d, group, 'change-1', NOW)).toEqual(announcement);
});
