/**
 * The case page in a real browser: headless Chromium from Debian (/usr/bin/chromium,
 * installed by .ci/setup-browser), driven by playwright-core, which downloads no browser.
 * Follows a citation to its evidence, draws the case over time, shows the assessment pack,
 * runs axe-core at WCAG 2.2 AA on both pages, and saves screenshots to tests/artefacts/
 * (case-page.png, case-page-timeline.png, assessment-page.png and their print and narrow forms).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Place } from '../../src/core/model';
import { ANA, fixture, startPagesApp } from './helpers';
import type { PagesApp } from './helpers';
import { injectionCase } from './injections';

// Browser globals used in the callbacks that run in the page (this project's tsconfig has no DOM lib).
interface PageElement { getAttribute(name: string): string | null; open: boolean }
declare const window: { innerHeight: number; innerWidth: number; scrollTo(x: number, y: number): void };
declare const document: {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  documentElement: { scrollWidth: number };
};
declare const location: { hash: string };
declare function getComputedStyle(el: unknown): { backgroundColor: string; fill: string };

/** Debian's Chromium; CHROMIUM_PATH only to try the skip on a machine that has it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTEFACTS = path.resolve(__dirname, '../artefacts');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const haveChromium = fs.existsSync(CHROMIUM);
/** In CI the browser test must run: a missing browser is a failure there, not a skip. */
const required = Boolean(process.env.CI) || process.env.REQUIRE_BROWSER === '1';

if (!haveChromium && !required) {
  console.warn(`SKIPPED: case-page.browser.test.ts needs Chromium at ${CHROMIUM}. Install it with .ci/setup-browser (or: apt-get install chromium).`);
}

const place: Place = { platform: 'console', workspace: 'local', channel: 'licensing' };

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown; failureSummary?: string }> }>;
  passes: unknown[];
}

async function runAxe(page: Page): Promise<AxeResult> {
  await page.addScriptTag({ content: fs.readFileSync(require.resolve('axe-core'), 'utf8') });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, AXE_TAGS);
}

