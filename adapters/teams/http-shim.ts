/**
 * The express-like request and response CloudAdapter.process wants, over node's
 * IncomingMessage and ServerResponse. The body is read here, within the server's
 * size limit (413 past it).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';
import { HttpError, readBody } from '../../src/server/body';

export type Activityish = Record<string, unknown>;

/** Reads and parses the request's JSON body: an activity object, or a 400. */
export async function readActivityRequest(req: IncomingMessage): Promise<Request<Activityish>> {
  const raw = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'The body must be a JSON activity.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'The body must be a JSON activity.');
  // botbuilder throws (a 500) on an activity without a type, before it would answer 400 itself.
  const type = (body as Activityish).type;
  if (typeof type !== 'string' || type === '') throw new HttpError(400, 'The activity has no type.');
  return { body: body as Activityish, headers: req.headers, method: req.method };
}

/** status() / header() / send() / end() onto a node response; send() writes and ends. */
export function shimResponse(res: ServerResponse): Response {
  let done = false;
  const shim: Response = {
    socket: res.socket,
    status(code: number) {
      if (!res.headersSent) res.statusCode = code;
      return shim;
    },
    header(name: string, value: unknown) {
      if (!res.headersSent) res.setHeader(name, String(value));
      return shim;
    },
    send(...args: unknown[]) {
      if (done) return shim;
      done = true;
      const body = args[0];
      let payload: string | Buffer;
      let type: string;
      if (Buffer.isBuffer(body)) {
        payload = body;
        type = 'application/octet-stream';
      } else if (typeof body === 'string') {
        payload = body;
        type = 'text/plain; charset=utf-8';
      } else {
        payload = JSON.stringify(body ?? null);
        type = 'application/json; charset=utf-8';
      }
      if (!res.headersSent) {
        if (!res.hasHeader('content-type')) res.setHeader('content-type', type);
        res.setHeader('content-length', Buffer.byteLength(payload));
      }
      res.end(payload);
      return shim;
    },
    end() {
      if (done) return shim;
      done = true;
      res.end();
      return shim;
    },
  };
  return shim;
}
