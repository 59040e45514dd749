/**
 * A local fake of the Bot Connector (node:http on 127.0.0.1) for the Teams benchmark:
 * `POST /v3/conversations/:id/activities[/:replyTo]` and `PUT …/activities/:id` answer 200
 * with an id, anything else 404. It counts what it accepted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeConnector {
  /** The serviceUrl for activities, ending in a slash. */
  serviceUrl: string;
  accepted(): number;
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  let accepted = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const pathname = (req.url ?? '').split('?')[0] ?? '';
      if ((req.method === 'POST' || req.method === 'PUT') && ACTIVITIES.test(pathname)) {
        accepted += 1;
        const body = JSON.stringify({ id: `activity-${accepted}` });
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      res.writeHead(404, { 'content-length': 0 });
      res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    accepted: () => accepted,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
