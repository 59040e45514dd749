import type { CaseSnapshot } from '../core/model';
import { StoreConflict } from '../core/ports';

/** Refuses, in plain words, a snapshot whose rows contradict each other. Every store runs it before putSnapshot writes. */
export function checkSnapshot(s: CaseSnapshot): void {
  const numbers = new Set<number>();
  for (const d of s.decisions) {
    if (numbers.has(d.number)) throw new StoreConflict(`The case has Decision ${d.number} twice.`);
    numbers.add(d.number);
  }
  const sprints = new Set<number>();
  for (const sp of s.sprints) {
    if (sprints.has(sp.number)) throw new StoreConflict(`The case has Sprint ${sp.number} twice.`);
    sprints.add(sp.number);
  }
  const ids = new Set<string>();
  const letters = new Set<string>();
  const positions = new Set<string>();
  for (const e of s.evidence) {
    if (ids.has(e.id)) throw new StoreConflict(`The case has evidence id ${e.id} twice.`);
    ids.add(e.id);
    if (!numbers.has(e.decision)) {
      throw new StoreConflict(`Evidence ${e.decision}${e.letter ?? ''} sits under Decision ${e.decision}, which the case does not have.`);
    }
    if (e.letter !== null) {
      const label = `${e.decision}${e.letter}`;
      if (letters.has(label)) throw new StoreConflict(`The case has Evidence ${label} twice.`);
      letters.add(label);
    }
    const at = `${e.decision}:${e.position}`;
    if (positions.has(at)) throw new StoreConflict(`Two pieces of evidence under Decision ${e.decision} share position ${e.position}.`);
    positions.add(at);
  }
}

/** "slack workspace T1, channel C1", for messages. */
export function describePlace(p: CaseSnapshot['case']['place']): string {
  return `${p.platform} workspace ${p.workspace}, channel ${p.channel}`;
}
