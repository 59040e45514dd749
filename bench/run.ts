/**
 * `npm run bench`: every figure of issue 8, each a ratio against a baseline measured in this
 * run on this machine. Prints a table and writes bench/results.json.
 *
 * - Slack: signed `/decision <text>` (a unique text each time) through our real server
 *   (`node bin/decisions.js serve`, SQLite store) against a bare Bolt app that only acks the
 *   same signed command (bench/servers/bare-bolt.ts): p50, p99 and requests per second at a
 *   fixed rate and at saturation.
 * - Teams: a personal-chat message activity through /api/messages against a bare botbuilder
 *   bot that only echoes (bench/servers/bare-botbuilder.ts); both reply through a fake Bot
 *   Connector in this process.
 * - Start-up (spawn to first answer, median of 5) and resident memory (idle, and the most
 *   under the Slack saturation load) against the bare Bolt app.
 * - Digest and Markdown export of a 10,000-decision case against reading its rows from
 *   SQLite alone (dist/bench/digest.js).
 * - The scheduler fan-out (dist/bench/fanout.js), and one tick over 100,000 cases of which
 *   1,000 are due against the same over only those 1,000 (dist/bench/tick.js).
 * - The case page of a 2,000-decision case with the timeline against the same page without
 *   it (dist/bench/case-page.js).
 *
 * Ours, the floor and the peer run in turn (A/B/C/A/B/C), each round on a fresh server and a fresh
 * data directory, and the figures are medians over rounds, so drift from other load on the
 * machine falls on both. Environment: BENCH_ROUNDS (default 2), BENCH_SECONDS (default 10),
 * BENCH_ONLY (comma-separated: slack, teams, startup, digest, fanout, tick, casepage).
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { atLeast, atMost, entry, median, reportOnly, round, table } from './common';
import type { Entry } from './common';
import { startFakeSlack } from './fake-slack';
import { startFakeConnector } from './fake-connector';
import { runLoad } from './load';
import type { LoadResult } from './load';
import { ROOT, rssMiB, sampleRss, sleep, startServer, stopAll } from './procs';
import type { ServerKind } from './procs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ALL = ['slack', 'teams', 'startup', 'digest', 'fanout', 'tick', 'casepage'];
const ONLY = new Set((process.env.BENCH_ONLY ?? ALL.join(',')).split(',').map((s) => s.trim()));
const CONNECTIONS = 10;
const FIXED_RATE = 100;
const WARMUP_SECONDS = 3;
const STARTS = 5;
const CHANNELS = 50;

/**
 * Bounds on each ratio. Issue 8 set the p99s, the fixed-rate throughput and the digest; issue
 * 16 the peers, the saturation throughput against each framework's floor (a bare app does
 * no work, so the bound is lower for Slack, whose floor only acks) and the memory under load.
 */
const TARGETS = {
  p99: atMost(1.25), throughput: atLeast(0.8), digest: atMost(3), rssUnderLoad: atMost(1.25), peerP99: atMost(1), peerThroughput: atLeast(1),
  saturationThroughput: { slack: atLeast(0.35), teams: atLeast(0.8) },
};

const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const log = (line: string) => process.stderr.write(`${line}\n`);

// ---- requests ----

