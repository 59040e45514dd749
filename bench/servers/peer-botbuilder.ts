/**
 * Peer baseline: the botbuilder bot a team would write instead of ours, unauthenticated as
 * in local mode. It takes a message as the decision's text, records it durably in SQLite
 * (bench/servers/peer-db.ts) and replies with an Adaptive Card. No tricks either way.
 */
import { ActivityHandler, CardFactory } from 'botbuilder';
import { serveBot } from './botbuilder-http';
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
  serveBot(port, new DecisionBot(db), () => db.close());
}

void main();
