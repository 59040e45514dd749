/**
 * Copies everything a store holds into another, through the Store port only, so any
 * pair works (SQLite to MongoDB, MongoDB to SQLite, SQLite to SQLite):
 * `decisions copy --from <store> --to <store>`.
 *
 * What it copies: every case whole (its sprints, decisions and evidence, with their ids
 * and numbers), Slack installations and Teams conversation references.
 * What it leaves: the undo history (changes) and the claims of scheduled work.
 *
 * Running it again changes nothing: a case already at the destination with the same
 * content is left alone and counted as unchanged. A case whose content differs there is
 * left alone too, and reported, unless `replace`, which overwrites it with the source's
 * (the destination may have moved on since the last copy; overwriting must be asked for).
 * Installations and references follow the same rule. Nothing at the destination that is
 * not in the source is removed.
 */
import type { Case, CaseSnapshot, Place } from '../core/model';
import { StoreConflict } from '../core/ports';
import { type Store } from './store';

export interface CopyCounts {
  /** Written at the destination, where there was nothing at that key. */
  copied: number;
  /** Already there with the same content. */
  unchanged: number;
  /** There with other content, and overwritten (`replace`). */
  replaced: number;
  /** There with other content, and left as it was (no `replace`). */
  different: number;
}

export interface CopyReport {
  cases: CopyCounts;
  installations: CopyCounts;
  references: CopyCounts;
  /** What differs at the destination and was left alone, in plain words. */
  differences: string[];
  /** What could not be copied (the destination refused it), in plain words. */
  failures: string[];
}

export interface CopyOptions {
  /** Overwrite what differs at the destination. */
  replace?: boolean;
  /** Told about each case as it is done, for progress output. */
  onCase?: (label: string, outcome: keyof CopyCounts | 'failed') => void;
}

const zero = (): CopyCounts => ({ copied: 0, unchanged: 0, replaced: 0, different: 0 });

/** JSON with keys sorted at every level: equal for equal data whatever store it came from. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function describePlace(p: Place): string {
  return `${p.platform} workspace ${p.workspace}, channel ${p.channel}`;
}

/** "case "Apply for a fishing licence" (slack workspace T1, channel C1)". */
export function caseLabel(c: Case): string {
  if (c.place.platform === 'console') return `case "${c.place.channel}"`;
  return `case ${c.title ? `"${c.title}" ` : ''}(${describePlace(c.place)})`;
}

export async function copyStore(from: Store, to: Store, options: CopyOptions = {}): Promise<CopyReport> {
  const report: CopyReport = { cases: zero(), installations: zero(), references: zero(), differences: [], failures: [] };
  const replace = options.replace ?? false;

  for (const listed of await from.listCases()) {
    const snapshot = await from.snapshot(listed.id);
    if (!snapshot) continue; // deleted since it was listed
    const label = caseLabel(snapshot.case);
    let outcome: keyof CopyCounts | 'failed';
    try {
      outcome = await copyCase(snapshot, to, replace);
    } catch (err) {
      if (!(err instanceof StoreConflict)) throw err;
      report.failures.push(`${label}: ${err.message}`);
      options.onCase?.(label, 'failed');
      continue;
    }
    report.cases[outcome] += 1;
    if (outcome === 'different') report.differences.push(`${label} differs at the destination`);
    options.onCase?.(label, outcome);
  }

  for (const installation of await from.listInstallations()) {
    const there = await to.getInstallation(installation.key);
    const outcome = decide(there, installation, replace);
    if (outcome === 'copied' || outcome === 'replaced') await to.saveInstallation(installation);
    if (outcome === 'different') report.differences.push(`the Slack installation ${installation.key} differs at the destination`);
    report.installations[outcome] += 1;
  }

  for (const ref of await from.listConversationRefs()) {
    const there = await to.getConversationRef(ref.place);
    const outcome = decide(there, ref, replace);
    if (outcome === 'copied' || outcome === 'replaced') await to.saveConversationRef(ref);
    if (outcome === 'different') report.differences.push(`the Teams conversation reference of ${describePlace(ref.place)} differs at the destination`);
    report.references[outcome] += 1;
  }
  return report;
}

function decide(there: unknown, here: unknown, replace: boolean): keyof CopyCounts {
  if (there === null || there === undefined) return 'copied';
  if (sameContent(there, here)) return 'unchanged';
  return replace ? 'replaced' : 'different';
}

async function copyCase(snapshot: CaseSnapshot, to: Store, replace: boolean): Promise<keyof CopyCounts> {
  const there = await to.findCase(snapshot.case.place);
  if (!there) {
    await to.putSnapshot(snapshot, { replace: false });
    return 'copied';
  }
  const theirs = await to.snapshot(there.id);
  if (theirs && sameContent(theirs, snapshot)) return 'unchanged';
  if (!replace) return 'different';
  await to.putSnapshot(snapshot, { replace: true });
  return 'replaced';
}

/** "3 copied, 1 unchanged" (and the replaced and different counts when there are any). */
export function describeCounts(c: CopyCounts): string {
  const parts = [`${c.copied} copied`, `${c.unchanged} unchanged`];
  if (c.replaced) parts.push(`${c.replaced} replaced`);
  if (c.different) parts.push(`${c.different} different, left as they are`);
  return parts.join(', ');
}

export function totalCounts(r: CopyReport): CopyCounts {
  const total = zero();
  for (const c of [r.cases, r.installations, r.references]) {
    total.copied += c.copied;
    total.unchanged += c.unchanged;
    total.replaced += c.replaced;
    total.different += c.different;
  }
  return total;
}
