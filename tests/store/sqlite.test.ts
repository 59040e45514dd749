import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newCase } from '../../src/core/cases';
import type { Place } from '../../src/core/model';
import { migrate, MIGRATIONS, openSqliteStore } from '../../src/store/sqlite';
import { StoreConflict } from '../../src/core/ports';
import { storeContract } from './contract';
import { ensureCaseWith } from '../helpers/records';

const NOW = '2025-03-03T09:00:00.000Z';
const PLACE: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'decisions-sqlite-'));
}

storeContract('sqlite', async () => {
  const dir = tempDir();
  const store = openSqliteStore(join(dir, 'data', 'decisions.db'));
  return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('SQLite store', () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the parent directory and uses WAL, FULL sync, a short busy timeout and foreign keys', async () => {
    const file = join(dir, 'nested', 'deeper', 'decisions.db');
    const store = openSqliteStore(file);
    try {
      expect(store.kind).toBe('sqlite');
      expect(existsSync(file)).toBe(true);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5); // waits longer happen off the event loop
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      await store.close();
    }
    // WAL is a property of the file: another connection sees it too.
    const other = new Database(file, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.close();
    }
  });

  it('close is safe to call twice', async () => {
    const store = openSqliteStore(join(dir, 'd.db'));
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('records the schema version and does not re-run migrations on reopening', async () => {
    const file = join(dir, 'decisions.db');
    const first = openSqliteStore(file);
    expect(first.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const c = await ensureCaseWith(first, newCase({ id: 'case-1', place: PLACE, now: NOW }));
    await first.close();

    const second = openSqliteStore(file);
    try {
      expect(second.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(migrate(second.db)).toBe(0);
      expect(await second.getCase('case-1')).toEqual(c);
    } finally {
      await second.close();
    }
  });

  it('step 8 (proposals and deciders) keeps every decision and every piece of evidence of an older database', () => {
    const file = join(dir, 'older.db');
    const db = new Database(file);
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, MIGRATIONS.slice(0, 7));
      db.prepare(`INSERT INTO cases (id, platform, workspace, channel, title, template, time_zone, sprint_length, layout, schedule, share_version, created_at, updated_at)
        VALUES ('c1', 'slack', 'T1', 'C1', 'Case', 'prototype', 'Europe/London', '{}', '{}', '{}', 1, 'x', 'x')`).run();
      db.prepare(`INSERT INTO decisions (case_id, number, sprint, text, author_id, author_name, created_at, updated_at, status, status_reason, superseded_by, source_url, revisions)
        VALUES ('c1', 0, 0, 'We will go', 'U1', 'Ana', 'x', 'x', 'withdrawn', 'No', NULL, NULL, '[]')`).run();
      db.prepare(`INSERT INTO evidence (id, case_id, decision, letter, refers_to, position, text, author_id, author_name, created_at, source_url)
        VALUES ('e1', 'c1', 0, 'a', NULL, 0, 'Seen', 'U1', 'Ana', 'x', NULL)`).run();
      expect(migrate(db)).toBe(MIGRATIONS.length - 7);
      expect(db.prepare('SELECT number, status, status_reason, deciders FROM decisions').all()).toEqual([{ number: 0, status: 'withdrawn', status_reason: 'No', deciders: '[]' }]);
      expect(db.prepare('SELECT id, text FROM evidence').all()).toEqual([{ id: 'e1', text: 'Seen' }]);
      // The new statuses are allowed, an unknown one still refused, and evidence still follows its decision.
      db.prepare(`UPDATE decisions SET status = 'proposed'`).run();
      expect(() => db.prepare(`UPDATE decisions SET status = 'maybe'`).run()).toThrow(/CHECK constraint/);
      db.prepare('DELETE FROM decisions').run();
      expect(db.prepare('SELECT COUNT(*) AS n FROM evidence').get()).toEqual({ n: 0 });
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('step 11 (phases and points) gives an older database\'s sprints no phase and its decisions and evidence no points, and the store reads them', async () => {
    const file = join(dir, 'older-10.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 10));
    db.prepare(`INSERT INTO cases (id, platform, workspace, channel, title, template, time_zone, sprint_length, layout, schedule, share_version, created_at, updated_at, version)
      VALUES ('c1', 'slack', 'T1', 'C1', 'Case', 'prototype', 'Europe/London', '{"count":2,"unit":"weeks"}', ?, '{}', 1, 'x', 'x', 3)`).run(JSON.stringify(newCase({ id: 'c1', place: PLACE, now: NOW }).layout));
    db.prepare(`INSERT INTO sprints (case_id, number, suffix, intro, starts_on) VALUES ('c1', 0, '', '', NULL)`).run();
    db.prepare(`INSERT INTO decisions (case_id, number, sprint, text, author_id, author_name, created_at, updated_at, status, status_reason, superseded_by, source_url, revisions, deciders)
      VALUES ('c1', 0, 0, 'We will go', 'U1', 'Ana', 'x', 'x', 'active', NULL, NULL, NULL, '[]', '["Ana"]')`).run();
    db.prepare(`INSERT INTO evidence (id, case_id, decision, letter, refers_to, position, text, author_id, author_name, created_at, source_url)
      VALUES ('e1', 'c1', 0, 'a', NULL, 0, 'Seen', 'U1', 'Ana', 'x', NULL)`).run();
    db.close();
    const store = openSqliteStore(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const snap = await store.snapshot('c1');
      expect(snap?.sprints).toEqual([{ number: 0, suffix: '', intro: '', startsOn: null }]);
      expect(snap?.sprints[0]).not.toHaveProperty('phase');
      expect(snap?.decisions.map((d) => [d.text, d.deciders, d.points])).toEqual([['We will go', ['Ana'], []]]);
      expect(snap?.evidence.map((e) => [e.text, e.points])).toEqual([['Seen', []]]);
    } finally {
      await store.close();
    }
  });

  it('applies only the steps a database has not had yet, each once', () => {
    const db = new Database(join(dir, 'm.db'));
    try {
      const steps = ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER)'];
      expect(migrate(db, steps.slice(0, 1))).toBe(1);
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      // Re-running step 1 would fail (table a exists): it must be skipped.
      expect(migrate(db, steps)).toBe(1);
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(migrate(db, steps)).toBe(0);
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
      expect(tables).toEqual(['a', 'b']);
    } finally {
      db.close();
    }
  });

  it('rolls back a failing migration step, leaving the version where it was', () => {
    const db = new Database(join(dir, 'm.db'));
    try {
      expect(() => migrate(db, ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE c (z INTEGER); SELECT nonsense FROM nowhere'])).toThrow();
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
      expect(tables).toEqual(['a']);
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer version of the bot', () => {
    const file = join(dir, 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/newer than this version/);
  });

  it('putSnapshot is all or nothing: a bad snapshot leaves no trace', async () => {
    const store = openSqliteStore(join(dir, 'd.db'));
    try {
      const c = newCase({ id: 'bad', place: PLACE, now: NOW });
      const author = { id: 'U1', name: 'Alice' };
      await expect(store.putSnapshot({
        case: c,
        sprints: [{ number: 1, suffix: '', intro: '', startsOn: null }],
        decisions: [{
          number: 0, sprint: 1, text: 'x', author, createdAt: NOW, updatedAt: NOW, status: 'active',
          statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [],
        }],
        evidence: [{ id: 'e1', decision: 4, letter: 'a', refersTo: null, position: 0, text: 'y', author, createdAt: NOW, sourceUrl: null, points: [] }],
      }, { replace: false })).rejects.toBeInstanceOf(StoreConflict);
      expect(await store.getCase('bad')).toBeNull();
      expect(await store.findCase(PLACE)).toBeNull();
    } finally {
      await store.close();
    }
  });
});
