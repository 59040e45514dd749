/**
 * The heavy reading and writing of documents that publishing does (comparing a file from
 * GitHub with the case, writing the case's files), behind a port so the composition root can
 * run it on a worker thread and keep the event loop free. Everything crosses as plain data.
 */
import type { CaseSnapshot, Publication } from '../model';
import { publishedFiles, type OutgoingFile } from './files';
import { planGitHubEdits, type GitHubPlan, type GitHubPlanInput } from './github-edits';

export interface DocumentWork {
  planGitHubEdits(input: GitHubPlanInput): Promise<GitHubPlan>;
  publishedFiles(snapshot: CaseSnapshot, publication: Pick<Publication, 'files'>): Promise<OutgoingFile[]>;
}

/** The same work on this thread: for tests and tools that publish nothing large. */
export const inThisThread: DocumentWork = {
  planGitHubEdits: async (input) => planGitHubEdits(input),
  publishedFiles: async (snapshot, publication) => publishedFiles(snapshot, publication),
};

/** The operations by name, for a worker that receives them as messages. */
export const DOCUMENT_OPERATIONS = {
  planGitHubEdits: (input: GitHubPlanInput) => planGitHubEdits(input),
  publishedFiles: (snapshot: CaseSnapshot, publication: Pick<Publication, 'files'>) => publishedFiles(snapshot, publication),
} as const;
export type DocumentOperation = keyof typeof DOCUMENT_OPERATIONS;
