/**
 * The embedded store: one SQLite file through better-sqlite3, in WAL mode. It loads a
 * case's records and commits what core decided, conditionally on the case's version; it
 * holds no business rules. Several processes may share the file: SQLite's write lock
 * serialises their commits and the version check refuses a stale one.
 */
import type Database from 'better-sqlite3';
import type { Case, CaseSnapshot, Change, ConversationRef, Installation, Place } from '../../core/model';
import type { Announcement, CaseWrite, ClaimResult, Store } from '../../core/ports';
import { saveAnnouncement, takeAnnouncement } from './announcements';
import { claim, completeClaim } from './claims';
import { commit, deleteCase, putSnapshot } from './commit';
import { openDb, type Db } from './connection';
import {
  deleteInstallation, getConversationRef, getInstallation, listConversationRefs, listInstallations, saveConversationRef,
  saveInstallation,
} from './platform-records';
import * as reads from './reads';

export { migrate, MIGRATIONS } from './migrations';

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly d: Db;

  constructor(file: string) {
    this.d = openDb(file);
  }

  /** The connection: for tests and diagnostics only. */
  get db(): Database.Database {
    return this.d.db;
  }

  async findCase(place: Place): Promise<Case | null> { return reads.caseAt(this.d, place); }
  async getCase(id: string): Promise<Case | null> { return reads.caseById(this.d, id); }
  async listCases(filter: { platform?: Place['platform']; workspace?: string } = {}): Promise<Case[]> { return reads.listCases(this.d, filter); }
  async snapshot(caseId: string): Promise<CaseSnapshot | null> { return reads.snapshot(this.d, () => reads.caseById(this.d, caseId)); }
  async loadCase(place: Place): Promise<CaseSnapshot | null> { return reads.snapshot(this.d, () => reads.caseAt(this.d, place)); }
  async commit(write: CaseWrite): Promise<boolean> { return commit(this.d, write); }
  async listChanges(caseId: string, since: string, until: string): Promise<Change[]> { return reads.listChanges(this.d, caseId, since, until); }
  async changesAfter(caseId: string, version: number): Promise<Change[]> { return reads.changesAfter(this.d, caseId, version); }
  async getChange(caseId: string, id: string): Promise<Change | null> { return reads.getChange(this.d, caseId, id); }
  async lastChange(caseId: string, actorId: string, since: string): Promise<Change | null> { return reads.lastChange(this.d, caseId, actorId, since); }
  async putSnapshot(snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void> { putSnapshot(this.d, snapshot, options); }
  async deleteCase(id: string): Promise<void> { deleteCase(this.d, id); }

  async claim(key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult> { return claim(this.d, key, owner, now, leaseUntil); }
  async completeClaim(key: string, owner: string, at: string): Promise<void> { completeClaim(this.d, key, owner, at); }

  async saveInstallation(installation: Installation): Promise<void> { saveInstallation(this.d, installation); }
  async getInstallation(key: string): Promise<Installation | null> { return getInstallation(this.d, key); }
  async deleteInstallation(key: string): Promise<void> { deleteInstallation(this.d, key); }
  async listInstallations(): Promise<Installation[]> { return listInstallations(this.d); }

  async saveConversationRef(ref: ConversationRef): Promise<void> { saveConversationRef(this.d, ref); }
  async getConversationRef(place: Place): Promise<ConversationRef | null> { return getConversationRef(this.d, place); }
  async listConversationRefs(): Promise<ConversationRef[]> { return listConversationRefs(this.d); }

  async saveAnnouncement(announcement: Announcement): Promise<void> { saveAnnouncement(this.d, announcement); }
  async takeAnnouncement(changeId: string, now: string): Promise<Announcement | null> { return takeAnnouncement(this.d, changeId, now); }

  async close(): Promise<void> {
    if (this.d.db.open) this.d.db.close();
  }
}

/** Opens (creating if need be) the SQLite store in `file`, bringing its schema up to date. */
export function openSqliteStore(file: string): SqliteStore {
  return new SqliteStore(file);
}
