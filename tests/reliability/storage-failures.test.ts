/**
 * Storage failures through the real server: the real app (startApp) on a real SQLite file,
 * Slack requests signed as Slack signs them through the real HTTP server, the Web API
 * faked on 127.0.0.1. For each failure, commands, buttons and forms get its own plain
 * answer, nothing is acknowledged that was not stored, and /healthz says 503 with the
 * reason while it lasts:
 * - a full disk (SQLite's max_page_count on the server's own connection: SQLITE_FULL, as
 *   on a full disk), and /healthz 200 again once there is room;
 * - a read-only database file (chmod, or chattr +i when running as root);
 * - the file deleted, or replaced by another renamed over it, under the running server;
 * - another process holding the write lock: /healthz and reads stay quick, and a write is
 *   done once the lock is let go, or refused as busy after 5 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { STORAGE_BUSY_MESSAGE, STORAGE_FULL_MESSAGE, STORAGE_READ_ONLY_MESSAGE, STORAGE_REPLACED_MESSAGE } from '../../src/store/messages';
import type { SqliteStore } from '../../src/store/sqlite';
import { sqliteFile } from '../../src/store';
import { tempDir } from '../helpers/temp-dir';
import { holdLock, makeReadOnly, readOnlyUnavailable } from '../store/helpers/storage-faults';
import { allStrings, FORM, slackPlace } from './app';
import {
  BOT_TOKEN, CHANNEL, SIGNING_SECRET, TEAM, USER, commandBody, signedHeaders, sleep, startFakeSlackApi, writeArtefact,
} from './harness';
import type { FakeSlackApi } from './harness';
import { watchStalls } from '../helpers/event-loop';

jest.setTimeout(60_000);

/** The words of an acknowledgement that a decision was recorded. */
const RECORDED = /Decision (\d+) recorded/;
const SOMETHING_WENT_WRONG = /Something went wrong/i;

interface Server {
  app: App;
  base: string;
  file: string;
  /**
   * A slash command; its answer's words (the message's text, without a leading emoji),
   * from the acknowledgement or (when late) the response URL.
   */
  command(text: string): Promise<string>;
  /** A slash command; every string of its answer (text and blocks), for reading commands. */
  read(text: string): Promise<string>;
  /** POSTs a signed form body to /slack/events. */
  post(body: string): Promise<Response>;
  /** A button or form payload; the HTTP answer and every Web API call it led to within `settleMs`. */
  interact(payload: Record<string, unknown>, settleMs?: number): Promise<{ status: number; body: string; calls: string[] }>;
  health(): Promise<{ status: number; body: Record<string, unknown>; ms: number }>;
  stop(): Promise<void>;
}

let api: FakeSlackApi;
let data: ReturnType<typeof tempDir>;
let commands = 0;
const running: Server[] = [];
/** What was measured, left in tests/artefacts/reliability/storage-failures.json. */
const figures: Record<string, number> = {};

beforeAll(async () => {
  api = await startFakeSlackApi();
});

afterAll(async () => {
  await api.close();
  writeArtefact('storage-failures.json', figures);
});

beforeEach(() => {
  data = tempDir('decisions-storage-failures-');
});

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  data.cleanup();
});

/** The real app on `data.dir`, as `decisions serve` starts it (no scheduler ticking). */
async function serve(): Promise<Server> {
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.apiUrl, PORT: '0', DATA_DIR: data.dir,
  });
  const app = await startApp(config, createLogger('silent'), { scheduler: false });
  const base = `http://127.0.0.1:${app.port}`;
  const post = (body: string) => fetch(`${base}/slack/events`, { method: 'POST', headers: signedHeaders(body, FORM), body });
  /** The answer's body, from the acknowledgement or (when late) the response URL. */
  const answer = async (text: string): Promise<string> => {
    const id = `cmd-${(commands += 1)}`;
    const res = await post(commandBody(text, { responseUrl: api.responseUrl(id) }));
    expect(res.status).toBe(200);
    const ack = await res.text();
    if (ack !== '') return ack;
    // Acknowledged empty: the answer follows through the response URL.
    const until = Date.now() + 10_000;
    for (;;) {
      const late = api.calls.find((c) => c.method === `response:${id}`);
      if (late) return late.raw;
      if (Date.now() > until) throw new Error(`no answer to "${text}"`);
      await sleep(20);
    }
  };
  let stopped = false;
  const server: Server = {
    app, base, post, file: sqliteFile(data.dir),
    async command(text) {
      return words(await answer(text));
    },
    async read(text) {
      return allStrings(JSON.parse(await answer(text))).join('\n');
    },
    async interact(payload, settleMs = 500) {
      const before = api.calls.length;
      const res = await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
      const body = await res.text();
      await sleep(settleMs);
      return { status: res.status, body, calls: api.calls.slice(before).map((c) => `${c.method} ${c.raw}`) };
    },
    async health() {
      const started = Date.now();
      const res = await fetch(`${base}/healthz`);
      const body = (await res.json()) as Record<string, unknown>;
      return { status: res.status, body, ms: Date.now() - started };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
    },
  };
  running.push(server);
  return server;
}

