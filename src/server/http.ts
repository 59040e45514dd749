/**
 * The one HTTP server: Slack, Teams, the case pages and /healthz hang off it.
 * Plain node:http with a tiny router, so each surface mounts its own handler.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
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
  | { ok: true; details?: Record<string, string> }
  | { ok: false; reason: string; details?: Record<string, string> };

export function createHttpServer(deps: { logger: Logger; health?: () => Promise<Health> }): HttpServer {
  const routes: Route[] = [];
  const { logger } = deps;

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
    const url = new URL(req.url ?? '/', 'http://localhost');
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
    dispatch(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        if (!res.headersSent) sendText(res, err.status, err.message);
        else res.end();
        return;
      }
      logger.error({ err, path: req.url?.split('?')[0] }, 'request failed');
      if (!res.headersSent) sendText(res, 500, 'Something went wrong');
      else res.end();
    });
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
