/** The case page and its Markdown download, through the real HTTP server. */
import type { Place } from '../../src/core/model';
import { normaliseMarkdown, renderCaseMarkdown } from '../../src/core/markdown';
import type { Reply } from '../../src/core/views';
import { createShareLinks } from '../../src/server/share';
import { ANA, PUBLIC_URL, SHARE_SECRET, elementById, fixture, ids, startPagesApp, startTags, textOf } from './helpers';
import type { PagesApp } from './helpers';

const place: Place = { platform: 'console', workspace: 'local', channel: 'licensing' };
const otherPlace: Place = { platform: 'console', workspace: 'local', channel: 'elsewhere' };
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let t: PagesApp;
const links = createShareLinks({ publicUrl: PUBLIC_URL, secret: SHARE_SECRET });

function expectKind<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (reply.kind !== kind) throw new Error(`expected ${kind}, got ${reply.kind}: ${reply.summary}`);
  return reply as Extract<Reply, { kind: K }>;
}

async function page(url: string): Promise<string> {
  const res = await t.get(url);
  expect(res.status).toBe(200);
  return res.text();
}

beforeEach(async () => {
  t = await startPagesApp();
  await t.importCase(fixture('pages/licence-case.md'), place, 'case-licence');
  await t.importCase(fixture('markdown/layout-b.md'), otherPlace, 'case-other');
});
afterEach(() => t.stop());

const shareLink = async (where: Place = place): Promise<string> => expectKind(await t.app.service.run({ place: where, actor: ANA }, 'share'), 'share').url;

