/**
 * The Teams tab's two pages in a real browser (headless Chromium from Debian, driven by
 * playwright-core): the configuration page runs its own scripts (teams-js from our origin)
 * under its own CSP with no violation, and both pages pass axe-core at WCAG 2.2 AA.
 */
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { Place } from '../../../src/core/model';
import { fixture, startPagesApp } from '../helpers';
import type { PagesApp } from '../helpers';
import { TAB_PATHS } from '../../../src/server/pages/teams-tab';

declare const window: unknown;
declare const document: unknown;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const haveChromium = fs.existsSync(CHROMIUM);
const required = Boolean(process.env.CI) || process.env.REQUIRE_BROWSER === '1';
if (!haveChromium && !required) console.warn(`SKIPPED: teams-tab.browser.test.ts needs Chromium at ${CHROMIUM} (apt-get install chromium).`);

const place: Place = { platform: 'teams', workspace: 'tenant-a', channel: '19:general@thread.tacv2' };

interface AxeResult { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> }

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: fs.readFileSync(require.resolve('axe-core'), 'utf8') });
  const result = await page.evaluate(async (tags) => {
    const axe = (window as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, AXE_TAGS);
  return result.violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

(haveChromium || required ? describe : describe.skip)('the Teams tab in Chromium', () => {
  let t: PagesApp;
  let browser: Browser;
  let tabUrl: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`Chromium is missing at ${CHROMIUM}.`);
    t = await startPagesApp();
    await t.importCase(fixture('pages/licence-case.md'), place, 'case-teams');
    const reply = await t.app.service.run({ place, actor: { id: 'aad-ann', name: 'Ann Example' } }, 'share');
    if (reply.kind !== 'share') throw new Error(reply.summary);
    const res = await t.get(TAB_PATHS.link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: reply.url, tab: 'tab-1', tenant: 'tenant-a' }) });
    const answer = await res.json() as { contentUrl: string };
    const u = new URL(answer.contentUrl);
    tabUrl = `${t.base}${u.pathname}${u.search}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'] });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the configuration page loads teams-js and its own script under its CSP, breaks no policy, and says to open it from Teams', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const problems: string[] = [];
    const scripts: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname); });
    expect((await page.goto(`${t.base}${TAB_PATHS.config}`))?.status()).toBe(200);
    expect(await page.evaluate(() => typeof (window as { microsoftTeams?: { app?: unknown } }).microsoftTeams?.app)).toBe('object');
    await page.waitForFunction(() => ((document as { getElementById(id: string): { textContent: string } | null }).getElementById('link-message')?.textContent ?? '') !== '', undefined, { timeout: 15_000 });
    expect(await page.locator('#link-message').textContent()).toBe('Open this page from Teams to add the tab.');
    expect(scripts).toEqual([TAB_PATHS.teamsJs, TAB_PATHS.script]);
    expect(problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([]);
    await context.close();
  });

  it('the configuration page and the tab\'s page pass axe-core (WCAG 2.2 AA)', async () => {
    // Policy bypassed only so axe-core can be injected.
    const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
    const page = await context.newPage();
    expect((await page.goto(`${t.base}${TAB_PATHS.config}`))?.status()).toBe(200);
    expect(await violations(page)).toEqual([]);
    expect((await page.goto(tabUrl))?.status()).toBe(200);
    expect(await page.locator('h1').first().textContent()).toBeTruthy();
    expect(await violations(page)).toEqual([]);
    await context.close();
  });
});
