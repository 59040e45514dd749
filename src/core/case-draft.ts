/**
 * A case as one command sees it: the records read at one version, plus what the command
 * changes. Handlers read and change the draft; `toWrite` turns the changes into one
 * CaseWrite that commits only if the case is still at the version read. Reads use a draft
 * too and simply never commit it, so they cannot write.
 */
import { missingSprints, sprintOn, type SprintWindow } from './sprints';
import type { Case, CaseFields, CaseSnapshot, Change, Decision, Evidence, Section, Sprint } from './model';
import type { CaseWrite } from './ports';
import { nextDueAt, zoneDate } from './schedule';
import { TEMPLATES } from './templates';
import { publishTargets } from './publishing/targets';

/**
 * One kind of record in a draft: those read, with this command's changes laid over them.
 * Nothing is copied or indexed when the draft is made: a command on a case of thousands of
 * decisions that looks up one sprint and adds one decision pays for one sprint's lookup,
 * not for indexing the case.
 */
class Records<K, V> {
  private index: Map<K, V> | null = null;
  /** Records this command put (a value) or removed (undefined). */
  private readonly changed = new Map<K, V | undefined>();

  constructor(private readonly read: readonly V[], private readonly key: (v: V) => K) {}

  get(k: K): V | undefined {
    if (this.changed.has(k)) return this.changed.get(k);
    this.index ??= new Map(this.read.map((v) => [this.key(v), v]));
    return this.index.get(k);
  }

  set(k: K, v: V): void {
    this.changed.set(k, v);
  }

  delete(k: K): void {
    this.changed.set(k, undefined);
  }

  /** Every record as it stands, in no particular order. */
  values(): Iterable<V> {
    return this.changed.size === 0 ? this.read : this.merged();
  }

  private *merged(): Generator<V> {
    for (const v of this.read) if (!this.changed.has(this.key(v))) yield v;
    for (const v of this.changed.values()) if (v !== undefined) yield v;
  }
}

export class CaseDraft {
  /** The case as it will stand after this command. */
  case: Case;
  /** The version read; null when the case does not exist yet. */
  readonly readVersion: number | null;
  /** The case as read, to tell whether the command changed what its schedule depends on. */
  private readonly readCase: Case;
  private readonly sprints: Records<number, Sprint>;
  private readonly decisions: Records<number, Decision>;
  private readonly evidence: Records<string, Evidence>;
  private caseChanged = false;
  private readonly put = { sprints: new Set<number>(), decisions: new Set<number>(), evidence: new Set<string>() };
  private readonly gone = { sprints: new Set<number>(), decisions: new Set<number>(), evidence: new Set<string>() };
  private readonly changes: Change[] = [];
  private readonly undone: Array<{ id: string; at: string }> = [];
  private holdingTargets = false;

  constructor(snapshot: CaseSnapshot, exists: boolean) {
    this.case = snapshot.case;
    this.readCase = snapshot.case;
    this.readVersion = exists ? snapshot.case.version : null;
    this.sprints = new Records(snapshot.sprints, (s) => s.number);
    this.decisions = new Records(snapshot.decisions, (d) => d.number);
    this.evidence = new Records(snapshot.evidence, (e) => e.id);
  }

  /** The version this command's write will commit. */
  get nextVersion(): number {
    return (this.readVersion ?? 0) + 1;
  }

  // Reading ------------------------------------------------------------------------------

  sprintList(): Sprint[] {
    return [...this.sprints.values()].sort((a, b) => a.number - b.number);
  }

  sprint(n: number): Sprint | undefined {
    return this.sprints.get(n);
  }

  decisionList(filter: { sprint?: number } = {}): Decision[] {
    return [...this.decisions.values()]
      .filter((d) => filter.sprint === undefined || d.sprint === filter.sprint)
      .sort((a, b) => a.number - b.number);
  }

  decision(n: number): Decision | undefined {
    return this.decisions.get(n);
  }

