/**
 * The case service as the configuration makes it, for every entry point that runs commands
 * (the server and the console): share links when PUBLIC_URL and SHARE_SECRET are set,
 * publishing when GitHub credentials are. One place, so the console can do what chat can.
 */
import type { Config } from './config';
import type { Logger } from './logger';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ChannelCanvases } from './core/ports';
import type { Store } from './store/store';
import type { Platform } from './core/model';
import { createCaseService } from './core/service';
import type { CaseService, Clock } from './core/service';
import { shareFromConfig } from './server/share';
import type { ShareLinks } from './server/share';
import { mountGitHub } from '../adapters/github';
import { documentWorker } from './workers/documents';
import type { PublishAccess } from './core/publishing/access';
import { githubLinks } from './server/github-link';
import type { HttpServer } from './server/http';

/** What the configuration switched on, in the words of the start lines. */
export interface Features {
  /** "on: links to https://decisions.example/cases/…", or what to set. */
  sharing: { on: boolean; line: string };
  publishing: { on: boolean; line: string };
}

export function caseServiceFor(config: Config, store: Store, logger: Logger, deps: { clock: Clock; newId: () => string; canvases?: (platform: Platform) => ChannelCanvases | null; canvasRefused?: (caseId: string, refusal: { code: string; words: string }) => void }): { service: CaseService; share: ShareLinks | null; features: Features; githubLinks: { register(http: HttpServer): void } | null; close(): Promise<void> } {
  // Share links (case pages, the digest's link to the whole case): need PUBLIC_URL and SHARE_SECRET.
  const sharing = shareFromConfig(config);
  const share = sharing.links;
  if (share === null && sharing.missing.length === 1) logger.warn(`Share links are off: set ${sharing.missing[0]} as well.`);
  // Publishing cases to GitHub: needs GITHUB_TOKEN or a GitHub App.
  const repositories = mountGitHub(config.github, logger);
  // What comes back from GitHub is compared on a worker thread, started when first needed.
  const documents = repositories ? documentWorker(logger) : null;
  // With a GitHub App, a workspace uses only the installations a person of it tied to it.
  const gh = config.github;
  const links = gh?.auth.kind === 'app' && config.publicUrl !== null
    ? githubLinks({ github: { ...gh, auth: gh.auth }, publicUrl: config.publicUrl, links: store, logger, clock: deps.clock })
    : null;
  const publishAccess: PublishAccess | null = gh ? { allowed: gh.repositories, links: store, linkUrl: links ? links.linkUrl : () => null } : null;
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
    // Canvases: the surfaces mounted after this give them; each process claims as itself.
    ...(deps.canvases ? { canvases: { api: deps.canvases, store, owner: `${os.hostname()}:${process.pid}:${randomUUID()}`, ...(deps.canvasRefused ? { refused: deps.canvasRefused } : {}) } } : {}),
    ...(repositories && documents && publishAccess ? { repositories, documents, publishAccess } : {}),
    ...(share
      ? { shareUrl: (c) => share.urlFor(c), shareMarkdownUrl: (c, file) => share.markdownUrlFor(c, file), assessmentUrl: (c, phase, format) => share.assessmentUrlFor(c, phase, format === 'markdown') }
      : { shareMissing: sharing.missing }),
  });
  return { service, share, features, githubLinks: links, close: async () => { await documents?.close(); } };
}
