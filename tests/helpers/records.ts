/**
 * Reading what a store holds, for assertions, and making a case to start from. Tests go
 * through the store port only, so they hold for every store.
 */
import { randomUUID } from 'node:crypto';
import { newCase } from '../../src/core/cases';
import type { Case, Decision, Evidence, Place, Sprint } from '../../src/core/model';
import type { CaseStore } from '../../src/core/ports';

export async function decisionsOf(store: Pick<CaseStore, 'snapshot'>, caseId: string): Promise<Decision[]> {
  return (await store.snapshot(caseId))?.decisions ?? [];
}

export async function evidenceOf(store: Pick<CaseStore, 'snapshot'>, caseId: string): Promise<Evidence[]> {
  return (await store.snapshot(caseId))?.evidence ?? [];
}

export async function sprintsOf(store: Pick<CaseStore, 'snapshot'>, caseId: string): Promise<Sprint[]> {
  return (await store.snapshot(caseId))?.sprints ?? [];
}

/** Stores `made` as a new case (version 1) unless its place has one; returns the case there. */
export async function ensureCaseWith(store: Pick<CaseStore, 'findCase' | 'putSnapshot'>, made: Case): Promise<Case> {
  const found = await store.findCase(made.place);
  if (found) return found;
  const c = { ...made, version: 1 };
  await store.putSnapshot({ case: c, sprints: [], decisions: [], evidence: [] }, { replace: false });
  return c;
}

/** The case of a place, made empty when there is none. */
export function caseFor(store: Pick<CaseStore, 'findCase' | 'putSnapshot'>, place: Place): Promise<Case> {
  return ensureCaseWith(store, newCase({ id: randomUUID(), place, now: new Date().toISOString() }));
}
