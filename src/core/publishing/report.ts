/** What a publication did, in the words the channel is told. */
import type { PublishReport } from './publish';

/** Most parts named in one sentence: a file rewritten on GitHub could name hundreds. */
const NAMED = 12;

function list(items: string[]): string {
  const shown = items.length > NAMED ? [...items.slice(0, NAMED - 1), `${items.length - NAMED + 1} more`] : items;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}


/** The outcome itself: the pull request, the commit, or nothing to publish. */
export function outcomeWords(r: PublishReport): string {
  const where = `${r.branch} of ${r.repository}`;
  switch (r.record.outcome) {
    case 'nothing':
      return `Nothing to publish: ${list(r.paths)} on ${where} already ${r.paths.length === 1 ? 'matches' : 'match'} the case.`;
    case 'commit':
      return `Committed ${list(r.paths)} to ${where}: ${r.record.url ?? ''}`;
    case 'pull request': {
      const commits = r.commits === 0 ? 'no new commit: it already holds the case as it is' : r.commits === 1 ? '1 commit' : `${r.commits} commits`;
      return `Pull request #${r.record.number ?? '?'} into ${where} (${commits}): ${r.record.url ?? ''}`;
    }
  }
}

/**
 * What came back from GitHub and what could not, so the channel knows which parts differ and
 * where to look; empty when GitHub held nothing new. Each sentence about something not taken
 * in says first what the case kept. `stillHeld` (told at an earlier publication) only when
 * someone asked for this one.
 */
export function fromGitHubWords(r: PublishReport, options: { stillHeld: boolean } = { stillHeld: false }): string[] {
  const lines: string[] = [];
  const where = r.record.outcome === 'pull request' ? `the pull request (${r.record.url ?? ''})` : null;
  const carries = where ? `; ${where} carries the case as it is here` : '';
  for (const g of r.fromGitHub) {
    const by = `${g.by}${g.link ? ` (${g.link})` : ''}`;
    if (!g.result.readable) {
      lines.push(`The case kept its own version: ${g.path} was edited on GitHub by ${by} but cannot be taken in (${g.result.problem.replace(/\.$/, '')}), so nothing was taken from it${carries}.`);
      continue;
    }
    const { taken, differ, kept, refused } = g.result;
    if (taken.length > 0) lines.push(`Taken in from GitHub, edited by ${by}: ${list(taken)}.`);
    if (differ.length > 0) {
      lines.push(`The case kept its own version of ${list(differ)}, which changed both on GitHub (${by}) and here since the last publication${where ? `; ${where} shows it beside GitHub's to settle there` : ''}.`);
    }
    if (kept.length > 0) lines.push(`The case kept ${list(kept)}, removed on GitHub by ${by}: decisions and evidence are withdrawn in chat (\`withdraw <N>\`), not deleted${where ? `; ${where} puts ${kept.length === 1 ? 'it' : 'them'} back` : ''}.`);
    if (refused.length > 0) lines.push(`The case kept its own version where ${by} changed it on GitHub in a way it cannot hold, so these were not taken in: ${list(refused)}${carries}.`);
  }
  if (options.stillHeld) {
    for (const h of r.stillHeld) lines.push(`The case still keeps its own version of ${h.path}, which is not taken in from GitHub (${h.reason.replace(/\.$/, '')})${carries}.`);
  }
  // Said with what made it so; a file held weeks ago is not news every week.
  if (r.pullRequestInstead && lines.length > 0) lines.push('This case publishes with commits, but the file on GitHub and the case differ, so this time it went as a pull request.');
  return lines;
}
