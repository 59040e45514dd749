/** The worker thread's side of documents.ts: runs one named operation a message and answers with its result. */
import { parentPort } from 'node:worker_threads';
import { DOCUMENT_OPERATIONS, type DocumentOperation } from '../core/publishing/documents';

interface Job { id: number; op: DocumentOperation; args: unknown[] }

parentPort?.on('message', (job: Job) => {
  try {
    const run = DOCUMENT_OPERATIONS[job.op] as (...args: unknown[]) => unknown;
    parentPort?.postMessage({ id: job.id, ok: true, value: run(...job.args) });
  } catch (err) {
    parentPort?.postMessage({ id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
