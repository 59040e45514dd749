/**
 * Two real OS processes committing into one case of one SQLite file at once, the way core
 * does: read the case, decide the next decision number, commit conditionally on the
 * version read, and read again when the commit loses. Only the version check keeps them
 * apart, so the file must end with every number exactly once.
 *
 * The children run tests/store/helpers/commit-worker.js, plain JavaScript over the
 * compiled store in dist/ (`npm test` builds it before jest runs).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCase } from '../../src/core/cases';
import type { Place } from '../../src/core/model';
import { openSqliteStore } from '../../src/store/sqlite';

const ROOT = join(__dirname, '..', '..');
const COMPILED = join(ROOT, 'dist', 'src', 'store', 'sqlite', 'index.js');
const SOURCES = join(ROOT, 'src', 'store', 'sqlite');
const WORKER = join(__dirname, 'helpers', 'commit-worker.js');
const OPENER = join(__dirname, 'helpers', 'open-worker.js');
const PER_PROCESS = 30;
const PLACE: Place = { platform: 'slack', workspace: 'T1', channel: 'C-SHARED' };
const NOW = '2025-03-03T09:00:00.000Z';

/** Refuses to run the children over a missing or stale build, saying what to do. */
function checkBuild(): void {
  if (!existsSync(COMPILED)) {
    throw new Error(`${COMPILED} is missing: run \`npm run build\` before jest (npm test does it for you).`);
  }
  const built = statSync(COMPILED).mtimeMs;
  const newer = readdirSync(SOURCES).filter((f) => f.endsWith('.ts') && statSync(join(SOURCES, f)).mtimeMs > built);
  if (newer.length > 0) {
    throw new Error(`dist/ is older than src/store/sqlite/${newer[0]}: run \`npm run build\` before jest (npm test does it for you).`);
  }
}

interface Child {
  ready: Promise<void>;
  go: () => void;
  done: Promise<{ numbers: number[]; retries: number }>;
}

function start(file: string, tag: string): Child {
  const child = spawn(process.execPath, [WORKER, file, PLACE.channel, String(PER_PROCESS), tag], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (err.includes('ready\n')) markReady();
  });
  const done = new Promise<{ numbers: number[]; retries: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as { numbers: number[]; retries: number });
      else reject(new Error(`child ${tag} exited with ${code}: ${err}`));
    });
  });
  // A child that dies before it is ready fails the test rather than hanging it.
  return { ready: Promise.race([ready, done.then(() => undefined)]), go: () => child.stdin.end('go\n'), done };
}

describe('SQLite store: two processes on one file', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'decisions-sqlite-processes-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** One round on a new file; returns how often the authors alternate and how many commits lost. */
  async function round(file: string): Promise<{ turns: number; retries: number }> {
    const setup = openSqliteStore(file);
    try {
      const fresh = newCase({ id: 'shared', place: PLACE, now: NOW });
      expect(await setup.commit({
        case: { ...fresh, version: 1 }, expectedVersion: null,
        putSprints: [{ number: 1, suffix: '', intro: '', startsOn: null }], deleteSprints: [],
        putDecisions: [], deleteDecisions: [], putEvidence: [], deleteEvidence: [], addChanges: [], undone: [],
      })).toBe(true);
    } finally {
      await setup.close();
    }

    // Each child opens the store, says "ready" and waits: both start at the same moment
    // however long each took to load.
    const children = [start(file, 'proc-a'), start(file, 'proc-b')];
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const [a, b] = await Promise.all(children.map((c) => c.done));

    expect(a.numbers).toHaveLength(PER_PROCESS);
    expect(b.numbers).toHaveLength(PER_PROCESS);
    const all = Array.from({ length: 2 * PER_PROCESS }, (_, i) => i);
    expect([...a.numbers, ...b.numbers].sort((x, y) => x - y)).toEqual(all);

    const check = openSqliteStore(file);
    try {
      const snap = await check.snapshot('shared');
      const decisions = snap?.decisions ?? [];
      expect(decisions.map((d) => d.number)).toEqual(all);
      // One creation plus one version per decision: no commit was lost or counted twice.
      expect(snap?.case.version).toBe(1 + 2 * PER_PROCESS);
      // Each process's decisions are the ones it was told it committed, in its own order.
      for (const [tag, got] of [['proc-a', a], ['proc-b', b]] as const) {
        expect(got.numbers).toEqual([...got.numbers].sort((x, y) => x - y));
        expect(got.numbers.map((n) => decisions[n].text)).toEqual(Array.from({ length: PER_PROCESS }, (_, i) => `${tag} ${i}`));
        expect(got.numbers.map((n) => decisions[n].author.id)).toEqual(got.numbers.map(() => tag));
      }
      // Exactly one change per committed decision, at versions 2..61, none from a lost commit.
      const changes = await check.changesAfter('shared', 0);
      expect(changes.map((ch) => ch.version)).toEqual(all.map((n) => n + 2));
      expect(changes.map((ch) => ch.description)).toEqual(all.map((n) => `recorded Decision ${n}`));
      expect(changes.map((ch) => ch.touches)).toEqual(all.map((n) => [`decision.${n}`]));
      let turns = 0;
      for (let n = 1; n < decisions.length; n += 1) {
        if (decisions[n].author.id !== decisions[n - 1].author.id) turns += 1;
      }
      return { turns, retries: a.retries + b.retries };
    } finally {
      await check.close();
    }
  }

  it('each running 30 read-decide-commit-retry loops, they leave decisions 0..59 exactly once each', async () => {
    checkBuild();
    // Every round must keep the invariants above. That the two really ran at once (their
    // decisions interleave and some commits lost) is up to the OS's scheduling: on a loaded
    // machine one child may finish before the other wakes, so such a round is run again.
    let overlapped = false;
    for (let n = 0; n < 4 && !overlapped; n += 1) {
      const { turns, retries } = await round(join(dir, `shared-${n}.db`));
      overlapped = turns > 2 && retries > 0;
    }
    expect(overlapped).toBe(true);
  }, 120_000);

  it('several opening one new file at the same moment all start: none is refused as locked', async () => {
    checkBuild();
    const files = Array.from({ length: 30 }, (_, i) => join(dir, `new-${i}.db`));
    // Every child opens file i at the same instant, one file every 120 ms.
    const at = Date.now() + 1500;
    const runs = Array.from({ length: 4 }, () => new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, [OPENER, String(at), '120', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`opener exited with ${code}: ${err}`))));
    }));
    const lines = (await Promise.all(runs)).flat();
    expect(lines.filter((l) => l !== 'ok')).toEqual([]);
    expect(lines).toHaveLength(4 * files.length);
    const check = openSqliteStore(files[0]);
    try {
      expect(await check.snapshot('none')).toBeNull();
    } finally {
      await check.close();
    }
  }, 60_000);
});
