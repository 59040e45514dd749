/**
 * Publishing to GitHub tried as an attacker would: signed Slack commands through the real
 * HTTP server (and two real `serve` processes on one store), the real GitHub adapter against
 * a local fake of GitHub's REST API. One channel must never reach another channel's case
 * through a repository, and nothing GitHub sends back may freeze the bot or be taken in
 * unchecked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderCaseMarkdown } from '../../src/core/markdown';
import { nock, onlyLocalNetwork, slackPlace, startSlackApp, type SlackTestApp } from '../adapters/slack/helpers';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github';
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
