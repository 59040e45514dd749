/**
 * Peer baseline: the botbuilder bot a team would write instead of ours, unauthenticated as
 * in local mode. It takes a message as the decision's text, records it durably in SQLite
 * (bench/servers/peer-db.ts) and replies with an Adaptive Card. No tricks either way.
 */
import http from 'node:http';
import { ActivityHandler, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Request, Response } from 'botbuilder';
import { openPeerDb } from './peer-db';

type PeerDb = ReturnType<typeof openPeerDb>;

class DecisionBot extends ActivityHandler {
  constructor(db: PeerDb) {
    super();
    this.onMessage(async (context, next) => {
      const text = (context.activity.text ?? '').replace(/^\s*decision\s+/i, '').trim();
      if (!text) {
        await context.sendActivity('Write the decision: "decision We will …"');
      } else {
        const { number } = db.record(context.activity.conversation.id, context.activity.from.id, text);
        await context.sendActivity({
          attachments: [CardFactory.adaptiveCard({
            type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5',
            body: [
              { type: 'TextBlock', text: `Decision ${number}`, weight: 'Bolder', size: 'Medium' },
              { type: 'TextBlock', text, wrap: true },
              { type: 'TextBlock', text: `Recorded by ${context.activity.from.name ?? 'someone'}`, isSubtle: true, spacing: 'Small' },
            ],
          })],
        });
      }
      await next();
    });
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? '3200');
  const db = openPeerDb(process.env.DATA_DIR ?? './data');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new DecisionBot(db);
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
  process.once('SIGTERM', () => server.close(() => { db.close(); process.exit(0); }));
}

void main();
