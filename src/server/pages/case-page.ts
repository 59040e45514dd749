/**
 * The case page routes: GET /cases/<id>?token=… (the whole case as HTML),
 * GET /cases/<id>.md?token=… (the Markdown export as a download; `&file=1` or `&file=2`
 * for one of the two files a team keeps its case in),
 * GET /cases/<id>/assessment?phase=alpha&token=… (the assessment pack as a page) and
 * /cases/<id>/assessment.md?… (as Markdown), and the stylesheet. A missing, wrong or
 * revoked token gets exactly the same 404 as a case that does not exist.
 */
import type { ServerResponse } from 'node:http';
import type { HttpServer } from '../http';
import type { CaseStore } from '../../core/ports';
import type { ShareLinks } from '../share';
import { assessmentPath, casePath, tabCasePath } from '../share';
import { renderCaseFiles, renderCaseMarkdown } from '../../core/markdown';
import { safeFileName } from '../../core/commands/import-case';
import { slug } from '../../core/service';
import type { Case, CaseSnapshot } from '../../core/model';
import { assessmentOf } from '../../core/assessment';
import { caseDocumentView } from '../../core/document-view';
import { buildTimeline } from '../../core/timeline';
import { assessmentFileName, renderAssessmentMarkdown } from '../../core/assessment-markdown';
import { inScope, resolvePhase } from '../../core/phases';
import { zoneDate } from '../../core/schedule';
import { sprintOn } from '../../core/sprints';
import { page, renderCasePage, renderNotFoundPage } from './render-case';
import { renderAssessmentPage } from './render-assessment';
import { escapeHtml } from './markdown-html';
import { CASE_CSS, CASE_CSS_PATH } from './styles';

/** What case pages add to the server's SECURITY_HEADERS (its strict CSP and nosniff, on every response). */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Share tokens are in the URL: never send it on.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};

/** /cases/<id> or /cases/<id>.md; the id is one path segment. */
const CASE_ROUTE = /^\/cases\/([^/]+)$/;
/** The same in a Teams tab: /teams/tab/cases/<id>. */
const TAB_CASE_ROUTE = /^\/teams\/tab\/cases\/([^/]+)$/;

/** Where Teams shows tabs from: only these may frame a tab's page. */
export const TEAMS_FRAME_ANCESTORS = "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://teams.cloud.microsoft https://*.teams.cloud.microsoft https://*.office.com https://*.microsoft365.com https://*.skype.com";

/**
 * A page Teams shows in a tab: the case page's strict CSP, framed by Teams alone (and no
 * X-Frame-Options, which would forbid even Teams).
 */
export const TEAMS_FRAMED_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': `default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${TEAMS_FRAME_ANCESTORS}`,
  'x-frame-options': '',
};

/** /cases/<id>/assessment or /cases/<id>/assessment.md. */
const ASSESSMENT_ROUTE = /^\/cases\/([^/]+)\/assessment(\.md)?$/;

/** The longest `phase` a page looks up: a phase's name is at most 60 characters. */
const MAX_PHASE_PARAM = 100;

export interface CasePagesDeps {
  store: Pick<CaseStore, 'getCase' | 'snapshot'>;
  /** Null when sharing is not configured: every case page is then "not found". */
  share: ShareLinks | null;
  /** Which sprint (and so which phase) is current; the system clock by default. */
  clock?: { now(): Date };
}

/** Sends `body`; a header given as '' is left out (a tab's page has no X-Frame-Options). */
export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  const all: Record<string, string> = { ...PAGE_SECURITY_HEADERS, ...headers, 'content-length': String(Buffer.byteLength(body)) };
  for (const [name, value] of Object.entries(all)) if (value === '') delete all[name];
  res.writeHead(status, all);
  res.end(body);
}

