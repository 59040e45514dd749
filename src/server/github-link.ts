/**
 * Tying a GitHub App installation to a workspace, once, at GET /github/callback. The link the
 * bot gives in chat carries a signed state (the workspace, the installation, for 30 minutes);
 * GitHub sends the person back here with a code, which is exchanged for their user token; the
 * installation is tied only if GitHub lists it among those that person can reach
 * (GET /user/installations). The user token is used for that and dropped: never stored or logged.
 * The same page takes the App's own install flow back (installation_id from the Setup URL).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { GitHubConfig } from '../config';
import type { Clock } from '../core/commands/kit';
import type { GitHubLinkStore } from '../core/ports';
import type { PublishAccess } from '../core/publishing/access';
import type { Logger } from '../logger';
import type { HttpServer } from './http';
import { PAGE_SECURITY_HEADERS } from './pages/case-page';
import { escapeHtml } from './pages/markdown-html';
import { page } from './pages/render-case';
import { CASE_CSS_PATH } from './pages/styles';

export const GITHUB_CALLBACK_PATH = '/github/callback';
const STATE_MS = 30 * 60_000;
const CALL_TIMEOUT_MS = 10_000;
/** Pages of /user/installations read at most (100 each): more than any person reaches. */
const MAX_PAGES = 10;

type AppAuth = Extract<GitHubConfig['auth'], { kind: 'app' }>;

interface State {
  /** The workspace ("slack:T123"). */
  w: string;
  /** The installation to tie; null: whichever the App's install flow sends back. */
  i: number | null;
  /** Its account, for the page. */
  a: string;
  /** Until when (ms). */
  e: number;
}

export interface GitHubLinkDeps {
  github: GitHubConfig & { auth: AppAuth };
  publicUrl: string;
  links: GitHubLinkStore;
  logger: Logger;
  clock: Clock;
}

function signer(secret: string): { sign(state: State): string; verify(raw: string, now: number): State | null } {
  const key = createHmac('sha256', secret).update('decisions: github installation link').digest();
  const mac = (body: string): Buffer => createHmac('sha256', key).update(body).digest();
  return {
    sign(state) {
      const body = Buffer.from(JSON.stringify(state)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(raw, now) {
      const [body = '', sig = ''] = raw.split('.');
      const given = Buffer.from(sig, 'base64url');
      const want = mac(body);
      if (body === '' || given.length !== want.length || !timingSafeEqual(given, want)) return null;
      try {
        const s = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as State;
        if (typeof s.w !== 'string' || typeof s.a !== 'string' || typeof s.e !== 'number' || (s.i !== null && typeof s.i !== 'number')) return null;
        return s.e >= now ? s : null;
      } catch {
        return null;
      }
    },
  };
}

function answer(res: ServerResponse, status: number, title: string, paragraphs: string[]): void {
  const html = page(title, CASE_CSS_PATH, `<h1>${escapeHtml(title)}</h1>\n<div class="prose">\n${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}\n</div>`, '');
  res.writeHead(status, { ...PAGE_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html)) });
  res.end(html);
}

/** JSON from GitHub, bounded in time; null when GitHub did not answer 2xx. */
async function githubJson(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS), headers: { accept: 'application/json', 'user-agent': 'decisions-bot', ...init.headers } });
  const text = await res.text();
  if (!res.ok) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Who signed in on GitHub, and the installations they can reach (id to account). */
interface SignedIn {
  login: string;
  installations: Map<number, string>;
}

interface Flow {
  github: GitHubLinkDeps['github'];
  callback: string;
  authorize(state: string): string;
}

