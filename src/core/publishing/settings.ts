/** Publication settings as people read them, and how undo puts them back. */
import { WEEKDAY_NAMES } from '../grammar';
import { localTime } from '../format';
import type { PublishedLink } from '../digest-views';
import type { Case, Publication } from '../model';
import { repositoryName, sameTarget } from './publish';

/** What `publish` answers when the bot has no GitHub credentials. */
export const GITHUB_NOT_SET_UP = 'Publishing to GitHub is not set up here. Ask whoever runs the bot to set GITHUB_TOKEN (a fine-grained token with Contents and Pull requests, read and write), or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY for a GitHub App.';

export function modeWords(p: Pick<Publication, 'mode'>): string {
  return p.mode === 'pr' ? 'as a pull request' : 'as a commit straight to the branch';
}

/** "docs/business-case.md in acme/business-case, on main" */
export function whereWords(p: Publication): string {
  return `${p.files.map((f) => f.path).join(' and ')} in ${repositoryName(p)}, on ${p.branch}`;
}

/** When the digest posts, in words: "Mondays at 09:00, Europe/London time". */
export function digestWhen(c: Pick<Case, 'schedule' | 'timeZone'>): string {
  return `${WEEKDAY_NAMES[c.schedule.digestWeekday] ?? 'Monday'}s at ${c.schedule.digestTime}, ${c.timeZone} time`;
}

/** The settings and the last publication, for `publish`. */
export function describePublication(c: Case): string {
  const p = c.publication;
  if (!p) return 'This case is not published anywhere. `publish github <owner>/<repo> [path] [branch]` connects it to a GitHub repository.';
  const lines = [`This case is published to ${whereWords(p)}, ${modeWords(p)}, each week after the digest: ${digestWhen(c)}.`];
  const last = p.last;
  if (!last) lines.push('Nothing has been published yet: `publish now` publishes it now.');
  else if (last.outcome === 'nothing') lines.push(`Last publication: ${localTime(last.at, c.timeZone)}, nothing to publish (GitHub already matched the case).`);
  else if (last.outcome === 'pull request') lines.push(`Last publication: ${localTime(last.at, c.timeZone)}, pull request #${last.number ?? '?'}: ${last.url ?? ''}`);
  else lines.push(`Last publication: ${localTime(last.at, c.timeZone)}, a commit: ${last.url ?? ''}`);
  return lines.join(' ');
}

/**
 * Undo of a settings change puts the settings back; what the bot recorded since about the
 * same files (what it saw and wrote there, the last publication) stays, so an undo never
 * makes it forget an edit it already took in.
 */
export function restorePublication(current: Publication | null, before: Publication | null): Publication | null {
  if (before === null || current === null || !sameTarget(current, before)) return before;
  return { ...before, files: current.files, last: current.last };
}

/** The week's pull request or commit, for the digest to link to; null when there is none that week. */
export function publishedLinkFor(c: Case, week: string): PublishedLink | null {
  const last = c.publication?.last;
  if (!c.publication || !last || last.week !== week || last.url === null || last.outcome === 'nothing') return null;
  const repository = repositoryName(c.publication);
  const label = last.outcome === 'pull request' ? `pull request #${last.number ?? '?'} in ${repository}` : `this week's commit in ${repository}`;
  return { kind: last.outcome, url: last.url, number: last.number, repository, label };
}
