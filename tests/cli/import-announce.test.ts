/**
 * `decisions import … --into slack:…|teams:…` tells the channel or conversation, as the
 * Slack import form does: real processes, a local fake of the Slack Web API and of the Bot
 * Connector. Needs `npm run build` first (npm test does).
 */
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite';
import { sqliteFile } from '../../src/store';
import { startFakeSlack } from '../../bench/fake-slack';
import type { FakeSlack } from '../../bench/fake-slack';
import { startFakeConnector } from '../reliability/harness';
import type { FakeConnector } from '../reliability/harness';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

const DECISIONS = path.resolve(__dirname, '../fixtures/alphagov/key-decisions-and-evidence.md');

let dir: string;
let cleanup: () => void;
let slack: FakeSlack | null = null;
let connector: FakeConnector | null = null;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('decisions-announce-'));
});

afterEach(async () => {
  await slack?.close();
  await connector?.close();
  slack = null;
  connector = null;
  cleanup();
});

const data = (): string => path.join(dir, 'data');

it('into a Slack channel: the channel is told, with a link to the case and no Undo nobody there could use', async () => {
  slack = await startFakeSlack({ perChannelMs: 0 });
  const env = { DATA_DIR: data(), USER: 'Ana', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.apiUrl, PUBLIC_URL: 'https://decisions.example.org', SHARE_SECRET: 'a-share-secret-of-enough-length' };
  const first = await runCli(['import', DECISIONS, '--into', 'slack:T1/C1'], { env });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('Announced in slack:T1/C1.\n');
  expect(slack.accepted.map((m) => m.channel)).toEqual(['C1']);
  const said = slack.accepted[0]?.text ?? '';
  expect(said).toMatch(/^Case imported: 16 decisions, 26 pieces of evidence, from the command line by Ana: “Key decisions that shaped our prototype case” from key-decisions-and-evidence\.md, 7 sprints\. <https:\/\/decisions\.example\.org\/cases\/[^|>]+\?token=[^|>]+\|Read the case>$/);
  expect(said).not.toContain('undo');

  const again = await runCli(['import', DECISIONS, '--into', 'slack:T1/C1', '--replace'], { env });
  expect(again.code).toBe(0);
  expect(slack.accepted[1]?.text).toContain('It replaced the case that had 16 decisions.');
});

it('into a Teams conversation: posted there through the reference kept when the bot joined', async () => {
  connector = await startFakeConnector();
  const store = openSqliteStore(sqliteFile(data()));
  const place = { platform: 'teams' as const, workspace: 'tenant-a', channel: '19:general@thread.tacv2' };
  await store.saveConversationRef({
    place,
    reference: JSON.stringify({ bot: { id: '28:decisions-bot', name: 'Decisions' }, conversation: { id: place.channel, conversationType: 'channel', tenantId: 'tenant-a' }, channelId: 'msteams', serviceUrl: connector.serviceUrl }),
    updatedAt: new Date().toISOString(),
  });
  await store.close();
  const r = await runCli(['import', DECISIONS, '--into', `teams:tenant-a/${place.channel}`], { env: { DATA_DIR: data(), USER: 'Ana', TEAMS_LOCAL: '1' } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`Announced in teams:tenant-a/${place.channel}.\n`);
  const posts = connector.sent.filter((s) => s.method === 'POST' && s.path.startsWith(`/v3/conversations/${place.channel}/activities`));
  expect(posts).toHaveLength(1);
  expect(JSON.stringify(posts[0]?.body)).toContain('Case imported: 16 decisions, 26 pieces of evidence, from the command line by Ana');
});

it('says plainly when it cannot tell the channel, and still imports', async () => {
  const r = await runCli(['import', DECISIONS, '--into', 'slack:T1/C1'], { env: { DATA_DIR: data(), USER: 'Ana' } });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Imported "Key decisions that shaped our prototype case" as case slack:T1\/C1: 16 decisions/);
  expect(r.stderr).toBe('Imported, but slack:T1/C1 was not told: Slack is not configured here: set SLACK_BOT_TOKEN (and SLACK_API_URL if not slack.com), or run it where the OAuth installations are.\n');
});
