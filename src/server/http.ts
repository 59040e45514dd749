/**
 * The one HTTP server: Slack, Teams, the case pages and /healthz hang off it.
 * Plain node:http with a tiny router, so each surface mounts its own handler.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mistakeLog, type Logger } from '../logger';
import { HttpError } from './body';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

interface Route {
  method: string;
  path: string | RegExp;
  handler: Handler;
}

export interface HttpServer {
  readonly server: http.Server;
  route(method: string, path: string | RegExp, handler: Handler): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * On every response, whoever writes it (our routes, Bolt's OAuth installer, the Teams
 * adapter, the 404s and 500s): no content sniffing, and the strict policy the case pages
 * need, which also keeps any other HTML we serve from loading scripts or being framed.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** What node would answer a request it could not parse, with our headers. */
function clientErrorResponse(code: string | undefined): string {
  const [status, reason] = code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large']
    : code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? [413, 'Payload Too Large']
      : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `HTTP/1.1 ${status} ${reason}\r\n${headers}connection: close\r\ncontent-length: 0\r\n\r\n`;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * What /healthz reports: 200 `{status: 'ok'}`, or 503 `{status: 'unavailable', reason}`
 * while the bot cannot do its work (its storage is full, read-only or gone). `details`
 * (such as the store's kind) go into the answer either way.
 */
export type Health =
  | { ok: true; details?: Record<string, unknown> }
  | { ok: false; reason: string; details?: Record<string, unknown> };

export function createHttpServer(deps: { logger: Logger; health?: () => Promise<Health> }): HttpServer {
  const routes: Route[] = [];
  const { logger } = deps;
  const mistake = mistakeLog(logger);

  routes.push({
    method: 'GET', path: '/healthz', handler: async (_req, res) => {
      let health: Health = { ok: true };
      if (deps.health) {
        health = await deps.health().catch((err: unknown): Health => {
          logger.error({ err }, 'the health check failed');
          return { ok: false, reason: 'The health check failed.' };
        });
      }
      if (health.ok) sendJson(res, 200, { status: 'ok', ...health.details });
      else sendJson(res, 503, { status: 'unavailable', reason: health.reason, ...health.details });
    },
  });

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw new HttpError(400, 'Bad request');
    }
    const matches = routes.filter((r) => (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)));
    if (matches.length === 0) return sendText(res, 404, 'Not found');
    const route = matches.find((r) => r.method === req.method || (r.method === 'GET' && req.method === 'HEAD'));
    if (!route) {
      res.setHeader('allow', [...new Set(matches.map((r) => r.method))].join(', '));
      return sendText(res, 405, 'Method not allowed');
    }
    await route.handler(req, res, url);
  }

  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    dispatch(req, res).catch((err: unknown) => {
      // Never the query: case page links carry their token there.
      const where = { method: req.method, path: (req.url ?? '/').split('?')[0]?.slice(0, 200) };
      if (err instanceof HttpError) {
        // A client's mistake. One that hung up mid-request is ordinary network life: info.
        // (The response's socket: a request read to its end, or left mid-body, is destroyed
        // and lets go of its socket while the answer can still be sent.)
        const socket = res.socket as Socket | null;
        const gone = socket === null || socket.destroyed;
        mistake(`http ${err.status}`, gone ? 'info' : 'warn', { ...where, status: err.status }, `Refused a request: ${err.message}`);
        if (gone) return;
        if (!res.headersSent) sendText(res, err.status, err.message);
        else res.end();
        return;
      }
      logger.error({ err, ...where }, 'request failed');
      if (!res.headersSent) sendText(res, 500, 'Something went wrong');
      else res.end();
    });
  });
  // Requests node cannot parse get node's own answer, with our headers; as node does, only
  // when no answer to an earlier request on the socket has begun.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(clientErrorResponse(err.code));
    socket.destroy();
  });
  // Slack retries after 3 s; keep-alive sockets must not outlive a close.
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10000;

  return {
    server,
    route(method, path, handler) {
      routes.push({ method, path, handler });
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
