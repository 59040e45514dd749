/**
 * One publication of a case to its GitHub repository:
 * 1. Edits made on GitHub come back first: each file on the base branch whose content the bot
 *    does not know is taken into the case (github-edits.ts), as a change by "GitHub: <author>",
 *    in one write that also records the content as known, so it is taken in once.
 * 2. The case is exported. Content equal to the base branch: nothing to publish, no commit,
 *    no pull request.
 * 3. `commit` mode commits each changed file to the base branch with the contents API. `pr`
 *    mode (and `commit` mode when the file on GitHub and the case differ in a part both
 *    changed, or the file could not be taken in) commits to the week's branch
 *    `decisions/<ISO week>`, made from the base branch, and opens one pull request into it; a
 *    later publication in the same week updates that branch and pull request, and makes no
 *    commit when the branch already holds the content; an earlier week's pull request still
 *    open is closed as superseded.
 * 4. What was published is recorded on the case (its last publication, the blobs it wrote).
 * GitHub calls happen outside the case's unit of work: only what was read from GitHub is
 * decided on, and the writes to the case are conditional like every other.
 */
import type { Kit } from '../commands/kit';
import { notice } from '../commands/kit';
import type { Actor, CaseSnapshot, Place, Publication, PublicationRecord } from '../model';
import { PublishTargetTaken, RepositoryError, type RepoAddress, type RepoCommit, type RepoFile, type Repositories } from '../ports';
import { publishedFiles } from './files';
import { takeGitHubEdits, type GitHubEditResult } from './github-edits';
import { targetTakenOnPublishWords, weekBranch } from './targets';

/** How many blob ids of each file the bot remembers as its own or already seen. */
export const KNOWN_LIMIT = 10;
/** A publication that loses a race with someone writing the same branch starts again, this many times in all. */
const ATTEMPTS = 3;

/** The bot in a case's history when it records what it published. */
const PUBLISHER: Actor = { id: 'decisions-bot', name: 'Decisions' };

/** A publication that cannot go ahead, in words for chat. */
export class PublishRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishRefused';
  }
}

export interface PublishRequest {
  place: Place;
  /** The ISO week ("2026-W49"): names the branch and the pull request. */
  week: string;
  /** The pull request's description (the week's digest as Markdown), from the case as it will be published. */
  describe(snapshot: CaseSnapshot): Promise<string>;
}

/** Edits taken in from one file on GitHub. */
export interface FromGitHub {
  path: string;
  /** "Alice Smith" */
  by: string;
  link: string | null;
  result: GitHubEditResult;
}

export interface PublishReport {
  /** "acme/business-case" */
  repository: string;
  /** The base branch. */
  branch: string;
  paths: string[];
  record: PublicationRecord;
  /** Commits this publication made. */
  commits: number;
  fromGitHub: FromGitHub[];
  /** `commit` mode that opened a pull request this time, because the file on GitHub and the case differ. */
  pullRequestInstead: boolean;
}

export function repositoryName(p: Pick<Publication, 'owner' | 'repo'>): string {
  return `${p.owner}/${p.repo}`;
}

/** Whether two publications go to the same files in the same place (settings changed or not). */
export function sameTarget(a: Publication, b: Publication): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase() && a.branch === b.branch
    && a.files.length === b.files.length && a.files.every((f, i) => f.path === b.files[i]?.path && f.part === b.files[i]?.part);
}

/** `known` with `shas` first, each once, at most KNOWN_LIMIT. */
function remember(known: string[], ...shas: string[]): string[] {
  return [...new Set([...shas, ...known])].slice(0, KNOWN_LIMIT);
}

/** Who a change from GitHub is by: the commit's author, as git has them. */
export function githubActor(commit: RepoCommit | null): Actor {
  const name = commit?.authorName || commit?.authorLogin || 'someone';
  return { id: `github:${commit?.authorLogin ?? name}`, name: `GitHub: ${name}` };
}

export async function publishCase(kit: Kit, repos: Repositories, request: PublishRequest): Promise<PublishReport> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await publishOnce(kit, repos, request);
    } catch (err) {
      // Someone wrote the same branch between our read and our write: read again.
      if (!(err instanceof RepositoryError && err.problem === 'conflict') || attempt >= ATTEMPTS) throw err;
    }
  }
}

