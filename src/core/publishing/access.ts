/**
 * Who may publish where. With one GITHUB_TOKEN, only the repositories PUBLISH_REPOSITORIES
 * names (when set). With a GitHub App, only an installation that a person of the case's own
 * workspace tied to it, by proving with GitHub's user authorisation that they can reach it:
 * naming an owner/repo is never enough, since any workspace could name any repository.
 */
import type { Actor, Place } from '../model';
import { RepositoryError, type GitHubLinkStore, type RepoAddress, type Repositories } from '../ports';

export interface PublishAccess {
  /** PUBLISH_REPOSITORIES: "owner/repo" or "owner/*"; null: any repository the credentials reach. */
  allowed: string[] | null;
  links: GitHubLinkStore;
  /**
   * The page where a person of `workspace` ties the App's installation on `account` to it
   * (or installs the App there, when `installation` is null); null when none can be offered.
   */
  linkUrl(ask: { workspace: string; actor: Actor; installation: number | null; account: string }): string | null;
}

const repositoryName = (repo: RepoAddress): string => `${repo.owner}/${repo.repo}`;

/** A workspace as links name it: "slack:T123", "teams:<tenant>". */
export function workspaceKey(place: Place): string {
  return `${place.platform}:${place.workspace}`;
}

export function repositoryAllowed(allowed: string[] | null, repo: RepoAddress): boolean {
  if (allowed === null) return true;
  const owner = repo.owner.toLowerCase();
  const name = repo.repo.toLowerCase();
  return allowed.some((pattern) => {
    const [o = '', r = ''] = pattern.toLowerCase().split('/');
    return o === owner && (r === '*' || r === name);
  });
}

/** Why a case of `place` may not publish to `repo`, in words for chat; or the installation it may use (null with a token). */
export async function accessFor(
  access: PublishAccess | undefined, repos: Repositories, ask: { place: Place; actor: Actor; repo: RepoAddress },
): Promise<{ installation: number | null } | { refused: string }> {
  const name = repositoryName(ask.repo);
  if (access && !repositoryAllowed(access.allowed, ask.repo)) {
    return { refused: `${name} is not one of the repositories this bot may publish to. Ask whoever runs the bot to add it to PUBLISH_REPOSITORIES. Nothing changed.` };
  }
  let found;
  try {
    found = await repos.installationOf(ask.repo);
  } catch (err) {
    if (!(err instanceof RepositoryError) || err.problem !== 'no repository') throw err;
    const install = access?.linkUrl({ workspace: workspaceKey(ask.place), actor: ask.actor, installation: null, account: ask.repo.owner }) ?? null;
    return { refused: `The bot's GitHub App is not installed on ${ask.repo.owner}, or cannot see ${name}.${install ? ` Someone who manages ${ask.repo.owner} on GitHub can install it from here, for this workspace: ${install}` : ' Ask whoever manages it on GitHub to install the App there.'} Nothing changed.` };
  }
  if (found === null) return { installation: null };
  if (access && await access.links.isLinked(workspaceKey(ask.place), found.id)) return { installation: found.id };
  const link = access?.linkUrl({ workspace: workspaceKey(ask.place), actor: ask.actor, installation: found.id, account: found.account }) ?? null;
  return {
    refused: `This workspace is not yet tied to the GitHub App's installation on ${found.account}, so it cannot publish to ${name}.`
      + (link ? ` Someone here who can reach ${found.account}'s installation on GitHub ties it once, here: ${link} Then run the command again.` : ' Ask whoever runs the bot to set PUBLIC_URL, so the installation can be tied to this workspace.')
      + ' Nothing changed.',
  };
}

/** Whether a publication may still go ahead: its repository still allowed, its installation still tied to the workspace. */
export async function stillAllowed(access: PublishAccess | undefined, place: Place, repo: RepoAddress): Promise<string | null> {
  if (!access) return null;
  if (!repositoryAllowed(access.allowed, repo)) return `${repositoryName(repo)} is no longer one of the repositories this bot may publish to (PUBLISH_REPOSITORIES), so nothing was published.`;
  if (typeof repo.installation === 'number' && !await access.links.isLinked(workspaceKey(place), repo.installation)) {
    return `This workspace is no longer tied to the GitHub App's installation the case publishes through, so nothing was published. Connect it again with \`publish github ${repositoryName(repo)}\`.`;
  }
  return null;
}
