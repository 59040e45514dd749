/**
 * The servers under test, each in its own child process: ours (`node bin/decisions.js serve`)
 * and the baselines (dist/bench/servers/*.js). Start-up is timed from spawn to the first
 * answer; resident memory is read from /proc/<pid>/status.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** The repository root (this file runs from dist/bench/). */
export const ROOT = path.resolve(__dirname, '..', '..');

export type ServerKind = 'ours' | 'bare-bolt' | 'bare-botbuilder' | 'peer-bolt' | 'peer-botbuilder';

export interface Server {
  kind: ServerKind;
  pid: number;
  port: number;
  /** ms from spawn to the first answer. */
  readyMs: number;
  /** What the process wrote to stderr (for failures). */
  stderr(): string;
  stop(): Promise<void>;
}

const COMMANDS: Record<ServerKind, string[]> = {
  ours: [path.join(ROOT, 'bin', 'decisions.js'), 'serve'],
  'bare-bolt': [path.join(ROOT, 'dist', 'bench', 'servers', 'bare-bolt.js')],
  'bare-botbuilder': [path.join(ROOT, 'dist', 'bench', 'servers', 'bare-botbuilder.js')],
  'peer-bolt': [path.join(ROOT, 'dist', 'bench', 'servers', 'peer-bolt.js')],
  'peer-botbuilder': [path.join(ROOT, 'dist', 'bench', 'servers', 'peer-botbuilder.js')],
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Every server still running, so an interrupted run can stop them (see stopAll). */
const running = new Set<ChildProcess>();

/** Kills every server still running: for a run interrupted by a signal. */
export function stopAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** One request: resolves with the status, or null when nothing answers yet. */
function probe(port: number, pathname: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => { req.destroy(); resolve(null); });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Spawns a server and waits until it answers: ours when GET /healthz is 200 (the port is
 * open and the store is up), a baseline at its first HTTP answer of any kind.
 */
export async function startServer(kind: ServerKind, env: Record<string, string>, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<Server> {
  const port = await freePort();
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...COMMANDS[kind]], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-8000); });
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => { exited = code ?? -1; running.delete(child); resolve(); }));
  const stop = async () => {
    if (exited !== null) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exit;
    }
  };

  const until = t0 + (options.timeoutMs ?? 20_000);
  const healthPath = kind === 'ours' ? '/healthz' : '/';
  for (;;) {
    const status = await probe(port, healthPath);
    if (status !== null && (kind !== 'ours' || status === 200)) break;
    if (exited !== null || performance.now() > until) {
      await stop();
      throw new Error(`${kind} did not start (exit ${exited ?? 'none'}): ${stderr.trim().slice(-2000)}`);
    }
    await sleep(5);
  }
  const readyMs = performance.now() - t0;
  if (child.pid === undefined) throw new Error(`${kind} has no pid`);
  return { kind, pid: child.pid, port, readyMs, stderr: () => stderr, stop };
}

/** Resident memory of a process, in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the highest. */
export function sampleRss(pid: number, everyMs = 250): { stop(): number } {
  let max = rssMiB(pid);
  const timer = setInterval(() => {
    try {
      max = Math.max(max, rssMiB(pid));
    } catch {
      // The process has gone; keep what we saw.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        max = Math.max(max, rssMiB(pid));
      } catch {
        // As above.
      }
      return max;
    },
  };
}

export { sleep };