  /** The highest decision number, or null when there is none (without sorting them all). */
  lastDecisionNumber(): number | null {
    let last: number | null = null;
    for (const d of this.decisions.values()) if (last === null || d.number > last) last = d.number;
    return last;
  }

  /** Evidence in decision then position order; `decision` narrows to one decision. */
  evidenceList(filter: { decision?: number } = {}): Evidence[] {
    return [...this.evidence.values()]
      .filter((e) => filter.decision === undefined || e.decision === filter.decision)
      .sort((a, b) => a.decision - b.decision || a.position - b.position);
  }

  snapshot(): CaseSnapshot {
    return { case: this.case, sprints: this.sprintList(), decisions: this.decisionList(), evidence: this.evidenceList() };
  }

  // Changing -----------------------------------------------------------------------------

  setCase(fields: CaseFields): void {
    this.case = { ...this.case, ...fields };
    this.caseChanged = true;
  }

  /** Writes the publication's repository keys even when it did not change (they may never have been stored). */
  holdPublishTargets(): void {
    this.holdingTargets = true;
  }

  putSprint(s: Sprint): void {
    this.sprints.set(s.number, s);
    this.put.sprints.add(s.number);
    this.gone.sprints.delete(s.number);
  }

  deleteSprint(n: number): void {
    this.sprints.delete(n);
    this.put.sprints.delete(n);
    this.gone.sprints.add(n);
  }

  putDecision(d: Decision): void {
    this.decisions.set(d.number, d);
    this.put.decisions.add(d.number);
    this.gone.decisions.delete(d.number);
  }

  /** Removes a decision and all its evidence. */
  deleteDecision(n: number): void {
    for (const e of this.evidenceList({ decision: n })) this.deleteEvidence(e.id);
    this.decisions.delete(n);
    this.put.decisions.delete(n);
    this.gone.decisions.add(n);
  }

  putEvidence(e: Evidence): void {
    this.evidence.set(e.id, e);
    this.put.evidence.add(e.id);
    this.gone.evidence.delete(e.id);
  }

  deleteEvidence(id: string): void {
    this.evidence.delete(id);
    this.put.evidence.delete(id);
    this.gone.evidence.add(id);
  }

  /**
   * Makes the case hold exactly what `snapshot` holds: its fields and its records, the rest
   * removed. The id, place, creation time and version stay the draft's, so the write is an
   * ordinary conditional commit (an import, and the undo of one).
   */
  replaceWith(snapshot: CaseSnapshot): void {
    const { title, template, timeZone, sprintLength, layout, schedule, shareVersion } = snapshot.case;
    this.setCase({ title, template, timeZone, sprintLength, layout, schedule, shareVersion });
    const evidence = new Set(snapshot.evidence.map((e) => e.id));
    const decisions = new Set(snapshot.decisions.map((d) => d.number));
    const sprints = new Set(snapshot.sprints.map((s) => s.number));
    for (const e of this.evidenceList()) if (!evidence.has(e.id)) this.deleteEvidence(e.id);
    for (const d of this.decisionList()) if (!decisions.has(d.number)) this.deleteDecision(d.number);
    for (const s of this.sprintList()) if (!sprints.has(s.number)) this.deleteSprint(s.number);
    for (const s of snapshot.sprints) this.putSprint(s);
    for (const d of snapshot.decisions) this.putDecision(d);
    for (const e of snapshot.evidence) this.putEvidence(e);
  }

  /** Records the change people see in history and can undo; it commits this version. */
  addChange(change: Omit<Change, 'version' | 'caseId'>): Change {
    const full: Change = { ...change, caseId: this.case.id, version: this.nextVersion };
    this.changes.push(full);
    return full;
  }

  markUndone(id: string, at: string): void {
    this.undone.push({ id, at });
  }

