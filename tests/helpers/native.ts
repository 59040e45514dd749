/**
 * Packages that are ES modules (nock 15; strip-bom inside @microsoft/app-manifest),
 * which Jest's CommonJS runtime on Node 20 refuses to require. Node's own loader
 * can (require(esm), Node 20.19+), so they are loaded with it, outside Jest's module
 * registry. Core modules such as http and net are shared between Node and the code
 * under test, so nock loaded this way still intercepts that code's calls.
 *
 * nock's @mswjs/interceptors also calls Promise.withResolvers (Node 22): Node's realm
 * gets that one function, defined as the spec says, when it is missing.
 *
 * Import this module before anything that makes HTTP calls, and call releaseNock()
 * after the file's tests.
 */
import { Module } from 'node:module';
import { setImmediate as tick } from 'node:timers/promises';
import type NockModule from 'nock';

type WithResolvers = <T>() => { promise: Promise<T>; resolve: (v: T | PromiseLike<T>) => void; reject: (e?: unknown) => void };

// A promise made by a core module belongs to Node's realm, not Jest's sandbox.
const HostPromise = tick().constructor as PromiseConstructor & { withResolvers?: WithResolvers };
if (typeof HostPromise.withResolvers !== 'function') {
  Object.defineProperty(HostPromise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (v: T | PromiseLike<T>) => void;
      let reject!: (e?: unknown) => void;
      const promise = new this<T>((res, rej) => { resolve = res; reject = rej; });
      return { promise, resolve, reject };
    },
  });
}

const load = (Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown })._load;

/** A package loaded by Node itself rather than Jest. */
export function loadNative<T>(specifier: string): T {
  return load(require.resolve(specifier), null, false) as T;
}

export const nock = loadNative<{ default: typeof NockModule }>('nock').default;

// Node keeps nock loaded for the Jest worker's next test file, which may find it released.
if (!nock.isActive()) nock.activate();

/** Puts http and net back as they were and allows the network: the worker runs other test files next. */
export function releaseNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
}