function describeViolations(result: AxeResult): string[] {
  return result.violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

(haveChromium || required ? describe : describe.skip)('the case page in Chromium', () => {
  let t: PagesApp;
  let browser: Browser;
  /** The page's own security policy in force. */
  let strict: BrowserContext;
  /** Policy bypassed, only so axe-core can be injected as a script. */
  let forAxe: BrowserContext;
  let url: string;
  let assessmentUrl: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`Chromium is missing at ${CHROMIUM}: run .ci/setup-browser.`);
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    t = await startPagesApp();
    await t.importCase(fixture('pages/licence-case.md'), place, 'case-licence');
    const ctx = { place, actor: ANA };
    // Give Decision 2 a revision history, so the details control is on the page.
    await t.app.service.run(ctx, 'edit 2 We will send renewal reminders by email and by text');
    // Phases, points of the Service Standard and a superseded decision: the timeline and the assessment pack have all of them to draw.
    for (const command of ['phase start discovery from sprint 1', 'phase start alpha from sprint 2', 'tag 0 1', 'tag 2 1 4', 'tag 4 4 9', 'tag 4a 9']) {
      const done = await t.app.service.run(ctx, command);
      if (done.kind === 'error') throw new Error(`${command}: ${done.message}`);
    }
    const pack = await t.app.service.run(ctx, 'assessment alpha');
    if (pack.kind !== 'assessment' || pack.url === null) throw new Error(pack.summary);
    const a = new URL(pack.url);
    assessmentUrl = `${t.base}${a.pathname}${a.search}`;
    const reply = await t.app.service.run(ctx, 'share');
    if (reply.kind !== 'share') throw new Error(reply.summary);
    const u = new URL(reply.url);
    url = `${t.base}${u.pathname}${u.search}`;
    // playwright-core starts the browser with a fresh temporary --user-data-dir and removes it on close.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
        '--no-first-run', '--disable-component-update', '--disable-sync',
      ],
    });
    strict = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-GB' });
    forAxe = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-GB', bypassCSP: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('opens from its share link, follows a citation to its evidence, and breaks no policy', async () => {
    const page = await strict.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe('[Prototype] Business case: Apply for a fishing licence');
    // The stylesheet loaded under the policy: the skip link is off screen until focused.
    expect(await page.locator('.skip-link').evaluate((el) => el.getBoundingClientRect().right <= 0)).toBe(true);

    // Every citation on the page lands on something.
    const dangling = await page.$$eval('a.citation', (as) => as.map((a) => a.getAttribute('href') ?? '').filter((h) => !document.getElementById(h.slice(1))));
    expect(dangling).toEqual([]);
    expect(await page.locator('a.citation').count()).toBeGreaterThanOrEqual(12);
    expect(await page.locator('.citation-missing').count()).toBe(2);

    const citation = page.locator('#section-strategic-objectives + .prose a.citation[href="#evidence-4b"]');
    await citation.click();
    await page.waitForFunction(() => location.hash === '#evidence-4b');
    expect(new URL(page.url()).hash).toBe('#evidence-4b');
    expect(new URL(page.url()).searchParams.get('token')).toBe(new URL(url).searchParams.get('token'));
    const target = page.locator(':target');
    expect(await target.getAttribute('id')).toBe('evidence-4b');
    expect(await target.isVisible()).toBe(true);
    expect(await target.textContent()).toContain('Notes from the API workshop');
    const inView = await target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight;
    });
    expect(inView).toBe(true);
    expect(await target.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 247, 191)');

    // The back-reference leads to the original evidence.
    await page.locator('#decision-4-evidence-0a a[href="#evidence-0a"]').click();
    await page.waitForFunction(() => location.hash === '#evidence-0a');
    expect(await page.locator(':target').getAttribute('id')).toBe('evidence-0a');

    // The revision history opens from the keyboard.
    const summary = page.locator('#decision-2 details summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#decision-2 details').evaluate((d) => (d as PageElement).open)).toBe(true);
    expect(await page.locator('#decision-2 details').textContent()).toContain('We will send renewal reminders by email');

    expect(problems).toEqual([]);
    await page.close();
  });

  it('has no WCAG 2.2 AA violations according to axe-core, and saves a screenshot', async () => {
    const page = await forAxe.newPage();
    expect((await page.goto(url))?.status()).toBe(200);
    const shot = path.join(ARTEFACTS, 'case-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    await page.locator('section.timeline').screenshot({ path: path.join(ARTEFACTS, 'case-page-timeline.png') });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(ARTEFACTS, 'case-page-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    const closed = await runAxe(page);
    expect(describeViolations(closed)).toEqual([]);
    // Again with every revision history open and a citation followed.
    await page.$$eval('details', (ds) => ds.forEach((d) => { (d as PageElement).open = true; }));
    await page.locator('a.citation[href="#evidence-2a"]').first().click();
    const open = await runAxe(page);
    expect(describeViolations(open)).toEqual([]);
    await page.close();
  });

  it('has no violations on a narrow screen, nor on the not-found page', async () => {
    const page = await forAxe.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(url);
    expect(describeViolations(await runAxe(page))).toEqual([]);
    // Reflow (WCAG 1.4.10): nothing scrolls sideways at 320 CSS pixels.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: path.join(ARTEFACTS, 'case-page-narrow.png'), fullPage: false });
    const res = await page.goto(`${t.base}/cases/case-licence?token=nope`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    expect(describeViolations(await runAxe(page))).toEqual([]);
    await page.close();
  });

  it('draws the case over time: a named picture, its key, and a table with the same figures', async () => {
    const page = await strict.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    expect((await page.goto(url))?.status()).toBe(200);
    const svg = page.locator('#timeline ~ figure svg.timeline-svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await page.locator('#timeline-svg-title').textContent()).toBe('Decisions and evidence per sprint');
    expect(await page.locator('#timeline-svg-desc').textContent()).toBe('5 decisions (1 withdrawn, 1 superseded) and 8 pieces of evidence over 4 sprints, Sprint 0 to Sprint 3. Phases: Discovery (Sprint 1), Alpha (from Sprint 2).');
    // Drawn by the stylesheet under the page's own policy: the bars have their colours, the bands theirs.
    expect(await page.locator('rect.tl-active').first().evaluate((el) => getComputedStyle(el).fill)).toBe('rgb(29, 112, 184)');
    expect(await page.locator('rect.tl-band--alpha').evaluate((el) => getComputedStyle(el).fill)).toBe('rgb(232, 241, 248)');
    expect(await page.locator('rect.tl-superseded-bar').count()).toBe(1);
    // The table says what the picture shows, row by row.
    await page.locator('.timeline-table summary').click();
    const rows = await page.locator('.timeline-data tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText.split('\t').map((c) => c.trim())));
    expect(rows.map((r) => [r[0], r[2], r[3], r[5], r[8]])).toEqual([
      ['Sprint 0', '', '0', '0', '0'],
      ['Sprint 1: Discovery', 'Discovery (starts)', '2', '0', '3'],
      ['Sprint 2 (3 to 14 Feb)', 'Alpha (starts)', '3', '1', '5'],
      ['Sprint 3', 'Alpha', '0', '0', '0'],
    ]);
    // The sprint headings say the phase, as chat does.
    expect(await page.locator('#sprint-2').textContent()).toBe('Sprint 2 (3 to 14 Feb), Alpha');
    expect(await page.locator('#decision-2 .points li').allTextContents()).toEqual(['1. Understand users and their needs', '4. Make the service simple to use']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the Alpha assessment pack under the page policy, point by point, and prints it', async () => {
    const page = await strict.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    const res = await page.goto(assessmentUrl);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.title()).toBe('Alpha assessment: [Prototype] Business case: Apply for a fishing licence');
    expect(await page.locator('main h2[id^="point-"]').count()).toBe(14);
    expect(await page.locator('.lead').textContent()).toBe('Alpha: 3 decisions, 3 of 14 points covered; nothing yet for 2, 3, 5, 6, 7, 8, 10, 11, 12, 13 and 14.');
    expect(await page.locator('#point-4 ~ article').evaluateAll((as) => as.map((x) => x.getAttribute('id')))).toEqual(expect.arrayContaining(['point-4-decision-2', 'point-4-decision-4']));
    expect(await page.locator('#gaps ~ ul.gap-list').first().textContent()).toContain('2. Solve a whole problem for users');
    expect(await page.locator('#gaps-chains + ul').textContent()).toContain('Decision 3 (superseded)');
    // Only the Alpha sprints are bold in its picture: the rest are drawn paler.
    expect(await page.locator('rect.tl-dim').count()).toBeGreaterThan(0);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(ARTEFACTS, 'assessment-page-print.png'), fullPage: true });
    expect(await page.locator('.page-footer').isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the assessment pack has no WCAG 2.2 AA violations, wide or narrow, and saves a screenshot', async () => {
    const page = await forAxe.newPage();
    expect((await page.goto(assessmentUrl))?.status()).toBe(200);
    const shot = path.join(ARTEFACTS, 'assessment-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(describeViolations(await runAxe(page))).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(describeViolations(await runAxe(page))).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: path.join(ARTEFACTS, 'assessment-page-narrow.png'), fullPage: false });
    // A phase the case does not have: a page that says so, which passes too.
    const wrong = await page.goto(assessmentUrl.replace('phase=alpha', 'phase=beta'));
    expect(wrong?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain('This case has no Beta phase.');
    expect(describeViolations(await runAxe(page))).toEqual([]);
    await page.close();
  });

  it('runs nothing from a case full of injections', async () => {
    const inject: Place = { platform: 'console', workspace: 'local', channel: 'injections' };
    await t.app.store.putSnapshot(injectionCase('case-inject', inject, '2026-11-26T10:00:00.000Z'), { replace: false });
    const reply = await t.app.service.run({ place: inject, actor: ANA }, 'share');
    if (reply.kind !== 'share') throw new Error(reply.summary);
    const u = new URL(reply.url);
    const page = await strict.newPage();
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('request', (r) => requests.push(r.url()));
    expect((await page.goto(`${t.base}${u.pathname}${u.search}`))?.status()).toBe(200);
    await page.$$eval('details', (ds) => ds.forEach((d) => { (d as PageElement).open = true; }));
    await page.mouse.move(200, 200);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(await page.locator('script, iframe, img, math, object, embed, style, form, input, base, meta[http-equiv], [style], [onerror], [onclick], [onload]').count()).toBe(0);
    // The one picture is the server's own timeline, with nothing that runs or fetches in it.
    expect(await page.locator('svg').count()).toBe(1);
    expect(await page.locator('section.timeline > figure > svg.timeline-svg').count()).toBe(1);
    expect(await page.locator('svg a, svg script, svg foreignObject, svg image, svg use, svg animate, svg set').count()).toBe(0);
    expect(await page.evaluate(() => [...document.querySelectorAll('a[href]')].filter((a) => !/^(https?:|mailto:|#|\/)/.test(a.getAttribute('href') ?? '') && /:/.test(a.getAttribute('href') ?? '')).length)).toBe(0);
    // The page fetched only itself and its stylesheet.
    expect(requests.map((r) => new URL(r).pathname)).toEqual([u.pathname, '/assets/case.css']);
    await page.close();
  });
});
