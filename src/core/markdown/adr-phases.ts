/**
 * Which ADR of a folder says that a phase starts ("_Phase: Alpha_" in its preamble). A folder
 * has no sprint headings (its sprints come from the ADRs' dates), so a phase is written in an
 * ADR of the sprint it starts at: the one that said so when imported, else the lowest
 * numbered; when that sprint holds no ADR, in the first ADR after it, before the next phase
 * starts. A phase with no ADR of its own cannot be written in the folder, and is said.
 */
import type { AdrRecord, CaseSnapshot, Decision, Sprint, SprintPhase } from '../model';
import { phaseLabel } from '../phases';

export interface AdrPhases {
  /** By decision number: the phase its ADR says starts with it. */
  carriers: Map<number, SprintPhase>;
  /** Phases no ADR can carry: the sprint each starts at. */
  leftOut: Array<{ sprint: number; phase: SprintPhase }>;
}

export function adrPhases(
  sprints: readonly Sprint[], decisions: ReadonlyArray<Pick<Decision, 'number' | 'sprint'>>, records: readonly Pick<AdrRecord, 'decision' | 'startsPhase'>[],
): AdrPhases {
  const said = new Set(records.filter((r) => r.startsPhase === true).map((r) => r.decision));
  const starts = sprints.filter((s) => s.phase).sort((a, b) => a.number - b.number);
  const ordered = [...decisions].sort((a, b) => a.sprint - b.sprint || a.number - b.number);
  const carriers = new Map<number, SprintPhase>();
  const leftOut: AdrPhases['leftOut'] = [];
  starts.forEach((s, i) => {
    const phase = s.phase as SprintPhase;
    const until = starts[i + 1]?.number ?? Infinity;
    const held = ordered.filter((d) => d.sprint >= s.number && d.sprint < until);
    const first = held[0];
    if (first === undefined) {
      leftOut.push({ sprint: s.number, phase });
      return;
    }
    const carrier = held.find((d) => d.sprint === first.sprint && said.has(d.number)) ?? first;
    carriers.set(carrier.number, phase);
  });
  return { carriers, leftOut };
}

/** What an export of an ADR folder cannot say: each phase that no ADR can carry, in a sentence. */
export function adrPhaseNotes(snapshot: CaseSnapshot): string[] {
  const adr = snapshot.case.layout.adr;
  if (!adr) return [];
  return adrPhases(snapshot.sprints, snapshot.decisions, adr.records).leftOut.map(({ sprint, phase }) =>
    `${phaseLabel(phase)} starts at Sprint ${sprint}, which holds no ADR yet, so the folder does not say so: its first ADR will, once a decision is recorded in it.`);
}
