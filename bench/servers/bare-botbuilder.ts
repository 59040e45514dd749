/**
 * Baseline: a bare botbuilder bot that only echoes, on node:http, unauthenticated as in
 * local mode. What our /api/messages is measured against.
 */
import { ActivityHandler } from 'botbuilder';
import { serveBot } from './botbuilder-http';

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
  serveBot(port, new EchoBot());
}

void main();