/** A signed `/decision We will …` as Slack sends it, unique per request, signed as it is sent. */
function slackCommand(n: number): { headers: Record<string, string>; body: string } {
  const user = `U0BENCH${n % 5}`;
  const body = new URLSearchParams({
    token: 'deprecated-verification-token', team_id: 'T0BENCH', team_domain: 'bench',
    channel_id: `C0BENCH${String(n % CHANNELS).padStart(2, '0')}`, channel_name: 'bench', user_id: user, user_name: user.toLowerCase(),
    command: '/decision', text: `We will ship benchmark change ${n} behind a feature flag`, api_app_id: 'A0BENCH', is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/commands/T0BENCH/1', trigger_id: `trigger-${n}`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature }, body };
}

/** A message in a personal chat with the bot (no mention needed), as Teams posts it. */
function teamsMessage(serviceUrl: string): (n: number) => { headers: Record<string, string>; body: string } {
  return (n) => {
    const chat = `a:bench-personal-${n % CHANNELS}`;
    const user = { id: `29:bench-${n % 5}`, name: `Bench User ${n % 5}`, aadObjectId: `aad-bench-${n % 5}` };
    const activity = {
      type: 'message', id: `bench-${n}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl,
      from: user, recipient: { id: '28:decisions-bot', name: 'Decisions' },
      conversation: { id: chat, conversationType: 'personal', tenantId: 'tenant-bench' },
      channelData: { tenant: { id: 'tenant-bench' } }, locale: 'en-GB',
      text: `We will ship benchmark change ${n} behind a feature flag`, entities: [],
    };
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) };
  };
}

// ---- one server, one round ----

interface RoundResult {
  idleRss: number;
  fixed: LoadResult;
  saturation: LoadResult;
  maxRss: number;
}

function describeLoad(r: LoadResult): string {
  const problems = r.non2xx + r.errors + r.timeouts;
  return `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.rps.toFixed(0)} req/s${problems ? `, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : ''}`;
}

async function round1(kind: ServerKind, env: Record<string, string>, route: string, request: (n: number) => { headers: Record<string, string>; body: string }): Promise<RoundResult> {
  const dataDir = fs.mkdtempSync(`${os.tmpdir()}/decisions-bench-`);
  const server = await startServer(kind, { ...env, DATA_DIR: dataDir });
  try {
    await sleep(2000);
    const idleRss = rssMiB(server.pid);
    const url = `http://127.0.0.1:${server.port}`;
    let offset = 0;
    const load = async (seconds: number, overallRate?: number) => {
      const base = offset;
      offset += 1_000_000;
      const r = await runLoad({ url, path: route, connections: CONNECTIONS, durationSeconds: seconds, ...(overallRate ? { overallRate } : {}), request: (n) => request(base + n) });
      if (r.ok === 0) throw new Error(`${kind}: no request succeeded (${describeLoad(r)}); stderr: ${server.stderr().slice(-2000)}`);
      return r;
    };
    await load(WARMUP_SECONDS);
    const fixed = await load(SECONDS, FIXED_RATE);
    const rss = sampleRss(server.pid, 250);
    const saturation = await load(SECONDS);
    const maxRss = rss.stop();
    log(`  ${kind.padEnd(15)} fixed ${describeLoad(fixed)} | saturation ${describeLoad(saturation)} | RSS idle ${idleRss.toFixed(1)} MiB, max ${maxRss.toFixed(1)} MiB`);
    return { idleRss, fixed, saturation, maxRss };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Ours, the framework's floor and the peer doing the same job, in turn, ROUNDS times each. */
async function abRounds(floor: ServerKind, peer: ServerKind, env: Record<string, string>, route: string, request: (n: number) => { headers: Record<string, string>; body: string }): Promise<{ ours: RoundResult[]; base: RoundResult[]; peer: RoundResult[] }> {
  const ours: RoundResult[] = [];
  const base: RoundResult[] = [];
  const peers: RoundResult[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    log(` round ${r + 1} of ${ROUNDS}`);
    ours.push(await round1('ours', env, route, request));
    base.push(await round1(floor, env, route, request));
    peers.push(await round1(peer, env, route, request));
  }
  return { ours, base, peer: peers };
}

/** Ours against the peer that does the same job (records durably, answers with a card): saturation only. */
function peerEntries(prefix: string, runs: { ours: RoundResult[]; peer: RoundResult[] }, note: string): Entry[] {
  const m = (rs: RoundResult[], f: (r: RoundResult) => number) => median(rs.map(f));
  const n = `${note}; as fast as ${CONNECTIONS} connections go for ${SECONDS} s; median of ${runs.ours.length} rounds`;
  return [
    entry(`${prefix}.peer.saturation.p99_ms`, m(runs.ours, (r) => r.saturation.p99), m(runs.peer, (r) => r.saturation.p99), TARGETS.peerP99, { unit: 'ms', note: n, places: 3 }),
    entry(`${prefix}.peer.saturation.rps`, m(runs.ours, (r) => r.saturation.rps), m(runs.peer, (r) => r.saturation.rps), TARGETS.peerThroughput, { unit: 'req/s', note: n, places: 1 }),
  ];
}

function loadEntries(prefix: 'slack' | 'teams', runs: { ours: RoundResult[]; base: RoundResult[] }, note: string): Entry[] {
  const m = (rs: RoundResult[], f: (r: RoundResult) => number) => median(rs.map(f));
  const out: Entry[] = [];
  for (const phase of ['fixed', 'saturation'] as const) {
    const what = phase === 'fixed' ? `${FIXED_RATE} req/s for ${SECONDS} s` : `as fast as ${CONNECTIONS} connections go for ${SECONDS} s`;
    const n = `${note}; ${what}, ${CONNECTIONS} connections; median of ${runs.ours.length} rounds`;
    out.push(
      entry(`${prefix}.${phase}.p50_ms`, m(runs.ours, (r) => r[phase].p50), m(runs.base, (r) => r[phase].p50), reportOnly, { unit: 'ms', note: n, places: 3 }),
      entry(`${prefix}.${phase}.p99_ms`, m(runs.ours, (r) => r[phase].p99), m(runs.base, (r) => r[phase].p99), TARGETS.p99, { unit: 'ms', note: n, places: 3 }),
      entry(`${prefix}.${phase}.rps`, m(runs.ours, (r) => r[phase].rps), m(runs.base, (r) => r[phase].rps), phase === 'fixed' ? TARGETS.throughput : TARGETS.saturationThroughput[prefix], { unit: 'req/s', note: n, places: 1 }),
    );
  }
  return out;
}

// ---- the children that print their own figures ----

function childEntries(script: string, timeoutMs: number): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'dist', 'bench', script)], { cwd: ROOT, timeout: timeoutMs, maxBuffer: 10_000_000 }, (err, stdout, stderr) => {
      if (stderr.trim()) log(`  ${stderr.trim().split('\n').join('\n  ')}`);
      try {
        resolve(JSON.parse(stdout) as Entry[]);
      } catch {
        reject(new Error(`${script} printed no figures${err ? ` (${err.message})` : ''}: ${stderr.slice(-2000)}`));
      }
    });
  });
}

