/**
 * Publishing to GitHub tried as an attacker would: signed Slack commands through the real
 * HTTP server (and two real `serve` processes on one store), the real GitHub adapter against
 * a local fake of GitHub's REST API. One channel must never reach another channel's case
 * through a repository, and nothing GitHub sends back may freeze the bot or be taken in
 * unchecked.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { renderCaseMarkdown } from '../../src/core/markdown';
import { nock, onlyLocalNetwork, slackPlace, startSlackApp, type SlackTestApp } from '../adapters/slack/helpers';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github';
import { runCli } from '../helpers/cli';
import { allStrings, slackPlace as corpusSlackPlace, startCorpusApp, teamsPlace, type CorpusApp } from './app';
import { tempDir } from '../helpers/temp-dir';
import { slackEnv, slashCommand, startLocalSlack, startServe, type ServeProcess, type LocalSlack } from '../server/helpers/processes';

const TOKEN = 'github_pat_11AAAAAAA0hostile0github0token';
const REPO = 'acme/case';
const C4 = 'C0FOUR';
const C8 = 'C0EIGHT';
const BUILT = path.resolve(__dirname, '../../dist/src/cli.js');

let gh: FakeGitHub;

interface CommandResponse { response_type: string; text: string; blocks: unknown[] }

describe('one repository file per case', () => {
  let t: SlackTestApp;

  beforeEach(async () => {
    onlyLocalNetwork();
    gh = await startFakeGitHub({ tokens: [TOKEN] });
    gh.addRepo(REPO);
    t = await startSlackApp({ env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl } });
  });

  afterEach(async () => {
    await t.stop();
    await gh.close();
    nock.cleanAll();
  });

  async function command(text: string, channel: string): Promise<CommandResponse> {
    const res = await t.command(text, { channel });
    expect(res.status).toBe(200);
    return (await res.json()) as CommandResponse;
  }

  async function exported(channel: string): Promise<string> {
    const c = await t.app.store.findCase(slackPlace(undefined, channel));
    const snap = await t.app.store.snapshot(c?.id ?? '');
    if (!snap) throw new Error('no case');
    return renderCaseMarkdown(snap);
  }

  it("a channel cannot connect to the file another channel's case publishes, nor take its decisions or pull request", async () => {
    await command('We will keep the supplier shortlist confidential', C4);
    expect((await command(`publish github ${REPO} c4.md`, C4)).text).toContain('connected this case to GitHub');
    expect((await command('publish now', C4)).text).toContain('Pull request #1');

    await command('We will publish everything in the open', C8);
    const c8Before = await exported(C8);
    const refused = await command(`publish github ${REPO} c4.md`, C8);
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toContain("That file is already kept by another channel's case; choose another path. Nothing changed.");
    // It names neither the other case nor its channel.
    expect(JSON.stringify(refused)).not.toMatch(/C0FOUR|supplier|confidential/i);
    expect((await t.app.store.findCase(slackPlace(undefined, C8)))?.publication).toBeNull();
    expect(await exported(C8)).toBe(c8Before);

    // Another file of the same repository is its own: its own branch and its own pull request.
    expect((await command(`publish github ${REPO} c8.md`, C8)).text).toContain('connected this case to GitHub');
    const c8 = await command('publish now', C8);
    expect(c8.text).toContain('Pull request #2');
    const pulls = gh.repo(REPO).pulls.map((p) => [p.number, p.head]);
    expect(pulls).toEqual([[1, 'decisions/c4/2026-W48'], [2, 'decisions/c8/2026-W48']]);
    expect(gh.file(REPO, 'decisions/c8/2026-W48', 'c4.md')).toBeNull();
    expect(gh.file(REPO, 'decisions/c8/2026-W48', 'c8.md')).toBe(await exported(C8));
    // C4's pull request was not touched by C8's publication.
    expect(gh.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/pulls/1'))).toEqual([]);
    expect(gh.file(REPO, 'decisions/c4/2026-W48', 'c4.md')).toContain('confidential');
    expect(await exported(C8)).not.toContain('confidential');
  });

  it('a case connected before files were held loses its publication to the case that holds the file, with nothing written to GitHub', async () => {
    await command('We will keep the supplier shortlist confidential', C4);
    await command(`publish github ${REPO} c4.md`, C4);
    await command('We will publish everything in the open', C8);
    // As an older version of the bot left it: C8 connected to the same file, holding nothing.
    const c8 = await t.app.store.findCase(slackPlace(undefined, C8));
    const c4 = await t.app.store.findCase(slackPlace(undefined, C4));
    if (!c8 || !c4?.publication) throw new Error('no cases');
    (t.app.store as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): unknown } } }).db
      .prepare('UPDATE cases SET publication = ? WHERE id = ?').run(JSON.stringify(c4.publication), c8.id);
    const requests = gh.requests.length;
    const published = await command('publish now', C8);
    expect(published.text).toContain("This case's file is already kept by another channel's case, so nothing was published.");
    expect(gh.requests.slice(requests).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(gh.repo(REPO).pulls).toEqual([]);
  });
});

describe('one token, PUBLISH_REPOSITORIES', () => {
  let t: SlackTestApp;

  afterEach(async () => {
    await t.stop();
    await gh.close();
    nock.cleanAll();
  });

  it('connects only to the repositories named, refused before GitHub is asked', async () => {
    onlyLocalNetwork();
    gh = await startFakeGitHub({ tokens: [TOKEN] });
    gh.addRepo(REPO);
    gh.addRepo('other/secret');
    t = await startSlackApp({ env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl, PUBLISH_REPOSITORIES: 'acme/*' } });
    const say = async (text: string): Promise<string> => ((await (await t.command(text, { channel: C4 })).json()) as CommandResponse).text;
    await say('We will publish only where we may');
    const requests = gh.requests.length;
    expect(await say('publish github other/secret case.md')).toContain('other/secret is not one of the repositories this bot may publish to. Ask whoever runs the bot to add it to PUBLISH_REPOSITORIES. Nothing changed.');
    // Refused before asking GitHub anything about it.
    expect(gh.requests).toHaveLength(requests);
    expect(await say(`publish github ${REPO} c4.md`)).toContain('connected this case to GitHub');
  });
});

describe('what comes back from GitHub is checked before it is taken in', () => {
  let t: SlackTestApp;
  const FILE = 'c3.md';

  beforeEach(async () => {
    onlyLocalNetwork();
    gh = await startFakeGitHub({ tokens: [TOKEN] });
    gh.addRepo(REPO);
    t = await startSlackApp({ env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl } });
  });

  afterEach(async () => {
    await t.stop();
    await gh.close();
    nock.cleanAll();
  });

  async function command(text: string): Promise<string> {
    const res = await t.command(text, { channel: C4 });
    expect(res.status).toBe(200);
    return ((await res.json()) as CommandResponse).text;
  }

  async function exported(): Promise<string> {
    const c = await t.app.store.findCase(slackPlace(undefined, C4));
    const snap = await t.app.store.snapshot(c?.id ?? '');
    if (!snap) throw new Error('no case');
    return renderCaseMarkdown(snap);
  }

  /** A case published to main by commit, as GitHub now holds it. */
  async function committed(): Promise<string> {
    await command('We will publish the case every week');
    await command('evidence 0 Teams asked for it');
    await command(`publish github ${REPO} ${FILE}`);
    await command('publish mode commit');
    expect(await command('publish now')).toContain(`Committed ${FILE} to main`);
    return gh.file(REPO, 'main', FILE) ?? '';
  }

  const decisions = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `Decision ${from + i}: We will do thing ${from + i}\n\n`).join('');

  it.each([
    ['a file over 1 MB', () => Buffer.from(`# Business case\n\n${'A very long line of text in the case. '.repeat(30_000)}\n`), /it is 1\.\d MB \(at most 1 MB\)/],
    ['a file of 30 MB', () => Buffer.alloc(30 * 1024 * 1024, 'a'), /it is 30\.0 MB \(at most 1 MB\)/],
    ['invalid UTF-8', () => Buffer.concat([Buffer.from('# Business case\n\nGood line\nBad byte: '), Buffer.from([0xc3, 0x28]), Buffer.from(' here\n')]), /it is not valid UTF-8 text \(line 4\)/],
    ['more than 5,000 decisions', (base: string) => Buffer.from(base.replace(/(Evidence 0a: Teams asked for it\n)/, `$1\n${decisions(1, 5002)}`)), /it holds more than 5,000 decisions \(line \d+ is one too many\)/],
  ] as Array<[string, (base: string) => Buffer, RegExp]>)('%s is not taken in: told once, never committed over, the case unchanged', async (_, make, words) => {
    const base = await committed();
    const before = await exported();
    const bytes = make(base);
    gh.commit(REPO, 'main', { [FILE]: bytes }, { name: 'Mallory', login: 'mallory' });
    const first = await command('publish now');
    expect(first).toMatch(/^<@U0ANA> published the case to GitHub\. Pull request #1 into main/);
    expect(first).toMatch(new RegExp(`The case kept its own version: ${FILE} was edited on GitHub by Mallory \\(.*\\) but cannot be taken in \\(${words.source}\\), so nothing was taken from it; the pull request \\(.*\\) carries the case as it is here\\.`));
    expect(await exported()).toBe(before);
    expect(await exported()).not.toContain('\ufffd');
    // main keeps what was pushed there; the case goes as a pull request.
    expect(Buffer.compare(gh.repo(REPO).blobs.get(gh.commitsOn(REPO, 'main')[0]?.tree.get(FILE) ?? '') ?? Buffer.alloc(0), bytes)).toBe(0);
    expect(gh.file(REPO, 'decisions/c3/2026-W48', FILE)).toBe(before);
    // The next publication says nothing new about it in the channel's weekly post, and still never commits over it.
    const again = await command('publish now');
    expect(again).not.toContain('was edited on GitHub');
    expect(again).toMatch(new RegExp(`The case still keeps its own version of ${FILE}, which is not taken in from GitHub \\(${words.source}\\)`));
    expect(gh.commitsOn(REPO, 'main')[0]?.author.name).toBe('Mallory');
    // Settled on GitHub (the pull request merged): publishing goes on as before.
    gh.merge(REPO, 1);
    await command('record We will settle it on GitHub');
    expect(await command('publish now')).toContain(`Committed ${FILE} to main`);
    expect(gh.file(REPO, 'main', FILE)).toBe(await exported());
  });

  it('a revert to a version the bot once wrote is taken in or said, never committed over', async () => {
    const v1 = await committed();
    await command('record We will drop the paper form');
    expect(await command('publish now')).toContain(`Committed ${FILE} to main`);
    gh.commit(REPO, 'main', { [FILE]: v1 }, { name: 'Rita Revert', login: 'rita' }, 'Revert "Update c3.md"');
    const reply = await command('publish now');
    expect(reply).not.toContain('Committed');
    expect(reply).toMatch(/The case kept Decision 1, removed on GitHub by Rita Revert \(.*\): decisions and evidence are withdrawn in chat/);
    expect(reply).toContain('went as a pull request');
    expect(gh.file(REPO, 'main', FILE)).toBe(v1);
  });

  it('a renumbered decision and a supersede of a decision that does not exist are not taken in, and said', async () => {
    const base = await committed();
    for (let n = 1; n <= 5; n += 1) await command(`record We will take step ${n}`);
    expect(await command('publish now')).toContain('Committed');
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    const edited = onMain
      .replace('Decision 5: We will take step 5', 'Decision 9: We will take step 5')
      .replace('Decision 2: We will take step 2\n', 'Decision 2: We will take step 2\n\n_Superseded by Decision 77_\n');
    expect(edited).not.toBe(base);
    gh.commit(REPO, 'main', { [FILE]: edited }, { name: 'Nina', login: 'nina' });
    const reply = await command('publish now');
    expect(reply).toContain('so these were not taken in: Decision 2, marked as superseded by Decision 77, which the case does not have and Decision 9, which would skip Decisions 6 to 8 (the next decision here is Decision 6, and numbers never skip)');
    expect(reply).toMatch(/The case kept Decision 5, removed on GitHub by Nina/);
    const c = await t.app.store.findCase(slackPlace(undefined, C4));
    const snap = await t.app.store.snapshot(c?.id ?? '');
    expect(snap?.decisions.map((d) => [d.number, d.status])).toEqual([0, 1, 2, 3, 4, 5].map((n) => [n, 'active']));
    expect(gh.file(REPO, 'main', FILE)).toBe(edited);
  });

  it('a commit author is one line of at most 100 characters, and the message still says what was kept', async () => {
    await committed();
    await command('case Benefits Fewer calls, says chat.');
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    const hostile = `Eve\nInjected line <!channel> ${'x'.repeat(6000)}`;
    gh.commit(REPO, 'main', { [FILE]: onMain.replace('### Benefits\n\nTo be written.', '### Benefits\n\nFewer calls, says GitHub.') }, { name: hostile, login: 'eve' });
    const res = await t.command('publish now', { channel: C4 });
    const body = (await res.json()) as CommandResponse;
    expect(body.text).toContain('The case kept its own version of the Benefits section, which changed both on GitHub (Eve Injected line');
    // As Slack shows it: its own escapes (&lt; for <) read back as the characters they stand for.
    const name = (/changed both on GitHub \((.*?)( \(<?http[^)]*\))?\) and here/.exec(body.text)?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect([...name].length).toBeLessThanOrEqual(100);
    expect(name.endsWith('…')).toBe(true);
    expect(body.text).not.toContain('\n');
    expect(JSON.stringify(body)).not.toContain('<!channel>');
  });
});

