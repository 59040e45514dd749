/**
 * The case service as the configuration makes it, for every entry point that runs commands
 * (the server and the console): share links when PUBLIC_URL and SHARE_SECRET are set,
 * publishing when GitHub credentials are. One place, so the console can do what chat can.
 */
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './core/ports';
import { createCaseService } from './core/service';
import type { CaseService, Clock } from './core/service';
import { shareFromConfig } from './server/share';
import type { ShareLinks } from './server/share';
import { mountGitHub } from '../adapters/github';

export function caseServiceFor(config: Config, store: Store, logger: Logger, deps: { clock: Clock; newId: () => string }): { service: CaseService; share: ShareLinks | null } {
  // Share links (case pages, the digest's link to the whole case): need PUBLIC_URL and SHARE_SECRET.
  const sharing = shareFromConfig(config);
  const share = sharing.links;
  if (share === null && sharing.missing.length === 1) logger.warn(`Share links are off: set ${sharing.missing[0]} as well.`);
  // Publishing cases to GitHub: needs GITHUB_TOKEN or a GitHub App.
  const repositories = mountGitHub(config.github, logger);
  if (repositories) logger.info(`Publishing: ${repositories.description}`);
  const service = createCaseService({
    store, clock: deps.clock, newId: deps.newId,
    ...(repositories ? { repositories } : {}),
    ...(share
      ? { shareUrl: (c) => share.urlFor(c), shareMarkdownUrl: (c, file) => share.markdownUrlFor(c, file) }
      : { shareMissing: sharing.missing }),
  });
  return { service, share };
}
