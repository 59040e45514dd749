/**
 * GET /: what this server is, whether it is healthy, and how to add the bot to Slack and
 * Teams (with the Slack install link in OAuth mode), in the case page's style. It names
 * no workspace, case or setting value: anyone who reaches the port may read it.
 */
import type { HttpServer } from '../http';
import { escapeHtml } from './markdown-html';
import { PAGE_SECURITY_HEADERS } from './case-page';
import { page } from './render-case';
import { CASE_CSS_PATH } from './styles';

export interface HomePageFacts {
  /** How Slack is set up here: off, one workspace, or installs through OAuth at `installPath`. */
  slack: { kind: 'off' } | { kind: 'workspace' } | { kind: 'oauth'; installPath: string };
  teams: 'off' | 'local' | 'on';
}

export function renderHomePage(facts: HomePageFacts): string {
  const slack = facts.slack.kind === 'oauth'
    ? `<p><a href="${escapeHtml(facts.slack.installPath)}">Add Decisions to a Slack workspace</a>, then type <code>/decision help</code> in a channel.</p>`
    : facts.slack.kind === 'workspace'
      ? '<p>This bot serves one Slack workspace. Invite it to a channel and type <code>/decision help</code>.</p>'
      : '<p>Slack is not set up on this server. Its README says which settings switch it on.</p>';
  const teams = facts.teams === 'on'
    ? '<p>Add the Decisions app to a team or chat, then mention it: <code>@Decisions help</code>.</p>'
    : facts.teams === 'local'
      ? '<p>Teams runs in local mode for the Bot Framework Emulator on this machine only.</p>'
      : '<p>Teams is not set up on this server. Its README says which settings switch it on.</p>';
  return page('Decisions', CASE_CSS_PATH, `<h1>Decisions</h1>
<div class="prose">
<p>A Slack and Microsoft Teams bot that keeps a team’s sprint decisions, the evidence behind them and its business case, and posts a weekly digest and a retro prompt.</p>
<h2>Slack</h2>
${slack}
<h2>Microsoft Teams</h2>
${teams}
<h2>Health</h2>
<p><a href="/healthz">/healthz</a> answers 200 while the bot can take writes, and 503 with the reason when it cannot.</p>
</div>`, '');
}

export function registerHomePage(http: HttpServer, facts: HomePageFacts): void {
  const html = renderHomePage(facts);
  http.route('GET', '/', (_req, res) => {
    res.writeHead(200, { ...PAGE_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html)) });
    res.end(html);
  });
}
