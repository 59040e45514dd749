/**
 * Storage faults made for real, without root where possible: another process holding
 * SQLite's write lock, and a file this process may not write.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HOLDER = path.join(__dirname, 'hold-lock.js');

export interface HeldLock {
  /** When the holder had the lock (Date.now()). */
  heldAt: number;
  /** Resolves with Date.now() once the holder let go and exited. */
  released: Promise<number>;
}

/** Starts a process that holds the write lock on `file` for `ms`; resolves once it holds it. */
export function holdLock(file: string, ms: number): Promise<HeldLock> {
  const child = spawn(process.execPath, [HOLDER, file, String(ms)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 && out.includes('released\n') ? resolve(Date.now()) : reject(new Error(`the lock holder exited with ${code}: ${err}`))));
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const before = out;
      out += d.toString();
      if (!before.includes('held\n') && out.includes('held\n')) resolve({ heldAt: Date.now(), released: exited });
    });
    exited.catch(reject);
  });
}

/**
 * How a file is made read-only here: chmod for an ordinary user; as root, whom chmod does
 * not stop, the immutable attribute (chattr +i) where the filesystem has it. `null` with
 * the reason when neither works, so the tests that need it are skipped saying why.
 */
function findMethod(): { lock: (file: string) => void; unlock: (file: string) => void } | { none: string } {
  const root = process.getuid?.() === 0;
  const lock = root ? (f: string) => execFileSync('chattr', ['+i', f], { stdio: 'ignore' }) : (f: string) => fs.chmodSync(f, 0o444);
  const unlock = root ? (f: string) => execFileSync('chattr', ['-i', f], { stdio: 'ignore' }) : (f: string) => fs.chmodSync(f, 0o644);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-ro-probe-'));
  const probe = path.join(dir, 'probe');
  fs.writeFileSync(probe, 'x');
  try {
    try {
      lock(probe);
    } catch {
      return { none: root ? 'running as root, and chattr +i is not available here' : 'chmod failed' };
    }
    try {
      fs.accessSync(probe, fs.constants.W_OK);
      return { none: root ? 'running as root, and chattr +i does not stop writes here' : 'chmod 444 does not stop writes here' };
    } catch {
      return { lock, unlock };
    } finally {
      unlock(probe);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const method = findMethod();

/** Why read-only files cannot be made here, or null when they can. */
export const readOnlyUnavailable: string | null = 'none' in method ? method.none : null;

/** Makes `file` read-only for this process; gives the undo (call it before removing the file). */
export function makeReadOnly(file: string): () => void {
  if ('none' in method) throw new Error(method.none);
  method.lock(file);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    method.unlock(file);
  };
}
