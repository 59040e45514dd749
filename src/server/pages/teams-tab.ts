/**
 * The case in a Teams channel tab. The tab's configuration page (GET /teams/tab/config),
 * served with Microsoft's teams-js from our own origin (no CDN), takes the link `share` gives
 * and saves the tab; its content is the case page at /teams/tab/cases/<id>, opened by the
 * tab's own token (POST /teams/tab/link makes it from the share link). `share revoke` cancels
 * every tab's token with every link. A link is taken only for a case kept in Teams, in the
 * organisation (tenant) the tab is in.
 *
 * Why tokens and not Teams SSO: SSO needs an Entra ID app registration that exposes an API
 * (webApplicationInfo in the manifest) and admin consent, which a small team rarely has; a
 * token works on every tenant at once and is cancelled in the chat with `share revoke`. Its
 * price: whoever holds a tab's address can read the case, as with a share link.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../http';
import { readBody, HttpError } from '../body';
import type { CaseStore } from '../../core/ports';
import type { ShareLinks } from '../share';
import { tabCasePath } from '../share';
import { escapeHtml } from './markdown-html';
import { CASE_CSS_PATH } from './styles';
import { TEAMS_FRAME_ANCESTORS, send } from './case-page';

export const TAB_PATHS = { config: '/teams/tab/config', script: '/teams/tab/config.js', teamsJs: '/teams/tab/teams-js.js', link: '/teams/tab/link' } as const;

/**
 * The configuration page runs only its own two scripts and is framed by Teams alone. It talks
 * to its own origin, and to the one address teams-js reads the current list of Teams hosts
 * from (data, not script: without it teams-js falls back on the list it was built with).
 */
export const TEAMS_JS_DOMAINS_ORIGIN = 'https://res.cdn.office.net';
export const CONFIG_PAGE_CSP = `default-src 'none'; script-src 'self'; connect-src 'self' ${TEAMS_JS_DOMAINS_ORIGIN}; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${TEAMS_FRAME_ANCESTORS}`;

const FRAMED: Record<string, string> = { 'content-security-policy': CONFIG_PAGE_CSP, 'x-frame-options': '' };

/** A link, a tab id and a tenant: never more than this. */
const MAX_LINK_BODY = 4096;
const TAB_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const TENANT = /^[A-Za-z0-9-]{1,100}$/;

