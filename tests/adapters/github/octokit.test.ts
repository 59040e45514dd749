/**
 * The GitHub adapter on the wire, with nock on the GitHub API host (GITHUB_API_URL as for
 * GitHub Enterprise Server): the access checks, how GitHub's answers become RepositoryError
 * in safe words, the races it absorbs, large files, a GitHub App's installation tokens per
 * repository, and that no token reaches a message or a log line.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { nock, replyWith } from '../../helpers/native';
import { mountGitHub } from '../../../adapters/github';
import { loadConfig } from '../../../src/config';
import { RepositoryError, type Repositories } from '../../../src/core/ports';
import { capturingLogger } from '../slack/helpers';
import { freePort } from '../../helpers/cli';

const HOST = 'http://github.test';
const API = `${HOST}/api/v3`;
const TOKEN = 'github_pat_11AAAAAAA0nock0token0never0shown';
const repo = { owner: 'acme', repo: 'case' };


beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

function withToken(logger = capturingLogger()): { github: Repositories; log: () => string } {
  const github = mountGitHub(loadConfig({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: API }).github, logger.logger);
  if (!github) throw new Error('no GitHub');
  return { github, log: logger.text };
}


async function failure(p: Promise<unknown>): Promise<RepositoryError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RepositoryError) return err;
    throw err;
  }
  throw new Error('expected a RepositoryError');
}

describe('access, with a token', () => {
  it('reads the default branch and tries each write GitHub must refuse: 422 means the permission is there', async () => {
    const seen: string[] = [];
    nock(HOST)
      .get('/api/v3/repos/acme/case').reply(replyWith((request) => { seen.push(request.header('authorization'), request.header('user-agent')); return [200, { default_branch: 'trunk', permissions: { push: true } }] as const; }))
      .post('/api/v3/repos/acme/case/git/refs', { ref: 'refs/heads/decisions-bot/access-check', sha: '0000000000000000000000000000000000000000' }).reply(422, { message: 'Object does not exist' })
      .post('/api/v3/repos/acme/case/pulls', (b: Record<string, unknown>) => b.head === 'decisions-bot/access-check' && b.base === 'trunk').reply(422, { message: 'Validation Failed' });
    expect(await withToken().github.access(repo)).toEqual({ defaultBranch: 'trunk', missing: [] });
    expect(seen[0]).toBe(`token ${TOKEN}`);
    expect(seen[1]).toMatch(/^decisions-bot /);
  });

  it('a 403 to a probe names the missing permission', async () => {
    nock(HOST)
      .get('/api/v3/repos/acme/case').reply(200, { default_branch: 'main', permissions: { push: true } })
      .post('/api/v3/repos/acme/case/git/refs').reply(422, { message: 'Object does not exist' })
      .post('/api/v3/repos/acme/case/pulls').reply(403, { message: 'Resource not accessible by personal access token' }, { 'x-accepted-github-permissions': 'pull_requests=write' });
    expect(await withToken().github.access(repo)).toEqual({ defaultBranch: 'main', missing: ['pull requests'] });

    nock(HOST)
      .get('/api/v3/repos/acme/case').reply(200, { default_branch: 'main', permissions: { push: true } })
      .post('/api/v3/repos/acme/case/git/refs').reply(403, { message: 'Resource not accessible by personal access token' })
      .post('/api/v3/repos/acme/case/pulls').reply(422, { message: 'Validation Failed' });
    expect(await withToken().github.access(repo)).toEqual({ defaultBranch: 'main', missing: ['contents'] });
  });

  it('a token whose owner may only read the repository needs no probe', async () => {
    nock(HOST).get('/api/v3/repos/acme/case').reply(200, { default_branch: 'main', permissions: { push: false, pull: true } });
    expect(await withToken().github.access(repo)).toEqual({ defaultBranch: 'main', missing: ['contents', 'pull requests'] });
  });
});

describe('GitHub\'s answers, in safe words', () => {
  const cases: Array<[string, number, Record<string, string>, RepositoryError['problem'], RegExp]> = [
    ['401', 401, {}, 'bad credentials', /^GitHub refused the bot's credentials\.$/],
    ['404', 404, {}, 'no repository', /^acme\/case was not found on GitHub, or the bot cannot see it\.$/],
    ['403 rate limit', 403, { 'x-ratelimit-remaining': '0' }, 'unavailable', /^GitHub's rate limit for the bot was reached\.$/],
    ['403', 403, { 'x-accepted-github-permissions': 'contents=read' }, 'no permission', /^GitHub refused the bot access to this in acme\/case \(it needs contents: read\)\.$/],
    ['502', 502, {}, 'unavailable', /^GitHub answered with an error \(502\)\.$/],
  ];

  it.each(cases)('%s', async (_name, status, headers, problem, words) => {
    // A call that must find something (a missing branch is null, not an error).
    nock(HOST).get('/api/v3/repos/acme/case/commits').query(true).reply(status, { message: 'GitHub says no' }, headers);
    const { github, log } = withToken();
    const err = await failure(github.lastCommit(repo, 'x.md', 'main'));
    expect(err.problem).toBe(problem);
    expect(err.message).toMatch(words);
    expect(`${err.message}${err.stack ?? ''}${log()}`).not.toContain(TOKEN);
  });

  it('a GitHub nobody answers at is "unavailable", logged without the token', async () => {
    const port = await freePort();
    nock.enableNetConnect((host: string) => host.startsWith('127.0.0.1'));
    const logger = capturingLogger();
    const github = mountGitHub(loadConfig({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: `http://127.0.0.1:${port}/api/v3` }).github, logger.logger);
    if (!github) throw new Error('no GitHub');
    const log = logger.text;
    const err = await failure(github.branchHead(repo, 'main'));
    expect(err.problem).toBe('unavailable');
    expect(err.message).toMatch(/^GitHub could not be reached/);
    expect(log()).toContain('GitHub: a call failed');
    expect(log()).not.toContain(TOKEN);
  });
});

describe('races and sizes', () => {
  it('a missing branch or file is null, not an error', async () => {
    nock(HOST)
      .get('/api/v3/repos/acme/case/git/ref/heads%2Fnope').reply(404, { message: 'Not Found' })
      .get('/api/v3/repos/acme/case/contents/docs%2Fcase.md').query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    const { github } = withToken();
    expect(await github.branchHead(repo, 'nope')).toBeNull();
    expect(await github.readFile(repo, 'docs/case.md', 'main', 1024)).toBeNull();
  });

  it('a file the contents API leaves out is read from its blob, within the size asked for', async () => {
    const big = `# Case\n\n${'A line of the case.\n'.repeat(60_000)}`;
    const size = Buffer.byteLength(big);
    nock(HOST)
      .get('/api/v3/repos/acme/case/contents/case.md').query({ ref: 'main' }).reply(200, { type: 'file', sha: 'b'.repeat(40), size, encoding: 'none', content: '' })
      .get(`/api/v3/repos/acme/case/git/blobs/${'b'.repeat(40)}`).reply(200, { sha: 'b'.repeat(40), size, encoding: 'base64', content: Buffer.from(big).toString('base64') });
    const read = await withToken().github.readFile(repo, 'case.md', 'main', 2 * 1024 * 1024);
    expect(read).toMatchObject({ blobSha: 'b'.repeat(40), size });
    expect(Buffer.from(read?.bytes ?? []).toString('utf8')).toBe(big);
  });

  it('a file larger than asked for is not downloaded at all', async () => {
    // Only the contents call is stubbed: a request for its blob would fail the test.
    nock(HOST).get('/api/v3/repos/acme/case/contents/case.md').query({ ref: 'main' }).reply(200, { type: 'file', sha: 'c'.repeat(40), size: 130 * 1024 * 1024, encoding: 'none', content: '' });
    expect(await withToken().github.readFile(repo, 'case.md', 'main', 1024 * 1024)).toEqual({ blobSha: 'c'.repeat(40), size: 130 * 1024 * 1024, bytes: null });
  });

  it('a stale file sha is a conflict; a branch or pull request made meanwhile is taken as it is', async () => {
    const { github } = withToken();
    nock(HOST).put('/api/v3/repos/acme/case/contents/case.md').reply(409, { message: 'case.md does not match abc' });
    expect((await failure(github.writeFile(repo, { path: 'case.md', branch: 'main', content: 'x', message: 'm', replacing: 'abc' }))).problem).toBe('conflict');
    nock(HOST).put('/api/v3/repos/acme/case/contents/case.md').reply(422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' });
    expect((await failure(github.writeFile(repo, { path: 'case.md', branch: 'main', content: 'x', message: 'm', replacing: null }))).problem).toBe('conflict');

    nock(HOST).post('/api/v3/repos/acme/case/git/refs').reply(422, { message: 'Reference already exists' });
    await expect(github.createBranch(repo, 'decisions/2026-W49', 'c'.repeat(40))).resolves.toBeUndefined();

    nock(HOST)
      .post('/api/v3/repos/acme/case/pulls').reply(422, { message: 'Validation Failed', errors: [{ message: 'A pull request already exists for acme:decisions/2026-W49.' }] })
      .get('/api/v3/repos/acme/case/pulls').query({ state: 'open', head: 'acme:decisions/2026-W49', base: 'main', per_page: '1' }).reply(200, [{ number: 7, html_url: 'https://github.test/acme/case/pull/7' }]);
    expect(await github.openPullRequest(repo, { head: 'decisions/2026-W49', base: 'main', title: 't', body: 'b' })).toEqual({ number: 7, url: 'https://github.test/acme/case/pull/7' });
  });

  it('writes through the contents API: the content base64, the branch, the sha it replaces', async () => {
    let sent: Record<string, unknown> = {};
    nock(HOST).put('/api/v3/repos/acme/case/contents/docs%2Fcase.md', (b: Record<string, unknown>) => { sent = b; return true; })
      .reply(200, { content: { sha: 'd'.repeat(40) }, commit: { sha: 'e'.repeat(40), html_url: 'https://github.test/acme/case/commit/eee', author: { name: 'bot' } } });
    const done = await withToken().github.writeFile(repo, { path: 'docs/case.md', branch: 'decisions/2026-W49', content: 'Café\r\n', message: 'Update', replacing: 'f'.repeat(40) });
    expect(sent).toEqual({ message: 'Update', content: Buffer.from('Café\r\n').toString('base64'), branch: 'decisions/2026-W49', sha: 'f'.repeat(40) });
    expect(done).toEqual({ blobSha: 'd'.repeat(40), commit: { sha: 'e'.repeat(40), url: 'https://github.test/acme/case/commit/eee', authorName: 'bot', authorLogin: null } });
  });
});

describe('a GitHub App', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  function withApp(): { github: Repositories; log: () => string } {
    const logger = capturingLogger();
    // As many hosts hold it: on one line, with \n for the line breaks.
    const github = mountGitHub(loadConfig({
      GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n'), GITHUB_API_URL: API,
      GITHUB_APP_CLIENT_ID: 'Iv1.client', GITHUB_APP_CLIENT_SECRET: 'client-secret', PUBLIC_URL: 'https://decisions.test',
    }).github, logger.logger);
    if (!github) throw new Error('no GitHub');
    return { github, log: logger.text };
  }

  /** Checks a JWT the App signed: RS256 with its key, issued by the App. */
  function appJwt(authorization: string): Record<string, unknown> {
    const [, jwt = ''] = /^bearer (.+)$/i.exec(authorization) ?? [];
    const [head = '', body = '', signature = ''] = jwt.split('.');
    expect(verify('RSA-SHA256', Buffer.from(`${head}.${body}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    return JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  }

  it('finds the installation on an account with its JWT, and reaches a repository only through the installation the case names', async () => {
    const auth: string[] = [];
    const answer = (status: number, body: Record<string, unknown>) => replyWith((request) => { auth.push(request.header('authorization')); return [status, body] as const; });
    const soon = () => new Date(Date.now() + 3_600_000).toISOString();
    nock(HOST)
      .get('/api/v3/repos/acme/case/installation').reply(answer(200, { id: 42, account: { login: 'acme' }, permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' } }))
      .post('/api/v3/app/installations/42/access_tokens').reply(answer(201, { token: 'ghs_installation42', expires_at: soon() }))
      .get('/api/v3/repos/acme/case').reply(answer(200, { default_branch: 'main', permissions: { push: true } }))
      .get('/api/v3/app/installations/42').reply(answer(200, { id: 42, permissions: { contents: 'write', pull_requests: 'write' } }))
      .get('/api/v3/repos/acme/case/git/ref/heads%2Fmain').reply(answer(200, { object: { sha: 'a'.repeat(40) } }));
    const { github, log } = withApp();
    expect(await github.installationOf(repo)).toEqual({ id: 42, account: 'acme' });
    const through = { ...repo, installation: 42 };
    expect(await github.access(through)).toEqual({ defaultBranch: 'main', missing: [] });
    expect(await github.branchHead(through, 'main')).toBe('a'.repeat(40));
    expect(appJwt(auth[0] ?? '')).toMatchObject({ iss: 123456 });
    expect(appJwt(auth[1] ?? '')).toMatchObject({ iss: 123456 });
    expect(auth.filter((a) => a === 'token ghs_installation42')).toHaveLength(2);
    expect(log()).not.toMatch(/ghs_installation|BEGIN PRIVATE KEY/);
  });

  it('never looks an installation up for a call that names none', async () => {
    // Nothing is stubbed: a request would fail the test.
    const err = await failure(withApp().github.branchHead(repo, 'main'));
    expect(err.problem).toBe('no permission');
    expect(err.message).toContain('not tied to a GitHub App installation on acme');
  });

  it('an App not installed on the repository: no repository, in words that name the installation', async () => {
    nock(HOST).get('/api/v3/repos/acme/case/installation').reply(404, { message: 'Not Found' });
    const err = await failure(withApp().github.installationOf(repo));
    expect(err.problem).toBe('no repository');
  });
});
