/**
 * What a case holds in its repository, and nobody else may: each file it publishes, and the
 * namespace of its weekly branches. The store keeps these keys unique across every case and
 * process, in the same commit as the publication settings, so two channels can never publish
 * to one file or push to one branch.
 */
import type { Publication } from '../model';

type Where = Pick<Publication, 'owner' | 'repo' | 'files'>;

/** The prefix of a case's weekly branches: `decisions/<its file's path, as a ref>`. */
export function branchNamespace(p: Pick<Publication, 'files'>): string {
  const path = (p.files[0]?.path ?? 'case').replace(/\.(md|markdown)$/i, '');
  const parts = path.toLowerCase().split('/')
    // A ref's parts may not start with a dot, hold "..", or end in ".lock": only plain words stay.
    .map((s) => s.replace(/[^a-z0-9._-]+/g, '-').replace(/\.{2,}/g, '-').replace(/^[.-]+|[.-]+$/g, '').replace(/\.lock$/, '-lock'))
    .filter((s) => s !== '');
  return `decisions/${parts.length > 0 ? parts.join('/') : 'case'}`;
}

/** The branch of a case's pull request for one ISO week ("decisions/docs/business-case/2026-W49"). */
export function weekBranch(p: Pick<Publication, 'files'>, week: string): string {
  return `${branchNamespace(p)}/${week}`;
}

/** The keys a publication holds: its files and its branch namespace, in one repository. */
export function publishTargets(p: Where | null): string[] {
  if (p === null) return [];
  const repo = `${p.owner}/${p.repo}`.toLowerCase();
  return [...p.files.map((f) => `file:${repo}:${f.path}`), `branches:${repo}:${branchNamespace(p)}`];
}

/** What a channel is told when another case holds what it asked for; it names neither that case nor its channel. */
export function targetTakenWords(key: string): string {
  return key.startsWith('branches:')
    ? "That file's pull request branches would be another channel's case's; choose another path. Nothing changed."
    : "That file is already kept by another channel's case; choose another path. Nothing changed.";
}

/** The same, when a publication finds that another case took its file first (it was connected before files were held). */
export function targetTakenOnPublishWords(key: string, connect: string): string {
  const what = key.startsWith('branches:') ? "This case's pull request branches are another channel's case's" : "This case's file is already kept by another channel's case";
  return `${what}, so nothing was published. Connect this case to another path with \`${connect}\`.`;
}