async function publishOnce(kit: Kit, repos: Repositories, request: PublishRequest): Promise<PublishReport> {
  const { place, week } = request;
  const { draft: before } = await kit.read({ place, actor: PUBLISHER });
  const pub = before.case.publication;
  if (!pub) throw new PublishRefused('This case is not published anywhere: `publish github <owner>/<repo>` connects it to a repository.');
  const repo: RepoAddress = { owner: pub.owner, repo: pub.repo };
  const name = repositoryName(pub);
  await holdTargets(kit, place, pub);
  const baseHead = await repos.branchHead(repo, pub.branch);
  if (baseHead === null) {
    throw new PublishRefused(`${name} has no branch ${pub.branch} any more. Connect the case again with \`publish github ${name} ${pub.files[0]?.path ?? ''} <branch>\`.`);
  }
  const atBase = await Promise.all(pub.files.map((f) => repos.readFile(repo, f.path, baseHead)));

  const fromGitHub: FromGitHub[] = [];
  for (const [index, file] of atBase.entries()) {
    const f = pub.files[index];
    if (file && f && !f.known.includes(file.blobSha)) fromGitHub.push(await takeIn(kit, repos, { place, pub, index, file, baseHead }));
  }

  const { draft } = await kit.read({ place, actor: PUBLISHER });
  const current = draft.case.publication;
  if (!current || !sameTarget(current, pub)) throw new PublishRefused('Publishing was switched off or moved elsewhere meanwhile, so nothing was published.');
  const files = publishedFiles(draft.snapshot(), current);
  /** Blobs this publication wrote; `onBase`: to the base branch (commit mode). */
  const written: Array<{ index: number; blobSha: string; onBase: boolean }> = [];
  const base: PublicationRecord = { at: kit.nowIso(), week, outcome: 'nothing', url: null, number: null, base: baseHead };
  const differs = fromGitHub.some((g) => !g.result.readable || g.result.differ.length > 0);
  let record = base;
  let commits = 0;

  if (files.some((f) => f.content !== atBase[f.index]?.content)) {
    if (current.mode === 'commit' && !differs) {
      let last: RepoCommit | null = null;
      for (const f of files) {
        const was = atBase[f.index];
        if (f.content === was?.content) continue;
        const done = await repos.writeFile(repo, { path: f.path, branch: pub.branch, content: f.content, message: `Update ${f.path} from the decision log (${week})`, replacing: was?.blobSha ?? null });
        written.push({ index: f.index, blobSha: done.blobSha, onBase: true });
        commits += 1;
        last = done.commit;
      }
      record = { ...base, outcome: 'commit', url: last?.url ?? null };
    } else {
      const head = weekBranch(current, week);
      const headSha = await repos.branchHead(repo, head);
      const open = headSha === null ? null : await repos.findPullRequest(repo, head, pub.branch);
      // Made afresh from the base branch when it has none of this week's pull request on it:
      // no branch yet, a branch left by a pull request already merged or closed, or a base
      // that moved on since (so the pull request never conflicts with it).
      const lastThisWeek = current.last?.week === week && current.last.outcome === 'pull request' ? current.last : null;
      const fresh = headSha === null || open === null || (lastThisWeek !== null && lastThisWeek.base !== baseHead);
      if (headSha === null) await repos.createBranch(repo, head, baseHead);
      else if (fresh) await repos.resetBranch(repo, head, baseHead);
      for (const f of files) {
        const was: RepoFile | null = fresh ? atBase[f.index] ?? null : await repos.readFile(repo, f.path, head);
        if (f.content === was?.content) continue;
        const done = await repos.writeFile(repo, { path: f.path, branch: head, content: f.content, message: `Update ${f.path} from the decision log (${week})`, replacing: was?.blobSha ?? null });
        written.push({ index: f.index, blobSha: done.blobSha, onBase: false });
        commits += 1;
      }
      const title = `Week ${week}: ${draft.case.title ?? 'business case'}`;
      const body = await request.describe(draft.snapshot());
      let pr = open;
      if (pr) await repos.updatePullRequest(repo, pr.number, { title, body });
      else pr = await repos.openPullRequest(repo, { head, base: pub.branch, title, body });
      record = { ...base, outcome: 'pull request', url: pr.url, number: pr.number };
      await closeSuperseded(repos, repo, current, pr.number);
    }
  }

  await kit.write({ place, actor: PUBLISHER }, (d) => {
    const p = d.case.publication;
    if (!p || !sameTarget(p, pub)) return notice('Publishing moved meanwhile.', 'caller');
    const known = p.files.map((f, i) => {
      const mine = written.filter((w) => w.index === i);
      const all = remember(f.known, ...mine.map((w) => w.blobSha));
      // What the base branch holds now, when the bot knows it: written there, taken in, or its own merged.
      const onBase = mine.find((w) => w.onBase)?.blobSha ?? atBase[i]?.blobSha;
      return { ...f, known: all, seen: onBase !== undefined && all.includes(onBase) ? onBase : f.seen };
    });
    d.setCase({ publication: { ...p, files: known, last: record } });
    return notice('Recorded.', 'caller');
  });

  return {
    repository: name, branch: pub.branch, paths: pub.files.map((f) => f.path), record, commits, fromGitHub,
    pullRequestInstead: current.mode === 'commit' && record.outcome === 'pull request',
  };
}

