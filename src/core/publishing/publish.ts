/**
 * One publication of a case to its GitHub repository:
 * 1. The case holds its files and branches (targets.ts); another case holding them refuses it.
 * 2. Each file on the base branch that changed since the bot last saw it is checked
 *    (incoming.ts), compared off the event loop (documents.ts) and taken in (github-edits.ts)
 *    as changes by "GitHub: <author>". What cannot be taken in whole is held: the channel is
 *    told once, and the case goes as a pull request while the base branch holds it.
 * 3. The case is exported. Content equal to the base branch: nothing to publish.
 * 4. `commit` mode commits each changed file to the base branch; `pr` mode (and `commit` mode
 *    while a file is held) commits to the case's weekly branch and opens one pull request; an
 *    earlier week's pull request still open is closed as superseded.
 * 5. What was published is recorded on the case (its last publication, the blobs it wrote).
 * GitHub calls happen outside the case's unit of work; the writes to the case are conditional.
 */
import type { Kit } from '../commands/kit';
import { notice } from '../commands/kit';
import type { Actor, CaseSnapshot, Place, Publication, PublicationRecord, PublishedFile } from '../model';
import { PublishTargetTaken, RepositoryError, type RepoAddress, type RepoCommit, type RepoFile, type Repositories } from '../ports';
import { stillAllowed } from './access';
import { inThisThread, type DocumentWork } from './documents';
import { applyGitHubPlan, draftContent, type GitHubEditResult } from './github-edits';
import { holds, incomingText, MAX_GITHUB_FILE_BYTES } from './incoming';
import { publishTargets, targetTakenOnPublishWords, weekBranch } from './targets';

/** How many blob ids of each file the bot remembers as its own or already seen. */
export const KNOWN_LIMIT = 10;
/** A publication that loses a race with someone writing the same branch starts again, this many times in all. */
const ATTEMPTS = 3;
/** The longest name from GitHub a message carries. */
const NAME_LIMIT = 100;

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
  /** "Alice Smith": one line, at most NAME_LIMIT characters. */
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
  /** Files still held from an earlier publication (the channel was told then), with why. */
  stillHeld: Array<{ path: string; reason: string }>;
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

/** A name from outside as one line of at most `limit` characters: no line breaks, controls or bidirectional overrides. */
export function oneLine(text: string, limit: number = NAME_LIMIT): string {
  const flat = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= limit ? flat : `${chars.slice(0, limit - 1).join('').trimEnd()}…`;
}

/** A commit's page as a link only when it is a plain web address of sensible length. */
function safeLink(url: string | undefined): string | null {
  return url !== undefined && url.length <= 500 && /^https?:\/\/[^\s<>|]+$/.test(url) ? url : null;
}

/** Who a change from GitHub is by: the commit's author, as git has them. */
export function githubActor(commit: RepoCommit | null): Actor {
  const name = oneLine(commit?.authorName || commit?.authorLogin || '') || 'someone';
  const login = commit?.authorLogin ? oneLine(commit.authorLogin, 40) : null;
  return { id: `github:${login ?? name}`, name: `GitHub: ${name}` };
}

/**
 * Whether the base branch changed the file since the bot last saw it: neither what it saw
 * there nor its own newest version (a pull request of its own, merged).
 */