describe('the case page', () => {
  it('answers the share link with the whole case and strict headers', async () => {
    const url = await shareLink();
    expect(url).toBe(links.urlFor({ id: 'case-licence', shareVersion: 1 }));
    expect(url).toMatch(/^http:\/\/decisions\.test\/cases\/case-licence\?token=[A-Za-z0-9_-]{43}$/);
    const res = await t.get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).toContain('<title>[Prototype] Business case: Apply for a fishing licence</title>');
    expect(html).toContain('<h1>[Prototype] Business case: Apply for a fishing licence</h1>');
    // Nothing the page loads or runs besides its own stylesheet.
    const tags = startTags(html);
    expect(tags.filter((x) => ['script', 'img', 'iframe', 'style', 'object', 'embed', 'form'].includes(x.name))).toEqual([]);
    expect(tags.filter((x) => x.name === 'link').map((x) => [x.attrs.rel, x.attrs.href])).toEqual([['stylesheet', '/assets/case.css'], ['icon', 'data:,']]);
  });

  it('follows the order of the Markdown export, with a contents list that reaches every part', async () => {
    const html = await page(await shareLink());
    const order = ['Strategic Case', 'Strategic Context', 'Who has the problem', 'Options', 'Key decisions that shaped this', 'Sprint 0', 'Sprint 1: Discovery', 'test the case in private beta', 'Two of five teams', 'reuse the date of birth', 'Sprint 3', 'Glossary of terms'];
    // The timeline (the case over time) repeats the sprints' names in its table: the order is the document's, without it.
    const start = html.indexOf('<section class="timeline"');
    const text = textOf(html.slice(html.indexOf('</nav>')).replace(html.slice(start, html.indexOf('</section>', start)), ''));
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    const nav = elementById(html, 'contents-title');
    expect(nav).toContain('Contents');
    const contents = html.slice(html.indexOf('<nav'), html.indexOf('</nav>'));
    const targets = [...contents.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets).toEqual([
      'section-strategic-case', 'section-strategic-context', 'section-strategic-objectives', 'section-critical-success-factors', 'section-benefits',
      'section-economic-case', 'section-options', 'key-decisions-that-shaped-this', 'timeline', 'sprint-0', 'sprint-1', 'sprint-2', 'sprint-3', 'section-appendix',
    ]);
    const all = ids(html);
    for (const id of targets) expect(all.has(id ?? '')).toBe(true);
    // Nested as the headings are: Strategic Context sits inside Strategic Case's item.
    expect(contents).toMatch(/<li><a href="#section-strategic-case">Strategic Case<\/a>\n<ol>\n<li><a href="#section-strategic-context">/);
  });

  it('has an anchor for every decision and evidence item, and every in-page link lands on one', async () => {
    const html = await page(await shareLink());
    const all = ids(html);
    for (const n of [0, 1, 2, 3, 4]) expect(all.has(`decision-${n}`)).toBe(true);
    for (const label of ['0a', '0b', '1a', '2a', '3a', '4a', '4b']) expect(all.has(`evidence-${label}`)).toBe(true);
    const fragments = startTags(html).filter((x) => x.name === 'a' && x.attrs.href?.startsWith('#')).map((x) => (x.attrs.href ?? '').slice(1));
    expect(fragments.length).toBeGreaterThanOrEqual(30);
    expect(fragments.filter((f) => !all.has(f))).toEqual([]);
  });

  it('links citations in the text to their evidence or decision, and marks those that point at nothing', async () => {
    const html = await page(await shareLink());
    const context = elementById(html, 'section-strategic-context');
    expect(context).toBe('<h3 id="section-strategic-context">Strategic Context</h3>');
    const body = html.slice(html.indexOf(context), html.indexOf('id="section-strategic-objectives"'));
    expect(body).toContain('apply online (<a href="#evidence-0a" class="citation"><span class="visually-hidden">Evidence </span>0a</a>, '
      + '<a href="#decision-2" class="citation"><span class="visually-hidden">Decision </span>2</a>).');
    // Separators stay as written.
    expect(body).toContain('calls (<a href="#evidence-2a" class="citation"><span class="visually-hidden">Evidence </span>2a</a>; <a href="#decision-4"');
    expect(body).toContain('(<span class="citation-missing">9z<span class="visually-hidden"> (no such evidence)</span></span>)');
    expect(body).toContain('(<span class="citation-missing">42<span class="visually-hidden"> (no such decision)</span></span>)');
    // Not citations: a year, code, a link's target.
    expect(body).toContain('A year in brackets (2020) is not a citation');
    expect(body).toContain('<code>(1a)</code>');
    expect(body).toContain('<a href="https://example.org/research" rel="noreferrer noopener">link to research</a>');
    // Citations work in the preamble, lists and sections after the decisions too.
    const cited = [...html.matchAll(/<a href="#([^"]+)" class="citation">/g)].map((m) => m[1]);
    expect(new Set(cited)).toEqual(new Set(['evidence-0a', 'decision-1', 'decision-2', 'evidence-2a', 'decision-4', 'evidence-3a', 'evidence-4a', 'evidence-4b', 'evidence-1a', 'evidence-0b']));
    expect([...html.matchAll(/class="citation-missing"/g)]).toHaveLength(2);
  });

  it('shows withdrawn and superseded decisions as such, with a link to the replacement', async () => {
    const html = await page(await shareLink());
    const withdrawn = elementById(html, 'decision-1');
    expect(withdrawn).toMatch(/^<article class="decision decision--withdrawn" id="decision-1" aria-labelledby="decision-1-title">/);
    expect(withdrawn).toContain('Decision 1 <strong class="tag tag--withdrawn">Withdrawn</strong>');
    expect(withdrawn).toContain('<p class="status">Withdrawn: the paper form is a legal requirement</p>');
    const superseded = elementById(html, 'decision-3');
    expect(superseded).toContain('class="decision decision--superseded"');
    expect(superseded).toContain('<strong class="tag tag--superseded">Superseded</strong>');
    expect(superseded).toContain('<p class="status">Superseded by <a href="#decision-4">Decision 4</a></p>');
    expect(elementById(html, 'decision-4')).toContain('Replaces <a href="#decision-3">Decision 3</a>');
    expect(elementById(html, 'decision-0')).toContain('class="decision decision--active"');
  });

  it('links a back-reference to the original evidence, and shows where captured items came from', async () => {
    const html = await page(await shareLink());
    const ref = elementById(html, 'decision-4-evidence-0a');
    expect(ref).toContain('<a href="#evidence-0a">Evidence 0a</a> (first given under Decision 0)');
    expect(textOf(ref)).toContain('See above');
    expect(elementById(html, 'evidence-1a')).toContain('<a href="https://example.slack.com/archives/C0123/p1700000000000100" rel="noreferrer noopener">From a Slack message</a>');
    expect(elementById(html, 'decision-2')).toContain('rel="noreferrer noopener">From a Slack message</a>');
    expect(elementById(html, 'evidence-4a')).toContain('rel="noreferrer noopener">From a Teams message</a>');
    // Every link off the page keeps the page's address (and token) to itself.
    const external = startTags(html).filter((x) => x.name === 'a' && /^https?:/.test(x.attrs.href ?? ''));
    expect(external.length).toBeGreaterThanOrEqual(5);
    for (const a of external) expect(a.attrs.rel).toBe('noreferrer noopener');
  });

  it('keeps each decision\'s earlier wording behind a details control', async () => {
    const ctx = { place, actor: ANA };
    expectKind(await t.app.service.run(ctx, 'edit 2 We will send renewal reminders by email and text'), 'decision');
    t.clock.advance(60_000);
    expectKind(await t.app.service.run(ctx, 'edit 2 We will send renewal reminders by *text*'), 'decision');
    expectKind(await t.app.service.run(ctx, 'evidence 2 Texts are read within the hour'), 'decision');
    const html = await page(await shareLink());
    const d2 = elementById(html, 'decision-2');
    expect(d2).toContain('<p>We will send renewal reminders by <em>text</em></p>');
    const details = d2.slice(d2.indexOf('<details'), d2.indexOf('</details>'));
    expect(details).toContain('<summary>Revision history of Decision 2 (2 earlier versions)</summary>');
    // Newest first.
    expect(textOf(details).indexOf('by email and text')).toBeLessThan(textOf(details).indexOf('by email Wording'));
    expect(details).toContain('Wording until 26 Nov 2026, 10:01, changed by Ana.');
    expect(details).toContain('Wording until 26 Nov 2026, 10:00, changed by Ana.');
    expect(elementById(html, 'evidence-2b')).toContain('Added by Ana, 26 Nov 2026, 10:01.');
    expect(html).not.toMatch(/<details[^>]*\sopen/);
  });

  it('reads the heading layout too', async () => {
    const html = await page(await shareLink(otherPlace));
    expect(html).toContain('<h1>Key decisions that shaped our prototype case</h1>');
    expect(html).toContain('<h2 class="sprint-heading" id="sprint-1">Sprint 1</h2>');
    expect(html).toContain('<h3 class="decision-title" id="decision-5-title">Decision 5</h3>');
    expect(elementById(html, 'decision-5-evidence-1a')).toContain('<a href="#evidence-1a">Evidence 1a</a>');
    const all = ids(html);
    for (const id of ['decision-0', 'decision-3', 'decision-5', 'evidence-0a', 'evidence-1a', 'evidence-1b', 'evidence-5a', 'evidence-5b']) expect(all.has(id)).toBe(true);
  });

  it('serves its stylesheet, with a print style', async () => {
    const res = await t.get('/assets/case.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const css = await res.text();
    expect(css).toContain('@media print');
    expect(css).toContain(':target');
    expect(css).not.toMatch(/@font-face|GDS Transport|url\(/);
  });
});

describe('the Markdown download', () => {
  it('is the exact Markdown export, as an attachment with a safe name', async () => {
    const exported = expectKind(await t.app.service.run({ place, actor: ANA }, 'export'), 'export');
    expect(exported.url).toBe(links.markdownUrlFor({ id: 'case-licence', shareVersion: 1 }));
    expect(exported.url).toMatch(/^http:\/\/decisions\.test\/cases\/case-licence\.md\?token=[A-Za-z0-9_-]{43}$/);
    const res = await t.get(exported.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="prototype-business-case-apply-for-a-fishing-licence.md"');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    const snapshot = await t.app.store.snapshot('case-licence');
    expect(body).toBe(renderCaseMarkdown(snapshot ?? (() => { throw new Error('no case'); })()));
    expect(body).toBe(normaliseMarkdown(fixture('pages/licence-case.md')));
    expect(body).toBe(exported.markdown);
  });

  it('is linked from the page with the same token', async () => {
    const url = await shareLink();
    const html = await page(url);
    const token = new URL(url).searchParams.get('token');
    expect(html).toContain(`<a href="/cases/case-licence.md?token=${token}" download>Download this business case as Markdown</a>`);
    expect((await t.get(`/cases/case-licence.md?token=${token}`)).status).toBe(200);
  });

  it('makes a safe file name from any title', async () => {
    expectKind(await t.app.service.run({ place, actor: ANA }, 'case title "Quotes"; and ../../etc/passwd X-Evil: 1'), 'notice');
    const res = await t.get(await shareLink().then((u) => u.replace('?', '.md?')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="quotes-and-etc-passwd-x-evil-1.md"');
    expect(res.headers.get('x-evil')).toBeNull();
  });
});

describe('share tokens', () => {
  async function notFound(url: string): Promise<string> {
    const res = await t.get(url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    return res.text();
  }

  it('answers every bad or missing token with the same 404 as a case that does not exist', async () => {
    const good = links.tokenFor({ id: 'case-licence', shareVersion: 1 });
    const unknown = await notFound(`/cases/no-such-case?token=${good}`);
    expect(unknown).toContain('<h1>Page not found</h1>');
    const forged = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    const wrongSecret = createShareLinks({ publicUrl: PUBLIC_URL, secret: 'some-other-secret-entirely' }).tokenFor({ id: 'case-licence', shareVersion: 1 });
    const otherCase = links.tokenFor({ id: 'case-other', shareVersion: 1 });
    const bodies = await Promise.all([
      '/cases/case-licence',
      '/cases/case-licence?token=',
      `/cases/case-licence?token=${forged}`,
      `/cases/case-licence?token=${wrongSecret}`,
      `/cases/case-licence?token=${otherCase}`,
      `/cases/case-licence?token=${good}x`,
      `/cases/case-licence?token=${good.slice(0, -1)}`,
      `/cases/case-licence?token=${links.tokenFor({ id: 'case-licence', shareVersion: 2 })}`,
      `/cases/case-licence.md?token=${otherCase}`,
      '/cases/case-licence.md',
      `/cases/no-such-case.md?token=${good}`,
      `/cases/%E0%A4%A?token=${good}`,
    ].map(notFound));
    for (const b of bodies) expect(b).toBe(unknown);
    // The right token still works, and the other case's token opens only the other case.
    expect((await t.get(`/cases/case-licence?token=${good}`)).status).toBe(200);
    expect((await t.get(`/cases/case-other?token=${otherCase}`)).status).toBe(200);
  });

  it('stops every earlier link after share revoke, and a new link works', async () => {
    const ctx = { place, actor: ANA };
    const before = await shareLink();
    const markdown = expectKind(await t.app.service.run(ctx, 'export'), 'export').url ?? '';
    expect((await t.get(before)).status).toBe(200);
    expect((await t.get(markdown)).status).toBe(200);
    const revoked = expectKind(await t.app.service.run(ctx, 'share revoke'), 'notice');
    expect(revoked.summary).toBe('Ana cancelled every earlier link to this case.');
    const unknown = await notFound('/cases/no-such-case');
    expect(await notFound(before)).toBe(unknown);
    expect(await notFound(markdown)).toBe(unknown);
    const after = await shareLink();
    expect(after).not.toBe(before);
    expect((await t.get(after)).status).toBe(200);
    // The other case's links are untouched.
    expect((await t.get(await shareLink(otherPlace))).status).toBe(200);
  });

  it('answers only GET and HEAD', async () => {
    const url = await shareLink();
    const head = await t.get(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await t.get(url, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('the share command', () => {
  it('replies with the page link, for the caller only', async () => {
    const reply = expectKind(await t.app.service.run({ place, actor: ANA }, 'share'), 'share');
    expect(reply.visibility).toBe('caller');
    expect(reply.caseId).toBe('case-licence');
    expect(reply.summary).toBe(`Anyone with this link can read the case: ${reply.url}`);
  });

  it.each([
    [{}, 'PUBLIC_URL (the address people reach this bot at, such as https://decisions.example.org) and SHARE_SECRET (a random secret of at least 16 characters)'],
    [{ PUBLIC_URL }, 'SHARE_SECRET (a random secret of at least 16 characters)'],
    [{ SHARE_SECRET }, 'PUBLIC_URL (the address people reach this bot at, such as https://decisions.example.org)'],
  ])('says exactly which settings are missing (%j)', async (env, missing) => {
    const off = await startPagesApp(env, { captureLogs: true });
    try {
      await off.importCase(fixture('pages/licence-case.md'), place, 'case-licence');
      for (const text of ['share', 'share revoke']) {
        const reply = expectKind(await off.app.service.run({ place, actor: ANA }, text), 'error');
        expect(reply.message).toBe(`Sharing is not set up here. Ask whoever runs the bot to set ${missing}.`);
      }
      expect(expectKind(await off.app.service.run({ place, actor: ANA }, 'export'), 'export').url).toBeNull();
      expect(off.app.share).toBeNull();
      // No page can be opened, whatever the token.
      expect((await off.get(`/cases/case-licence?token=${links.tokenFor({ id: 'case-licence', shareVersion: 1 })}`)).status).toBe(404);
      const warnings = off.logs.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => m.startsWith('Share links are off'));
      const name = Object.keys(env)[0];
      expect(warnings).toEqual(name === undefined ? [] : [`Share links are off: set ${name === 'PUBLIC_URL' ? 'SHARE_SECRET' : 'PUBLIC_URL'} as well.`]);
    } finally {
      await off.stop();
    }
  });
});
