/**
 * Share links to a case's page: `<PUBLIC_URL>/cases/<id>?token=<token>`, where the token
 * is an HMAC-SHA256 (keyed with SHARE_SECRET) over the case id and its share version.
 * `share revoke` bumps the version, so every earlier token stops verifying.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import type { Case } from '../core/model';

export type Shareable = Pick<Case, 'id' | 'shareVersion'>;

export interface ShareLinks {
  /** The case page: `<PUBLIC_URL>/cases/<id>?token=…`. */
  urlFor(c: Shareable): string;
  /**
   * The Markdown download: `<PUBLIC_URL>/cases/<id>.md?token=…`, the case as one file; with
   * `file` (1 or 2), that one of the files the case is kept in (`…&file=2`).
   */
  markdownUrlFor(c: Shareable, file?: number): string;
  /** The assessment pack of a phase (its key; null: the whole case): its page, or with `markdown` its Markdown download. */
  assessmentUrlFor(c: Shareable, phase: string | null, markdown?: boolean): string;
  /** The token alone (base64url), for links relative to the page. */
  tokenFor(c: Shareable): string;
  /** True only for the exact token of this case at this share version. */
  verify(caseId: string, shareVersion: number, token: string | null | undefined): boolean;
  /**
   * A Teams tab's own token for the case: `tab` is the tab's id (its entityId). Signed apart
   * from share tokens (neither opens what the other does), and cancelled by `share revoke`.
   */
  tabTokenFor(c: Shareable, tab: string): string;
  verifyTab(caseId: string, shareVersion: number, tab: string, token: string | null | undefined): boolean;
}

/** The path of a case in a Teams tab, without host or token. */
export function tabCasePath(caseId: string, markdown = false): string {
  return `/teams/tab/cases/${encodeURIComponent(caseId)}${markdown ? '.md' : ''}`;
}

/** Compared as text in constant time; a wrong length does the same work. */
function sameText(expectedText: string, token: string | null | undefined): boolean {
  const expected = Buffer.from(expectedText, 'utf8');
  // Compared as text, not decoded: base64url decoding ignores stray characters,
  // so a decoded compare would accept more than one spelling of a token.
  const given = Buffer.from(typeof token === 'string' ? token : '', 'utf8');
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}

/** The path of a case page, without host or token. */
export function casePath(caseId: string, markdown = false): string {
  return `/cases/${encodeURIComponent(caseId)}${markdown ? '.md' : ''}`;
}

/** The path and query of an assessment pack, without host or token: `phase=all` for the whole case. */
export function assessmentPath(caseId: string, phase: string | null, markdown = false): string {
  return `/cases/${encodeURIComponent(caseId)}/assessment${markdown ? '.md' : ''}?phase=${encodeURIComponent(phase ?? 'all')}`;
}

export function createShareLinks(options: { publicUrl: string; secret: string }): ShareLinks {
  const base = options.publicUrl.replace(/\/+$/, '');
  const secret = options.secret;
  const sign = (caseId: string, shareVersion: number): string =>
    createHmac('sha256', secret).update(`${caseId}.${shareVersion}`).digest('base64url');
  // Its own domain: a case id holds no newline, so no share token is ever a tab token.
  const signTab = (caseId: string, shareVersion: number, tab: string): string =>
    createHmac('sha256', secret).update(`teams-tab\n${caseId}\n${shareVersion}\n${tab}`).digest('base64url');

  return {
    urlFor: (c) => `${base}${casePath(c.id)}?token=${sign(c.id, c.shareVersion)}`,
    markdownUrlFor: (c, file) => `${base}${casePath(c.id, true)}?token=${sign(c.id, c.shareVersion)}${file === undefined ? '' : `&file=${file}`}`,
    assessmentUrlFor: (c, phase, markdown = false) => `${base}${assessmentPath(c.id, phase, markdown)}&token=${sign(c.id, c.shareVersion)}`,
    tokenFor: (c) => sign(c.id, c.shareVersion),
    verify: (caseId, shareVersion, token) => sameText(sign(caseId, shareVersion), token),
    tabTokenFor: (c, tab) => signTab(c.id, c.shareVersion, tab),
    verifyTab: (caseId, shareVersion, tab, token) => sameText(signTab(caseId, shareVersion, tab), token),
  };
}

export interface ShareSetup {
  /** Null when sharing is off. */
  links: ShareLinks | null;
  /** The variables still to set for sharing to work: none when it is on. */
  missing: Array<'PUBLIC_URL' | 'SHARE_SECRET'>;
}

/** Share links from the configuration: both PUBLIC_URL and SHARE_SECRET are needed. */
export function shareFromConfig(config: Pick<Config, 'publicUrl' | 'shareSecret'>): ShareSetup {
  const missing: ShareSetup['missing'] = [];
  if (config.publicUrl === null) missing.push('PUBLIC_URL');
  if (config.shareSecret === null) missing.push('SHARE_SECRET');
  if (config.publicUrl === null || config.shareSecret === null) return { links: null, missing };
  return { links: createShareLinks({ publicUrl: config.publicUrl, secret: config.shareSecret }), missing };
}
