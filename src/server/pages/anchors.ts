/**
 * The case page's anchors: one id per heading, decision and evidence item, never two alike,
 * and the anchor each citation ("(3a, 4)") lands on.
 */
import { citationLabel } from '../../core/document-view';
import type { CitationResolver } from './markdown-html';
import { TIMELINE_ID } from './timeline';

export const decisionAnchor = (n: number): string => `decision-${n}`;
export const evidenceAnchor = (label: string): string => `evidence-${label}`;

/** Anchors the page has for each citable label: "8" a decision, "8a" an evidence item with its own letter. */
export function citationResolver(citable: ReadonlySet<string>): CitationResolver {
  return (label) => {
    // "08a" and "8a" name the same thing.
    const known = citationLabel(label);
    if (!citable.has(known)) return null;
    return /^\d+$/.test(known) ? decisionAnchor(Number(known)) : evidenceAnchor(known);
  };
}

export class IdMaker {
  private readonly used = new Set<string>(['main', 'contents-title', TIMELINE_ID, 'timeline-svg-title', 'timeline-svg-desc', 'timeline-table-caption']);

  make(text: string): string {
    const base = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'section';
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }

  reserve(id: string): string {
    this.used.add(id);
    return id;
  }
}