describe('with a GitHub App, a workspace uses only installations a person of it tied to it', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const PUBLIC = 'http://decisions.test';
  let app: CorpusApp;

  beforeEach(async () => {
    gh = await startFakeGitHub();
    gh.addRepo(REPO);
    gh.addRepo('mallory/loot');
    const write = { contents: 'write', pull_requests: 'write', metadata: 'read' };
    gh.installApp({ installationId: 42, permissions: write, accounts: ['acme'] });
    gh.installApp({ installationId: 77, permissions: write, accounts: ['mallory'] });
    gh.addUser('alice', [42]);
    gh.addUser('mallory', [77]);
    app = await startCorpusApp({
      GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: pem, GITHUB_API_URL: gh.apiUrl,
      GITHUB_APP_CLIENT_ID: gh.oauthClient.id, GITHUB_APP_CLIENT_SECRET: gh.oauthClient.secret, PUBLIC_URL: PUBLIC,
    });
  });

  afterEach(async () => {
    await app.stop();
    await gh.close();
  });

  const slackSays = async (text: string): Promise<string> => (JSON.parse((await app.command(text)).text) as CommandResponse).text;
  const teamsSays = async (text: string): Promise<string> => allStrings((await app.teams(text)).sent.map((x) => x.body)).join(' ');

  /** Follows a link from chat as a browser would, signed in to GitHub as `login`: the bot's page at the end. */
  async function follow(link: string, login: string): Promise<{ status: number; text: string }> {
    gh.signedIn = login;
    const atGitHub = await fetch(link.replace(/&amp;/g, '&'), { redirect: 'manual' });
    const back = atGitHub.headers.get('location') ?? '';
    expect(back.startsWith(`${PUBLIC}/github/callback?`)).toBe(true);
    const res = await fetch(back.replace(PUBLIC, app.base), { redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  }

  it('ties one only for someone GitHub says can reach it; other workspaces and forged links get nothing', async () => {
    await slackSays('We will publish the case through the App');
    const first = await slackSays(`publish github ${REPO} c1.md`);
    expect(first).toContain("This workspace is not yet tied to the GitHub App's installation on acme, so it cannot publish to acme/case.");
    expect(first).toContain('Nothing changed.');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/login\/oauth\/authorize\?[^\s>|]+)/.exec(first)?.[1] ?? '';
    expect(link).not.toBe('');
    expect((await app.app.store.findCase(corpusSlackPlace))?.publication).toBeNull();

    // Someone who cannot reach acme's installation ties nothing.
    const wrong = await follow(link, 'mallory');
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain('Your GitHub account cannot reach that installation');
    expect(await slackSays(`publish github ${REPO} c1.md`)).toContain('is not yet tied');

    // A forged or altered link ties nothing.
    const forged = link.replace(/state=([^&]+)/, (_, st: string) => `state=${st.slice(0, -3)}abc`);
    gh.signedIn = 'alice';
    const forgedBack = (await fetch(forged.replace(/&amp;/g, '&'), { redirect: 'manual' })).headers.get('location') ?? '';
    const refused = await fetch(forgedBack.replace(PUBLIC, app.base));
    expect(refused.status).toBe(400);

    // Someone who can: tied, and the channel publishes through that installation only.
    const right = await follow(link, 'alice');
    expect(right.status).toBe(200);
    expect(right.text).toContain('Channels of this workspace can now publish to acme');
    expect(await slackSays(`publish github ${REPO} c1.md`)).toContain('connected this case to GitHub');
    expect((await app.app.store.findCase(corpusSlackPlace))?.publication?.installation).toBe(42);
    expect(await slackSays('publish now')).toContain('Pull request #1');
    // Every call about the repository but the App's own look-up of its installation went with installation 42's token.
    const calls = gh.requests.filter((r) => /^\/api\/v3\/repos\/acme\/case\//.test(r.path) && !r.path.endsWith('/installation'));
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.every((r) => /^token ghs_fake42x/.test(r.authorization ?? ''))).toBe(true);

    // Another workspace (the Teams tenant) is not tied to acme's installation, whatever it names.
    await teamsSays('We will try to publish to acme');
    expect(await teamsSays(`publish github ${REPO} teams.md`)).toContain("This workspace is not yet tied to the GitHub App's installation on acme");
    expect((await app.app.store.findCase(teamsPlace))?.publication).toBeNull();
  });

  it('a link is good for 30 minutes', async () => {
    await slackSays('We will publish the case through the App');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/login\/oauth\/authorize\?[^\s>|]+)/.exec(await slackSays(`publish github ${REPO} c1.md`))?.[1] ?? '';
    const state = decodeURIComponent(/state=([^&]+)/.exec(link.replace(/&amp;/g, '&'))?.[1] ?? '');
    const [body = ''] = state.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { e: number };
    expect(claims.e - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(claims.e - Date.now()).toBeLessThanOrEqual(30 * 60_000);
  });
});

