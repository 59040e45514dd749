/** The real app on a free port, with sharing on, and cases imported from Markdown fixtures. */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { importCase } from '../../src/core/import';
import type { Actor, CaseSnapshot, Place } from '../../src/core/model';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

/** Links are built for this host; requests go to the real port. */
export const PUBLIC_URL = 'http://decisions.test';
export const SHARE_SECRET = 'a-test-share-secret-of-some-length';
export const ANA: Actor = { id: 'U1', name: 'Ana' };

export function fixture(name: string): string {
  return fs.readFileSync(path.resolve(__dirname, '../fixtures', name), 'utf8');
}

export interface PagesApp {
  app: App;
  /** http://127.0.0.1:<port> */
  base: string;
  clock: ReturnType<typeof fakeClock>;
  /** Log lines, when started with `captureLogs`. */
  logs: string[];
  /** A share link (or any URL) fetched against the real port. */
  get(url: string, init?: RequestInit): Promise<Response>;
  importCase(markdown: string, place: Place, id: string): Promise<CaseSnapshot>;
  stop(): Promise<void>;
}

export async function startPagesApp(env: Record<string, string> = { PUBLIC_URL, SHARE_SECRET }, options: { captureLogs?: boolean } = {}): Promise<PagesApp> {
  const { dir, cleanup } = tempDir('decisions-pages-');
  const clock = fakeClock('2026-11-26T10:00:00Z');
  const newId = sequentialIds('id');
  const logs: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { logs.push(...chunk.toString().split('\n').filter((l) => l !== '')); done(); } });
  const logger = options.captureLogs ? createLogger('info', sink) : createLogger('silent');
  const app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dir, ...env }), logger, { clock, newId });
  const base = `http://127.0.0.1:${app.port}`;
  return {
    app, base, clock, logs,
    get(url, init) {
      const u = new URL(url, base);
      return fetch(`${base}${u.pathname}${u.search}`, { redirect: 'manual', ...init });
    },
    async importCase(markdown, place, id) {
      const snapshot = importCase(markdown, { id, place, now: clock.now(), newId }).snapshot;
      await app.store.putSnapshot(snapshot, { replace: false });
      return snapshot;
    },
    async stop() {
      await app.stop();
      cleanup();
    },
  };
}

export interface Tag {
  name: string;
  attrs: Record<string, string>;
  /** As written, for messages. */
  raw: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const TAG = /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * Every start tag in a page, with its attributes decoded. Throws when a "<" in the page is
 * neither a start tag it read, an end tag, the doctype nor a comment: nothing can hide from it.
 */
export function startTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const covered = new Set<number>();
  for (const m of html.matchAll(TAG)) {
    covered.add(m.index ?? 0);
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(ATTR)) attrs[(a[1] ?? '').toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
    tags.push({ name: (m[1] ?? '').toLowerCase(), attrs, raw: m[0] });
  }
  for (const m of html.matchAll(/<\/[a-zA-Z][a-zA-Z0-9]*\s*>|<!DOCTYPE html>|<!--[\s\S]*?-->/g)) covered.add(m.index ?? 0);
  for (const m of html.matchAll(/</g)) {
    const at = m.index ?? 0;
    if (!covered.has(at)) throw new Error(`Unread "<" at ${at}: ${html.slice(at, at + 80)}`);
  }
  return tags;
}

export function ids(html: string): Set<string> {
  return new Set(startTags(html).map((t) => t.attrs.id).filter((id): id is string => id !== undefined));
}

/** The HTML of the element with this id (its start tag to the matching end tag of the same name). */
export function elementById(html: string, id: string): string {
  const start = new RegExp(`<([a-z0-9]+)[^>]*\\sid="${id}"[^>]*>`).exec(html);
  if (!start) throw new Error(`No element with id ${id}`);
  const name = start[1] ?? '';
  let depth = 0;
  const re = new RegExp(`<(/?)${name}\\b[^>]*>`, 'g');
  re.lastIndex = start.index;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) return html.slice(start.index, m.index + m[0].length);
  }
  throw new Error(`Element ${id} is not closed`);
}

/** Visible text, roughly: tags removed, entities decoded, space collapsed. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}