/** The words of a Slack message body: its text, without the emoji an error starts with. */
function words(body: string): string {
  const message = JSON.parse(body) as { text?: unknown };
  return typeof message.text === 'string' ? message.text.replace(/^:[a-z_]+: /, '') : allStrings(message).join('\n');
}

const db = (s: Server) => (s.app.store as SqliteStore).db;

/** The numbers of the decisions stored in the channel. */
async function storedNumbers(s: Server): Promise<number[]> {
  const snap = await s.app.store.loadCase(slackPlace);
  return (snap?.decisions ?? []).map((d) => d.number);
}

const recordedNumber = (answer: string): number | null => {
  const m = RECORDED.exec(answer);
  return m ? Number(m[1]) : null;
};

/** Records a decision and insists it was acknowledged; gives its number. */
async function record(s: Server, text: string): Promise<number> {
  const answer = await s.command(text);
  const n = recordedNumber(answer);
  if (n === null) throw new Error(`not recorded: ${answer}`);
  return n;
}

/** A payload as Slack sends it when a button under a message is clicked. */
function button(actionId: string, value: string, responseUrl: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'example' },
    user: { id: USER.id, username: USER.name, name: USER.name, team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: 'trigger-button',
    channel: { id: CHANNEL, name: 'general' },
    message: { type: 'message', ts: '1700000000.000100', text: 'Decision 1 recorded' },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'decision:1', value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000001.000000' }],
  };
}

/** Opens the "Record a decision" form with `/decision` and gives what its submission needs. */
async function openDecisionForm(s: Server): Promise<{ callback_id: string; private_metadata: string }> {
  const before = api.calls.length;
  const body = commandBody('', { responseUrl: api.responseUrl('form') });
  expect((await s.post(body)).status).toBe(200);
  const until = Date.now() + 5000;
  for (;;) {
    const open = api.calls.slice(before).find((c) => c.method === 'views.open');
    if (open) {
      const view = JSON.parse(new URLSearchParams(open.raw).get('view') ?? '{}') as { callback_id: string; private_metadata: string };
      return { callback_id: view.callback_id, private_metadata: view.private_metadata };
    }
    if (Date.now() > until) throw new Error('the form did not open');
    await sleep(20);
  }
}

/** The form submitted, as Slack sends it. */
function submission(view: { callback_id: string; private_metadata: string }, text: string): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'example' },
    user: { id: USER.id, username: USER.name, name: USER.name, team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: 'trigger-submit',
    view: { id: 'V0VIEW', team_id: TEAM, type: 'modal', hash: 'h', ...view, state: { values: { text: { value: { type: 'plain_text_input', value: text } } } } },
    response_urls: [],
    is_enterprise_install: false,
  };
}

