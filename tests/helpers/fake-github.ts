/**
 * A local fake of the GitHub REST API: the calls publishing makes, on repositories held in
 * memory (branches, commits, blobs with git's own ids, pull requests), behind a real HTTP
 * server so the bot's Octokit reaches it through GITHUB_API_URL, from this process or from
 * `decisions tick` processes. It answers as GitHub does where the bot depends on it: 404 for
 * what is missing or hidden, 403 with x-accepted-github-permissions for a permission the
 * token lacks (before looking at the request), 409/422 for a stale file sha, 422 for a branch
 * or pull request that already exists. Every request is recorded with the credentials it carried.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCommit {
  sha: string;
  parent: string | null;
  tree: Map<string, string>;
  message: string;
  author: { name: string; login: string | null };
}

export interface FakePull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** Comments on its conversation, oldest first. */
  comments: string[];
}

export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  branches: Map<string, string>;
  commits: Map<string, FakeCommit>;
  /** Blobs by git id: bytes, as git keeps them (a file need not be UTF-8). */
  blobs: Map<string, Buffer>;
  pulls: FakePull[];
  /** Permissions the credentials lack here; `hidden`: the repository answers 404. */
  lacks: Set<'contents' | 'pull requests'>;
  hidden: boolean;
  /** The token's owner may only read it (GET /repos says push: false). */
  readOnly: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

export interface FakeGitHub {
  /** http://127.0.0.1:<port>/api/v3: set as GITHUB_API_URL. */
  apiUrl: string;
  /** The web pages links point at (pull requests, commits). */
  webUrl: string;
  requests: FakeRequest[];
  repo(fullName: string): FakeRepo;
  addRepo(fullName: string, options?: { defaultBranch?: string; files?: Record<string, string> }): FakeRepo;
  /** A commit someone makes on GitHub (an edit in the web editor, a merge, a push). */
  commit(fullName: string, branch: string, files: Record<string, string | Buffer | null>, author?: { name: string; login: string | null }, message?: string): string;
  /** The file on a branch, or null. */
  file(fullName: string, branch: string, path: string): string | null;
  /** How many commits a branch has beyond `since` (its first commit's sha when absent). */
  commitsOn(fullName: string, branch: string): FakeCommit[];
  /** Merges an open pull request: its branch's files land on the base branch in one commit. */
  merge(fullName: string, number: number, author?: { name: string; login: string | null }): void;
  /** Tokens the fake accepts ("token <x>" or "bearer <x>" headers). */
  acceptTokens(...tokens: string[]): void;
  /**
   * With a GitHub App: an installation on `accounts` (every account when absent), its
   * permissions, and the tokens it hands out, which reach only those accounts' repositories.
   * Called again, another installation.
   */
  installApp(options: { installationId: number; permissions: Record<string, string>; accounts?: string[] }): { tokensIssued: () => number };
  /** A GitHub user, who can reach these installations: `signIn` makes them the person in the browser. */
  addUser(login: string, installations: number[]): void;
  /** Who GitHub's sign-in page (GET /login/oauth/authorize) takes the person to be; null: nobody signed in. */
  signedIn: string | null;
  /** The App's OAuth client (GITHUB_APP_CLIENT_ID and _SECRET). */
  oauthClient: { id: string; secret: string };
  /** Waits before answering every request this long (to keep processes racing). */
  delayMs: number;
  close(): Promise<void>;
}

/** Git's id for a blob: sha1("blob <bytes>\0<content>"). */
export function blobSha(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes])).digest('hex');
}

const ZERO = '0000000000000000000000000000000000000000';