// ---- the run ----

async function main(): Promise<void> {
  const t0 = performance.now();
  const entries: Entry[] = [];
  const slack = await startFakeSlack({ perChannelMs: 0 });
  const connector = await startFakeConnector();
  const env = {
    SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'warn',
    // Teams unauthenticated, as the bare botbuilder bot it is measured against.
    TEAMS_LOCAL: '1',
  };
  log(`bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  try {
    if (ONLY.has('slack')) {
      log('Slack: signed /decision, ours against bare Bolt and the peer Bolt + SQLite app');
      const runs = await abRounds('bare-bolt', 'peer-bolt', env, '/slack/events', slackCommand);
      entries.push(...loadEntries('slack', runs, 'signed /decision <unique text> to /slack/events; ours records a decision on SQLite, the bare Bolt app only acks'));
      entries.push(...peerEntries('slack', runs, 'signed /decision <unique text> to /slack/events; both record the decision on SQLite (WAL, synchronous=FULL) and answer with Block Kit; the peer is bench/servers/peer-bolt.ts'));
      const idle = { ours: median(runs.ours.map((r) => r.idleRss)), base: median(runs.base.map((r) => r.idleRss)) };
      const load = { ours: median(runs.ours.map((r) => r.maxRss)), base: median(runs.base.map((r) => r.maxRss)) };
      entries.push(
        entry('memory.idle_rss_mib', idle.ours, idle.base, reportOnly, { unit: 'MiB', note: 'VmRSS 2 s after start, against the bare Bolt app; median of rounds', places: 1 }),
        entry('memory.slack_load_rss_mib', load.ours, load.base, TARGETS.rssUnderLoad, { unit: 'MiB', note: 'highest VmRSS sampled every 250 ms during the Slack saturation run, against the bare Bolt app; median of rounds', places: 1 }),
      );
    }
    if (ONLY.has('teams')) {
      log('Teams: a personal-chat message to /api/messages, ours against a bare botbuilder echo bot and the peer botbuilder + SQLite bot');
      const before = connector.accepted();
      const runs = await abRounds('bare-botbuilder', 'peer-botbuilder', env, '/api/messages', teamsMessage(connector.serviceUrl));
      entries.push(...loadEntries('teams', runs, 'a personal-chat message activity to /api/messages; ours records a decision on SQLite and replies with a card, the bare bot echoes; both reply through a fake Bot Connector'));
      entries.push(...peerEntries('teams', runs, 'a personal-chat message activity to /api/messages; both record the decision on SQLite (WAL, synchronous=FULL) and reply with an Adaptive Card through a fake Bot Connector; the peer is bench/servers/peer-botbuilder.ts'));
      log(`  the fake Bot Connector accepted ${connector.accepted() - before} replies`);
    }
    if (ONLY.has('startup')) {
      log(`Start-up: spawn to first answer, ${STARTS} times each, alternately`);
      const dataDir = fs.mkdtempSync(`${os.tmpdir()}/decisions-bench-start-`);
      const times = { ours: [] as number[], base: [] as number[] };
      try {
        // Once first, so every timed start opens an existing SQLite file, as a restart does.
        await (await startServer('ours', { ...env, DATA_DIR: dataDir })).stop();
        for (let i = 0; i < STARTS; i += 1) {
          for (const kind of ['ours', 'bare-bolt'] as const) {
            const s = await startServer(kind, { ...env, DATA_DIR: dataDir });
            (kind === 'ours' ? times.ours : times.base).push(s.readyMs);
            await s.stop();
          }
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      log(`  ours ${times.ours.map((t) => t.toFixed(0)).join(' ')} ms; bare Bolt ${times.base.map((t) => t.toFixed(0)).join(' ')} ms`);
      entries.push(entry('startup_ms', median(times.ours), median(times.base), reportOnly, {
        unit: 'ms', note: `spawn to the first 200 from /healthz (ours) or the first HTTP answer (bare Bolt); median of ${STARTS}`, places: 0,
      }));
    }
    if (ONLY.has('digest')) {
      log('Digest: 10,000 decisions, 30,000 evidence, 200 sprints');
      entries.push(...await childEntries('digest.js', 180_000));
    }
    if (ONLY.has('fanout')) {
      log('Fan-out: 1,000 cases due in the same minute');
      entries.push(...await childEntries('fanout.js', 180_000));
    }
    if (ONLY.has('tick')) {
      log('Scheduler tick: 100,000 cases, 1,000 due this minute');
      entries.push(...await childEntries('tick.js', 600_000));
    }
    if (ONLY.has('casepage')) {
      log('Case page: 2,000 decisions over 100 sprints, with the timeline and without');
      entries.push(...await childEntries('case-page.js', 300_000));
    }
  } finally {
    await slack.close();
    await connector.close();
  }

  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`\n${table(entries)}\n\n`);
  const missed = entries.filter((e) => e.met === false);
  process.stdout.write(`${entries.length} figures, ${entries.filter((e) => e.met !== null).length} with a target, ${missed.length} missed${missed.length ? ` (${missed.map((e) => e.name).join(', ')})` : ''}; ran in ${round(seconds, 0)} s; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  if (ALL.every((k) => ONLY.has(k))) {
    const file = path.join(ROOT, 'bench', 'results.json');
    fs.writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`);
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  }
}

// Interrupted: take the servers down too, and leave bench/results.json as it was.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.stderr.write(`bench: stopped by ${signal}; bench/results.json left as it was\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
