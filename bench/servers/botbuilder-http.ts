/**
 * The node:http wrapper both botbuilder baselines run on, unauthenticated as in local mode:
 * the request and response shapes CloudAdapter.process reads, and nothing more.
 */
import http from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { ActivityHandler, Request, Response } from 'botbuilder';

/** Serves `bot` at any path on 127.0.0.1:`port`; `onStop` runs after SIGTERM closes the server. */
export function serveBot(port: number, bot: ActivityHandler, onStop: () => void = () => undefined): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const request = { body, headers: req.headers, method: req.method } as unknown as Request;
      let status = 200;
      const response = {
        socket: res.socket,
        header(name: string, value: unknown) { res.setHeader(name, String(value)); return response; },
        status(code: number) { status = code; return response; },
        send(payload?: unknown) { res.statusCode = status; res.end(payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload)); return response; },
        end() { res.statusCode = status; res.end(); return response; },
      } as unknown as Response;
      adapter.process(request, response, (context) => bot.run(context)).catch(() => { res.statusCode = 500; res.end(); });
    });
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
  process.once('SIGTERM', () => server.close(() => { onStop(); process.exit(0); }));
}
