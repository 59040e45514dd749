/**
 * Publishing's document work on one worker thread, started on first use: a 1 MB file from
 * GitHub takes about a second to read and compare, which would stall every request on the
 * event loop. The worker holds the process open only while it has work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentOperation, DocumentWork } from '../core/publishing/documents';
import type { Logger } from '../logger';

interface Answer { id: number; ok: boolean; value?: unknown; message?: string }
interface Waiting { resolve: (value: unknown) => void; reject: (err: Error) => void }

/** The built worker beside this file; when running from TypeScript sources (tests), the build's. */
function workerScript(): string {
  const beside = path.join(__dirname, 'document-worker.js');
  if (fs.existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '..', '..', 'dist', 'src', 'workers', 'document-worker.js');
  if (fs.existsSync(built)) return built;
  throw new Error('The document worker is not built: run `npm run build`.');
}

export function documentWorker(logger: Logger): DocumentWork & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, Waiting>();

  function fail(err: Error): void {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = null;
  }

  function started(): Worker {
    if (worker) return worker;
    const w = new Worker(workerScript());
    w.on('message', (a: Answer) => {
      const found = waiting.get(a.id);
      if (!found) return;
      waiting.delete(a.id);
      if (waiting.size === 0) w.unref();
      if (a.ok) found.resolve(a.value);
      else found.reject(new Error(a.message ?? 'the document worker failed'));
    });
    w.on('error', (err) => {
      logger.error({ err }, 'The document worker failed');
      fail(err);
    });
    w.on('exit', (code) => {
      if (worker === w) fail(new Error(`The document worker stopped (${code}).`));
    });
    w.unref();
    worker = w;
    return w;
  }

  function run<T>(op: DocumentOperation, ...args: unknown[]): Promise<T> {
    const w = started();
    const id = (next += 1);
    w.ref();
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      w.postMessage({ id, op, args });
    });
  }

  return {
    planGitHubEdits: (input) => run('planGitHubEdits', input),
    publishedFiles: (snapshot, publication) => run('publishedFiles', snapshot, { files: publication.files }),
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
