/**
 * What `npm start` prints: JSON lines when stdout is a file or a pipe, one readable line an
 * entry on a terminal (run under `script`, which gives it a pseudo-terminal), and start lines
 * that say which features are on (Slack, Teams, sharing, publishing, store), never a secret.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { BIN, freePort } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

const SHARE_SECRET = 'share-secret-that-must-never-be-printed';
const SIGNING_SECRET = 'signing-secret-that-must-never-be-printed';
const BOT_TOKEN = 'xoxb-token-that-must-never-be-printed';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** Runs `serve` until its last start line, then stops it; returns what it printed. */
async function serve(env: Record<string, string>, terminal: boolean): Promise<string> {
  const port = await freePort();
  const full = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: path.join(dir, 'data'), PORT: String(port), TERM: 'xterm', ...env };
  // `script -qfec CMD /dev/null` runs CMD on a pseudo-terminal and copies what it prints.
  const child = terminal
    ? spawn('script', ['-qfec', `"${process.execPath}" "${BIN}" serve`, '/dev/null'], { env: full, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, [BIN, 'serve'], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    for (let i = 0; i < 150 && !/store (SQLite|MongoDB)/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  } finally {
    // The whole group under `script` (its shell and the bot), by the id of the one we started.
    if (terminal && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    else child.kill('SIGTERM');
  }
  await closed;
  return out;
}

// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '');

describe('serve, its output a pipe', () => {
  it('prints JSON lines, and the start lines say what is on and off, with no secret', async () => {
    const out = await serve({ PUBLIC_URL: 'https://decisions.example', SHARE_SECRET, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: 'http://127.0.0.1:9/api/' }, false);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; features?: Record<string, unknown> });
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain('Sharing is on: `share` gives links to case pages at https://decisions.example/cases/…');
    expect(messages).toContain('Publishing is off: set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY, to publish cases to GitHub.');
    const last = lines.find((l) => l.features !== undefined);
    expect(last?.msg).toBe('Slack on, Teams off, sharing on, publishing off, store SQLite');
    expect(last?.features).toEqual({ slack: true, teams: 'off', sharing: true, publishing: false, store: 'sqlite' });
    for (const secret of [SHARE_SECRET, SIGNING_SECRET, BOT_TOKEN]) expect(out).not.toContain(secret);
  });

  it('says sharing is off, and what to set', async () => {
    const out = await serve({}, false);
    const messages = out.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toContain('Sharing is off: set PUBLIC_URL and SHARE_SECRET to share case pages and downloads.');
    expect(messages).toContain('Slack off, Teams off, sharing off, publishing off, store SQLite');
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) {
  const why = 'util-linux `script` is not installed, so serve cannot be run on a terminal here (apt-get install bsdutils)';
  if (process.env.CI) throw new Error(why);
  console.warn(`Skipped: ${why}`);
}

(hasScript ? describe : describe.skip)('serve on a terminal', () => {
  it('prints one readable line an entry (time, level, message), never JSON, never a secret', async () => {
    const out = plain(await serve({ PUBLIC_URL: 'https://decisions.example', SHARE_SECRET }, true));
    // `script` says so itself when it is stopped: that line is not the bot's.
    const lines = out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Session terminated'));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      expect(line).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] (INFO|WARN|ERROR): \S/);
      expect(line.startsWith('{')).toBe(false);
    }
    expect(lines.some((l) => l.includes('INFO: Sharing is on: `share` gives links to case pages at https://decisions.example/cases/…'))).toBe(true);
    expect(lines.some((l) => l.includes('INFO: Slack off, Teams off, sharing on, publishing off, store SQLite'))).toBe(true);
    expect(out).not.toContain(SHARE_SECRET);
  });
});
