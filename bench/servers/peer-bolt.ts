/**
 * Peer baseline: the Bolt app a team would write instead of ours. It parses
 * `/decision <text>`, records the decision durably in SQLite (bench/servers/peer-db.ts) and
 * answers in the channel with a Block Kit confirmation. No tricks either way.
 */
import { App, LogLevel } from '@slack/bolt';
import { openPeerDb } from './peer-db';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? '3100');
  const db = openPeerDb(process.env.DATA_DIR ?? './data');
  const app = new App({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    token: process.env.SLACK_BOT_TOKEN ?? '',
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    logLevel: LogLevel.ERROR,
  });
  app.command('/decision', async ({ command, ack }) => {
    const text = command.text.trim();
    if (!text) {
      await ack({ response_type: 'ephemeral', text: 'Write the decision after the command: `/decision We will …`' });
      return;
    }
    const { number } = db.record(command.channel_id, command.user_id, text);
    await ack({
      response_type: 'in_channel',
      text: `Decision ${number} recorded: ${text}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*Decision ${number}*\n${text}` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Recorded by <@${command.user_id}>` }] },
      ],
    });
  });
  await app.start(port);
  process.stdout.write(`listening ${port}\n`);
  process.once('SIGTERM', () => { void app.stop().then(() => { db.close(); process.exit(0); }); });
}

void main();
