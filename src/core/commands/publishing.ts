/**
 * Publishing the case to the team's GitHub repository: connect it (`publish github`, access
 * checked first, what is missing said plainly), show where it goes, publish now, switch
 * between a pull request and a commit each week, and stop. Settings changes are changes like
 * any other (history, undo); what the bot records as it publishes is not.
 */
import { isoWeekKey, previewWindow, zoneDate } from '../schedule';
import type { Publication, PublishMode } from '../model';
import { RepositoryError, type RepoAddress, type RepoFile, type Repositories } from '../ports';
import { accessFor } from '../publishing/access';
import { inThisThread } from '../publishing/documents';
import { filesFor } from '../publishing/files';
import { holds, MAX_GITHUB_FILE_BYTES } from '../publishing/incoming';
import { digestMarkdown } from '../publishing/digest-markdown';
import { publishCase, PublishRefused, repositoryName, type PublishReport } from '../publishing/publish';
import { fromGitHubWords, outcomeWords } from '../publishing/report';
import { describePublication, GITHUB_NOT_SET_UP, modeWords, whereWords } from '../publishing/settings';
import type { Reply } from '../views';
import { join, said, type Words } from '../said';
import type { CaseDraft } from '../case-draft';
import { error, notice, touch, type CommandContext, type Handler, type Handlers, type Kit } from './kit';
import type { DigestReply } from './schedules';

/** The access a mode needs, said as the permissions people set on a token or a GitHub App. */
function missingWords(name: string, missing: Array<'contents' | 'pull requests'>, mode: PublishMode): string | null {
  const needed = missing.filter((m) => m === 'contents' || mode === 'pr');
  if (needed.length === 0) return null;
  const grant = 'Ask whoever runs the bot to give its token (or its GitHub App)';
  if (needed.length === 2) return `The bot can see ${name} but cannot write files or open pull requests there. ${grant} Contents and Pull requests, both "Read and write", on ${name}. Nothing changed.`;
  if (needed[0] === 'contents') return `The bot can see ${name} but cannot write files there. ${grant} Contents: "Read and write" on ${name}. Nothing changed.`;
  return `The bot can write files in ${name} but cannot open pull requests there. ${grant} Pull requests: "Read and write" on ${name}, or publish straight to the branch with \`publish mode commit\`. Nothing changed.`;
}

/** A failed call to GitHub, for chat: the error's own words, which never hold a token. */
function githubError(err: unknown, name: string): Reply {
  if (err instanceof PublishRefused) return error(err.message);
  if (!(err instanceof RepositoryError)) throw err;
  switch (err.problem) {
    case 'no repository':
      return error(`There is no repository ${name} on GitHub, or the bot's token cannot see it: check the name, and that the token (or the GitHub App's installation) includes ${name}. Nothing changed.`);
    case 'bad credentials':
      return error('GitHub refused the bot\'s credentials (an expired or revoked token, or a wrong GitHub App key). Ask whoever runs the bot to renew them. Nothing was published.');
    case 'no permission':
      return error(`${err.message} Ask whoever runs the bot to give its token (or GitHub App) Contents and Pull requests, both "Read and write", on ${name}.`);
    default:
      return error(`${err.message} Please try again in a minute.`);
  }
}

/** Changes the publication settings as one undoable change. */
function settle(kit: Kit, ctx: CommandContext, change: (p: Publication) => Publication | null | Reply, description: (p: Publication) => string, reply: (p: Publication) => Words): Promise<Reply> {
  return kit.write(ctx, (draft) => {
    const before = draft.case.publication;
    if (!before) return error('This case is not published anywhere yet: `publish github <owner>/<repo> [path] [branch]` connects it to a GitHub repository.');
    const after = change(before);
    if (after !== null && 'kind' in after) return after;
    draft.setCase({ publication: after });
    draft.addChange({
      id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(), description: description(before),
      undo: [{ op: 'putPublication', publication: before }], touches: [touch.caseField('publication')],
    });
    return notice(reply(before));
  });
}

