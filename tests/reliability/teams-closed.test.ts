/**
 * Teams is closed until it is configured. A server started with nothing set (every
 * Slack-only deployment) answers every activity at /api/messages with 401: nothing is
 * recorded in the SQLite file, no reply leaves in the HTTP answer (expectReplies), no call
 * goes out (a fake connector on 127.0.0.1 and nock's record of every outgoing request), and
 * botbuilder is never even loaded. TEAMS_LOCAL=1 opens the Emulator's local mode, to this
 * machine only. HOST chooses the address the server listens on.
 */
import os from 'node:os';
import Database from 'better-sqlite3';
import { nock } from '../helpers/native';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { sqliteFile } from '../../src/store';
import { tempDir } from '../helpers/temp-dir';
import { runCli } from '../helpers/cli';
import { teamsPlace } from './app';
import { ANN, startFakeConnector, teamsMessage } from './harness';
import type { FakeConnector } from './harness';

// Counts botbuilder's loads: Teams off must never pay for it (nor run any of it).
let mockBotbuilderLoads = 0;
jest.mock('botbuilder', () => {
  mockBotbuilderLoads += 1;
  return jest.requireActual('botbuilder');
});

/** An address of this machine that is not loopback, to reach the server as another machine would. */
const external = Object.values(os.networkInterfaces()).flat().find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;

/** Every request that left this process, except those to `ours` (the test's own requests to the server). */
const outgoing: string[] = [];
let ours = '';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => host.startsWith('127.0.0.1') || (external !== undefined && host.startsWith(external)));
  nock.emitter.on('no match', (req: { url?: string; href?: string }) => {
    const url = req.url ?? req.href ?? '';
    if (!url.startsWith(ours)) outgoing.push(url);
  });
});

afterAll(() => nock.emitter.removeAllListeners('no match'));

interface Running {
  app: App;
  dir: string;
  log: string[];
  base: string;
  stop(): Promise<void>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const t = tempDir('decisions-teams-closed-');
  const log: string[] = [];
  const app = await startApp(loadConfig({ ...env, PORT: '0', DATA_DIR: t.dir }), createLogger('info', { write: (line: string) => { log.push(line); } }), { scheduler: false });
  const base = `http://127.0.0.1:${app.port}`;
  ours = base;
  return {
    app, dir: t.dir, log, base,
    async stop() {
      await app.stop();
      t.cleanup();
    },
  };
}

