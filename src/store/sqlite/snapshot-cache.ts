/**
 * The records of recently used cases, kept by case and version, so a command on a large case
 * reads one row (the case, with its version) instead of every decision and piece of evidence.
 * The version is the truth: a case changed by anyone, in any process, has a new version, and
 * its records are read again. After this store's own commit, the new version is made from the
 * one it read plus the write, without reading. Records are frozen: the domain never changes
 * one in place, and a cached record must not change under another command.
 */
import type { Case, CaseSnapshot, Decision, Evidence, Sprint } from '../../core/model';
import type { CaseWrite } from '../../core/ports';

const MAX_CASES = 200;

/** Same case, same version, same write time: the same records (a whole-case put keeps versions, not times). */
const sameState = (a: Pick<Case, 'version' | 'updatedAt'>, b: Pick<Case, 'version' | 'updatedAt'>): boolean => a.version === b.version && a.updatedAt === b.updatedAt;

function frozen<T extends object>(items: T[]): T[] {
  for (const item of items) Object.freeze(item);
  return items;
}

export class SnapshotCache {
  private readonly cases = new Map<string, CaseSnapshot>();

  /** The case and records cached for this state of the case (its version and write time), or null. */
  current(at: Pick<Case, 'id' | 'version' | 'updatedAt'>): CaseSnapshot | null {
    const hit = this.cases.get(at.id);
    if (!hit || !sameState(hit.case, at)) return null;
    // Most recently used last.
    this.cases.delete(at.id);
    this.cases.set(at.id, hit);
    return copy(hit);
  }

  /** The records of `c` as cached, or those `read` gives (then kept). */
  get(c: Case, read: () => CaseSnapshot): CaseSnapshot {
    const hit = this.current(c);
    if (hit) return hit;
    const fresh = read();
    this.keep({ case: fresh.case, sprints: frozen(fresh.sprints), decisions: frozen(fresh.decisions), evidence: frozen(fresh.evidence) });
    return copy(fresh);
  }

  /** After a commit this store made: the records it wrote onto those it read, when cached. */
  committed(w: CaseWrite): void {
    const before = this.cases.get(w.case.id);
    if (w.expectedVersion === null || !before || before.case.version !== w.expectedVersion) {
      this.cases.delete(w.case.id);
      return;
    }
    // Only the records just written are new: the rest were frozen when first kept.
    frozen([...w.putSprints]);
    frozen([...w.putDecisions]);
    frozen([...w.putEvidence]);
    const goneDecisions = new Set(w.deleteDecisions);
    const goneEvidence = new Set(w.deleteEvidence);
    const byNumber = (a: { number: number }, b: { number: number }): number => a.number - b.number;
    const byPlace = (a: Evidence, b: Evidence): number => a.decision - b.decision || a.position - b.position;
    this.keep({
      case: w.case,
      sprints: upsert(before.sprints.filter((s) => !w.deleteSprints.includes(s.number)), w.putSprints, (s: Sprint) => String(s.number)).sort(byNumber),
      // Most commands add a decision or evidence after the last: those are appended to the
      // lists the cache owns (it hands out copies), so no list of the whole case is made
      // and dropped per command, which under load is garbage that lives long enough to
      // grow the heap.
      decisions: w.deleteDecisions.length === 0 && appendsAfter(before.decisions, w.putDecisions, byNumber)
        ? append(before.decisions, w.putDecisions)
        : upsert(before.decisions.filter((d) => !goneDecisions.has(d.number)), w.putDecisions, (d: Decision) => String(d.number)).sort(byNumber),
      evidence: w.deleteEvidence.length === 0 && w.deleteDecisions.length === 0 && appendsAfter(before.evidence, w.putEvidence, byPlace)
        && !w.putEvidence.some((p) => before.evidence.some((e) => e.id === p.id))
        ? append(before.evidence, w.putEvidence)
        : upsert(before.evidence.filter((e) => !goneEvidence.has(e.id) && !goneDecisions.has(e.decision)), w.putEvidence, (e: Evidence) => e.id).sort(byPlace),
    });
  }

  forget(caseId: string): void {
    this.cases.delete(caseId);
  }

  private keep(snapshot: CaseSnapshot): void {
    this.cases.delete(snapshot.case.id);
    this.cases.set(snapshot.case.id, snapshot);
    if (this.cases.size > MAX_CASES) this.cases.delete(this.cases.keys().next().value as string);
  }
}

/** The lists copied (the records shared): a caller may sort its lists, never the cache's. */
function copy(s: CaseSnapshot): CaseSnapshot {
  return { case: s.case, sprints: [...s.sprints], decisions: [...s.decisions], evidence: [...s.evidence] };
}

/** Whether `puts`, in order, each sort after the one before and after the last of `items`. */
function appendsAfter<T>(items: readonly T[], puts: readonly T[], compare: (a: T, b: T) => number): boolean {
  let last = items[items.length - 1];
  for (const p of puts) {
    if (last !== undefined && compare(last, p) >= 0) return false;
    last = p;
  }
  return true;
}

function append<T>(items: T[], puts: readonly T[]): T[] {
  for (const p of puts) items.push(p);
  return items;
}

/** `items` with `puts` in place of those with the same key, and the new ones added. */
function upsert<T>(items: T[], puts: readonly T[], key: (item: T) => string): T[] {
  if (puts.length === 0) return items;
  const replaced = new Map(puts.map((p) => [key(p), p]));
  const out = items.map((item) => {
    const k = key(item);
    const p = replaced.get(k);
    if (p === undefined) return item;
    replaced.delete(k);
    return p;
  });
  return [...out, ...replaced.values()];
}