type PublishedFiles = ReturnType<typeof filesFor>;

/** What GitHub said of the repository asked for: the branch, and each file there now. */
interface Checked {
  repo: RepoAddress;
  branch: string;
  found: Array<RepoFile | null>;
}

/** The repository may be used by this channel and the bot can write there in `mode`; else why not. */
async function checkRepository(
  kit: Kit, github: Repositories, ctx: CommandContext,
  ask: { repo: RepoAddress; branchNamed: string | null; mode: PublishMode; files: PublishedFiles },
): Promise<Checked | Reply> {
  const name = repositoryName(ask.repo);
  try {
    const may = await accessFor(kit.deps.publishAccess, github, { place: ctx.place, actor: ctx.actor, repo: ask.repo });
    if ('refused' in may) return error(may.refused);
    const repo = { ...ask.repo, installation: may.installation };
    const access = await github.access(repo);
    const missing = missingWords(name, access.missing, ask.mode);
    if (missing) return error(missing);
    const branch = ask.branchNamed ?? access.defaultBranch;
    if (ask.branchNamed !== null && (await github.branchHead(repo, ask.branchNamed)) === null) {
      return error(`${name} has no branch ${ask.branchNamed}. Name a branch as GitHub shows it, or leave it out to use ${access.defaultBranch}. Nothing changed.`);
    }
    const found = await Promise.all(ask.files.map((f) => github.readFile(repo, f.path, branch, MAX_GITHUB_FILE_BYTES)));
    return { repo, branch, found };
  } catch (err) {
    return githubError(err, name);
  }
}

/** Each file already on GitHub, said: whether it matches the case or the first publication proposes the case's version. */
async function alreadyThereWords(kit: Kit, draft: CaseDraft, publication: Publication, found: Checked['found']): Promise<string> {
  const files = await (kit.deps.documents ?? inThisThread).publishedFiles(draft.snapshot(), publication);
  return files.map((out) => {
    const onGitHub = found[out.index];
    if (!onGitHub) return '';
    return holds(onGitHub, out.content)
      ? ` ${out.path} is already there and matches the case.`
      : ` ${out.path} is already there and differs from the case: the first publication proposes the case's version${publication.mode === 'pr' ? ' in a pull request' : ''}.`;
  }).join('');
}

async function connect(kit: Kit, ctx: CommandContext, asked: RepoAddress, path: string | null, branchNamed: string | null): Promise<Reply> {
  const github = kit.deps.repositories ?? null;
  if (!github) return error(GITHUB_NOT_SET_UP);
  const name = repositoryName(asked);
  const { draft: peek } = await kit.read(ctx);
  const mode: PublishMode = peek.case.publication?.mode ?? 'pr';
  const files = filesFor(path, peek.case.layout);
  const checked = await checkRepository(kit, github, ctx, { repo: asked, branchNamed, mode, files });
  if ('kind' in checked) return checked;
  const { repo, branch, found } = checked;
  return kit.write(ctx, async (draft) => {
    // GitHub was asked with the mode and files the case had then: if someone changed either
    // meanwhile, say so rather than put the old ones back.
    if ((draft.case.publication?.mode ?? 'pr') !== mode || JSON.stringify(filesFor(path, draft.case.layout)) !== JSON.stringify(files)) {
      return error(`The case's publishing settings changed while I was checking ${name}. Nothing changed; run the command again.`);
    }
    const before = draft.case.publication;
    const installation = repo.installation ?? null;
    const publication: Publication = {
      owner: repo.owner, repo: repo.repo, branch, mode, ...(installation !== null ? { installation } : {}),
      // What is on the branch now counts as seen: only edits made after connecting come back.
      files: files.map((f, i) => {
        const there = found[i];
        return { ...f, known: there ? [there.blobSha] : [], seen: there ? there.blobSha : null };
      }),
      connectedAt: kit.nowIso(), last: null,
    };
    draft.setCase({ publication });
    draft.addChange({
      id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(), description: `connected the case to GitHub: ${whereWords(publication)}`,
      undo: [{ op: 'putPublication', publication: before }], touches: [touch.caseField('publication')],
    });
    const there = await alreadyThereWords(kit, draft, publication, found);
    return notice(said`${ctx.actor} connected this case to GitHub: ${whereWords(publication)}. Each week after the digest it is published there ${modeWords(publication)}; \`publish now\` publishes it now.${there}`);
  });
}

