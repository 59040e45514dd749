/**
 * Publishing end to end: signed `/decision publish …` commands through the real HTTP server,
 * the real GitHub adapter (GITHUB_TOKEN, GITHUB_API_URL) against a local fake of the GitHub
 * REST API, and an edit made on GitHub read back on the case page, by `case <section>` and in
 * the case's history.
 */
import { renderCaseMarkdown } from '../../../src/core/markdown';
import { allStrings, nock, onlyLocalNetwork, slackPlace, startSlackApp, type SlackTestApp } from '../../adapters/slack/helpers';
import { startFakeGitHub, type FakeGitHub } from '../../helpers/fake-github';

const TOKEN = 'github_pat_11AAAAAAA0end0to0end0token';
const REPO = 'acme/case';
const FILE = 'docs/business-case.md';
const BRANCH = 'decisions/docs/business-case/2026-W48';

let gh: FakeGitHub;
let t: SlackTestApp;

interface CommandResponse { response_type: string; text: string; blocks: unknown[] }

async function command(text: string): Promise<CommandResponse> {
  const res = await t.command(text);
  expect(res.status).toBe(200);
  return (await res.json()) as CommandResponse;
}

async function exported(): Promise<string> {
  const c = await t.app.store.findCase(slackPlace());
  const snap = await t.app.store.snapshot(c?.id ?? '');
  if (!snap) throw new Error('no case');
  return renderCaseMarkdown(snap);
}

beforeEach(async () => {
  onlyLocalNetwork();
  gh = await startFakeGitHub({ tokens: [TOKEN] });
  gh.addRepo(REPO);
  t = await startSlackApp({ env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl, PUBLIC_URL: 'http://decisions.test', SHARE_SECRET: 'a-test-share-secret-of-some-length' } });
});

afterEach(async () => {
  await t.stop();
  await gh.close();
  nock.cleanAll();
});

it('publish github, then publish now: branch decisions/<path>/<week>, the export committed byte for byte, one pull request into main; again, no commit', async () => {
  await command('We will put definitions inline');
  await command('case Benefits Readers finish the form faster (0).');

  const connected = await command(`publish github ${REPO} ${FILE}`);
  expect(connected.response_type).toBe('in_channel');
  expect(connected.text).toContain(`connected this case to GitHub: ${FILE} in ${REPO}, on main.`);

  const published = await command('publish now');
  expect(published.response_type).toBe('in_channel');
  expect(published.text).toContain(`Pull request #1 into main of ${REPO} (1 commit)`);
  expect(allStrings(published.blocks).join(' ')).toContain(`${gh.webUrl}/acme/case/pull/1`);
  expect([...gh.repo(REPO).branches.keys()].sort()).toEqual([BRANCH, 'main']);
  expect(gh.file(REPO, BRANCH, FILE)).toBe(await exported());
  expect(gh.repo(REPO).pulls.map((p) => [p.number, p.head, p.base, p.state])).toEqual([[1, BRANCH, 'main', 'open']]);
  const commits = gh.commitsOn(REPO, BRANCH).length;

  const again = await command('publish now');
  expect(again.text).toContain('no new commit');
  expect(gh.commitsOn(REPO, BRANCH)).toHaveLength(commits);
  expect(gh.repo(REPO).pulls).toHaveLength(1);

  // Every call to GitHub carried the token, and no reply did.
  expect(gh.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  expect(JSON.stringify([connected, published, again])).not.toContain(TOKEN);
});

it('a paragraph added on main on GitHub appears in the case after the next publish now: page, case <section>, history', async () => {
  await command('We will put definitions inline');
  await command('case Benefits Readers finish the form faster (0).');
  await command(`publish github ${REPO} ${FILE}`);
  await command('publish now');
  gh.merge(REPO, 1);
  const onMain = gh.file(REPO, 'main', FILE) ?? '';
  const edited = onMain
    .replace('Readers finish the form faster (0).\n', 'Readers finish the form faster (0).\n\nCallers no longer ask what the terms mean.\n')
    .replace('Decision 0: We will put definitions inline', 'Decision 0: We will put definitions inline and in a glossary');
  const sha = gh.commit(REPO, 'main', { [FILE]: edited }, { name: 'Alice Smith', login: 'alice' });
  const commitUrl = `${gh.webUrl}/acme/case/commit/${sha}`;

  const published = await command('publish now');
  expect(published.text).toContain(`Taken in from GitHub, edited by Alice Smith (<${commitUrl}>): the Benefits section and Decision 0.`);
  expect(published.text).toContain('Nothing to publish');

  // case <section>
  const section = await command('case Benefits');
  expect(allStrings(section.blocks).join('\n')).toContain('Callers no longer ask what the terms mean.');

  // The page: the paragraph, and the decision's history naming the GitHub author.
  const share = await command('share');
  const link = /http:\/\/decisions\.test(\/cases\/[^\s>|]+)/.exec(allStrings(share.blocks).join(' '))?.[1] ?? '';
  const res = await fetch(`${t.base}${link.replace(/&amp;/g, '&')}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('Callers no longer ask what the terms mean.');
  expect(html).toContain('We will put definitions inline and in a glossary');
  expect(html).toMatch(/Revision history of Decision 0[\s\S]*GitHub: Alice Smith/);

  // History: changes by "GitHub: Alice Smith" carrying the commit's link.
  const c = await t.app.store.findCase(slackPlace());
  const changes = await t.app.store.listChanges(c?.id ?? '', '2026-01-01', '2027-01-01');
  expect(changes.filter((ch) => ch.actor.name === 'GitHub: Alice Smith').map((ch) => ch.description)).toEqual([
    `edited the Benefits section on GitHub (${commitUrl})`,
    `edited Decision 0 on GitHub (${commitUrl})`,
  ]);
  // And the case now exports as the file on main, so nothing more is published.
  expect(await exported()).toBe(edited);
});
