/**
 * Publishing through the case service, the real GitHub adapter (Octokit) and a local fake of
 * the GitHub REST API over HTTP, on a real SQLite file: connecting and what it checks,
 * `publish now` in both modes, edits made on GitHub coming back, and the parts that differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mountGitHub } from '../../../adapters/github';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import type { Actor, Place } from '../../../src/core/model';
import { renderCaseMarkdown } from '../../../src/core/markdown';
import { createCaseService, type CaseService } from '../../../src/core/service';
import type { Store } from '../../../src/store/store';
import type { Reply } from '../../../src/core/views';
import { openSqliteStore } from '../../../src/store/sqlite';
import { fakeClock, sequentialIds } from '../../helpers/fake-clock';
import { startFakeGitHub, type FakeGitHub } from '../../helpers/fake-github';
import { tempDir } from '../../helpers/temp-dir';

const TOKEN = 'github_pat_11AAAAAAA0fake0token0for0tests';
const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const ana: Actor = { id: 'U1', name: 'Ana' };
const ben: Actor = { id: 'U2', name: 'Ben' };
const REPO = 'acme/case';
const FILE = 'docs/business-case.md';
/** Thursday 26 November 2026: ISO week 48. */
const WEEK = '2026-W48';

let gh: FakeGitHub;
let store: Store;
let service: CaseService;
let clock: ReturnType<typeof fakeClock>;
let cleanup: () => void;

function serviceWith(env: Record<string, string>): CaseService {
  const config = loadConfig({ DATA_DIR: '/unused', ...env });
  const repositories = mountGitHub(config.github, createLogger('silent'));
  return createCaseService({ store, clock, newId: sequentialIds(), pause: async () => undefined, ...(repositories ? { repositories } : {}) });
}

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  store = openSqliteStore(path.join(t.dir, 'decisions.sqlite'));
  clock = fakeClock('2026-11-26T10:00:00Z');
  gh = await startFakeGitHub({ tokens: [TOKEN] });
  gh.addRepo(REPO);
  service = serviceWith({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl });
});

afterEach(async () => {
  await gh.close();
  await store.close();
  cleanup();
});

const run = (text: string, actor: Actor = ana) => service.run({ place, actor }, text);

function said(reply: Reply): string {
  return reply.kind === 'error' ? `error: ${reply.message}` : reply.summary;
}

async function exported(): Promise<string> {
  const c = await store.findCase(place);
  const snap = c ? await store.snapshot(c.id) : null;
  if (!snap) throw new Error('no case');
  return renderCaseMarkdown(snap);
}

async function connected(): Promise<void> {
  await run('We will publish the case every week');
  await run('case Benefits Fewer calls to the contact centre (0).');
  expect(said(await run(`publish github ${REPO} ${FILE}`))).toMatch(/^Ana connected this case to GitHub/);
}

