/**
 * The files a case publishes, each at its own path: the whole case in one file, or a case
 * kept in two files (the business case, and its key decisions in a file of their own) as the
 * two-file export writes them, each published and compared with GitHub on its own.
 */
import { renderCaseFiles, renderCaseMarkdown } from '../markdown';
import type { CaseSnapshot, DocumentLayout, Publication, PublishedFile } from '../model';

/** Where a case goes when `publish github` names no path. */
export const DEFAULT_PATH = 'business-case.md';

export interface OutgoingFile {
  /** Index into the publication's `files`. */
  index: number;
  path: string;
  content: string;
}

/** The files a case is published as, one per part of its publication. */
export function publishedFiles(snapshot: CaseSnapshot, publication: Pick<Publication, 'files'>): OutgoingFile[] {
  return publication.files.map((f, index) => ({ index, path: f.path, content: render(snapshot, f.part) }));
}

function render(snapshot: CaseSnapshot, part: PublishedFile['part']): string {
  // A case no longer kept in two files (imported again as one) publishes whole in the first.
  const [caseFile, decisionsFile] = renderCaseFiles(snapshot, DEFAULT_PATH);
  switch (part) {
    case 'case':
      return renderCaseMarkdown(snapshot);
    case 'case-file':
      return (snapshot.case.layout.files ? caseFile?.markdown : undefined) ?? renderCaseMarkdown(snapshot);
    case 'decisions-file':
      return (snapshot.case.layout.files ? decisionsFile?.markdown : undefined) ?? '';
  }
}

/**
 * The files a newly connected case publishes. One file: at `path`, else under the name it
 * was imported from, else the default. Two files: the business case at `path` (else its
 * own name), and the key decisions beside it under their own name.
 */
export function filesFor(path: string | null, layout: DocumentLayout): Array<Pick<PublishedFile, 'part' | 'path'>> {
  const files = layout.files;
  if (!files) return [{ part: 'case', path: path ?? layout.fileName ?? DEFAULT_PATH }];
  const casePath = path ?? files.case.name;
  const dir = casePath.includes('/') ? casePath.slice(0, casePath.lastIndexOf('/') + 1) : '';
  return [{ part: 'case-file', path: casePath }, { part: 'decisions-file', path: `${dir}${files.decisions.name}` }];
}
