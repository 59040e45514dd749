/**
 * The files a case publishes, each at its own path. A case is one file today; a case kept in
 * two files (the business case, and its key decisions in a file of their own) adds a part
 * here, rendered by the two-file export, and each part is then published and compared with
 * GitHub on its own.
 */
import { renderCaseMarkdown } from '../markdown';
import type { CaseSnapshot, Publication, PublishedFile } from '../model';

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
  switch (part) {
    case 'case':
      return renderCaseMarkdown(snapshot);
  }
}

/** The files a newly connected case publishes: `path` when given, else the default. */
export function filesFor(path: string | null): Array<Pick<PublishedFile, 'part' | 'path'>> {
  return [{ part: 'case', path: path ?? DEFAULT_PATH }];
}
