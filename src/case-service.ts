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
import { documentWorker } from './workers/documents';

/** What the configuration switched on, in the words of the start lines. */
export interface Features {
  /** "on: links to https://decisions.example/cases/…", or what to set. */
  sharing: { on: boolean; line: string };
  publishing: { on: boolean; line: string };
}

export function caseServiceFor(config: Config, store: Store, logger: Logger, deps: { clock: Clock; newId: () => string }): { service: CaseService; share: ShareLinks | null; features: Features; close(): Promise<void> } {
  // Share links (case pages, the digest's link to the whole case): need PUBLIC_URL and SHARE_SECRET.
  const sharing = shareFromConfig(config);
  const share = sharing.links;
  if (share === null && sharing.missing.length === 1) logger.warn(`Share links are off: set ${sharing.missing[0]} as well.`);
  // Publishing cases to GitHub: needs GITHUB_TOKEN or a GitHub App.
  const repositories = mountGitHub(config.github, logger);
  // What comes back from GitHub is compared on a worker thread, started when first needed.
  const documents = repositories ? documentWorker(logger) : null;
  const features: Features = {
    sharing: share !== null
      ? { on: true, line: `Sharing is on: \`share\` gives links to case pages at ${config.publicUrl ?? ''}/cases/…` }
      : { on: false, line: `Sharing is off: set ${sharing.missing.join(' and ')} to share case pages and downloads.` },
    publishing: repositories
      ? { on: true, line: `Publishing is on: ${repositories.description}` }
      : { on: false, line: 'Publishing is off: set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY, to publish cases to GitHub.' },
  };
  const service = createCaseService({
    store, clock: deps.clock, newId: deps.newId,
    ...(repositories && documents ? { repositories, documents } : {}),
    ...(share
      ? { shareUrl: (c) => share.urlFor(c), shareMarkdownUrl: (c) => share.markdownUrlFor(c), assessmentUrl: (c, phase, format) => share.assessmentUrlFor(c, phase, format === 'markdown') }
      : { shareMissing: sharing.missing }),
  });
  return { service, share, features, close: async () => { await documents?.close(); } };
}