describe('two channels racing to connect one file, from two processes on one store', () => {
  let slack: LocalSlack;
  let servers: ServeProcess[] = [];
  let cleanup: () => void;

  beforeAll(() => {
    if (!fs.existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` before jest.');
  });

  beforeEach(async () => {
    gh = await startFakeGitHub({ tokens: [TOKEN] });
    gh.addRepo(REPO);
    slack = await startLocalSlack();
    const t = tempDir('decisions-github-race-');
    cleanup = t.cleanup;
    const env = slackEnv(t.dir, slack.apiUrl, { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl });
    servers = await Promise.all([startServe(env), startServe(env)]);
  });

  afterEach(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await slack.close();
    await gh.close();
    cleanup();
  });

  it('one wins, one is refused, and neither case changes', async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    const user = { id: 'U0ANA', name: 'ana' };
    for (let round = 0; round < 3; round += 1) {
      const file = `race-${round}.md`;
      const [ca, cb] = [`C0A${round}`, `C0B${round}`];
      await slashCommand(a, slack, 'We will race for one file', { user, channel: ca });
      await slashCommand(b, slack, 'We will race for it too', { user, channel: cb });
      // Slow answers keep both connections between GitHub's checks and their commits together.
      gh.delayMs = 60;
      const replies = await Promise.all([
        slashCommand(a, slack, `publish github ${REPO} ${file}`, { user, channel: ca }),
        slashCommand(b, slack, `publish github ${REPO} ${file}`, { user, channel: cb }),
      ]);
      gh.delayMs = 0;
      const texts = replies.map((r) => r.text);
      expect(texts.filter((x) => x.includes('connected this case to GitHub'))).toHaveLength(1);
      expect(texts.filter((x) => x.includes("That file is already kept by another channel's case"))).toHaveLength(1);
      const loser = texts[0]?.includes('connected') ? cb : ca;
      const shown = await slashCommand(a, slack, 'publish', { user, channel: loser });
      expect(shown.text).toContain('This case is not published anywhere.');
      // Each case holds its own decision only.
      for (const [channel, own, other] of [[ca, 'We will race for one file', 'race for it too'], [cb, 'We will race for it too', 'race for one file']] as const) {
        const shownDecision = await slashCommand(b, slack, 'show 0', { user, channel });
        expect(shownDecision.text).toContain(own);
        expect(shownDecision.text).not.toContain(other);
      }
    }
    // Nothing was written to GitHub by connecting.
    expect(gh.repo(REPO).branches.size).toBe(1);
  });
});

/** /healthz asked every 10 ms while `during` runs: the longest any answer took, and how many there were. */
async function probe(base: string, during: () => Promise<void>): Promise<{ worst: number; probes: number }> {
  let worst = 0;
  let probes = 0;
  let stop = false;
  const probing = (async () => {
    while (!stop) {
      const started = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      worst = Math.max(worst, performance.now() - started);
      probes += 1;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await during();
  } finally {
    stop = true;
    await probing;
  }
  return { worst, probes };
}

describe('a 1 MB file compared while the bot keeps answering', () => {
  let slack: LocalSlack;
  let server: ServeProcess;
  let cleanup: () => void;
  let dir: string;
  const big = `# Business case: a big one\n\n## Strategic Case\n\nWhy we are doing this.\n\n## Key decisions that shaped this\n\n${
    Array.from({ length: 50 }, (_, sprint) => `### Sprint ${sprint}\n\n${Array.from({ length: 100 }, (__, i) => {
      const n = sprint * 100 + i;
      return `Decision ${n}: We will try idea ${n} with the whole team over the next sprint or two\n\nEvidence ${n}a: Round ${sprint} of research showed ${i % 6} of 6 users wanted it, in the lab and at home too\n\n`;
    }).join('')}`).join('')}`.replace(/\n+$/, '\n');

  beforeEach(async () => {
    gh = await startFakeGitHub({ tokens: [TOKEN] });
    gh.addRepo(REPO);
    slack = await startLocalSlack();
    const t = tempDir('decisions-github-probe-');
    ({ cleanup, dir } = t);
    fs.writeFileSync(path.join(dir, 'big.md'), big);
    const imported = await runCli(['import', path.join(dir, 'big.md'), '--into', `slack:T0TEAMA/${C4}`], { env: { DATA_DIR: dir } });
    expect(imported).toMatchObject({ code: 0 });
    server = await startServe(slackEnv(dir, slack.apiUrl, { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl }));
  });

  afterEach(async () => {
    await server.stop();
    await slack.close();
    await gh.close();
    cleanup();
  });

  it('/healthz never waits more than 100 ms while a 1 MB file of 5,000 decisions is compared and its edits taken in', async () => {
    expect(Buffer.byteLength(big)).toBeGreaterThan(900_000);
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(1024 * 1024);
    const user = { id: 'U0ANA', name: 'ana' };
    const say = (text: string) => slashCommand(server, slack, text, { user, channel: C4, timeoutMs: 60_000 });
    await say('publish github acme/case big.md');
    await say('publish mode commit');
    expect((await say('publish now')).text).toContain('Committed big.md');
    expect(gh.file(REPO, 'main', 'big.md')).toBe(big);
    // Each round: the file edited on GitHub (another decision each time), then `publish now`
    // while /healthz is asked every 10 ms, against the same server idle just before. A stall of
    // the bot's own shows in every round; one from another process on the machine's two cores
    // seldom twice, so a round over the bound is measured once more before the test says so.
    const rounds: Array<{ idle: number; busy: number }> = [];
    for (const n of [17, 18]) {
      const edited = (gh.file(REPO, 'main', 'big.md') ?? '')
        .replace(`Decision ${n}: We will try idea ${n} with`, `Decision ${n}: We will try idea number ${n} with`)
        .replace(`Evidence ${4300 + n}a: Round 43`, `Evidence ${4300 + n}a: Round forty-three`);
      gh.commit(REPO, 'main', { 'big.md': edited }, { name: 'Bulk Editor', login: 'bulk' });
      const idle = await probe(server.base, () => new Promise((r) => setTimeout(r, 5000)));
      let reply = '';
      const busy = await probe(server.base, async () => { reply = (await say('publish now')).text; });
      expect(reply).toContain(`Taken in from GitHub, edited by Bulk Editor (<http://127.0.0.1:${new URL(gh.apiUrl).port}/acme/case/commit/`);
      expect(reply).toContain(`Decision ${n} and Evidence ${4300 + n}a`);
      expect(reply).toContain('Nothing to publish');
      expect(busy.probes).toBeGreaterThan(10);
      rounds.push({ idle: idle.worst, busy: busy.worst });
      if (busy.worst - idle.worst <= 100) break;
    }
    const best = Math.min(...rounds.map((r) => r.busy - r.idle));
    if (best > 100) throw new Error(`/healthz waited more than 100 ms beyond idle in every round (worst, ms): ${JSON.stringify(rounds)}`);
    expect((await say('show 17')).text).toContain('We will try idea number 17 with');
  });

  it('a file that adds thousands of decisions at once is not taken in, and says to import it', async () => {
    const user = { id: 'U0ANA', name: 'ana' };
    const say = (text: string) => slashCommand(server, slack, text, { user, channel: C8, timeoutMs: 60_000 });
    await say('We will start small');
    await say('publish github acme/case small.md');
    await say('publish mode commit');
    await say('publish now');
    gh.commit(REPO, 'main', { 'small.md': `${gh.file(REPO, 'main', 'small.md') ?? ''}\n${Array.from({ length: 600 }, (_, i) => `Decision ${i + 1}: Pasted ${i + 1}\n`).join('\n')}` });
    const reply = await say('publish now');
    expect(reply.text).toContain('600 parts added at once, from Decision 1 on (at most 500 come back in one publication; to bring in a document this size, use `import`)');
    expect((await say('show 1')).text).toMatch(/There is no Decision 1/);
  });
});