describe('a full disk', () => {
  it('says the storage is full, acknowledges nothing it did not keep, and /healthz is 503 until there is room', async () => {
    const s = await serve();
    const kept = [await record(s, 'We will publish weekly')];
    expect((await s.health()).status).toBe(200);
    // The disk is full at the database's current size.
    db(s).pragma(`max_page_count = ${db(s).pragma('page_count', { simple: true }) as number}`);

    // Long decisions until the room left in the last pages runs out.
    const answers: string[] = [];
    for (let i = 0; i < 10 && !answers.includes(STORAGE_FULL_MESSAGE); i += 1) {
      const answer = await s.command(`We will keep note ${i}: ${'x'.repeat(2900)}`);
      answers.push(answer);
      const n = recordedNumber(answer);
      if (n !== null) kept.push(n);
      else expect(answer).toBe(STORAGE_FULL_MESSAGE);
    }
    expect(answers).toContain(STORAGE_FULL_MESSAGE);
    figures.fullDiskAcknowledgedBeforeFull = answers.length - 1;
    // Full stays full: the next ones are refused the same way.
    for (let i = 0; i < 2; i += 1) expect(await s.command(`We will try again ${i}: ${'y'.repeat(2900)}`)).toBe(STORAGE_FULL_MESSAGE);
    expect(await storedNumbers(s)).toEqual(kept);
    expect(await s.health()).toMatchObject({ status: 503, body: { status: 'unavailable', reason: STORAGE_FULL_MESSAGE, store: 'sqlite' } });

    // Room again (an operator freed space): healthy, and writes are taken.
    db(s).pragma('max_page_count = 1000000');
    expect(await s.health()).toMatchObject({ status: 200, body: { status: 'ok' } });
    kept.push(await record(s, 'We will watch the disk'));
    expect(await storedNumbers(s)).toEqual(kept);
  });
});

