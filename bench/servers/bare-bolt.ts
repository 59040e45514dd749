/**
 * Baseline: a bare Bolt app over HTTP that only acks `/decision`. Same signing, same
 * Web API stub, nothing else: what our server is measured against.
 */
import { App, LogLevel } from '@slack/bolt';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? '3100');
  const app = new App({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    token: process.env.SLACK_BOT_TOKEN ?? '',
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    logLevel: LogLevel.ERROR,
  });
  app.command('/decision', async ({ ack }) => {
    await ack({ response_type: 'in_channel', text: 'ok' });
  });
  await app.start(port);
  process.stdout.write(`listening ${port}\n`);
  process.once('SIGTERM', () => { void app.stop().then(() => process.exit(0)); });
}

void main();
