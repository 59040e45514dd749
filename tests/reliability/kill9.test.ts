/**
 * kill -9 in the middle of a stream of acknowledged `/decision` commands, ten times on one
 * data directory. After each restart every decision Slack was told about ("Decision N
 * recorded") is in the store with that number and that text; the numbers run 0..max with
 * no duplicate or gap; and whatever was in flight is either there whole or not at all.
 *
 * The server is the built one (`node bin/decisions.js serve`); `npm run test:reliability`
 * builds it first. RELIABILITY_SEED repeats a run's kill points.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite';
import type { SqliteStore } from '../../src/store/sqlite';
import type { Place } from '../../src/core/model';
import { tempDir } from '../helpers/temp-dir';
import {
  CHANNEL, TEAM, commandBody, seeded, signedHeaders, slackEnv, spawnServer, startFakeSlackApi, writeArtefact,
} from './harness';
import type { FakeSlackApi, ServerProcess } from './harness';
import { decisionsOf } from '../helpers/records';

const ROUNDS = 10;
const IN_FLIGHT = 4;
/** Acknowledgements a round waits for before the kill comes, at least. */
const MIN_ACKS = 20;
const SEED = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FORM = 'application/x-www-form-urlencoded';
const place: Place = { platform: 'slack', workspace: TEAM, channel: CHANNEL };

interface Ack {
  n: number;
  text: string;
  round: number;
}

interface RoundReport {
  round: number;
  acked: number;
  inFlightAtKill: number;
  firstNumber: number | null;
}

let api: FakeSlackApi;
let data: { dir: string; cleanup: () => void };
let server: ServerProcess | null = null;

beforeAll(async () => {
  api = await startFakeSlackApi({ record: false });
  data = tempDir('decisions-kill9-');
});

afterAll(async () => {
  if (server) await server.kill();
  await api.close();
  data.cleanup();
});

/** What the store holds for the channel, read from the SQLite file itself. */
async function readStore(): Promise<{ decisions: { number: number; text: string }[]; recordChanges: number; integrity: string }> {
  const store: SqliteStore = openSqliteStore(path.join(data.dir, 'decisions.sqlite'));
  try {
    const integrity = String(store.db.pragma('integrity_check', { simple: true }));
    const c = await store.findCase(place);
    if (!c) return { decisions: [], recordChanges: 0, integrity };
    const decisions = (await decisionsOf(store, c.id)).map((d) => ({ number: d.number, text: d.text }));
    const changes = await store.listChanges(c.id, '0000', '9999');
    return { decisions, recordChanges: changes.filter((ch) => /^recorded Decision \d+$/.test(ch.description)).length, integrity };
  } finally {
    await store.close();
  }
}

/** Every acknowledged decision is there as acknowledged; nothing else is there that was not sent whole. */
async function check(acked: Ack[], sent: Set<string>): Promise<number> {
  const { decisions, recordChanges, integrity } = await readStore();
  expect(integrity).toBe('ok');
  // Numbered 0..max: no duplicate, no gap.
  const numbers = decisions.map((d) => d.number).sort((a, b) => a - b);
  expect(numbers).toEqual(numbers.map((_, i) => i));
  // Every acknowledgement is there, with its number and its text.
  const byNumber = new Map(decisions.map((d) => [d.number, d.text]));
  const lost = acked.filter((a) => byNumber.get(a.n) !== a.text);
  expect(lost).toEqual([]);
  // Nothing half-written: every stored text is one we sent, whole, once, with its change record.
  expect(decisions.filter((d) => !sent.has(d.text))).toEqual([]);
  expect(new Set(decisions.map((d) => d.text)).size).toBe(decisions.length);
  expect(recordChanges).toBe(decisions.length);
  return decisions.length;
}