/** Every row of every table in the SQLite file, read from the file itself. */
function fileContents(dir: string): string {
  const db = new Database(sqliteFile(dir), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}

function decisionsInFile(dir: string): number {
  const db = new Database(sqliteFile(dir), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function postActivity(base: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  return { status: res.status, text: await res.text() };
}

const SECRET = 'We will keep the renewal price to ourselves';

describe('nothing set at all: Teams is off', () => {
  let s: Running;
  let connector: FakeConnector;
  let before: string;

  beforeAll(async () => {
    connector = await startFakeConnector();
    s = await start({});
    // A Teams case with a decision (from an earlier TEAMS_LOCAL run, say), so a reply carrying it would show.
    await s.app.service.run({ place: teamsPlace, actor: { id: ANN.aadObjectId, name: ANN.name } }, SECRET);
    before = fileContents(s.dir);
    expect(decisionsInFile(s.dir)).toBe(1);
  });

  afterAll(async () => {
    await s.stop();
    await connector.close();
  });

  it('says at start that Teams is off and which variables switch it on', () => {
    const line = s.log.find((l) => l.includes('Teams is off'));
    expect(line).toContain('set MicrosoftAppId and MicrosoftAppPassword');
    expect(line).toContain('TEAMS_LOCAL=1 for the Bot Framework Emulator on this machine');
    expect(s.app.surfaces.map((x) => x.platform)).not.toContain('teams');
  });

  const rows: [string, () => Record<string, unknown>][] = [
    ['an unsigned message from loopback asking for expectReplies', () => ({ ...teamsMessage('list all', { serviceUrl: connector.serviceUrl }), deliveryMode: 'expectReplies' })],
    ['an unsigned message that would record a decision', () => teamsMessage('We will publish weekly', { serviceUrl: connector.serviceUrl })],
    ['an activity whose serviceUrl is another loopback port (a port scan)', () => teamsMessage('list', { serviceUrl: 'http://127.0.0.1:22/' })],
    ['an activity whose serviceUrl is the cloud metadata address', () => teamsMessage('list', { serviceUrl: 'http://169.254.169.254/latest/' })],
    ['the bot being added to a channel (would keep a reference to post to)', () => ({
      ...teamsMessage('', { serviceUrl: connector.serviceUrl, mention: false }), type: 'conversationUpdate', membersAdded: [{ id: '28:decisions-bot', name: 'Decisions' }],
    })],
    ['an invoke (a card action asking for an answer in the HTTP response)', () => ({
      ...teamsMessage('', { serviceUrl: connector.serviceUrl, mention: false }), type: 'invoke', name: 'composeExtension/fetchTask', value: { commandId: 'recordDecision' },
    })],
  ];

  it.each(rows)('%s: 401, nothing recorded, nothing sent, botbuilder not loaded', async (_name, activity) => {
    const res = await postActivity(s.base, activity());
    expect(res.status).toBe(401);
    expect(res.text).toBe('Teams is off on this server: it has no MicrosoftAppId.');
    expect(res.text).not.toContain(SECRET);
    expect(fileContents(s.dir)).toBe(before);
    expect(connector.sent).toEqual([]);
    expect(outgoing).toEqual([]);
    expect(mockBotbuilderLoads).toBe(0);
  });

  it('answers 401 without reading a large body', async () => {
    const started = performance.now();
    const res = await fetch(`${s.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(512 * 1024) });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(fileContents(s.dir)).toBe(before);
  });
});

describe('TEAMS_LOCAL=1: the Bot Framework Emulator on this machine', () => {
  let s: Running;
  let connector: FakeConnector;

  beforeAll(async () => {
    connector = await startFakeConnector();
    s = await start({ TEAMS_LOCAL: '1' });
  });

  afterAll(async () => {
    await s.stop();
    await connector.close();
  });

  it('says at start that it is unauthenticated, for this machine only', () => {
    expect(s.log.join('')).toContain('Teams: unauthenticated local mode (TEAMS_LOCAL=1) at POST /api/messages for the Bot Framework Emulator: only requests from this machine, with a serviceUrl on this machine');
  });

  it('the Emulator flow works: a message from loopback naming a loopback connector is recorded and answered there', async () => {
    const res = await postActivity(s.base, teamsMessage('We will publish weekly', { serviceUrl: connector.serviceUrl }));
    expect(res.status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    // The one call out is that reply, to the loopback connector the activity named.
    expect(outgoing).toHaveLength(1);
    expect(outgoing[0]?.startsWith(`${connector.serviceUrl}v3/conversations/`)).toBe(true);
    expect(connector.sent[0]?.path).toMatch(/^\/v3\/conversations\/.+\/activities/);
    expect(JSON.stringify(connector.sent[0]?.body)).toContain('Decision 0');
    expect(decisionsInFile(s.dir)).toBe(1);
    // The control for the count above: the probe does see botbuilder load.
    expect(mockBotbuilderLoads).toBe(1);
  });

  it.each([
    ['the real Teams connector', 'https://smba.trafficmanager.net/uk/'],
    ['another machine on the network', 'http://10.0.0.5:3978/'],
    ['a host named like localhost', 'http://localhost.evil.example/'],
  ])('refuses (403) a serviceUrl on %s, sends nothing and records nothing', async (_name, serviceUrl) => {
    const before = fileContents(s.dir);
    const sent = connector.sent.length;
    const out = outgoing.length;
    const res = await postActivity(s.base, teamsMessage('We will not call out', { serviceUrl }));
    expect(res.status).toBe(403);
    expect(connector.sent.length).toBe(sent);
    expect(outgoing.slice(out)).toEqual([]);
    expect(fileContents(s.dir)).toBe(before);
  });

  it('refuses (403) expectReplies: the case\'s replies are not handed to whoever asks', async () => {
    const before = fileContents(s.dir);
    const sent = connector.sent.length;
    const res = await postActivity(s.base, { ...teamsMessage('list all', { serviceUrl: connector.serviceUrl }), deliveryMode: 'expectReplies' });
    expect(res.status).toBe(403);
    expect(res.text).toBe('deliveryMode expectReplies needs Bot Framework authentication (MicrosoftAppId); the Emulator does not need it.');
    expect(res.text).not.toContain('We will publish weekly');
    expect(connector.sent.length).toBe(sent);
    expect(fileContents(s.dir)).toBe(before);
  });

  it('refuses (403) a request relayed by a proxy on this machine (X-Forwarded-For)', async () => {
    const before = fileContents(s.dir);
    const res = await postActivity(s.base, teamsMessage('We will publish monthly', { serviceUrl: connector.serviceUrl }), { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status).toBe(403);
    expect(fileContents(s.dir)).toBe(before);
  });

  (external ? it : it.skip)(`refuses (403) a request from another machine (this machine's ${external ?? 'external'} address, not loopback)`, async () => {
    const before = fileContents(s.dir);
    const sent = connector.sent.length;
    const res = await postActivity(`http://${external ?? ''}:${s.app.port}`, teamsMessage('We will publish monthly', { serviceUrl: connector.serviceUrl }));
    expect(res.status).toBe(403);
    expect(res.text).toContain('only answers the Bot Framework Emulator on this machine');
    expect(connector.sent.length).toBe(sent);
    expect(fileContents(s.dir)).toBe(before);
  });
});

describe('HOST: where the server listens', () => {
  it('HOST=127.0.0.1 binds there, the start line names it, and another interface does not reach it', async () => {
    const s = await start({ HOST: '127.0.0.1' });
    try {
      expect(s.app.port).toBeGreaterThan(0);
      expect(s.log.join('')).toContain(`Listening on 127.0.0.1:${s.app.port} (this address only; health: /healthz)`);
      expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
      if (external) await expect(fetch(`http://${external}:${s.app.port}/healthz`)).rejects.toThrow();
    } finally {
      await s.stop();
    }
  });

  it('without HOST it listens on every interface, and the start line says so', async () => {
    const s = await start({});
    try {
      expect(s.log.join('')).toMatch(new RegExp(`Listening on (\\[::\\]|0\\.0\\.0\\.0):${s.app.port} \\(every interface; HOST=127\\.0\\.0\\.1 keeps it to this machine; health: /healthz\\)`));
      if (external) expect((await fetch(`http://${external}:${s.app.port}/healthz`)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it.each(['example.org', '127.0.0.1:3000', 'http://127.0.0.1', '256.1.1.1', 'every'])('HOST=%s is named in one ConfigError line', (host) => {
    expect(() => loadConfig({ HOST: host })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: host })).toThrow(`HOST must be an IP address of this machine such as 127.0.0.1, 0.0.0.0 or ::1, or localhost (got "${host}").`);
  });

  it('the real `serve` stops at start with that one line, exit code 2', async () => {
    const dir = tempDir('decisions-teams-closed-');
    try {
      const bad = await runCli(['serve'], { env: { HOST: 'example.org', DATA_DIR: dir.dir, PORT: '0' } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('HOST must be an IP address of this machine such as 127.0.0.1, 0.0.0.0 or ::1, or localhost (got "example.org").\n');
      // A well-formed address this machine does not have (TEST-NET-3): refused when binding, in one line too.
      const absent = await runCli(['serve'], { env: { HOST: '203.0.113.7', DATA_DIR: dir.dir, PORT: '0', LOG_LEVEL: 'silent' } });
      expect(absent.code).toBe(2);
      expect(absent.stderr).toBe('HOST 203.0.113.7 is not an address of this machine (try 127.0.0.1 for this machine only, or leave it unset for every interface).\n');
    } finally {
      dir.cleanup();
    }
  });

  it('accepts IPv4, IPv6 (with or without brackets) and localhost', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '[::1]' }).host).toBe('::1');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({}).host).toBeNull();
  });
});

describe('TEAMS_LOCAL is checked at start', () => {
  it('with MicrosoftAppId as well: one ConfigError line naming both', () => {
    expect(() => loadConfig({ TEAMS_LOCAL: '1', MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' }))
      .toThrow('TEAMS_LOCAL=1 and MicrosoftAppId are both set: TEAMS_LOCAL is unauthenticated use with the Bot Framework Emulator, MicrosoftAppId is Teams itself; unset one of them.');
  });

  it('a value that is neither on nor off is named', () => {
    expect(() => loadConfig({ TEAMS_LOCAL: 'yes please' })).toThrow('TEAMS_LOCAL must be 1 (unauthenticated Teams for the Bot Framework Emulator on this machine) or 0 (got "yes please").');
    expect(loadConfig({ TEAMS_LOCAL: '0' }).teams.local).toBe(false);
    expect(loadConfig({ TEAMS_LOCAL: 'true' }).teams.local).toBe(true);
  });
});
