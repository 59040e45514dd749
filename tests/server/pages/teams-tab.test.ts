/**
 * The case in a Teams channel tab (issue 27): real Teams activities to /api/messages make
 * the cases and their share links; the tab's configuration page, its link check and the
 * tab's page through the real HTTP server. A tab of one organisation never shows another's.
 */
import { CHANNEL, SERVICE_ORIGIN, TENANT_A, TENANT_B, cardOf, connector, eventually, message, nock, onlyLocalNetwork, post, startTeamsApp } from '../../adapters/teams/helpers';
import type { Sent, TeamsApp } from '../../adapters/teams/helpers';
import { CONFIG_PAGE_CSP, TAB_PATHS } from '../../../src/server/pages/teams-tab';

const PUBLIC = 'https://decisions.example.org';
const CHANNEL_B = '19:other@thread.tacv2';
let t: TeamsApp;
let sent: Sent[];
let local: string;

beforeEach(async () => {
  onlyLocalNetwork();
  sent = connector().sent;
  nock(SERVICE_ORIGIN).persist().post('/v3/conversations').reply(200, { id: 'a:1:private-ann' });
  t = await startTeamsApp({ TEAMS_LOCAL: '1', PUBLIC_URL: PUBLIC, SHARE_SECRET: 'a-share-secret-of-enough-length' });
  local = `http://127.0.0.1:${t.app.port}`;
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

/** `share` in a channel of `tenant`, as Teams posts it: the link arrives in Ann's one-to-one chat. */
async function shareLink(tenant: string, channel: string): Promise<string> {
  await post(t, message('We will publish the case every week', { tenant, conversationId: `${channel};messageid=1` }));
  const before = sent.length;
  expect((await post(t, message('share', { tenant, conversationId: `${channel};messageid=2` }))).status).toBe(200);
  await eventually(() => expect(sent.length).toBe(before + 2));
  const privately = sent.slice(before).find((s) => s.path.startsWith('/v3/conversations/a:1:private-ann/activities'));
  const link = /https:\/\/decisions\.example\.org\/cases\/[^\s"\\)]+/.exec(JSON.stringify(cardOf(privately)))?.[0];
  if (!link) throw new Error('no share link was sent');
  return link;
}

async function askLink(body: unknown): Promise<{ status: number; answer: { contentUrl?: string; message?: string; error?: string } }> {
  const res = await fetch(`${local}${TAB_PATHS.link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, answer: await res.json() as { contentUrl?: string; error?: string } };
}

const open = (url: string): Promise<Response> => fetch(url.replace(PUBLIC, local));

describe('the configuration page', () => {
  it('runs only its own scripts, teams-js among them from our origin, and Teams alone may frame it', async () => {
    const res = await fetch(`${local}${TAB_PATHS.config}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONFIG_PAGE_CSP);
    expect(CONFIG_PAGE_CSP).toContain("script-src 'self';");
    expect(CONFIG_PAGE_CSP).toContain('frame-ancestors \'self\' https://teams.microsoft.com');
    expect(res.headers.get('x-frame-options')).toBeNull();
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => /src="([^"]+)"/.exec(m[1] ?? '')?.[1])).toEqual([TAB_PATHS.teamsJs, TAB_PATHS.script]);
    for (const m of scripts) expect(m[2]).toBe('');
    expect(html).not.toMatch(/https?:\/\/(?!decisions\.example\.org)[^"\s]+\.js/);
    const teamsJs = await fetch(`${local}${TAB_PATHS.teamsJs}`);
    expect(teamsJs.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await teamsJs.text();
    expect(source).toContain('microsoftTeams');
    expect(source).toContain('registerOnSaveHandler');
    expect((await fetch(`${local}${TAB_PATHS.script}`)).status).toBe(200);
  });
});

describe('the tab', () => {
  it('shows the case of a share link of its own organisation, framed by Teams, with the case page\'s strict CSP', async () => {
    const link = await shareLink(TENANT_A, CHANNEL);
    const { status, answer } = await askLink({ link, tab: 'tab-1', tenant: TENANT_A });
    expect(status).toBe(200);
    expect(answer.message).toBe('That is the case “Business case”. Select Save to show it in this tab.');
    expect(answer.contentUrl).toMatch(/^https:\/\/decisions\.example\.org\/teams\/tab\/cases\/[^?]+\?tab=tab-1&token=[A-Za-z0-9_-]+$/);
    const page = await open(answer.contentUrl ?? '');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self' https:\/\/teams\.microsoft\.com /);
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('We will publish the case every week');
    expect(html).not.toContain('<script');
  });

  it('never shows another organisation\'s case: a link of another tenant is refused, and a tab\'s token opens only its own case', async () => {
    const linkA = await shareLink(TENANT_A, CHANNEL);
    const linkB = await shareLink(TENANT_B, CHANNEL_B);
    // Tenant B's share link, pasted into a tab in tenant A.
    const refused = await askLink({ link: linkB, tab: 'tab-1', tenant: TENANT_A });
    expect(refused.status).toBe(400);
    expect(refused.answer.error).toBe('That link is to a case of another team or organisation. A tab shows the case of a channel in this organisation: send `@Decisions share` there.');
    expect(refused.answer.contentUrl).toBeUndefined();
    // Tenant A's tab token, on tenant B's case.
    const { answer } = await askLink({ link: linkA, tab: 'tab-1', tenant: TENANT_A });
    const idB = /\/cases\/([^?]+)/.exec(linkB)?.[1] ?? '';
    const crossed = (answer.contentUrl ?? '').replace(/\/teams\/tab\/cases\/[^?]+/, `/teams/tab/cases/${idB}`);
    const page = await open(crossed);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('<h1>Page not found</h1>');
  });

  it('a forged token, a share token in a tab, another tab\'s id and a revoked tab all see "Page not found"', async () => {
    const link = await shareLink(TENANT_A, CHANNEL);
    const { answer } = await askLink({ link, tab: 'tab-1', tenant: TENANT_A });
    const good = answer.contentUrl ?? '';
    const shareToken = new URL(link).searchParams.get('token') ?? '';
    const tabToken = new URL(good).searchParams.get('token') ?? '';
    const forged = `${tabToken.slice(0, -2)}${tabToken.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const url of [
      good.replace(`token=${tabToken}`, `token=${forged}`),
      good.replace(`token=${tabToken}`, `token=${shareToken}`),
      good.replace('tab=tab-1', 'tab=tab-2'),
      good.replace(/&token=.*$/, ''),
    ]) {
      const res = await open(url);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('<h1>Page not found</h1>');
    }
    // A tab token is no share link either.
    expect((await open(link.replace(`token=${shareToken}`, `token=${tabToken}`))).status).toBe(404);
    expect((await open(good)).status).toBe(200);
    const before = sent.length;
    await post(t, message('share revoke'));
    await eventually(() => expect(sent.length).toBeGreaterThan(before));
    expect((await open(good)).status).toBe(404);
  });

  it('refuses what is not a share link of this bot, in plain words', async () => {
    const link = await shareLink(TENANT_A, CHANNEL);
    const cases: Array<[unknown, string]> = [
      [{ link: 'not a link', tab: 'tab-1', tenant: TENANT_A }, 'That is not a link. Paste the link that `share` gives, on its own.'],
      [{ link: link.replace(PUBLIC, 'https://evil.example'), tab: 'tab-1', tenant: TENANT_A }, 'That link does not open a case of this bot. Send `@Decisions share` in the channel and paste the link it gives.'],
      [{ link: link.replace(/token=[^&]+/, 'token=nope'), tab: 'tab-1', tenant: TENANT_A }, 'That link does not open a case: it may have been cancelled with `share revoke`. Send `@Decisions share` in the channel for a new one.'],
      [{ link, tab: 'tab 1 <script>', tenant: TENANT_A }, 'This tab could not be told apart from others. Close this page and add the tab again.'],
      [{ link }, 'This tab could not be told apart from others. Close this page and add the tab again.'],
      [{ link, tab: 'tab-1' }, 'Open this page from Teams to add the tab.'],
      ['a string', 'This tab could not be told apart from others. Close this page and add the tab again.'],
    ];
    for (const [body, error] of cases) {
      const r = await askLink(body);
      expect(r.status).toBe(400);
      expect(r.answer).toEqual({ error });
    }
    const huge = await fetch(`${local}${TAB_PATHS.link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: 'x'.repeat(10_000) }) });
    expect(huge.status).toBe(413);
  });
});
