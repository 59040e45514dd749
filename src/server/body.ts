import type { IncomingMessage } from 'node:http';

/** Bodies over this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Reads a request body, refusing early (413) when it is larger than `limit`. */
export async function readBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, 'Request body too large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limit) {
        req.resume();
        throw new HttpError(413, 'Request body too large');
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    // The client went away mid-body (aborted, reset): its mistake, not our failure.
    throw new HttpError(400, 'The request body did not arrive whole');
  }
  return Buffer.concat(chunks);
}
