/**
 * Packages that are ES modules (strip-bom inside @microsoft/app-manifest), which
 * Jest's CommonJS runtime on Node 20 refuses to require. Node's own loader can
 * (require(esm), Node 20.19+), so they are loaded with it, outside Jest's module
 * registry.
 *
 * nock is here too, so every test file takes it from one place and lets it go the
 * same way. It is nock 14, CommonJS, the line that supports Node 20: nock 15 needs
 * Node 22.
 *
 * Import this module before anything that makes HTTP calls. Each test file has its own
 * nock, which patches the http module its Jest worker shares with the next file: after the
 * file's tests it is released, or it would answer that file's requests.
 */
import { Module } from 'node:module';
import nockModule, { type Body, type ReplyFnContext } from 'nock';

const load = (Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown })._load;

/** A package loaded by Node itself rather than Jest. */
export function loadNative<T>(specifier: string): T {
  return load(require.resolve(specifier), null, false) as T;
}

export const nock = nockModule;

/** The request a nock reply function answers, as a test reads it. */
export interface StubbedRequest {
  /** The path and query. */
  path: string;
  header(name: string): string;
  /** The body as sent (nock 14 has already parsed a JSON body: it is written back). */
  text: string;
}

/** Wraps a reply function so it is handed the request as a StubbedRequest. */
export function replyWith<R>(answer: (request: StubbedRequest) => R): (this: ReplyFnContext, uri: string, body: Body) => R {
  return function reply(this: ReplyFnContext, uri: string, body: Body): R {
    const headers = this.req.headers;
    return answer({
      path: uri,
      header: (name) => { const v = headers[name.toLowerCase()]; return Array.isArray(v) ? v.join(', ') : v ?? ''; },
      text: typeof body === 'string' ? body : JSON.stringify(body),
    });
  };
}

if (!nock.isActive()) nock.activate();
afterAll(releaseNock);

/** Puts http and net back as they were and allows the network: the worker runs other test files next. */
export function releaseNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
}