it(`survives kill -9 ten times mid-stream with every acknowledged decision kept (seed ${SEED})`, async () => {
  const started = Date.now();
  const rand = seeded(SEED);
  const acked: Ack[] = [];
  const sent = new Set<string>();
  const problems: string[] = [];
  const rounds: RoundReport[] = [];

  for (let round = 0; round < ROUNDS; round++) {
    server = await spawnServer({ dataDir: data.dir, env: slackEnv(api.apiUrl) });
    const s = server;
    // After each restart, before anything new: all that was acknowledged is there.
    await check(acked, sent);

    const killAfter = MIN_ACKS + Math.floor(rand() * 40);
    const killDelayMs = Math.floor(rand() * 20);
    let roundAcks = 0;
    let killing = false;
    let inFlight = 0;
    let inFlightAtKill = 0;
    let seq = 0;
    let firstNumber: number | null = null;

    const worker = async (): Promise<void> => {
      while (!killing) {
        const text = `We will survive round ${round}, command ${seq++} (${randomUUID()})`;
        sent.add(text);
        const body = commandBody(text, { responseUrl: api.responseUrl('kill9') });
        inFlight++;
        try {
          const res = await fetch(`${s.base}/slack/events`, { method: 'POST', headers: signedHeaders(body, FORM), body });
          const reply = await res.text();
          if (res.status !== 200) {
            problems.push(`round ${round}: HTTP ${res.status} ${reply.slice(0, 200)}`);
            continue;
          }
          const m = /Decision (\d+)\*? recorded/.exec(reply);
          if (!m) {
            problems.push(`round ${round}: no decision number in ${reply.slice(0, 200)}`);
            continue;
          }
          const n = Number(m[1]);
          firstNumber = firstNumber === null ? n : Math.min(firstNumber, n);
          acked.push({ n, text, round });
          roundAcks++;
          if (roundAcks === killAfter) {
            setTimeout(() => {
              killing = true;
              inFlightAtKill = inFlight;
              void s.kill();
            }, killDelayMs);
          }
        } catch (err) {
          // A request the kill cut off: not acknowledged, so it may or may not be stored.
          if (!killing) problems.push(`round ${round}: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          inFlight--;
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => worker()));
    await s.exited;
    server = null;
    expect(problems).toEqual([]);
    rounds.push({ round, acked: roundAcks, inFlightAtKill, firstNumber });
  }

  // One last restart: everything is still there, and the restarted server serves it.
  server = await spawnServer({ dataDir: data.dir, env: slackEnv(api.apiUrl) });
  const stored = await check(acked, sent);
  for (const a of [acked[0], acked[Math.floor(acked.length / 2)], acked[acked.length - 1]]) {
    if (!a) continue;
    const body = commandBody(`show ${a.n}`, { responseUrl: api.responseUrl('kill9') });
    const res = await fetch(`${server.base}/slack/events`, { method: 'POST', headers: signedHeaders(body, FORM), body });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(a.text);
  }
  expect(await server.stop()).toBe(0);
  server = null;

  // Numbers keep growing across restarts: each round's first acknowledgement comes after every earlier one.
  for (let i = 1; i < rounds.length; i++) {
    const earlier = Math.max(...acked.filter((a) => a.round < i).map((a) => a.n));
    expect(rounds[i]?.firstNumber ?? Infinity).toBeGreaterThan(earlier);
  }
  // No number was acknowledged twice.
  expect(new Set(acked.map((a) => a.n)).size).toBe(acked.length);

  const inFlight = rounds.reduce((sum, r) => sum + r.inFlightAtKill, 0);
  const figures = {
    rounds: ROUNDS, seed: SEED, acknowledged: acked.length, lost: 0, duplicates: 0, gaps: 0, stored,
    committedButCutOff: stored - acked.length, inFlightAtKills: inFlight, acknowledgedPerRound: rounds.map((r) => r.acked),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeArtefact('kill9.json', figures);
  console.log(`kill -9: ${ROUNDS} rounds (seed ${SEED}), ${acked.length} acknowledged, 0 lost, 0 duplicates, 0 gaps; ` +
    `${stored} stored (${figures.committedButCutOff} committed but cut off before their answer); ${inFlight} requests in flight at the kills; ${figures.seconds} s`);
});
