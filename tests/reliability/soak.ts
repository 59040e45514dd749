/**
 * The soak: the real server (`node bin/decisions.js serve`: Slack over HTTP with a fake Web
 * API, Teams in local mode with a fake connector, both on 127.0.0.1) at a steady rate, its
 * resident memory read from /proc every 30 seconds.
 *
 *   npm run soak                                  # 20 minutes at 20 requests a second
 *   SOAK_MINUTES=5 SOAK_RATE=20 npm run soak
 *
 * It fails (exit 1) on any error (a request not answered as it should be, a Teams message
 * without its one reply, an error in the server's log, an unclean stop) or when resident
 * memory grows by more than SOAK_MAX_SLOPE_MB (default 1) MiB a minute over the second
 * half of the run, after warm-up (a least-squares slope). The server runs with --trace-gc,
 * so each sample also has V8's heap after its latest full collection: what is live, and
 * what V8 holds. After the load it samples SOAK_IDLE_SECONDS (default 60) more, idle.
 * Figures go to stdout and to tests/artefacts/reliability/soak.json.
 *
 * Not a Jest test and not run by .ci/run: the build compiles it to dist/tests/reliability/soak.js.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CHANNEL, TEAMS_CHANNEL, commandBody, memoryKiB, signedHeaders, slackEnv, slope, spawnServer, startFakeConnector,
  startFakeSlackApi, teamsMessage, writeArtefact,
} from './harness';
import type { Sent } from './harness';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 20);
const RATE = Number(process.env.SOAK_RATE ?? 20);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30);
const MAX_SLOPE_MB = Number(process.env.SOAK_MAX_SLOPE_MB ?? 1);
const IDLE_SECONDS = Number(process.env.SOAK_IDLE_SECONDS ?? 60);
/** Conversations on each platform the load is spread over at a time. */
const PLACES = 20;
/**
 * Every this many minutes the load moves to fresh conversations, as if new teams started
 * using the bot: each case stays the size of a real one (about a dozen decisions a minute's
 * worth), so the work per request is steady and memory that keeps growing is a leak, not a
 * bigger case. 0: the same conversations all run long (cases grow without end).
 */
const ROTATE_MINUTES = Number(process.env.SOAK_ROTATE_MINUTES ?? 1);
/** A request not answered in this long is an error. */
const TIMEOUT_MS = 10_000;
const FORM = 'application/x-www-form-urlencoded';

interface Sample {
  atSeconds: number;
  /** Resident memory, MiB: all of it, then its anonymous and file-backed parts. */
  rssMiB: number;
  anonMiB: number;
  fileMiB: number;
  /** V8's heap after the latest full collection (--trace-gc): live objects, and the heap V8 holds. */
  liveHeapMiB: number | null;
  heldHeapMiB: number | null;
  answered: number;
}

/** The latest "Mark-Compact 41.2 (73.1) -> 30.6 (72.4) MB" line: 30.6 live, 72.4 held. */
function lastFullGc(output: string): { live: number; held: number } | null {
  const all = [...output.matchAll(/Mark-Compact[^\n]*?-> ([\d.]+) \(([\d.]+)\) MB/g)];
  const m = all[all.length - 1];
  return m ? { live: Number(m[1]), held: Number(m[2]) } : null;
}

const mib = (kib: number): number => Math.round(kib / 102.4) / 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The words of request i: 8 in 20 record a decision, then evidence, list, show, search and help. */
function words(i: number, last: number | undefined): string {
  const r = Math.floor(i / 2) % 20;
  if (r < 8 || last === undefined) return `We will keep request ${i} (${randomUUID().slice(0, 8)})`;
  if (r < 12) return `evidence ${last} Seen in soak request ${i}`;
  if (r < 15) return 'list';
  if (r < 17) return `show ${last}`;
  if (r < 19) return `search request ${i - 2}`;
  return 'help';
}