describe('connecting a case', () => {
  it('checks the repository and says where the case will go; the change is in history and can be undone', async () => {
    await run('We will publish the case every week');
    const reply = await run(`publish github ${REPO} ${FILE}`);
    expect(reply).toMatchObject({ kind: 'notice', visibility: 'channel' });
    expect(said(reply)).toBe(`Ana connected this case to GitHub: ${FILE} in ${REPO}, on main. Each week after the digest it is published there as a pull request; \`publish now\` publishes it now.`);
    const c = await store.findCase(place);
    expect(c?.publication).toMatchObject({ owner: 'acme', repo: 'case', branch: 'main', mode: 'pr', files: [{ part: 'case', path: FILE, known: [] }], last: null });
    // Connecting wrote nothing on GitHub: its checks were reads and writes GitHub must refuse.
    expect(gh.repo(REPO).branches.size).toBe(1);
    expect(gh.repo(REPO).pulls).toEqual([]);
    const status = await run('publish');
    expect(status.visibility).toBe('caller');
    expect(said(status)).toContain(`This case is published to ${FILE} in ${REPO}, on main, as a pull request, each week after the digest: Mondays at 09:00, Europe/London time. Nothing has been published yet`);
    expect(said(await run('undo'))).toBe(`Ana undid: connected the case to GitHub: ${FILE} in ${REPO}, on main.`);
    expect((await store.findCase(place))?.publication).toBeNull();
  });

  it('takes the repository as a web address, the default path and a named branch', async () => {
    gh.commit(REPO, 'main', {}, undefined, 'x');
    gh.repo(REPO).branches.set('drafts', gh.repo(REPO).branches.get('main') ?? '');
    expect(said(await run('publish github https://github.com/acme/case.git'))).toContain('business-case.md in acme/case, on main.');
    expect(said(await run(`publish github ${REPO} ${FILE} drafts`))).toContain(`${FILE} in ${REPO}, on drafts.`);
  });

  it('says in plain words what is missing, and changes nothing', async () => {
    await run('We will publish the case every week');
    const cases: Array<[() => void, string, RegExp]> = [
      [() => { gh.repo(REPO).hidden = true; }, REPO, /^error: There is no repository acme\/case on GitHub, or the bot's token cannot see it/],
      [() => { gh.repo(REPO).lacks.add('contents'); }, REPO, /^error: The bot can see acme\/case but cannot write files there\. .*Contents: "Read and write" on acme\/case\. Nothing changed\.$/],
      [() => { gh.repo(REPO).lacks.add('pull requests'); }, REPO, /^error: The bot can write files in acme\/case but cannot open pull requests there\. .*Pull requests: "Read and write".*`publish mode commit`/],
      [() => { gh.repo(REPO).lacks.add('contents'); gh.repo(REPO).lacks.add('pull requests'); }, REPO, /cannot write files or open pull requests there\. .*Contents and Pull requests, both "Read and write"/],
      [() => { gh.repo(REPO).readOnly = true; }, REPO, /cannot write files or open pull requests there/],
      [() => undefined, `${REPO} ${FILE} release`, /^error: acme\/case has no branch release\. .*leave it out to use main\. Nothing changed\.$/],
      [() => undefined, 'acme', /^error: "acme" is not a GitHub repository/],
      [() => undefined, `${REPO} main`, /^error: "main" is not a Markdown file path/],
      [() => undefined, `${REPO} ../secrets.md`, /^error: "\.\.\/secrets\.md" is not a file path in the repository/],
    ];
    for (const [set, args, message] of cases) {
      const repo = gh.repo(REPO);
      repo.hidden = false;
      repo.readOnly = false;
      repo.lacks.clear();
      set();
      expect(said(await run(`publish github ${args}`))).toMatch(message);
      expect((await store.findCase(place))?.publication).toBeNull();
    }
    // A wrong token is said as such; the token itself is never repeated.
    service = serviceWith({ GITHUB_TOKEN: 'github_pat_revoked', GITHUB_API_URL: gh.apiUrl });
    const refused = said(await run(`publish github ${REPO}`));
    expect(refused).toMatch(/^error: GitHub refused the bot's credentials/);
    expect(refused).not.toContain('github_pat');
  });

  it('without credentials, says which settings publishing needs', async () => {
    service = serviceWith({});
    expect(said(await run(`publish github ${REPO}`))).toMatch(/^error: Publishing to GitHub is not set up here\. Ask whoever runs the bot to set GITHUB_TOKEN/);
    expect(said(await run('publish'))).toMatch(/not published anywhere.*Publishing to GitHub is not set up here/);
    expect(gh.requests).toEqual([]);
  });
});

describe('publish now', () => {
  it('opens one pull request from decisions/<week> whose file is exactly the export; again with nothing changed, no commit', async () => {
    await connected();
    const first = await run('publish now');
    expect(said(first)).toBe(`Ana published the case to GitHub. Pull request #1 into main of ${REPO} (1 commit): ${gh.webUrl}/acme/case/pull/1`);
    expect(gh.file(REPO, `decisions/docs/business-case/${WEEK}`, FILE)).toBe(await exported());
    expect(gh.file(REPO, 'main', FILE)).toBeNull();
    const [pr] = gh.repo(REPO).pulls;
    expect(pr).toMatchObject({ number: 1, head: `decisions/docs/business-case/${WEEK}`, base: 'main', state: 'open', title: `Week ${WEEK}: Business case` });
    expect(pr?.body).toContain('## Weekly digest: Business case');
    expect(pr?.body).toContain('\n### Decisions with no evidence\n\n- Decision 0: We will publish the case every week\n');
    const commits = gh.commitsOn(REPO, `decisions/docs/business-case/${WEEK}`).length;

    const again = await run('publish now', ben);
    expect(said(again)).toBe(`Ben published the case to GitHub. Pull request #1 into main of ${REPO} (no new commit: it already holds the case as it is): ${gh.webUrl}/acme/case/pull/1`);
    expect(gh.commitsOn(REPO, `decisions/docs/business-case/${WEEK}`)).toHaveLength(commits);
    expect(gh.repo(REPO).pulls).toHaveLength(1);

    // A change in chat: the same branch and pull request, one more commit.
    await run('evidence 0 Three teams asked for it');
    expect(said(await run('publish now'))).toContain('Pull request #1 into main of acme/case (1 commit)');
    expect(gh.commitsOn(REPO, `decisions/docs/business-case/${WEEK}`)).toHaveLength(commits + 1);
    expect(gh.file(REPO, `decisions/docs/business-case/${WEEK}`, FILE)).toBe(await exported());
    expect(gh.repo(REPO).pulls).toHaveLength(1);
    expect(said(await run('publish'))).toContain(`Last publication: 26 Nov 2026, 10:00, pull request #1: ${gh.webUrl}/acme/case/pull/1`);
  });

  it('commit mode commits to the base branch; content equal to it is nothing to publish', async () => {
    await connected();
    expect(said(await run('publish mode commit'))).toBe('Ana set this case to be published as a commit straight to the branch each week (acme/case).');
    const published = said(await run('publish now'));
    expect(published).toMatch(new RegExp(`^Ana published the case to GitHub\\. Committed ${FILE} to main of ${REPO}: ${gh.webUrl}/acme/case/commit/[0-9a-f]{40}$`));
    expect(gh.file(REPO, 'main', FILE)).toBe(await exported());
    const commits = gh.commitsOn(REPO, 'main').length;
    expect(said(await run('publish now'))).toBe(`Nothing to publish: ${FILE} on main of ${REPO} already matches the case.`);
    expect(gh.commitsOn(REPO, 'main')).toHaveLength(commits);
    expect(gh.repo(REPO).pulls).toEqual([]);
    expect([...gh.repo(REPO).branches.keys()]).toEqual(['main']);
  });

  it('makes no branch and no pull request when the base branch already holds the case', async () => {
    await connected();
    gh.commit(REPO, 'main', { [FILE]: await exported() });
    expect(said(await run('publish now'))).toBe(`Nothing to publish: ${FILE} on main of ${REPO} already matches the case.`);
    expect([...gh.repo(REPO).branches.keys()]).toEqual(['main']);
    expect(gh.repo(REPO).pulls).toEqual([]);
  });
});

describe('edits made on GitHub', () => {
  async function mergedFirst(): Promise<void> {
    await connected();
    await run('publish now');
    gh.merge(REPO, 1);
  }

  it('a paragraph added to a section on main comes into the case, by its GitHub author, with the commit link', async () => {
    await mergedFirst();
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    const edited = onMain.replace('Fewer calls to the contact centre (0).\n', 'Fewer calls to the contact centre (0).\n\nAnd shorter queues at the counter.\n');
    expect(edited).not.toBe(onMain);
    const sha = gh.commit(REPO, 'main', { [FILE]: edited }, { name: 'Alice Smith', login: 'alice' });
    const reply = said(await run('publish now'));
    expect(reply).toBe(`Nothing to publish: ${FILE} on main of ${REPO} already matches the case. Taken in from GitHub, edited by Alice Smith (${gh.webUrl}/acme/case/commit/${sha}): the Benefits section.`);
    const section = await run('case Benefits');
    expect(section).toMatchObject({ kind: 'section', body: 'Fewer calls to the contact centre (0).\n\nAnd shorter queues at the counter.' });
    // The case's export is now the file on GitHub, byte for byte.
    expect(await exported()).toBe(edited);
    const c = await store.findCase(place);
    const changes = await store.listChanges(c?.id ?? '', '2026-01-01', '2027-01-01');
    const fromGitHub = changes.filter((ch) => ch.actor.name === 'GitHub: Alice Smith');
    expect(fromGitHub).toMatchObject([{ actor: { id: 'github:alice' }, description: `edited the Benefits section on GitHub (${gh.webUrl}/acme/case/commit/${sha})`, subject: { kind: 'section', heading: 'Benefits' } }]);
    // Taken in once.
    expect(said(await run('publish now'))).toBe(`Nothing to publish: ${FILE} on main of ${REPO} already matches the case.`);
  });

  it('where the same section changed in chat too, keeps the chat version, says so, and the pull request carries it', async () => {
    await mergedFirst();
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    gh.commit(REPO, 'main', { [FILE]: onMain.replace('Fewer calls to the contact centre (0).', 'Fewer calls, says GitHub.').replace('We will publish the case every week', 'We will publish the case every fortnight') });
    await run('case Benefits Fewer calls, says chat.', ben);
    const reply = said(await run('publish now'));
    expect(reply).toContain('Taken in from GitHub, edited by Alice Smith');
    expect(reply).toContain(': Decision 0.');
    expect(reply).toContain(`The case kept its own version of the Benefits section, which changed both on GitHub (Alice Smith (${gh.webUrl}/acme/case/commit/`);
    expect(reply).toContain(`and here since the last publication; the pull request (${gh.webUrl}/acme/case/pull/2) shows it beside GitHub's to settle there.`);
    expect(await run('case Benefits')).toMatchObject({ body: 'Fewer calls, says chat.' });
    expect(await run('show 0')).toMatchObject({ decision: { text: 'We will publish the case every fortnight' } });
    const branch = gh.file(REPO, `decisions/docs/business-case/${WEEK}`, FILE) ?? '';
    expect(branch).toContain('Fewer calls, says chat.');
    expect(branch).toContain('every fortnight');
  });

  it('an edit on main while the pull request waits is compared with main, not with the pull request', async () => {
    await mergedFirst();
    // The chat changes a section; it goes in a pull request not yet merged.
    await run('case Benefits Fewer calls, from chat.');
    expect(said(await run('publish now'))).toContain('Pull request #2');
    // Meanwhile someone edits the same section on main, from what main had.
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    gh.commit(REPO, 'main', { [FILE]: onMain.replace('Fewer calls to the contact centre (0).', 'Fewer calls, from GitHub.') });
    const reply = said(await run('publish now'));
    expect(reply).toContain('The case kept its own version of the Benefits section, which changed both on GitHub');
    expect(await run('case Benefits')).toMatchObject({ body: 'Fewer calls, from chat.' });
    expect(gh.file(REPO, `decisions/docs/business-case/${WEEK}`, FILE)).toContain('Fewer calls, from chat.');
  });

  it('in commit mode, a part that differs goes as a pull request instead of over the edit', async () => {
    await mergedFirst();
    await run('publish mode commit');
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    gh.commit(REPO, 'main', { [FILE]: onMain.replace('Fewer calls to the contact centre (0).', 'Fewer calls, says GitHub.') });
    await run('case Benefits Fewer calls, says chat.');
    const reply = said(await run('publish now'));
    expect(reply).toContain('Pull request #2 into main');
    expect(reply).toContain('This case publishes with commits, but the file on GitHub and the case differ, so this time it went as a pull request.');
    expect(gh.file(REPO, 'main', FILE)).toContain('Fewer calls, says GitHub.');
  });

  it('a file that cannot be read cleanly is not taken in, and the channel is told why', async () => {
    await mergedFirst();
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    gh.commit(REPO, 'main', { [FILE]: onMain.replace('Decision 0: We will', 'Decisions 0: We will') });
    const reply = said(await run('publish now'));
    expect(reply).toMatch(/The case kept its own version: docs\/business-case\.md was edited on GitHub by Alice Smith \(.*\) but cannot be taken in \(Line \d+: .*\), so nothing was taken from it; the pull request \(.*pull\/2\) carries the case as it is here\./);
    expect(await run('show 0')).toMatchObject({ decision: { text: 'We will publish the case every week' } });
  });

  it('takes in sections added and removed, decisions and evidence added; keeps a decision removed there', async () => {
    await mergedFirst();
    await run('evidence 0 Teams asked for it');
    await run('record We will drop the paper form');
    await run('publish mode commit');
    await run('publish now');
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    const edited = onMain
      .replace('### Benefits\n', '### Risks\n\nThe data may be late.\n\n### Benefits\n')
      .replace(/### Critical Success Factors\n\nTo be written\.\n\n/, '')
      .replace('Evidence 0a: Teams asked for it\n', 'Evidence 0a: Teams asked for it\n\nEvidence 0b: So did the contact centre\n')
      .replace('Decision 1: We will drop the paper form\n', '')
      .replace(/(### Sprint 0\n[\s\S]*?)$/, '$1\nDecision 2: We will write to every applicant\n');
    expect(edited).toContain('Decision 2: We will write');
    gh.commit(REPO, 'main', { [FILE]: edited });
    const reply = said(await run('publish now'));
    expect(reply).toContain('Taken in from GitHub, edited by Alice Smith');
    expect(reply).toMatch(/: the Risks section, Evidence 0b, Decision 2 and the Critical Success Factors section\./);
    expect(reply).toContain('This case publishes with commits, but the file on GitHub and the case differ, so this time it went as a pull request.');
    expect(reply).toMatch(/The case kept Decision 1, removed on GitHub by Alice Smith \(.*\): decisions and evidence are withdrawn in chat \(`withdraw <N>`\), not deleted; the pull request \(.*\) puts it back\./);
    const c = await store.findCase(place);
    const headings = c?.layout.sections.map((s) => s.heading);
    expect(headings).toContain('Risks');
    expect(headings).not.toContain('Critical Success Factors');
    expect(headings?.indexOf('Risks')).toBe((headings?.indexOf('Benefits') ?? 0) - 1);
    expect(await run('show 2')).toMatchObject({ decision: { text: 'We will write to every applicant', author: { name: 'GitHub: Alice Smith' } } });
    expect(await run('show 0')).toMatchObject({ decision: { evidence: [{ label: '0a' }, { label: '0b', text: 'So did the contact centre', author: { name: 'GitHub: Alice Smith' } }] } });
    expect(await run('show 1')).toMatchObject({ decision: { text: 'We will drop the paper form' } });
    // Decision 1 goes back through a pull request, never a commit over what was done on GitHub.
    expect(gh.file(REPO, 'main', FILE)).toBe(edited);
    expect(gh.file(REPO, `decisions/docs/business-case/${WEEK}`, FILE)).toBe(await exported());
    expect(gh.file(REPO, `decisions/docs/business-case/${WEEK}`, FILE)).toContain('Decision 1: We will drop the paper form');
    // Until it is settled on GitHub, every publication goes the same way, and says nothing new.
    const again = said(await run('publish now'));
    expect(again).toContain('The case still keeps its own version of docs/business-case.md, which is not taken in from GitHub');
    expect(gh.file(REPO, 'main', FILE)).toBe(edited);
  });

  it('points and phases edited on GitHub come back into the case, as the lines people read and edit', async () => {
    await connected();
    await run('evidence 0 Teams asked for it');
    await run('phase start alpha');
    await run('publish now');
    gh.merge(REPO, 1);
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    expect(onMain).toContain('### Sprint 0\n\n_Phase: Alpha_\n');
    const edited = onMain
      .replace('_Phase: Alpha_', '_Phase: Beta (Private beta)_')
      .replace('Decision 0: We will publish the case every week\n', 'Decision 0: We will publish the case every week\n\n_Service Standard: 8, 10 (success)_\n')
      .replace('Evidence 0a: Teams asked for it\n', 'Evidence 0a: Teams asked for it\n\n_Service Standard: 1_\n');
    gh.commit(REPO, 'main', { [FILE]: edited });
    const reply = said(await run('publish now'));
    expect(reply).toMatch(/Taken in from GitHub, edited by Alice Smith \(.*\): the heading of Sprint 0, Decision 0 and Evidence 0a\./);
    const shown = await run('show 0');
    expect(shown).toMatchObject({ decision: { phase: 'Private beta', points: [{ number: 8 }, { number: 10 }], evidence: [{ label: '0a', points: [{ number: 1 }] }] } });
    expect(await exported()).toBe(edited);
  });

  it('names at most a dozen parts in one sentence', async () => {
    await connected();
    for (let i = 1; i < 20; i += 1) await run(`record Decision number ${i}`);
    await run('publish mode commit');
    await run('publish now');
    const onMain = gh.file(REPO, 'main', FILE) ?? '';
    gh.commit(REPO, 'main', { [FILE]: onMain.replace(/Decision number (\d+)/g, 'Decision number $1, reworded') });
    const reply = said(await run('publish now'));
    expect(reply).toMatch(/Taken in from GitHub, edited by Alice Smith \(.*\): Decision 1, Decision 2, .*Decision 11 and 8 more\.$/);
    expect(await run('show 19')).toMatchObject({ decision: { text: 'Decision number 19, reworded' } });
  });

  it('merging the bot\'s own pull request brings nothing back', async () => {
    await mergedFirst();
    expect(said(await run('publish now'))).toBe(`Nothing to publish: ${FILE} on main of ${REPO} already matches the case.`);
    const c = await store.findCase(place);
    const changes = await store.listChanges(c?.id ?? '', '2026-01-01', '2027-01-01');
    expect(changes.filter((ch) => ch.actor.name.startsWith('GitHub'))).toEqual([]);
  });
});

describe('settings', () => {
  it('mode and off are changes in history; undo puts the settings back and keeps what the bot has seen since', async () => {
    expect(said(await run('publish now'))).toMatch(/^error: This case is not published anywhere yet/);
    expect(said(await run('publish mode commit'))).toMatch(/^error: This case is not published anywhere yet/);
    await connected();
    expect(said(await run('publish mode pr'))).toBe('error: This case is already published as a pull request.');
    await run('publish mode commit');
    await run('publish now', ben);
    const after = (await store.findCase(place))?.publication;
    expect(after?.files[0]?.known).toHaveLength(1);
    expect(after?.last?.outcome).toBe('commit');
    expect(said(await run('undo'))).toBe('Ana undid: set publishing to GitHub as a commit straight to the branch.');
    const undone = (await store.findCase(place))?.publication;
    expect(undone?.mode).toBe('pr');
    expect(undone?.files).toEqual(after?.files);
    expect(undone?.last).toEqual(after?.last);

    expect(said(await run('publish off', ben))).toBe(`Ben stopped publishing this case to GitHub (${FILE} in ${REPO}, on main). What is already there stays.`);
    expect((await store.findCase(place))?.publication).toBeNull();
    expect(said(await run('publish'))).toMatch(/^This case is not published anywhere\./);
    expect(said(await run('undo', ben))).toBe(`Ben undid: stopped publishing the case to GitHub (${REPO}).`);
    expect((await store.findCase(place))?.publication).toEqual(undone);
  });

  it('switching to pull requests checks that permission first', async () => {
    await connected();
    await run('publish mode commit');
    gh.repo(REPO).lacks.add('pull requests');
    expect(said(await run('publish mode pr'))).toMatch(/^error: The bot can write files in acme\/case but cannot open pull requests there/);
    expect((await store.findCase(place))?.publication?.mode).toBe('commit');
  });
});

describe('a case kept in two files', () => {
  const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'alphagov', name), 'utf8');
  const CASE = 'prototype-case-joined-up-services.MD';
  const DECISIONS = 'key-decisions-and-evidence.md';

  it('publishes both files, each under its own name beside the other, byte for byte, and takes an edit to either back in', async () => {
    const imported = await service.runCommand({ place, actor: ana }, { name: 'import', files: [{ name: CASE, markdown: fixture(CASE) }, { name: DECISIONS, markdown: fixture(DECISIONS) }], confirm: null });
    expect(imported.kind).toBe('import');
    const version = imported.kind === 'import' ? imported.import.version : null;
    expect((await service.runCommand({ place, actor: ana }, { name: 'import', files: [{ name: CASE, markdown: fixture(CASE) }, { name: DECISIONS, markdown: fixture(DECISIONS) }], confirm: { version } })).kind).toBe('notice');

    expect(said(await run(`publish github ${REPO} docs/${CASE}`))).toContain(`docs/${CASE}`);
    expect(said(await run('publish now'))).not.toMatch(/^error/);
    const branch = `decisions/docs/prototype-case-joined-up-services/${WEEK}`;
    expect(gh.file(REPO, branch, `docs/${CASE}`)).toBe(fixture(CASE));
    expect(gh.file(REPO, branch, `docs/${DECISIONS}`)).toBe(fixture(DECISIONS));

    // The team merges it, then edits a decision on GitHub: the next publication takes it in.
    gh.merge(REPO, 1, { name: 'Alice Smith', login: 'alice' });
    const edited = fixture(DECISIONS).replace('We will put definitions inline in the prototype.', 'We will put definitions inline, and in a glossary.');
    gh.commit(REPO, 'main', { [`docs/${DECISIONS}`]: edited }, { name: 'Alice Smith', login: 'alice' });
    clock.advance(60_000);
    await run('publish now');
    const shown = await run('show 8');
    expect(shown.kind === 'decision' ? shown.decision.text : '').toBe('We will put definitions inline, and in a glossary.');
  });
});