describe('the database file removed or replaced under the running server', () => {
  it('deleted: three decisions are refused in plain words, none acknowledged, and /healthz is 503', async () => {
    const s = await serve();
    await record(s, 'We will publish weekly');
    fs.unlinkSync(s.file);

    for (const text of ['We will ship on Fridays', 'We will pair on reviews', 'We will drop the paper form']) {
      const answer = await s.command(text);
      expect(answer).toBe(STORAGE_REPLACED_MESSAGE);
      expect(answer).not.toMatch(RECORDED);
    }
    expect(await s.health()).toMatchObject({ status: 503, body: { status: 'unavailable', reason: STORAGE_REPLACED_MESSAGE } });
    // Reading still works from what the server has open.
    expect(await s.read('list all')).toMatch(/publish weekly/);

    // After the restart an operator must do: a new, empty, sound file (the old one was deleted).
    await s.stop();
    const again = await serve();
    expect((await again.health()).status).toBe(200);
    expect(String(db(again).pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(await storedNumbers(again)).toEqual([]);
  });

  it('replaced by a backup renamed over it: commands, buttons and forms are refused, and after a restart the file is the backup', async () => {
    const s = await serve();
    const first = await record(s, 'We will publish weekly');
    const backup = path.join(data.dir, 'backup.sqlite');
    db(s).exec(`VACUUM INTO '${backup.replace(/'/g, "''")}'`);
    const second = await record(s, 'We will ship on Fridays');
    const form = await openDecisionForm(s);
    fs.renameSync(backup, s.file);

    for (const text of ['We will pair on reviews', `evidence ${second} Two teams asked for it`, `edit ${second} We will ship on Thursdays`]) {
      expect(await s.command(text)).toBe(STORAGE_REPLACED_MESSAGE);
    }
    // The form answers on itself, in the text field.
    const submitted = await s.interact(submission(form, 'We will drop the paper form'), 0);
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.body)).toEqual({ response_action: 'errors', errors: { text: STORAGE_REPLACED_MESSAGE } });
    // The Undo button answers the person who clicked it.
    const clicked = await s.interact(button('decision.undo', '', api.responseUrl('undo-button')));
    expect(clicked.status).toBe(200);
    const told = clicked.calls.join('\n');
    expect(told).toContain(JSON.stringify(STORAGE_REPLACED_MESSAGE).slice(1, -1));
    expect(told).not.toMatch(SOMETHING_WENT_WRONG);
    expect(told).not.toMatch(/undid|undone/i);
    expect(await s.health()).toMatchObject({ status: 503, body: { reason: STORAGE_REPLACED_MESSAGE } });

    await s.stop();
    const again = await serve();
    expect((await again.health()).status).toBe(200);
    expect(String(db(again).pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(await storedNumbers(again)).toEqual([first]);
  });
});

describe('a read-only database file', () => {
  const itReadOnly = readOnlyUnavailable === null ? it : it.skip;
  const why = readOnlyUnavailable === null ? '' : ` (skipped: ${readOnlyUnavailable})`;

  itReadOnly(`/healthz is 503 from the start, reads work, writes are refused in plain words${why}`, async () => {
    const s = await serve();
    const first = await record(s, 'We will publish weekly');
    await s.stop();
    const undo = makeReadOnly(sqliteFile(data.dir));
    try {
      const ro = await serve();
      expect(await ro.health()).toMatchObject({ status: 503, body: { status: 'unavailable', reason: STORAGE_READ_ONLY_MESSAGE } });
      expect(await ro.read('list all')).toMatch(/publish weekly/);
      expect(await ro.command('We will ship on Fridays')).toBe(STORAGE_READ_ONLY_MESSAGE);
      expect(await ro.command(`evidence ${first} Two teams asked for it`)).toBe(STORAGE_READ_ONLY_MESSAGE);
      expect(await storedNumbers(ro)).toEqual([first]);
      await ro.stop();
    } finally {
      undo();
    }
    const again = await serve();
    expect((await again.health()).status).toBe(200);
    await record(again, 'We will ship on Fridays');
  });
});

describe('another process holding the write lock', () => {
  /**
   * While `during` runs: /healthz asked again and again (the slowest answer), and the
   * longest the server's event loop was held up (it runs in this process: a timer every
   * 5 ms, and the longest gap between its ticks), which catches a stall between requests too.
   */
  async function whileWaiting(s: Server, during: Promise<unknown>): Promise<{ slowestHealthMs: number; stallMs: number }> {
    let done = false;
    void during.finally(() => { done = true; });
    const stalls = watchStalls();
    let slowestHealthMs = 0;
    let stallMs = 0;
    try {
      while (!done) {
        const h = await s.health();
        expect(h.status).toBe(200);
        slowestHealthMs = Math.max(slowestHealthMs, h.ms);
        await sleep(20);
      }
    } finally {
      stallMs = stalls.stop();
    }
    return { slowestHealthMs, stallMs };
  }

  it('held for 3 s: /healthz and reads stay quick, and the write is done once the lock is let go', async () => {
    const s = await serve();
    const first = await record(s, 'We will publish weekly');
    const lock = await holdLock(s.file, 3000);

    const readStarted = Date.now();
    expect(await s.read('list all')).toMatch(/publish weekly/);
    const readMs = Date.now() - readStarted;

    let answeredAt = 0;
    const write = s.command('We will ship on Fridays').finally(() => { answeredAt = Date.now(); });
    const { slowestHealthMs, stallMs } = await whileWaiting(s, write);
    const answer = await write;
    await lock.released;
    expect(answer).not.toMatch(SOMETHING_WENT_WRONG);
    const second = recordedNumber(answer);
    expect(second).not.toBeNull();
    expect(answeredAt - lock.heldAt).toBeGreaterThanOrEqual(2900);
    expect(await storedNumbers(s)).toEqual([first, second]);
    Object.assign(figures, {
      lock3sReadMs: readMs, lock3sSlowestHealthzMs: slowestHealthMs, lock3sLongestStallMs: stallMs,
      lock3sWriteAnsweredAfterLockTakenMs: answeredAt - lock.heldAt,
    });
    expect(readMs).toBeLessThan(500);
    expect(slowestHealthMs).toBeLessThan(200);
    expect(stallMs).toBeLessThan(200);
  });

  it('held for longer than 5 s: the write is refused as busy, nothing is stored, and /healthz stays quick', async () => {
    const s = await serve();
    const first = await record(s, 'We will publish weekly');
    const lock = await holdLock(s.file, 7000);
    const started = Date.now();
    const write = s.command('We will ship on Fridays');
    const { slowestHealthMs, stallMs } = await whileWaiting(s, write);
    expect(await write).toBe(STORAGE_BUSY_MESSAGE);
    const waited = Date.now() - started;
    await lock.released;
    expect(await storedNumbers(s)).toEqual([first]);
    Object.assign(figures, { lock7sBusyAnswerAfterMs: waited, lock7sSlowestHealthzMs: slowestHealthMs, lock7sLongestStallMs: stallMs });
    expect(waited).toBeGreaterThanOrEqual(4900);
    expect(slowestHealthMs).toBeLessThan(200);
    expect(stallMs).toBeLessThan(200);
  });
});
