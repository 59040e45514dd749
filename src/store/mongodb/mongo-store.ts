/** The MongoDB store: the Store port, each method handed to the module that does it. */
import type { Connection } from 'mongoose';
import type { Models } from '../../../models';
import type { Case, CaseSnapshot, Change, Place } from '../../core/model';
import type { ConversationRef } from '../../../adapters/teams/ports';
import type { Installation } from '../../../adapters/slack/ports';
import type { CanvasProgress, CaseWrite, ClaimResult, DueCase, StoreHealth } from '../../core/ports';
import type { Announcement } from '../../../adapters/announcement-store';
import type { Store } from '../store';
import * as canvases from './canvases';
import * as announcements from './announcements';
import * as claims from './claims';
import * as githubLinks from './github-links';
import { commit, setNextDue } from './commit';
import { ping } from './health';
import { DEFAULT_TIMING, type Db, type WriteLockTiming } from './context';
import * as refs from './conversation-refs';
import * as installations from './installations';
import * as reads from './reads';
import * as snapshots from './snapshots';

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  private readonly db: Db;
  private closed = false;

  constructor(
    /** The connection: for tests and diagnostics only; go through the Store methods. */
    readonly conn: Connection,
    models: Models,
    /** True when multi-document writes run in transactions (replica set or mongos). */
    readonly transactions: boolean,
    timing: Partial<WriteLockTiming> = {},
  ) {
    this.db = { conn, m: models, transactions, timing: { ...DEFAULT_TIMING, ...timing } };
  }

  // Cases
  findCase(place: Place): Promise<Case | null> { return reads.findCase(this.db, place); }
  getCase(id: string): Promise<Case | null> { return reads.getCase(this.db, id); }
  listCases(filter?: { platform?: Place['platform']; workspace?: string }): Promise<Case[]> { return reads.listCases(this.db, filter); }
  snapshot(caseId: string): Promise<CaseSnapshot | null> { return reads.snapshot(this.db, caseId); }
  loadCase(place: Place): Promise<CaseSnapshot | null> { return reads.loadCase(this.db, place); }
  commit(write: CaseWrite): Promise<boolean> { return commit(this.db, write); }

  // Changes
  listChanges(caseId: string, since: string, until: string): Promise<Change[]> { return reads.listChanges(this.db, caseId, since, until); }
  changesAfter(caseId: string, version: number): Promise<Change[]> { return reads.changesAfter(this.db, caseId, version); }
  getChange(caseId: string, id: string): Promise<Change | null> { return reads.getChange(this.db, caseId, id); }
  lastChange(caseId: string, actorId: string, since: string): Promise<Change | null> { return reads.lastChange(this.db, caseId, actorId, since); }

  // Whole cases
  putSnapshot(snapshot: CaseSnapshot, options: { replace: boolean }): Promise<void> { return snapshots.putSnapshot(this.db, snapshot, options); }
  deleteCase(id: string): Promise<void> { return snapshots.deleteCase(this.db, id); }
  publishTargetsOf(caseId: string): Promise<string[]> { return reads.publishTargetsOf(this.db, caseId); }
  linkInstallation(link: { workspace: string; installation: number; account: string; linkedBy: string; at: string }): Promise<void> { return githubLinks.linkInstallation(this.db, link); }
  isLinked(workspace: string, installation: number): Promise<boolean> { return githubLinks.isLinked(this.db, workspace, installation); }

  // The scheduler's index
  listDue(now: string, limit: number, after?: { dueAt: string; id: string }): Promise<DueCase[]> { return reads.listDue(this.db, now, limit, after); }
  setNextDue(caseId: string, version: number, nextDueAt: string | null): Promise<boolean> { return setNextDue(this.db, caseId, version, nextDueAt); }

  // Exactly-once work
  claim(key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult> { return claims.claim(this.db, key, owner, now, leaseUntil); }
  completeClaim(key: string, owner: string, at: string): Promise<void> { return claims.completeClaim(this.db, key, owner, at); }

  // Keeping canvases current
  canvasProgress(caseId: string): Promise<CanvasProgress | null> { return canvases.canvasProgress(this.db, caseId); }
  canvasesDue(limit: number): Promise<CanvasProgress[]> { return canvases.canvasesDue(this.db, limit); }
  claimCanvas(caseId: string, shownVersion: number, owner: string, now: string, leaseUntil: string): Promise<boolean> {
    return canvases.claimCanvas(this.db, caseId, shownVersion, owner, now, leaseUntil);
  }
  releaseCanvas(caseId: string, owner: string, written: { version: number; at: string } | null): Promise<void> {
    return canvases.releaseCanvas(this.db, caseId, owner, written);
  }
  settleCanvas(caseId: string, version: number): Promise<void> { return canvases.settleCanvas(this.db, caseId, version); }

  // Slack installations
  saveInstallation(installation: Installation): Promise<void> { return installations.saveInstallation(this.db, installation); }
  getInstallation(key: string): Promise<Installation | null> { return installations.getInstallation(this.db, key); }
  deleteInstallation(key: string): Promise<void> { return installations.deleteInstallation(this.db, key); }
  listInstallations(): Promise<Installation[]> { return installations.listInstallations(this.db); }

  // Teams conversation references
  saveConversationRef(ref: ConversationRef): Promise<void> { return refs.saveConversationRef(this.db, ref); }
  getConversationRef(place: Place): Promise<ConversationRef | null> { return refs.getConversationRef(this.db, place); }
  listConversationRefs(): Promise<ConversationRef[]> { return refs.listConversationRefs(this.db); }

  // Where changes were announced, for the undo window
  saveAnnouncement(announcement: Announcement): Promise<void> { return announcements.saveAnnouncement(this.db, announcement); }
  takeAnnouncement(changeId: string, now: string): Promise<Announcement | null> { return announcements.takeAnnouncement(this.db, changeId, now); }
  async health(): Promise<StoreHealth> {
    if (this.closed) return { ok: false, reason: 'The store is closed.' };
    return ping(this.conn);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close();
  }
}