  /** Whether the case's schedule may have moved: it is new, or its settings, time zone, sprint length or sprints changed. */
  private scheduleMoved(): boolean {
    const before = this.readCase;
    const after = this.case;
    return this.readVersion === null || this.put.sprints.size > 0 || this.gone.sprints.size > 0
      || before.timeZone !== after.timeZone || before.place.platform !== after.place.platform
      || JSON.stringify(before.schedule) !== JSON.stringify(after.schedule)
      || JSON.stringify(before.sprintLength) !== JSON.stringify(after.sprintLength)
      || (before.publication?.connectedAt ?? null) !== (after.publication?.connectedAt ?? null);
  }

  /** What to commit, or null when the command changed nothing (a new case is always written). */
  toWrite(at: string): CaseWrite | null {
    const touched = this.readVersion === null || this.caseChanged || this.changes.length > 0 || this.undone.length > 0
      || this.holdingTargets || Object.values(this.put).some((s) => s.size > 0) || Object.values(this.gone).some((s) => s.size > 0);
    if (!touched) return null;
    const due = this.scheduleMoved() ? nextDueAt(this.case, this.sprintList(), new Date(at)) : undefined;
    const targets = publishTargets(this.case.publication);
    const targetsMoved = this.holdingTargets || JSON.stringify(targets) !== JSON.stringify(publishTargets(this.readCase.publication));
    return {
      ...(due !== undefined ? { nextDueAt: due === null ? null : due.toISOString() } : {}),
      ...(targetsMoved ? { publishTargets: targets } : {}),
      ...(this.readVersion !== null && this.case.layout === this.readCase.layout ? { layoutUnchanged: true } : {}),
      // A case kept in a canvas: whatever this write changed, the canvas is brought up to date.
      ...(this.case.canvas?.on === true ? { canvasDue: true } : {}),
      case: { ...this.case, version: this.nextVersion, updatedAt: at },
      expectedVersion: this.readVersion,
      putSprints: [...this.put.sprints].map((n) => this.sprints.get(n) as Sprint),
      deleteSprints: [...this.gone.sprints],
      putDecisions: [...this.put.decisions].map((n) => this.decisions.get(n) as Decision),
      deleteDecisions: [...this.gone.decisions],
      putEvidence: [...this.put.evidence].map((id) => this.evidence.get(id) as Evidence),
      deleteEvidence: [...this.gone.evidence],
      addChanges: this.changes,
      undone: this.undone,
    };
  }
}

/**
 * Brings the draft's sprints up to today: the calendar's current sprint and any before it
 * that are missing. Returns the current sprint's window. On a read the added sprints are
 * only in memory; a write commits them with its own change.
 */
export function catchUpSprints(draft: CaseDraft, now: Date): SprintWindow {
  const c = draft.case;
  const sprints = draft.sprintList();
  const window = sprintOn(sprints, c.sprintLength, zoneDate(now, c.timeZone));
  const missing = missingSprints(sprints, c.sprintLength, window);
  if (missing.length === 0) return window;
  if (sprints.length === 0) giveDecisionsAHeading(draft);
  for (const s of missing) draft.putSprint(s);
  return window;
}

/**
 * A case imported from a document with no sprints has no heading for its key decisions.
 * Before its first sprint, give it one (its own "Key decisions…" section if it has one,
 * else the template's) so the sprints do not land inside the last section of the case.
 */
function giveDecisionsAHeading(draft: CaseDraft): void {
  const c = draft.case;
  const { layout } = c;
  if (layout.decisionsHeading !== null || layout.sprintLevel <= 2) return;
  const level = layout.sprintLevel - 1;
  const own = layout.sections.findIndex((s, i) => s.level === level && /^key decisions\b/i.test(s.heading)
    && !(layout.sections[i + 1] && (layout.sections[i + 1] as Section).level > level));
  const found = own >= 0 ? layout.sections[own] : undefined;
  const sections = found ? layout.sections.filter((_, i) => i !== own) : layout.sections;
  const decisionsHeading = found
    ? { level, text: found.heading, intro: found.body }
    : { level, text: TEMPLATES[c.template].decisionsHeading, intro: '' };
  const decisionsAt = found ? own : sections.length;
  draft.setCase({ layout: { ...layout, sections, decisionsHeading, decisionsAt } });
}
