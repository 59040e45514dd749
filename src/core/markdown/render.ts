/**
 * Writes a whole case as Markdown, in the layout it was imported in (or the default
 * template's), so that `parseCaseMarkdown` reads back exactly what was written; parts of
 * an imported document that have not changed come back byte for byte (source-form.ts).
 */
import type { CaseSnapshot } from '../model';
import { renderAdrFiles } from './adr-files';
import { assemble } from './source-form';
import { caseUnits, type CaseContent } from './units';

function contentOf(snapshot: CaseSnapshot): CaseContent {
  const { title, layout } = snapshot.case;
  return { title, layout, sprints: snapshot.sprints, decisions: snapshot.decisions, evidence: snapshot.evidence };
}

/** The whole case as one document (for a case kept in two files, both together, in normal form). */
export function renderCaseMarkdown(snapshot: CaseSnapshot): string {
  const { layout } = snapshot.case;
  return assemble(caseUnits(contentOf(snapshot)), layout.files ? null : layout.source);
}

export interface CaseFile {
  name: string;
  markdown: string;
}

/**
 * The case as the files it was imported from, each under its own name (`fallback` for a
 * case begun in chat): one file, the business case and its key decisions, or a folder of
 * ADRs (each under its path in the folder).
 */
export function renderCaseFiles(snapshot: CaseSnapshot, fallback: string): CaseFile[] {
  const { layout } = snapshot.case;
  if (layout.adr) return renderAdrFiles(snapshot, contentOf(snapshot));
  if (!layout.files) return [{ name: layout.fileName ?? fallback, markdown: renderCaseMarkdown(snapshot) }];
  const content = contentOf(snapshot);
  return [
    { name: layout.files.case.name, markdown: assemble(caseUnits(content, 'case-file'), layout.files.case.source) },
    { name: layout.files.decisions.name, markdown: assemble(caseUnits(content, 'decisions-file'), layout.files.decisions.source) },
  ];
}