function editedOnGitHub(f: PublishedFile, blobSha: string): boolean {
  return blobSha !== f.seen && blobSha !== f.known[0];
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

/** The case's publication as it stands on GitHub at the start of one attempt. */
interface Target {
  pub: Publication;
  repo: RepoAddress;
  name: string;
  baseHead: string;
  /** Each published file on the base branch (null where it is not there). */
  atBase: Array<RepoFile | null>;
}

/** A blob this publication wrote; `onBase`: to the base branch (commit mode). */
interface Written {
  index: number;
  blobSha: string;
  onBase: boolean;
}

interface Outcome {
  record: PublicationRecord;
  written: Written[];
}

async function publishOnce(kit: Kit, repos: Repositories, request: PublishRequest): Promise<PublishReport> {
  const { place } = request;
  const target = await readTarget(kit, repos, place);
  const { pub, atBase, baseHead } = target;
  const fromGitHub: FromGitHub[] = [];
  for (const [index, file] of atBase.entries()) {
    const f = pub.files[index];
    if (!file || !f || !editedOnGitHub(f, file.blobSha) || f.held?.blobSha === file.blobSha) continue;
    fromGitHub.push(await takeIn(kit, repos, { place, pub, index, file, baseHead }));
  }

  const { draft } = await kit.read({ place, actor: PUBLISHER });
  const current = draft.case.publication;
  if (!current || !sameTarget(current, pub)) throw new PublishRefused('Publishing was switched off or moved elsewhere meanwhile, so nothing was published.');
  const held = current.files.flatMap((f, i) => (f.held && f.held.blobSha === atBase[i]?.blobSha ? [{ path: f.path, reason: f.held.reason }] : []));
  const files = await (kit.deps.documents ?? inThisThread).publishedFiles(draft.snapshot(), current);
  const base: PublicationRecord = { at: kit.nowIso(), week: request.week, outcome: 'nothing', url: null, number: null, base: baseHead };
  let outcome: Outcome = { record: base, written: [] };
  if (files.some((f) => !holds(atBase[f.index], f.content))) {
    outcome = current.mode === 'commit' && held.length === 0
      ? await commitToBase(repos, target, files, base)
      : await proposeOnWeekBranch(repos, { ...target, pub: current }, files, base, () => request.describe(draft.snapshot()), draft.case.title);
  }
  await recordPublished(kit, place, target, outcome);
  return {
    repository: target.name, branch: pub.branch, paths: pub.files.map((f) => f.path), record: outcome.record,
    commits: outcome.written.length, fromGitHub,
    stillHeld: held.filter((h) => !fromGitHub.some((g) => g.path === h.path)),
    pullRequestInstead: current.mode === 'commit' && outcome.record.outcome === 'pull request',
  };
}

/** The case's repository, still allowed to it, its files and branches held, and the base branch read. */
async function readTarget(kit: Kit, repos: Repositories, place: Place): Promise<Target> {
  const { draft } = await kit.read({ place, actor: PUBLISHER });
  const pub = draft.case.publication;
  if (!pub) throw new PublishRefused('This case is not published anywhere: `publish github <owner>/<repo>` connects it to a repository.');
  const repo: RepoAddress = { owner: pub.owner, repo: pub.repo, installation: pub.installation ?? null };
  const name = repositoryName(pub);
  const refused = await stillAllowed(kit.deps.publishAccess, place, repo);
  if (refused !== null) throw new PublishRefused(refused);
  await holdTargets(kit, place, pub, draft.case.id);
  const baseHead = await repos.branchHead(repo, pub.branch);
  if (baseHead === null) {
    throw new PublishRefused(`${name} has no branch ${pub.branch} any more. Connect the case again with \`publish github ${name} ${pub.files[0]?.path ?? ''} <branch>\`.`);
  }
  const atBase = await Promise.all(pub.files.map((f) => repos.readFile(repo, f.path, baseHead, MAX_GITHUB_FILE_BYTES)));
  return { pub, repo, name, baseHead, atBase };
}

type FileToPublish = Awaited<ReturnType<DocumentWork['publishedFiles']>>[number];

/** Commits each changed file to the base branch. */
async function commitToBase(repos: Repositories, target: Target, files: FileToPublish[], base: PublicationRecord): Promise<Outcome> {
  const written: Written[] = [];
  let last: RepoCommit | null = null;
  for (const f of files) {
    const was = target.atBase[f.index];
    if (holds(was, f.content)) continue;
    const done = await repos.writeFile(target.repo, { path: f.path, branch: target.pub.branch, content: f.content, message: `Update ${f.path} from the decision log (${base.week})`, replacing: was?.blobSha ?? null });
    written.push({ index: f.index, blobSha: done.blobSha, onBase: true });
    last = done.commit;
  }
  return { record: { ...base, outcome: 'commit', url: last?.url ?? null }, written };
}

/** Commits the changed files to the case's weekly branch and opens (or updates) its one pull request. */
async function proposeOnWeekBranch(
  repos: Repositories, target: Target, files: FileToPublish[], base: PublicationRecord,
  describe: () => Promise<string>, title: string | null,
): Promise<Outcome> {
  const { repo, pub, baseHead } = target;
  const head = weekBranch(pub, base.week);
  const headSha = await repos.branchHead(repo, head);
  const open = headSha === null ? null : await repos.findPullRequest(repo, head, pub.branch);
  // Made afresh from the base branch when it has none of this week's pull request on it:
  // no branch yet, a branch left by a pull request already merged or closed, or a base
  // that moved on since (so the pull request never conflicts with it).
  const lastThisWeek = pub.last?.week === base.week && pub.last.outcome === 'pull request' ? pub.last : null;
  const fresh = headSha === null || open === null || (lastThisWeek !== null && lastThisWeek.base !== baseHead);
  if (headSha === null) await repos.createBranch(repo, head, baseHead);
  else if (fresh) await repos.resetBranch(repo, head, baseHead);
  const written: Written[] = [];
  for (const f of files) {
    const was: RepoFile | null = fresh ? target.atBase[f.index] ?? null : await repos.readFile(repo, f.path, head, MAX_GITHUB_FILE_BYTES);
    if (holds(was, f.content)) continue;
    const done = await repos.writeFile(repo, { path: f.path, branch: head, content: f.content, message: `Update ${f.path} from the decision log (${base.week})`, replacing: was?.blobSha ?? null });
    written.push({ index: f.index, blobSha: done.blobSha, onBase: false });
  }
  const text = { title: `Week ${base.week}: ${title ?? 'business case'}`, body: await describe() };
  const pr = open ?? await repos.openPullRequest(repo, { head, base: pub.branch, ...text });
  if (open) await repos.updatePullRequest(repo, open.number, text);
  await closeSuperseded(repos, repo, pub, pr.number);
  return { record: { ...base, outcome: 'pull request', url: pr.url, number: pr.number }, written };
}

/** What was published, recorded on the case: the blobs it wrote, what the base branch holds, holds that ended. */
async function recordPublished(kit: Kit, place: Place, target: Target, outcome: Outcome): Promise<void> {
  const { pub, atBase } = target;
  await kit.write({ place, actor: PUBLISHER }, (d) => {
    const p = d.case.publication;
    if (!p || !sameTarget(p, pub)) return notice('Publishing moved meanwhile.', 'caller');
    const known = p.files.map((f, i) => {
      const mine = outcome.written.filter((w) => w.index === i);
      const all = remember(f.known, ...mine.map((w) => w.blobSha));
      // What the base branch holds now, when the bot knows it: written there, taken in, or its own merged.
      const onBase = mine.find((w) => w.onBase)?.blobSha ?? atBase[i]?.blobSha;
      // A hold ends once the base branch holds something else (settled on GitHub).
      const stillHeld = f.held && f.held.blobSha === atBase[i]?.blobSha ? f.held : null;
      return { ...f, known: all, seen: onBase !== undefined && all.includes(onBase) ? onBase : f.seen, held: stillHeld };
    });
    d.setCase({ publication: { ...p, files: known, last: outcome.record } });
    return notice('Recorded.', 'caller');
  });
}

/**
 * Makes sure the case holds its files and branch namespace before anything is written to
 * GitHub: a case connected before they were held takes them now, unless another case did.
 */
async function holdTargets(kit: Kit, place: Place, pub: Publication, caseId: string): Promise<void> {
  const held = new Set(await kit.deps.store.publishTargetsOf(caseId));
  if (publishTargets(pub).every((key) => held.has(key))) return;
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

/** Why a file is held, in a few words ("Decision 3 changed both here and on GitHub"). */
function heldReason(result: GitHubEditResult): string | null {
  if (!result.readable) return result.problem;
  const parts = [...result.refused, ...result.differ, ...result.kept];
  if (parts.length === 0) return null;
  return `${parts.length === 1 ? 'a part' : `${parts.length} parts`} of it could not be taken in as they stand`;
}

/** The versions of a file the bot knows that it can still read, newest first. */
async function knownVersions(repos: Repositories, repo: RepoAddress, f: PublishedFile): Promise<Array<{ text: string; seen: boolean }>> {
  const out: Array<{ text: string; seen: boolean }> = [];
  for (const sha of f.known) {
    const bytes = await repos.readBlob(repo, sha, MAX_GITHUB_FILE_BYTES);
    const read = bytes ? incomingText({ blobSha: sha, size: bytes.length, bytes }) : null;
    if (read && 'text' in read) out.push({ text: read.text, seen: sha === f.seen });
  }
  return out;
}

/** Takes one file's edits from GitHub into the case, or holds it, in one write. */
async function takeIn(
  kit: Kit, repos: Repositories,
  at: { place: Place; pub: Publication; index: number; file: RepoFile; baseHead: string },
): Promise<FromGitHub> {
  const { place, pub, index, file } = at;
  const repo: RepoAddress = { owner: pub.owner, repo: pub.repo, installation: pub.installation ?? null };
  const f = pub.files[index] as PublishedFile;
  const documents = kit.deps.documents ?? inThisThread;
  const checked = incomingText(file);
  const known = 'text' in checked ? await knownVersions(repos, repo, f) : [];
  const commit = await repos.lastCommit(repo, f.path, at.baseHead);
  const actor = githubActor(commit);
  const link = safeLink(commit?.url);
  const empty: GitHubEditResult = { readable: true, taken: [], differ: [], kept: [], refused: [] };
  let result: GitHubEditResult = empty;
  await kit.write({ place, actor }, async (draft) => {
    result = empty;
    const p = draft.case.publication;
    const x = p?.files[index];
    // Taken in or held by another process meanwhile, or publishing moved: nothing to do.
    if (!p || !x || !sameTarget(p, pub) || !editedOnGitHub(x, file.blobSha) || x.held?.blobSha === file.blobSha) return notice('', 'caller');
    if ('problem' in checked) result = { readable: false, problem: checked.problem };
    else {
      // With no earlier version (the file appeared since the case was connected), every part of it is new on GitHub.
      const plan = await documents.planGitHubEdits({ incoming: checked.text, known, revert: f.known.includes(file.blobSha), mine: draftContent(draft) });
      result = applyGitHubPlan(draft, plan, { actor, link, at: kit.nowIso(), newId: kit.deps.newId });
    }
    const reason = heldReason(result);
    const files = p.files.map((y, i) => (i !== index ? y : {
      ...y,
      ...(result.readable ? { known: remember(y.known, file.blobSha), seen: file.blobSha } : {}),
      held: reason === null ? null : { blobSha: file.blobSha, reason },
    }));
    draft.setCase({ publication: { ...p, files } });
    return notice('', 'caller');
  });
  return { path: f.path, by: actor.name.replace(/^GitHub: /, ''), link, result };
}