export function configPage(publicUrl: string | null): string {
  const example = `${publicUrl ?? 'https://decisions.example.org'}/cases/…`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>Show the business case in this tab</title>
<link rel="stylesheet" href="${CASE_CSS_PATH}">
<link rel="icon" href="data:,">
<script src="${TAB_PATHS.teamsJs}" defer></script>
<script src="${TAB_PATHS.script}" defer></script>
</head>
<body>
<header class="page-header"><div class="width"><p>Decisions</p></div></header>
<div class="width">
<main id="main">
<h1>Show the business case in this tab</h1>
<div class="prose">
<p>In the channel, send <code>@Decisions share</code> and paste the link it gives you below, then select Save. The tab shows the channel's case and is always current.</p>
<p><code>@Decisions share revoke</code> cancels every link, and this tab's view with them: then add the tab again with a new link.</p>
</div>
<form id="tab-form" novalidate>
<p><label for="link">Link to the case</label></p>
<p><input id="link" name="link" type="url" size="60" autocomplete="off" spellcheck="false" aria-describedby="link-hint link-message"></p>
<p id="link-hint">It starts with ${escapeHtml(example)}</p>
<p id="link-message" role="status" aria-live="polite"></p>
</form>
</main>
</div>
</body>
</html>
`;
}

/** The page's own script: checks the pasted link with the bot, then saves the tab through teams-js. */
export const CONFIG_SCRIPT = `'use strict';
(function () {
  var input = document.getElementById('link');
  var message = document.getElementById('link-message');
  var form = document.getElementById('tab-form');
  var teams = window.microsoftTeams;
  var tenant = null;
  var contentUrl = null;
  var inTeams = false;
  var pending = 0;
  var tabId = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID() : String(Date.now()) + String(Math.random()).slice(2);
  function say(text) { message.textContent = text; }
  function valid(ok) { if (inTeams) teams.pages.config.setValidityState(ok); }
  function check() {
    contentUrl = null;
    valid(false);
    var link = input.value.trim();
    if (link === '') { say(''); return; }
    var mine = ++pending;
    fetch('${TAB_PATHS.link}', { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: link, tab: tabId, tenant: tenant }) })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (mine !== pending) return;
        if (typeof answer.contentUrl === 'string') { contentUrl = answer.contentUrl; say(answer.message); valid(true); }
        else say(typeof answer.error === 'string' ? answer.error : 'That link does not open a case.');
      }, function () { if (mine === pending) say('The bot could not be reached just now. Please try again.'); });
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); check(); });
  input.addEventListener('input', check);
  if (!teams) { say('Open this page from Teams to add the tab.'); return; }
  teams.app.initialize().then(function () { return teams.app.getContext(); }).then(function (context) {
    inTeams = true;
    tenant = context.user && context.user.tenant ? context.user.tenant.id : null;
    teams.pages.config.registerOnSaveHandler(function (save) {
      if (!contentUrl) { save.notifyFailure('Paste the link that share gives first.'); return; }
      teams.pages.config.setConfig({ entityId: tabId, contentUrl: contentUrl, websiteUrl: contentUrl, suggestedDisplayName: 'Business case' })
        .then(function () { save.notifySuccess(); }, function (err) { save.notifyFailure(String(err)); });
    });
    if (input.value.trim() !== '') check();
  }, function () { say('Open this page from Teams to add the tab.'); });
})();
`;

let teamsJs: string | null = null;
/** Microsoft's teams-js, from node_modules: served by us, so the page needs no CDN. */
function teamsJsSource(): string {
  teamsJs ??= fs.readFileSync(require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return teamsJs;
}

export interface TeamsTabDeps {
  store: Pick<CaseStore, 'getCase'>;
  share: ShareLinks | null;
  publicUrl: string | null;
}

type LinkAnswer = { contentUrl: string; message: string } | { error: string };

/** What the pasted link opens, for a tab `tab` in tenant `tenant`: the tab's content address, or why not. */
export async function tabLink(deps: TeamsTabDeps, body: unknown): Promise<LinkAnswer> {
  if (deps.share === null || deps.publicUrl === null) return { error: 'Sharing is not set up on this bot (PUBLIC_URL and SHARE_SECRET), so the case cannot be shown in a tab.' };
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { link, tab, tenant } = b;
  if (typeof tab !== 'string' || !TAB_ID.test(tab)) return { error: 'This tab could not be told apart from others. Close this page and add the tab again.' };
  if (typeof tenant !== 'string' || !TENANT.test(tenant)) return { error: 'Open this page from Teams to add the tab.' };
  if (typeof link !== 'string' || link.length > 2000) return { error: 'Paste the link that `share` gives, on its own.' };
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return { error: 'That is not a link. Paste the link that `share` gives, on its own.' };
  }
  const base = new URL(deps.publicUrl);
  const match = /^\/cases\/([^/.]+)$/.exec(url.pathname);
  const notOurs = { error: 'That link does not open a case of this bot. Send `@Decisions share` in the channel and paste the link it gives.' };
  if (url.origin !== base.origin || !match) return notOurs;
  let id: string;
  try {
    id = decodeURIComponent(match[1] ?? '');
  } catch {
    return notOurs;
  }
  const c = await deps.store.getCase(id);
  const valid = deps.share.verify(c?.id ?? id, c?.shareVersion ?? -1, url.searchParams.get('token'));
  if (c === null || !valid) return { error: 'That link does not open a case: it may have been cancelled with `share revoke`. Send `@Decisions share` in the channel for a new one.' };
  // A tab shows only a case of its own organisation, kept in Teams.
  if (c.place.platform !== 'teams' || c.place.workspace !== tenant) return { error: 'That link is to a case of another team or organisation. A tab shows the case of a channel in this organisation: send `@Decisions share` there.' };
  const contentUrl = `${deps.publicUrl.replace(/\/+$/, '')}${tabCasePath(c.id)}?tab=${encodeURIComponent(tab)}&token=${deps.share.tabTokenFor(c, tab)}`;
  return { contentUrl, message: `That is the case${c.title ? ` “${c.title}”` : ''}. Select Save to show it in this tab.` };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, MAX_LINK_BODY);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not JSON');
  }
}

function sendJsonNoStore(res: ServerResponse, status: number, body: LinkAnswer): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function registerTeamsTab(http: HttpServer, deps: TeamsTabDeps): void {
  const html = configPage(deps.publicUrl);
  http.route('GET', TAB_PATHS.config, (_req, res) => send(res, 200, html, { 'content-type': 'text/html; charset=utf-8', ...FRAMED }));
  const script = (body: string) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  };
  http.route('GET', TAB_PATHS.script, script(CONFIG_SCRIPT));
  http.route('GET', TAB_PATHS.teamsJs, (req, res) => script(teamsJsSource())(req, res));
  http.route('POST', TAB_PATHS.link, async (req, res) => {
    const answer = await tabLink(deps, await readJson(req));
    sendJsonNoStore(res, 'error' in answer ? 400 : 200, answer);
  });
}

