/**
 * The embedded store: one SQLite file through better-sqlite3, in WAL mode. It loads a
 * case's records and commits what core decided, conditionally on the case's version; it
 * holds no business rules. Several processes may share the file: SQLite's write lock
 * serialises their commits and the version check refuses a stale one. Waiting for that
 * lock never holds up the event loop, and storage failures come back as StoreUnavailable
 * in plain words (connection.ts).
 */
import type Database from 'better-sqlite3';
import type { Case, CaseSnapshot, Change, Place } from '../../core/model';
import type { ConversationRef } from '../../../adapters/teams/ports';
import type { Installation } from '../../../adapters/slack/ports';
import type { CanvasProgress, CaseWrite, ClaimResult, DueCase, StoreHealth } from '../../core/ports';
import type { Announcement } from '../../../adapters/announcement-store';
import type { Store } from '../store';
import * as canvases from './canvases';
import { saveAnnouncement, takeAnnouncement } from './announcements';
import * as githubLinks from './github-links';
import { claim, completeClaim } from './claims';
import { applyWrite, deleteCase, groupCommitter, putSnapshot, setNextDue, type GroupCommit } from './commit';
import { SnapshotCache } from './snapshot-cache';
import { openDb, type Db, type OpenOptions } from './connection';
import {
  deleteInstallation, getConversationRef, getInstallation, listConversationRefs, listInstallations, saveConversationRef,
  saveInstallation,
} from './platform-records';
import * as reads from './reads';

export { migrate, MIGRATIONS } from './migrations';

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly d: Db;

  /** Writes that arrive together share one transaction and one fsync. */
  private readonly group: GroupCommit;
  private readonly cache = new SnapshotCache();

  constructor(file: string, options: OpenOptions = {}) {
    this.d = openDb(file, options);
    this.group = groupCommitter(this.d);
  }

  /** A case's records, from the cache when the case is at the version cached (inside a read transaction). */
  private records(found: Case | null): CaseSnapshot | null {
    if (!found) return null;
    return this.cache.get(found, () => reads.snapshot(this.d, found) as CaseSnapshot);
  }

  /** The connection: for tests and diagnostics only. */
  get db(): Database.Database {
    return this.d.db;
  }

  findCase(place: Place): Promise<Case | null> { return this.d.read(() => reads.caseAt(this.d, place)); }
  getCase(id: string): Promise<Case | null> { return this.d.read(() => reads.caseById(this.d, id)); }
  listCases(filter: { platform?: Place['platform']; workspace?: string } = {}): Promise<Case[]> { return this.d.read(() => reads.listCases(this.d, filter)); }
  snapshot(caseId: string): Promise<CaseSnapshot | null> { return this.d.read(() => this.records(reads.caseById(this.d, caseId))); }
  loadCase(place: Place): Promise<CaseSnapshot | null> {
    return this.d.read(() => {
      // The version first: when it is cached, the case row is not read or parsed either.
      const at = reads.caseVersionAt(this.d, place);
      if (!at) return null;
      return this.cache.current(at) ?? this.records(reads.caseById(this.d, at.id));
    });
  }
  async commit(write: CaseWrite): Promise<boolean> {
    const ok = await this.group(() => applyWrite(this.d, write));
    if (ok) this.cache.committed(write);
    return ok;
  }
  listChanges(caseId: string, since: string, until: string): Promise<Change[]> { return this.d.read(() => reads.listChanges(this.d, caseId, since, until)); }
  changesAfter(caseId: string, version: number): Promise<Change[]> { return this.d.read(() => reads.changesAfter(this.d, caseId, version)); }
  getChange(caseId: string, id: string): Promise<Change | null> { return this.d.read(() => reads.getChange(this.d, caseId, id)); }
  lastChange(caseId: string, actorId: string, since: string): Promise<Change | null> { return this.d.read(() => reads.lastChange(this.d, caseId, actorId, since)); }
  async putSnapshot(snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void> {
    this.cache.forget(snapshot.case.id);
    await putSnapshot(this.d, snapshot, options);
  }
  async deleteCase(id: string): Promise<void> {
    this.cache.forget(id);
    await deleteCase(this.d, id);
  }
  publishTargetsOf(caseId: string): Promise<string[]> {
    return this.d.read(() => (this.d.sql(`SELECT key FROM publish_targets WHERE case_id = ?`).all(caseId) as Array<{ key: string }>).map((r) => r.key));
  }
  listDue(now: string, limit: number, after?: { dueAt: string; id: string }): Promise<DueCase[]> { return this.d.read(() => reads.listDue(this.d, now, limit, after)); }
  setNextDue(caseId: string, version: number, nextDueAt: string | null): Promise<boolean> { return setNextDue(this.d, this.group, caseId, version, nextDueAt); }

  claim(key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult> { return claim(this.d, this.group, key, owner, now, leaseUntil); }
  completeClaim(key: string, owner: string, at: string): Promise<void> { return completeClaim(this.d, this.group, key, owner, at); }

  canvasProgress(caseId: string): Promise<CanvasProgress | null> { return canvases.canvasProgress(this.d, caseId); }
  canvasesDue(limit: number): Promise<CanvasProgress[]> { return canvases.canvasesDue(this.d, limit); }
  claimCanvas(caseId: string, shownVersion: number, owner: string, now: string, leaseUntil: string): Promise<boolean> {
    return canvases.claimCanvas(this.d, this.group, caseId, shownVersion, owner, now, leaseUntil);
  }
  releaseCanvas(caseId: string, owner: string, written: { version: number; at: string } | null): Promise<void> {
    return canvases.releaseCanvas(this.d, this.group, caseId, owner, written);
  }
  settleCanvas(caseId: string, version: number): Promise<void> { return canvases.settleCanvas(this.d, this.group, caseId, version); }

  saveInstallation(installation: Installation): Promise<void> { return saveInstallation(this.d, installation); }
  getInstallation(key: string): Promise<Installation | null> { return getInstallation(this.d, key); }
  deleteInstallation(key: string): Promise<void> { return deleteInstallation(this.d, key); }
  listInstallations(): Promise<Installation[]> { return listInstallations(this.d); }

  saveConversationRef(ref: ConversationRef): Promise<void> { return saveConversationRef(this.d, ref); }
  getConversationRef(place: Place): Promise<ConversationRef | null> { return getConversationRef(this.d, place); }
  listConversationRefs(): Promise<ConversationRef[]> { return listConversationRefs(this.d); }

  linkInstallation(link: { workspace: string; installation: number; account: string; linkedBy: string; at: string }): Promise<void> { return githubLinks.linkInstallation(this.d, link); }
  isLinked(workspace: string, installation: number): Promise<boolean> { return githubLinks.isLinked(this.d, workspace, installation); }

  async health(): Promise<StoreHealth> {
    if (!this.d.db.open) return { ok: false, reason: 'The store is closed.' };
    return this.d.health();
  }

  saveAnnouncement(announcement: Announcement): Promise<void> { return saveAnnouncement(this.d, this.group, announcement); }
  takeAnnouncement(changeId: string, now: string): Promise<Announcement | null> { return takeAnnouncement(this.d, this.group, changeId, now); }

  async close(): Promise<void> {
    this.d.close();
  }
}

/** Opens (creating if need be) the SQLite store in `file`, bringing its schema up to date. */
export function openSqliteStore(file: string, options: OpenOptions = {}): SqliteStore {
  return new SqliteStore(file, options);
}
