/** The weekly publication as the scheduler runs it: the week's digest is the pull request's description. */
import type { DigestReply } from '../commands/schedules';
import { notice, type Kit } from '../commands/kit';
import type { Case } from '../model';
import { RepositoryError } from '../ports';
import type { DigestWindow } from '../schedule';
import type { Reply } from '../views';
import { digestMarkdown } from './digest-markdown';
import { publishCase, PublishRefused } from './publish';
import { fromGitHubWords, outcomeWords } from './report';

export type WeeklyPublication =
  /** `line`: what it did, for the operator; `notice`: what the channel must be told, if anything. */
  | { ok: true; line: string; notice: Reply | null }
  | { ok: false; reason: string };

export async function weeklyPublication(kit: Kit, digestReply: DigestReply, c: Case, due: { period: string; window: DigestWindow }): Promise<WeeklyPublication> {
  const repos = kit.deps.repositories;
  if (!repos) return { ok: false, reason: 'GitHub is not configured here' };
  try {
    const report = await publishCase(kit, repos, {
      place: c.place,
      week: due.period,
      describe: async (snapshot) => digestMarkdown((await digestReply(snapshot.case, due.window, { linkUrl: null, preview: false }, snapshot)).digest),
    });
    const told = fromGitHubWords(report);
    return {
      ok: true,
      line: outcomeWords(report),
      notice: told.length > 0 ? notice(['Publishing this week\'s case to GitHub.', ...told].join(' ')) : null,
    };
  } catch (err) {
    if (err instanceof PublishRefused || err instanceof RepositoryError) return { ok: false, reason: err.message };
    throw err;
  }
}
