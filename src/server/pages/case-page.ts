/**
 * The case page routes: GET /cases/<id>?token=… (the whole case as HTML),
 * GET /cases/<id>.md?token=… (the Markdown export as a download; `&file=1` or `&file=2`
 * for one of the two files a team keeps its case in) and the stylesheet.
 * A missing, wrong or revoked token gets exactly the same 404 as a case that does not exist.
 */
import type { ServerResponse } from 'node:http';
import type { HttpServer } from '../http';
import type { CaseStore } from '../../core/ports';
import type { ShareLinks } from '../share';
import { casePath } from '../share';
import { renderCaseFiles, renderCaseMarkdown } from '../../core/markdown';
import { safeFileName } from '../../core/commands/import-case';
import { slug } from '../../core/service';
import { renderCasePage, renderNotFoundPage } from './render-case';
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

export interface CasePagesDeps {
  store: Pick<CaseStore, 'getCase' | 'snapshot'>;
  /** Null when sharing is not configured: every case page is then "not found". */
  share: ShareLinks | null;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...PAGE_SECURITY_HEADERS, ...headers, 'content-length': String(Buffer.byteLength(body)) });
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
  const sendNotFound = (res: ServerResponse): void => send(res, 404, notFound, { 'content-type': 'text/html; charset=utf-8' });

  http.route('GET', CASE_CSS_PATH, (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/css; charset=utf-8',
      'content-length': String(Buffer.byteLength(CASE_CSS)),
      'cache-control': 'public, max-age=3600',
    });
    res.end(CASE_CSS);
  });

  http.route('GET', CASE_ROUTE, async (_req, res, url) => {
    const segment = CASE_ROUTE.exec(url.pathname)?.[1] ?? '';
    const markdown = segment.endsWith('.md');
    let id: string;
    try {
      id = decodeURIComponent(markdown ? segment.slice(0, -3) : segment);
    } catch {
      return sendNotFound(res);
    }
    const token = url.searchParams.get('token');
    const c = id === '' ? null : await deps.store.getCase(id);
    // Check a token even for a case that does not exist, so both take the same time.
    const valid = deps.share !== null && deps.share.verify(c?.id ?? id, c?.shareVersion ?? -1, token);
    if (c === null || !valid) return sendNotFound(res);
    const snapshot = await deps.store.snapshot(c.id);
    if (snapshot === null) return sendNotFound(res);

    const whole = `${slug(c.title ?? 'business-case')}.md`;
    const files = renderCaseFiles(snapshot, c.layout.fileName ?? whole);
    if (markdown) {
      // `file=N`: one of the files the team keeps the case in, under its own name.
      const n = url.searchParams.get('file');
      if (n === null) return sendMarkdown(res, whole, renderCaseMarkdown(snapshot));
      const file = /^[1-9]$/.test(n) ? files[Number(n) - 1] : undefined;
      if (!file) return sendNotFound(res);
      return sendMarkdown(res, safeFileName(file.name), file.markdown);
    }
    const tokenQuery = `?token=${encodeURIComponent(token ?? '')}`;
    const html = renderCasePage(snapshot, {
      stylesheetHref: CASE_CSS_PATH,
      markdownHref: `${casePath(c.id, true)}${tokenQuery}`,
      fileHrefs: files.length > 1 ? files.map((f, i) => ({ name: safeFileName(f.name), href: `${casePath(c.id, true)}${tokenQuery}&file=${i + 1}` })) : [],
    });
    return send(res, 200, html, { 'content-type': 'text/html; charset=utf-8' });
  });
}
