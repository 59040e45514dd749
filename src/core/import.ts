/** Turns a Markdown business case into a whole case, ready for the Store. */
import type { Actor, CaseSnapshot, Place } from './model';
import { newCase } from './cases';
import { parseCaseMarkdown } from './markdown';
import { localDate } from './sprints';

export const IMPORTER: Actor = { id: 'import', name: 'Imported' };

/**
 * Parses `markdown` (refusing a malformed document with its line number) and builds the
 * case for `place`. The last sprint in the document becomes the current one, from today.
 */
export function caseFromMarkdown(markdown: string, input: { id: string; place: Place; now: Date; newId: () => string }): CaseSnapshot {
  const parsed = parseCaseMarkdown(markdown);
  const now = input.now.toISOString();
  const base = newCase({ id: input.id, place: input.place, now, title: parsed.title });
  const c = { ...base, layout: parsed.layout, template: guessTemplate(parsed.layout.sections.map((s) => s.heading)) };
  const sprints = parsed.sprints.map((s) => ({ ...s }));
  const last = sprints[sprints.length - 1];
  if (last) last.startsOn = localDate(input.now, c.timeZone);
  return {
    case: c,
    sprints,
    decisions: parsed.decisions.map((d) => ({
      ...d, author: IMPORTER, createdAt: now, updatedAt: now, revisions: [],
    })),
    evidence: parsed.evidence.map((e) => ({
      ...e, id: input.newId(), author: IMPORTER, createdAt: now,
    })),
  };
}

/** The five-case template when the document has its Commercial, Financial or Management case. */
function guessTemplate(headings: string[]): 'prototype' | 'five-case' {
  return headings.some((h) => /^(commercial|financial|management) case$/i.test(h.trim())) ? 'five-case' : 'prototype';
}