function showPublication(kit: Kit): Handler<'publish'> {
  return async (ctx) => {
    const { draft } = await kit.read(ctx);
    const words = describePublication(draft.case);
    return notice(kit.deps.repositories ? words : `${words} ${GITHUB_NOT_SET_UP}`, 'caller');
  };
}

function publishNow(kit: Kit, digestReply: DigestReply): Handler<'publish now'> {
  return async (ctx) => {
    const github = kit.deps.repositories ?? null;
    if (!github) return error(GITHUB_NOT_SET_UP);
    const { draft } = await kit.read(ctx);
    const c = draft.case;
    if (!c.publication) return error('This case is not published anywhere yet: `publish github <owner>/<repo> [path] [branch]` connects it to a GitHub repository.');
    const name = repositoryName(c.publication);
    let report: PublishReport;
    try {
      report = await publishCase(kit, github, {
        place: ctx.place,
        week: isoWeekKey(zoneDate(kit.now(), c.timeZone)),
        describe: async (snapshot) => digestMarkdown((await digestReply(snapshot.case, previewWindow(snapshot.case, kit.now()), { linkUrl: null, preview: true }, snapshot)).digest),
      });
    } catch (err) {
      return githubError(err, name);
    }
    const head = report.record.outcome === 'nothing' ? outcomeWords(report) : said`${ctx.actor} published the case to GitHub. ${outcomeWords(report)}`;
    const more = fromGitHubWords(report, { stillHeld: true });
    return notice(more.length > 0 ? join(head, ` ${more.join(' ')}`) : head);
  };
}

function publishOff(kit: Kit): Handler<'publish off'> {
  return (ctx) => settle(kit, ctx, () => null, (p) => `stopped publishing the case to GitHub (${repositoryName(p)})`,
    (p) => said`${ctx.actor} stopped publishing this case to GitHub (${whereWords(p)}). What is already there stays.`);
}

function publishMode(kit: Kit): Handler<'publish mode'> {
  return async (ctx, { mode }) => {
    const { draft } = await kit.read(ctx);
    const p = draft.case.publication;
    const github = kit.deps.repositories ?? null;
    // Pull requests need a permission commits do not: checked before switching.
    if (p && p.mode !== mode && mode === 'pr' && github) {
      try {
        const missing = missingWords(repositoryName(p), (await github.access({ owner: p.owner, repo: p.repo, installation: p.installation ?? null })).missing, mode);
        if (missing) return error(missing);
      } catch (err) {
        return githubError(err, repositoryName(p));
      }
    }
    return settle(kit, ctx, (before) => (before.mode === mode ? error(`This case is already published ${modeWords(before)}.`) : { ...before, mode }),
      () => `set publishing to GitHub ${modeWords({ mode })}`,
      (before) => said`${ctx.actor} set this case to be published ${modeWords({ mode })} each week (${repositoryName(before)}).`);
  };
}

export function publishingHandlers(kit: Kit, digestReply: DigestReply): Pick<Handlers, 'publish' | 'publish github' | 'publish now' | 'publish off' | 'publish mode'> {
  return {
    publish: showPublication(kit),
    'publish github': (ctx, { owner, repo, path, branch }) => connect(kit, ctx, { owner, repo }, path, branch),
    'publish now': publishNow(kit, digestReply),
    'publish off': publishOff(kit),
    'publish mode': publishMode(kit),
  };
}