async function main(): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const errors: string[] = [];
  const error = (what: string) => {
    if (errors.length < 50) errors.push(what);
    else errors.push('…');
  };
  /** The latest decision in each conversation, from the answers. */
  const last = new Map<string, number>();

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-soak-'));
  const api = await startFakeSlackApi({ record: false });
  // Teams replies come through the connector: read each one's summary, keep none.
  const connector = await startFakeConnector({
    record: false,
    onActivity: (a: Sent) => {
      const summary = String(a.body.summary ?? '');
      const conversation = String((a.body.conversation as { id?: string } | undefined)?.id ?? '').replace(/;messageid=.*$/, '');
      if (/^Sorry/.test(summary)) error(`Teams reply: ${summary.slice(0, 120)}`);
      const m = /^Decision (\d+) recorded/.exec(summary);
      if (m) last.set(`t${conversation}`, Math.max(Number(m[1]), last.get(`t${conversation}`) ?? 0));
    },
  });
  const server = await spawnServer({ dataDir, env: { ...slackEnv(api.apiUrl), TEAMS_LOCAL: '1' }, keepOutput: 2_000_000, nodeArgs: ['--trace-gc'] });
  const started = Date.now();
  out(`soak: ${MINUTES} min at ${RATE} requests/s (half Slack, half Teams) over ${PLACES} + ${PLACES} conversations ` +
    `${ROTATE_MINUTES > 0 ? `(fresh ones every ${ROTATE_MINUTES} min)` : '(the same ones all along)'} against pid ${server.pid}; RSS every ${SAMPLE_SECONDS} s`);

  const latencies: number[] = [];
  let sent = 0;
  let answered = 0;
  let teams = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  /** The conversation request i goes to: one of PLACES, in the current generation. */
  const place = (i: number): string => {
    const generation = ROTATE_MINUTES > 0 ? Math.floor((i / RATE / 60) / ROTATE_MINUTES) : 0;
    return `${generation}x${i % PLACES}`;
  };

  async function slack(i: number): Promise<void> {
    const channel = `${CHANNEL}${place(i)}`;
    const text = words(i, last.get(`s${channel}`));
    const body = commandBody(text, { channel, responseUrl: api.responseUrl('soak') });
    const res = await fetch(`${server.base}/slack/events`, { method: 'POST', headers: signedHeaders(body, FORM), body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const reply = await res.text();
    if (res.status !== 200 || reply === '' || reply.includes(':warning:')) return error(`Slack "${text.slice(0, 30)}": HTTP ${res.status} ${reply.slice(0, 120)}`);
    const m = /Decision (\d+) recorded/.exec(reply);
    if (text.startsWith('We will')) {
      if (!m) return error(`Slack record: no decision number in ${reply.slice(0, 120)}`);
      last.set(`s${channel}`, Math.max(Number(m[1]), last.get(`s${channel}`) ?? 0));
    }
  }

  async function teamsMessageOf(i: number): Promise<void> {
    const conversation = TEAMS_CHANNEL.replace('@', `-${place(i)}@`);
    const text = words(i, last.get(`t${conversation}`));
    teams++;
    const activity = teamsMessage(text, { serviceUrl: connector.serviceUrl, conversationId: conversation });
    const res = await fetch(`${server.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity), signal: AbortSignal.timeout(TIMEOUT_MS) });
    const reply = await res.text();
    if (res.status !== 200) error(`Teams "${text.slice(0, 30)}": HTTP ${res.status} ${reply.slice(0, 120)}`);
  }

  const samples: Sample[] = [];
  const sample = () => {
    try {
      const m = memoryKiB(server.pid);
      const gc = lastFullGc(server.output());
      const s: Sample = {
        atSeconds: Math.round((Date.now() - started) / 1000), rssMiB: mib(m.rss), anonMiB: mib(m.anon), fileMiB: mib(m.file),
        liveHeapMiB: gc?.live ?? null, heldHeapMiB: gc?.held ?? null, answered,
      };
      samples.push(s);
      out(`  ${String(s.atSeconds).padStart(5)} s  RSS ${s.rssMiB.toFixed(1)} MiB (anonymous ${s.anonMiB.toFixed(1)}, file ${s.fileMiB.toFixed(1)}); ` +
        `heap after full GC ${s.liveHeapMiB ?? '-'} live, ${s.heldHeapMiB ?? '-'} held; ${s.answered} answered, ${errors.length} errors, ${inFlight} in flight`);
    } catch (err) {
      error(`could not read the server's memory: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_SECONDS * 1000);

  // A steady rate, open loop: request i goes at started + i / RATE, however the answers come.
  const end = started + MINUTES * 60_000;
  const pending = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const due = started + (i * 1000) / RATE;
    if (due >= end) break;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      error('the server exited');
      break;
    }
    sent++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const t0 = Date.now();
    const work: Promise<void> = (i % 2 === 0 ? slack(i) : teamsMessageOf(i))
      .then(() => { latencies.push(Date.now() - t0); }, (err: unknown) => error(`request ${i}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        inFlight--;
        answered++;
        pending.delete(work);
      });
    pending.add(work);
  }
  await Promise.all([...pending]);
  sample();
  clearInterval(sampler);
  const loaded = samples.length;
  // Idle: what the server gives back once the load stops.
  for (let waited = 0; waited < IDLE_SECONDS; waited += SAMPLE_SECONDS) {
    await new Promise((r) => setTimeout(r, Math.min(SAMPLE_SECONDS, IDLE_SECONDS - waited) * 1000));
    sample();
  }
  const idle = samples.slice(loaded);

  // One reply through the connector for each Teams message.
  if (connector.count() !== teams) error(`Teams: ${teams} messages, ${connector.count()} replies through the connector`);
  const logged = server.output().split('\n').filter((l) => l.trim().startsWith('{'));
  const logErrors = logged.filter((l) => /"level":(50|60)/.test(l));
  for (const l of logErrors.slice(0, 5)) error(`server log: ${l.slice(0, 200)}`);
  const warnings = logged.filter((l) => /"level":40/.test(l));
  const stopped = await server.stop();
  if (stopped !== 0) error(`the server stopped with ${String(stopped)} on SIGTERM`);
  await api.close();
  await connector.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  // Memory: the slope over the second half of the run (after warm-up), in MiB a minute.
  const underLoad = samples.slice(0, loaded);
  const secondHalf = underLoad.filter((s) => s.atSeconds >= (MINUTES * 60) / 2);
  const slopeOf = (pick: (s: Sample) => number | null, of: Sample[]) =>
    Math.round(slope(of.filter((s) => pick(s) !== null).map((s) => ({ x: s.atSeconds / 60, y: pick(s) ?? 0 }))) * 1000) / 1000;
  const slopeMiB = slopeOf((s) => s.rssMiB, secondHalf);
  const sorted = [...latencies].sort((a, b) => a - b);
  const rss = underLoad.map((s) => s.rssMiB);
  const figures = {
    when: new Date(started).toISOString(),
    minutes: MINUTES,
    ratePerSecond: RATE,
    conversations: { perPlatform: PLACES, freshEveryMinutes: ROTATE_MINUTES },
    requests: sent,
    slack: sent - teams,
    teams,
    teamsReplies: connector.count(),
    errors: errors.length,
    errorSamples: errors,
    serverWarnings: warnings.length,
    serverWarningSamples: warnings.slice(0, 5),
    serverErrors: logErrors.length,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0 },
    maxInFlight,
    rssMiB: { first: rss[0] ?? 0, last: rss[rss.length - 1] ?? 0, min: Math.min(...rss), max: Math.max(...rss), afterIdle: idle[idle.length - 1]?.rssMiB ?? null },
    slopeMiBPerMinute: {
      limit: MAX_SLOPE_MB,
      rssSecondHalf: slopeMiB,
      rssWholeRun: slopeOf((s) => s.rssMiB, underLoad),
      anonymousSecondHalf: slopeOf((s) => s.anonMiB, secondHalf),
      liveHeapSecondHalf: slopeOf((s) => s.liveHeapMiB, secondHalf),
      heldHeapSecondHalf: slopeOf((s) => s.heldHeapMiB, secondHalf),
    },
    heapAfterFullGcMiB: {
      live: { first: underLoad.find((s) => s.liveHeapMiB !== null)?.liveHeapMiB ?? null, last: underLoad[underLoad.length - 1]?.liveHeapMiB ?? null, afterIdle: idle[idle.length - 1]?.liveHeapMiB ?? null },
      held: { last: underLoad[underLoad.length - 1]?.heldHeapMiB ?? null, afterIdle: idle[idle.length - 1]?.heldHeapMiB ?? null },
    },
    samples,
    machine: { cpus: os.cpus().length, memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, node: process.version, os: `${os.type()} ${os.release()}` },
  };
  const file = writeArtefact('soak.json', figures);

  out(`soak: ${sent} requests (${figures.slack} Slack, ${teams} Teams, ${connector.count()} Teams replies) in ${MINUTES} min; ${errors.length} errors; ` +
    `latency p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms`);
  out(`soak: RSS first ${figures.rssMiB.first} MiB, last ${figures.rssMiB.last} MiB, max ${figures.rssMiB.max} MiB, ` +
    `${figures.rssMiB.afterIdle ?? '-'} MiB after ${IDLE_SECONDS} s idle; slope over the second half ${slopeMiB} MiB/min (limit ${MAX_SLOPE_MB}); ` +
    `live heap after full GC ${figures.heapAfterFullGcMiB.live.first} -> ${figures.heapAfterFullGcMiB.live.last} MiB ` +
    `(${figures.slopeMiBPerMinute.liveHeapSecondHalf} MiB/min over the second half); figures in ${file}`);
  for (const e of errors) out(`  error: ${e}`);
  const ok = errors.length === 0 && slopeMiB <= MAX_SLOPE_MB;
  out(ok ? 'soak: passed' : 'soak: FAILED');
  return ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`soak: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
