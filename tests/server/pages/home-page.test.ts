/** GET /: a small page saying what this is, its health and how to add it, in the case page's style. */
import { startPagesApp } from '../helpers';
import type { PagesApp } from '../helpers';

let t: PagesApp | null = null;

afterEach(async () => {
  await t?.stop();
  t = null;
});

it('with nothing set up, says what this is, that Slack and Teams are off, and where health is', async () => {
  t = await startPagesApp({});
  const res = await t.get(`${t.base}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const html = await res.text();
  expect(html).toContain('<h1>Decisions</h1>');
  expect(html).toContain('Slack is not set up on this server');
  expect(html).toContain('Teams is not set up on this server');
  expect(html).toContain('<a href="/healthz">/healthz</a>');
  expect(html).toContain('href="/assets/case.css"');
});

it('in Slack OAuth mode links to the install page; with Teams local, says so', async () => {
  t = await startPagesApp({
    SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'client-secret-0123456789', SLACK_STATE_SECRET: 'state-secret-0123456789',
    SLACK_SIGNING_SECRET: 'signing-secret-0123456789', ENCRYPTION_KEY: '00'.repeat(32), TEAMS_LOCAL: '1',
  });
  const html = await (await t.get(`${t.base}/`)).text();
  expect(html).toContain('<a href="/slack/install">Add Decisions to a Slack workspace</a>');
  expect(html).toContain('Teams runs in local mode');
  // Nothing secret or specific to a workspace is on it.
  expect(html).not.toContain('123.456');
  expect(html).not.toContain('secret');
});