export async function startFakeGitHub(options: { tokens?: string[] } = {}): Promise<FakeGitHub> {
  const repos = new Map<string, FakeRepo>();
  const requests: FakeRequest[] = [];
  const tokens = new Set(options.tokens ?? []);
  interface FakeInstallation { installationId: number; permissions: Record<string, string>; accounts: string[] | null; issued: number }
  const installations: FakeInstallation[] = [];
  /** Installation tokens, and which installation each is of. */
  const installationTokens = new Map<string, FakeInstallation>();
  const users = new Map<string, Set<number>>();
  /** OAuth codes waiting to be exchanged, and user tokens handed out: both by the user's login. */
  const codes = new Map<string, { login: string; redirect: string }>();
  const userTokens = new Map<string, string>();
  const covers = (i: FakeInstallation, owner: string): boolean => i.accounts === null || i.accounts.some((a) => a.toLowerCase() === owner.toLowerCase());
  let webUrl = '';

  const key = (fullName: string): string => fullName.toLowerCase();
  function repo(fullName: string): FakeRepo {
    const r = repos.get(key(fullName));
    if (!r) throw new Error(`no fake repository ${fullName}`);
    return r;
  }

  function addCommit(r: FakeRepo, parent: string | null, files: Record<string, string | Buffer | null>, author: FakeCommit['author'], message: string): string {
    const tree = new Map(parent ? r.commits.get(parent)?.tree : []);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) tree.delete(path);
      else {
        const sha = blobSha(content);
        r.blobs.set(sha, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
        tree.set(path, sha);
      }
    }
    const sha = createHash('sha1').update(randomBytes(16)).digest('hex');
    r.commits.set(sha, { sha, parent, tree, message, author });
    return sha;
  }

  const fake: FakeGitHub = {
    apiUrl: '',
    webUrl: '',
    requests,
    delayMs: 0,
    repo,
    addRepo(fullName, o = {}) {
      const [owner = '', name = ''] = fullName.split('/');
      const r: FakeRepo = {
        owner, name, defaultBranch: o.defaultBranch ?? 'main', branches: new Map(), commits: new Map(), blobs: new Map(), pulls: [],
        lacks: new Set(), hidden: false, readOnly: false,
      };
      repos.set(key(fullName), r);
      r.branches.set(r.defaultBranch, addCommit(r, null, o.files ?? { 'README.md': `# ${name}\n` }, { name: 'Octo Cat', login: 'octocat' }, 'First commit'));
      return r;
    },
    commit(fullName, branch, files, author = { name: 'Alice Smith', login: 'alice' }, message = 'Edit on GitHub') {
      const r = repo(fullName);
      const sha = addCommit(r, r.branches.get(branch) ?? null, files, author, message);
      r.branches.set(branch, sha);
      return sha;
    },
    file(fullName, branch, path) {
      const r = repo(fullName);
      const head = r.branches.get(branch);
      const blob = head ? r.commits.get(head)?.tree.get(path) : undefined;
      return blob ? r.blobs.get(blob)?.toString('utf8') ?? null : null;
    },
    commitsOn(fullName, branch) {
      const r = repo(fullName);
      const out: FakeCommit[] = [];
      for (let sha = r.branches.get(branch) ?? null; sha; sha = r.commits.get(sha)?.parent ?? null) {
        const c = r.commits.get(sha);
        if (c) out.push(c);
      }
      return out;
    },
    merge(fullName, number, author = { name: 'Ben Jones', login: 'ben' }) {
      const r = repo(fullName);
      const pr = r.pulls.find((p) => p.number === number);
      if (!pr || pr.state !== 'open') throw new Error(`pull request #${number} is not open`);
      const headTree = r.commits.get(r.branches.get(pr.head) ?? '')?.tree ?? new Map<string, string>();
      const files: Record<string, Buffer> = {};
      for (const [path, blob] of headTree) files[path] = r.blobs.get(blob) ?? Buffer.alloc(0);
      fake.commit(fullName, pr.base, files, author, `Merge pull request #${number}`);
      pr.state = 'closed';
      pr.merged = true;
    },
    acceptTokens(...more) {
      for (const t of more) tokens.add(t);
    },
    installApp(o) {
      const made: FakeInstallation = { installationId: o.installationId, permissions: o.permissions, accounts: o.accounts ?? null, issued: 0 };
      installations.push(made);
      return { tokensIssued: () => made.issued };
    },
    addUser(login, reach) {
      users.set(login, new Set(reach));
    },
    signedIn: null,
    oauthClient: { id: 'Iv1.fakeclient0001', secret: 'fake-client-secret-0123456789abcdef' },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };

  type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
  const notFound: Reply = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  const forbidden = (permission: string): Reply => ({
    status: 403, body: { message: 'Resource not accessible by personal access token' }, headers: { 'x-accepted-github-permissions': permission },
  });

  function pullJson(r: FakeRepo, p: FakePull) {
    return { number: p.number, html_url: `${webUrl}/${r.owner}/${r.name}/pull/${p.number}`, state: p.state, title: p.title, body: p.body, head: { ref: p.head }, base: { ref: p.base }, merged: p.merged };
  }

  function commitJson(r: FakeRepo, c: FakeCommit) {
    return { sha: c.sha, html_url: `${webUrl}/${r.owner}/${r.name}/commit/${c.sha}`, commit: { message: c.message, author: { name: c.author.name, email: 'x@example.org', date: '2026-11-30T09:00:00Z' } }, author: c.author.login ? { login: c.author.login } : null };
  }

  function route(method: string, url: URL, body: Record<string, unknown> | null, auth: string | null): Reply {
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3/, ''));
    const bearer = auth?.replace(/^(token|bearer) /i, '') ?? '';
    // GitHub's sign-in for the App (on the web host): the person signed in is sent back with a code.
    if (path === '/login/oauth/authorize' && method === 'GET') {
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== fake.oauthClient.id || fake.signedIn === null) return { status: 404, body: { message: 'Not Found' } };
      const code = randomBytes(10).toString('hex');
      codes.set(code, { login: fake.signedIn, redirect });
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, headers: { location: back.toString() } };
    }
    if (path === '/login/oauth/access_token' && method === 'POST') {
      // As GitHub: 200 with an error field for a bad code or client.
      const waiting = codes.get(String(body?.code ?? ''));
      if (body?.client_id !== fake.oauthClient.id || body?.client_secret !== fake.oauthClient.secret) return { status: 200, body: { error: 'incorrect_client_credentials' } };
      if (!waiting || (body?.redirect_uri !== undefined && body.redirect_uri !== waiting.redirect)) return { status: 200, body: { error: 'bad_verification_code' } };
      codes.delete(String(body?.code));
      const token = `ghu_fake${randomBytes(8).toString('hex')}`;
      userTokens.set(token, waiting.login);
      return { status: 200, body: { access_token: token, token_type: 'bearer', scope: '' } };
    }
    const user = userTokens.get(bearer);
    if (user !== undefined && path === '/user' && method === 'GET') return { status: 200, body: { login: user } };
    if (user !== undefined && path === '/user/installations' && method === 'GET') {
      const reach = users.get(user) ?? new Set<number>();
      const all = installations.filter((i) => reach.has(i.installationId)).map((i) => ({ id: i.installationId, account: { login: i.accounts?.[0] ?? 'someone' } }));
      const per = Number(url.searchParams.get('per_page') ?? 30);
      const pageNo = Number(url.searchParams.get('page') ?? 1);
      return { status: 200, body: { total_count: all.length, installations: all.slice((pageNo - 1) * per, pageNo * per) } };
    }
    // The App: its JWT finds installations and gets installation tokens.
    if (installations.length > 0 && /^bearer /i.test(auth ?? '') && bearer.split('.').length === 3) {
      let m = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path);
      if (m && method === 'GET') {
        const r = repos.get(key(`${m[1]}/${m[2]}`));
        const found = r && !r.hidden ? installations.find((i) => covers(i, r.owner)) : undefined;
        if (!r || !found) return notFound;
        return { status: 200, body: { id: found.installationId, account: { login: r.owner }, permissions: found.permissions, repository_selection: 'selected' } };
      }
      m = /^\/app\/installations\/(\d+)$/.exec(path);
      const byId = m ? installations.find((i) => i.installationId === Number(m?.[1])) : undefined;
      if (m && method === 'GET') return byId ? { status: 200, body: { id: byId.installationId, permissions: byId.permissions, account: { login: byId.accounts?.[0] ?? 'someone' } } } : notFound;
      m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
      const issuing = m ? installations.find((i) => i.installationId === Number(m?.[1])) : undefined;
      if (m && method === 'POST' && issuing) {
        issuing.issued += 1;
        const token = `ghs_fake${issuing.installationId}x${issuing.issued}${randomBytes(6).toString('hex')}`;
        installationTokens.set(token, issuing);
        return { status: 201, body: { token, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: issuing.permissions } };
      }
      return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
    }
    const scoped = installationTokens.get(bearer);
    if (!tokens.has(bearer) && !scoped) return { status: 401, body: { message: 'Bad credentials' } };
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return notFound;
    const r = repos.get(key(`${m[1]}/${m[2]}`));
    // An installation's token reaches its own accounts' repositories only.
    if (!r || r.hidden || (scoped && !covers(scoped, r.owner))) return notFound;
    const rest = m[3] ?? '';
    const headOf = (ref: string): string | null => r.branches.get(ref) ?? (r.commits.has(ref) ? ref : null);
    const contents = r.lacks.has('contents');
    const pulls = r.lacks.has('pull requests');

    if (rest === '' && method === 'GET') {
      return { status: 200, body: { full_name: `${r.owner}/${r.name}`, default_branch: r.defaultBranch, html_url: `${webUrl}/${r.owner}/${r.name}`, permissions: { admin: false, push: !r.readOnly, pull: true } } };
    }
    let k = /^\/git\/ref\/heads\/(.+)$/.exec(rest);
    if (k && method === 'GET') {
      const sha = r.branches.get(k[1] ?? '');
      return sha ? { status: 200, body: { ref: `refs/heads/${k[1]}`, object: { sha, type: 'commit' } } } : notFound;
    }
    if (rest === '/git/refs' && method === 'POST') {
      if (contents) return forbidden('contents=write');
      const ref = String(body?.ref ?? '').replace(/^refs\/heads\//, '');
      const sha = String(body?.sha ?? '');
      if (!r.commits.has(sha)) return { status: 422, body: { message: 'Object does not exist' } };
      if (r.branches.has(ref)) return { status: 422, body: { message: 'Reference already exists' } };
      r.branches.set(ref, sha);
      return { status: 201, body: { ref: `refs/heads/${ref}`, object: { sha } } };
    }
    k = /^\/git\/refs\/heads\/(.+)$/.exec(rest);
    if (k && method === 'PATCH') {
      if (contents) return forbidden('contents=write');
      const sha = String(body?.sha ?? '');
      if (!r.branches.has(k[1] ?? '')) return { status: 422, body: { message: 'Reference does not exist' } };
      if (!r.commits.has(sha)) return { status: 422, body: { message: 'Object does not exist' } };
      r.branches.set(k[1] ?? '', sha);
      return { status: 200, body: { ref: `refs/heads/${k[1]}`, object: { sha } } };
    }
    k = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest);
    if (k && method === 'GET') {
      if (contents) return forbidden('contents=read');
      const content = r.blobs.get(k[1] ?? '');
      // GitHub serves blobs up to 100 MB.
      if (content !== undefined && content.length > 100 * 1024 * 1024) return { status: 403, body: { message: 'This API returns blobs up to 100 MB in size.' } };
      return content === undefined ? notFound : { status: 200, body: { sha: k[1], encoding: 'base64', content: content.toString('base64'), size: content.length } };
    }
    k = /^\/contents\/(.+)$/.exec(rest);
    if (k && method === 'GET') {
      if (contents) return forbidden('contents=read');
      const head = headOf(url.searchParams.get('ref') ?? r.defaultBranch);
      const blob = head ? r.commits.get(head)?.tree.get(k[1] ?? '') : undefined;
      if (!blob) return notFound;
      const content = r.blobs.get(blob) ?? Buffer.alloc(0);
      // As GitHub: a file over 1 MB comes without its content (encoding "none"); its blob has it.
      if (content.length > 1024 * 1024) return { status: 200, body: { type: 'file', path: k[1], sha: blob, size: content.length, encoding: 'none', content: '' } };
      return { status: 200, body: { type: 'file', path: k[1], sha: blob, size: content.length, encoding: 'base64', content: content.toString('base64') } };
    }
    if (k && method === 'PUT') {
      if (contents) return forbidden('contents=write');
      const filePath = k[1] ?? '';
      const branch = String(body?.branch ?? r.defaultBranch);
      const head = r.branches.get(branch);
      if (!head) return { status: 404, body: { message: `Branch ${branch} not found` } };
      const existing = r.commits.get(head)?.tree.get(filePath);
      const given = body?.sha === undefined ? null : String(body.sha);
      if (existing && given === null) return { status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } };
      if (given !== null && given !== existing) return { status: 409, body: { message: `${filePath} does not match ${given}` } };
      const content = Buffer.from(String(body?.content ?? ''), 'base64');
      const sha = fake.commit(`${r.owner}/${r.name}`, branch, { [filePath]: content }, { name: 'decisions-bot', login: 'decisions-bot[bot]' }, String(body?.message ?? ''));
      return { status: existing ? 200 : 201, body: { content: { path: filePath, sha: blobSha(content) }, commit: { sha, html_url: `${webUrl}/${r.owner}/${r.name}/commit/${sha}`, author: { name: 'decisions-bot' }, message: body?.message } } };
    }
    if (rest === '/commits' && method === 'GET') {
      if (contents) return forbidden('contents=read');
      const out: ReturnType<typeof commitJson>[] = [];
      const filePath = url.searchParams.get('path');
      for (let sha = headOf(url.searchParams.get('sha') ?? r.defaultBranch); sha; sha = r.commits.get(sha)?.parent ?? null) {
        const c = r.commits.get(sha);
        if (!c) break;
        const parentTree = c.parent ? r.commits.get(c.parent)?.tree : undefined;
        if (filePath === null || c.tree.get(filePath) !== parentTree?.get(filePath)) out.push(commitJson(r, c));
      }
      return { status: 200, body: out.slice(0, Number(url.searchParams.get('per_page') ?? 30)) };
    }
    if (rest === '/pulls' && method === 'GET') {
      if (pulls) return forbidden('pull_requests=read');
      const head = (url.searchParams.get('head') ?? '').replace(/^[^:]+:/, '');
      const base = url.searchParams.get('base');
      const state = url.searchParams.get('state') ?? 'open';
      return { status: 200, body: r.pulls.filter((p) => (state === 'all' || p.state === state) && (!head || p.head === head) && (!base || p.base === base)).map((p) => pullJson(r, p)) };
    }
    if (rest === '/pulls' && method === 'POST') {
      if (pulls) return forbidden('pull_requests=write');
      const head = String(body?.head ?? '');
      const base = String(body?.base ?? '');
      if (!r.branches.has(head)) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] } };
      if (r.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ message: `A pull request already exists for ${r.owner}:${head}.` }] } };
      }
      const pr: FakePull = { number: r.pulls.length + 1, head, base, title: String(body?.title ?? ''), body: String(body?.body ?? ''), state: 'open', merged: false, comments: [] };
      r.pulls.push(pr);
      return { status: 201, body: pullJson(r, pr) };
    }
    k = /^\/pulls\/(\d+)$/.exec(rest);
    if (k && method === 'GET') {
      if (pulls) return forbidden('pull_requests=read');
      const pr = r.pulls.find((p) => p.number === Number(k?.[1]));
      return pr ? { status: 200, body: pullJson(r, pr) } : notFound;
    }
    if (k && method === 'PATCH') {
      if (pulls) return forbidden('pull_requests=write');
      const pr = r.pulls.find((p) => p.number === Number(k?.[1]));
      if (!pr) return notFound;
      if (pr.merged) return { status: 422, body: { message: 'Validation Failed', errors: [{ message: 'Cannot change a merged pull request' }] } };
      if (typeof body?.title === 'string') pr.title = body.title;
      if (typeof body?.body === 'string') pr.body = body.body;
      if (body?.state === 'closed' || body?.state === 'open') pr.state = body.state;
      return { status: 200, body: pullJson(r, pr) };
    }
    // A pull request's conversation is an issue's: its comments are under /issues.
    k = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (k && method === 'POST') {
      if (pulls) return forbidden('pull_requests=write');
      const pr = r.pulls.find((p) => p.number === Number(k?.[1]));
      if (!pr) return notFound;
      pr.comments.push(String(body?.body ?? ''));
      return { status: 201, body: { id: pr.comments.length, body: body?.body } };
    }
    return notFound;
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => { raw += chunk.toString(); });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = raw === '' ? null : (JSON.parse(raw) as Record<string, unknown>);
      const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
      requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, authorization, body });
      const answer = route(req.method ?? 'GET', url, body, authorization);
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      }, fake.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.apiUrl = `http://127.0.0.1:${port}/api/v3`;
  webUrl = `http://127.0.0.1:${port}`;
  fake.webUrl = webUrl;
  return fake;
}

export { ZERO as NO_COMMIT };