/** A Markdown download under `name`: the header says it in ASCII, and in full for clients that read RFC 5987. */
function sendMarkdown(res: ServerResponse, name: string, markdown: string): void {
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_');
  const full = ascii === name ? '' : `; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  send(res, 200, markdown, {
    'content-type': 'text/markdown; charset=utf-8',
    'content-disposition': `attachment; filename="${ascii}"${full}`,
  });
}

export function registerCasePages(http: HttpServer, deps: CasePagesDeps): void {
  const notFound = renderNotFoundPage(CASE_CSS_PATH);
  const sendNotFound = (res: ServerResponse, headers: Record<string, string> = {}): void => send(res, 404, notFound, { 'content-type': 'text/html; charset=utf-8', ...headers });

  http.route('GET', CASE_CSS_PATH, (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/css; charset=utf-8',
      'content-length': String(Buffer.byteLength(CASE_CSS)),
      'cache-control': 'public, max-age=3600',
    });
    res.end(CASE_CSS);
  });

  /** The case a request names, when its token is right; null for any mistake, all answered the same. */
  async function shared(segment: string, token: string | null): Promise<{ c: Case; snapshot: CaseSnapshot } | null> {
    let id: string;
    try {
      id = decodeURIComponent(segment);
    } catch {
      return null;
    }
    const c = id === '' ? null : await deps.store.getCase(id);
    // Check a token even for a case that does not exist, so both take the same time.
    const valid = deps.share !== null && deps.share.verify(c?.id ?? id, c?.shareVersion ?? -1, token);
    if (c === null || !valid) return null;
    const snapshot = await deps.store.snapshot(c.id);
    return snapshot === null ? null : { c, snapshot };
  }

  /** A case page or its Markdown, once `allowed` says the request's token opens the case. */
  async function serveCase(res: ServerResponse, url: URL, route: RegExp, how: {
    allowed: (c: Case, id: string) => boolean;
    path: (id: string, markdown: boolean) => string;
    query: string;
    headers: Record<string, string>;
  }): Promise<void> {
    const segment = route.exec(url.pathname)?.[1] ?? '';
    const markdown = segment.endsWith('.md');
    let id: string;
    try {
      id = decodeURIComponent(markdown ? segment.slice(0, -3) : segment);
    } catch {
      return sendNotFound(res, how.headers);
    }
    const c = id === '' ? null : await deps.store.getCase(id);
    // Check a token even for a case that does not exist, so both take the same time.
    const valid = how.allowed(c ?? { id, shareVersion: -1 } as Case, id);
    if (c === null || !valid) return sendNotFound(res, how.headers);
    const snapshot = await deps.store.snapshot(c.id);
    if (snapshot === null) return sendNotFound(res, how.headers);

    const whole = `${slug(c.title ?? 'business-case')}.md`;
    const files = renderCaseFiles(snapshot, c.layout.fileName ?? whole);
    if (markdown) {
      // `file=N`: one of the files the team keeps the case in, under its own name.
      const n = url.searchParams.get('file');
      if (n === null) return sendMarkdown(res, whole, renderCaseMarkdown(snapshot));
      const file = /^[1-9]$/.test(n) ? files[Number(n) - 1] : undefined;
      if (!file) return sendNotFound(res, how.headers);
      return sendMarkdown(res, safeFileName(file.name), file.markdown);
    }
    const html = renderCasePage(caseDocumentView(snapshot), buildTimeline(snapshot), {
      stylesheetHref: CASE_CSS_PATH,
      markdownHref: `${how.path(c.id, true)}${how.query}`,
      // The pack of the current phase (the whole case while there are no phases); not from a tab, whose token opens the case page only.
      ...(how.path === casePath ? { assessmentHref: `/cases/${encodeURIComponent(c.id)}/assessment${how.query}` } : {}),
      fileHrefs: files.length > 1 ? files.map((f, i) => ({ name: safeFileName(f.name), href: `${how.path(c.id, true)}${how.query}&file=${i + 1}` })) : [],
    });
    return send(res, 200, html, { 'content-type': 'text/html; charset=utf-8', ...how.headers });
  }

  http.route('GET', CASE_ROUTE, async (_req, res, url) => {
    const token = url.searchParams.get('token');
    await serveCase(res, url, CASE_ROUTE, {
      allowed: (c) => deps.share !== null && deps.share.verify(c.id, c.shareVersion, token),
      path: casePath,
      query: `?token=${encodeURIComponent(token ?? '')}`,
      headers: {},
    });
  });

  // The case in a Teams channel tab: the tab's own token, and framed by Teams only.
  http.route('GET', TAB_CASE_ROUTE, async (_req, res, url) => {
    const token = url.searchParams.get('token');
    const tab = url.searchParams.get('tab') ?? '';
    await serveCase(res, url, TAB_CASE_ROUTE, {
      allowed: (c) => deps.share !== null && tab !== '' && deps.share.verifyTab(c.id, c.shareVersion, tab, token),
      path: tabCasePath,
      query: `?tab=${encodeURIComponent(tab)}&token=${encodeURIComponent(token ?? '')}`,
      headers: TEAMS_FRAMED_HEADERS,
    });
  });

  http.route('GET', ASSESSMENT_ROUTE, async (_req, res, url) => {
    const m = ASSESSMENT_ROUTE.exec(url.pathname);
    const token = url.searchParams.get('token');
    const found = await shared(m?.[1] ?? '', token);
    if (found === null) return sendNotFound(res);
    const { c, snapshot } = found;
    const asked = url.searchParams.get('phase');
    const phase = asked === null || asked.trim() === '' ? null : asked.slice(0, MAX_PHASE_PARAM);
    const now = (deps.clock ?? { now: () => new Date() }).now();
    const view = assessmentOf(snapshot, phase, now);
    const tokenPart = `token=${encodeURIComponent(token ?? '')}`;
    if ('problem' in view) {
      const body = `<h1>No such phase</h1>
<div class="prose">
<p>${escapeHtml(view.problem.replace(/`([^`]*)`/g, '“$1”'))}</p>
<p><a href="${escapeHtml(`/cases/${encodeURIComponent(c.id)}/assessment?${tokenPart}`)}">The assessment pack of the current phase</a></p>
</div>`;
      return send(res, 404, page('No such phase', CASE_CSS_PATH, body, ''), { 'content-type': 'text/html; charset=utf-8' });
    }
    const key = view.scope.key;
    if (m?.[2] === '.md') {
      return sendMarkdown(res, assessmentFileName(view, slug(c.title ?? 'business-case')), renderAssessmentMarkdown(view));
    }
    // The phase the page covers is picked out in the picture of the case over time.
    const window = sprintOn(snapshot.sprints, c.sprintLength, zoneDate(now, c.timeZone));
    const scope = resolvePhase(snapshot.sprints, window.number, phase);
    const highlight = 'problem' in scope || scope.kind === 'case' ? undefined : (n: number) => inScope(scope, n);
    const html = renderAssessmentPage(view, {
      stylesheetHref: CASE_CSS_PATH,
      caseHref: `${casePath(c.id)}?${tokenPart}`,
      markdownHref: `${assessmentPath(c.id, key, true)}&${tokenPart}`,
    }, highlight ? { highlight } : {});
    return send(res, 200, html, { 'content-type': 'text/html; charset=utf-8' });
  });
}