async function userToken(flow: Flow, code: string): Promise<string | null> {
  const { auth } = flow.github;
  const got = await githubJson(`${flow.github.webUrl}/login/oauth/access_token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: auth.clientId, client_secret: auth.clientSecret, code, redirect_uri: flow.callback }),
  }) as { access_token?: unknown } | null;
  return typeof got?.access_token === 'string' ? got.access_token : null;
}

async function reachable(apiUrl: string, token: string): Promise<SignedIn | null> {
  const headers = { authorization: `Bearer ${token}` };
  const user = await githubJson(`${apiUrl}/user`, { headers }) as { login?: unknown } | null;
  if (typeof user?.login !== 'string') return null;
  const installations = new Map<number, string>();
  for (let n = 1; n <= MAX_PAGES; n += 1) {
    const got = await githubJson(`${apiUrl}/user/installations?per_page=100&page=${n}`, { headers }) as { installations?: Array<{ id?: unknown; account?: { login?: unknown } | null }> } | null;
    const list = got?.installations ?? [];
    for (const i of list) if (typeof i.id === 'number') installations.set(i.id, typeof i.account?.login === 'string' ? i.account.login : '');
    if (list.length < 100) break;
  }
  return { login: user.login, installations };
}

/** The person behind the code GitHub sent back, or null (logged) when GitHub would not say. */
async function whoSignedIn(flow: Flow, code: string, logger: Logger): Promise<SignedIn | null> {
  try {
    const token = await userToken(flow, code);
    return token ? await reachable(flow.github.apiUrl, token) : null;
  } catch (err) {
    logger.warn({ component: 'github', reason: err instanceof Error ? err.name : 'unknown' }, 'GitHub: could not check who signed in to tie an installation');
    return null;
  }
}

type Signer = ReturnType<typeof signer>;

async function onCallback(deps: GitHubLinkDeps, flow: Flow, state: Signer, res: ServerResponse, url: URL): Promise<void> {
  const { links, logger, clock } = deps;
  const s = state.verify(url.searchParams.get('state') ?? '', clock.now().getTime());
  if (!s) {
    answer(res, 400, 'This link does not work', ['It is not one the bot gave, or it is more than 30 minutes old. Run the command in chat again for a new link.']);
    return;
  }
  const installed = Number(url.searchParams.get('installation_id'));
  const target = s.i ?? (Number.isSafeInteger(installed) && installed > 0 ? installed : null);
  const code = url.searchParams.get('code');
  if (code === null) {
    // Back from installing the App without signing in: sign in, to prove the installation is theirs.
    if (target === null) {
      answer(res, 400, 'Nothing to tie', ['GitHub did not say which installation this is. Run the command in chat again.']);
      return;
    }
    res.writeHead(302, { ...PAGE_SECURITY_HEADERS, location: flow.authorize(state.sign({ ...s, i: target })) });
    res.end();
    return;
  }
  const seen = await whoSignedIn(flow, code, logger);
  if (!seen) {
    answer(res, 502, 'GitHub did not confirm who you are', ['Nothing was tied. Run the command in chat again and sign in to GitHub when it asks.']);
    return;
  }
  const account = target !== null ? seen.installations.get(target) : undefined;
  if (target === null || account === undefined) {
    logger.info({ component: 'github', workspace: s.w, installation: target }, 'GitHub: a person tried to tie an installation they cannot reach');
    answer(res, 403, 'Your GitHub account cannot reach that installation', [`Nothing was tied. Ask someone who manages ${s.a} on GitHub, and can see the App's installation there, to open the link from chat.`]);
    return;
  }
  await links.linkInstallation({ workspace: s.w, installation: target, account: account || s.a, linkedBy: seen.login, at: clock.now().toISOString() });
  logger.info({ component: 'github', workspace: s.w, installation: target, by: seen.login }, 'GitHub: an installation was tied to a workspace');
  answer(res, 200, 'Tied', [`Channels of this workspace can now publish to ${account || s.a}'s repositories through the bot's GitHub App. Go back to chat and run the command again.`]);
}

export function githubLinks(deps: GitHubLinkDeps): Pick<PublishAccess, 'linkUrl'> & { register(http: HttpServer): void } {
  const { github, publicUrl, clock } = deps;
  const { auth } = github;
  const state = signer(auth.clientSecret);
  const callback = `${publicUrl}${GITHUB_CALLBACK_PATH}`;
  const flow: Flow = {
    github, callback,
    authorize: (s) => `${github.webUrl}/login/oauth/authorize?${new URLSearchParams({ client_id: auth.clientId, redirect_uri: callback, state: s })}`,
  };
  return {
    linkUrl({ workspace, installation, account }) {
      const s = state.sign({ w: workspace, i: installation, a: account, e: clock.now().getTime() + STATE_MS });
      if (installation !== null) return flow.authorize(s);
      return auth.slug ? `${github.webUrl}/apps/${auth.slug}/installations/new?${new URLSearchParams({ state: s })}` : null;
    },
    register(http) {
      http.route('GET', GITHUB_CALLBACK_PATH, (_req, res, url) => onCallback(deps, flow, state, res, url));
    },
  };
}