/**
 * Makes sure the case holds its files and branch namespace before anything is written to
 * GitHub: a case connected before they were held takes them now, unless another case did.
 */
async function holdTargets(kit: Kit, place: Place, pub: Publication): Promise<void> {
  try {
    await kit.write({ place, actor: PUBLISHER }, (draft) => {
      const p = draft.case.publication;
      if (p && sameTarget(p, pub)) draft.holdPublishTargets();
      return notice('', 'caller');
    });
  } catch (err) {
    if (!(err instanceof PublishTargetTaken)) throw err;
    throw new PublishRefused(targetTakenOnPublishWords(err.key, `publish github ${repositoryName(pub)} <path>`));
  }
}

/**
 * An earlier week's pull request still open is superseded by this week's, which carries the
 * whole case: it is closed, so nobody merges an older case over a newer one. Failing to close
 * it does not fail the publication.
 */
async function closeSuperseded(repos: Repositories, repo: RepoAddress, pub: Publication, number: number): Promise<void> {
  const last = pub.last;
  if (!last || last.outcome !== 'pull request' || last.number === null || last.number === number) return;
  try {
    await repos.closePullRequest(repo, last.number, `Superseded by #${number}, which carries the whole case as it now stands. Edits made on this pull request's branch are not in it: make them on the base branch, or on #${number}.`);
  } catch (err) {
    if (!(err instanceof RepositoryError)) throw err;
  }
}

/** Takes one file's edits from GitHub into the case and records its content as known. */
async function takeIn(
  kit: Kit, repos: Repositories,
  at: { place: Place; pub: Publication; index: number; file: RepoFile; baseHead: string },
): Promise<FromGitHub> {
  const { place, pub, index, file } = at;
  const repo: RepoAddress = { owner: pub.owner, repo: pub.repo };
  const path = pub.files[index]?.path ?? '';
  const known: Array<{ text: string; seen: boolean }> = [];
  for (const sha of pub.files[index]?.known ?? []) {
    const text = await repos.readBlob(repo, sha);
    if (text !== null) known.push({ text, seen: sha === pub.files[index]?.seen });
  }
  const commit = await repos.lastCommit(repo, path, at.baseHead);
  const actor = githubActor(commit);
  let result: GitHubEditResult = { readable: true, taken: [], differ: [], kept: [] };
  await kit.write({ place, actor }, (draft) => {
    result = { readable: true, taken: [], differ: [], kept: [] };
    const p = draft.case.publication;
    const f = p?.files[index];
    // Taken in by another process meanwhile, or publishing moved: nothing to do.
    if (!p || !f || !sameTarget(p, pub) || f.known.includes(file.blobSha)) return notice('', 'caller');
    // With no earlier version to compare against (the file appeared since the case was
    // connected), the file is only noted: the next publication proposes the case's version.
    if (known.length > 0) {
      result = takeGitHubEdits(draft, { incoming: file.content, known, actor, link: commit?.url ?? null, at: kit.nowIso(), newId: kit.deps.newId });
    }
    if (result.readable) {
      const files = p.files.map((x, i) => (i === index ? { ...x, known: remember(x.known, file.blobSha), seen: file.blobSha } : x));
      draft.setCase({ publication: { ...p, files } });
    }
    return notice('', 'caller');
  });
  return { path, by: actor.name.replace(/^GitHub: /, ''), link: commit?.url ?? null, result };
}
