/**
 * Baseline: a bare botbuilder bot that only echoes, on node:http, unauthenticated as in
 * local mode. What our /api/messages is measured against.
 */
import http from 'node:http';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Request, Response } from 'botbuilder';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? '3200');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
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
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
