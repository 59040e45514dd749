/**
 * Writes a whole case as Markdown, in the layout it was imported in (or the default
 * template's), so that `parseCaseMarkdown` reads back exactly what was written; parts of
 * an imported document that have not changed come back byte for byte (source-form.ts).
 */
import type { CaseSnapshot } from '../model';
import { assemble } from './source-form';
import { caseUnits } from './units';

export function renderCaseMarkdown(snapshot: CaseSnapshot): string {
  const { title, layout } = snapshot.case;
  return assemble(caseUnits({ title, layout, sprints: snapshot.sprints, decisions: snapshot.decisions, evidence: snapshot.evidence }), layout.source);
}
