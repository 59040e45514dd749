/** The `decisions` command as a new user runs it: import, export, console, serve. */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, freePort, runCli } from './helpers/cli';
import { tempDir } from './helpers/temp-dir';
import { normaliseMarkdown } from '../src/core/markdown';

const fixtures = path.resolve(__dirname, 'fixtures/markdown');
let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATA_DIR: path.join(dir, 'data') };
});
afterEach(() => cleanup());

describe('import and export', () => {
  it.each(['layout-a.md', 'layout-b.md', 'no-sprints.md'])('export(import(%s)) reproduces the document', async (name) => {
    const file = path.join(fixtures, name);
    const imported = await runCli(['import', file, '--case', 'demo'], { env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported ".*" as case demo: \d+ decisions/);
    const exported = await runCli(['export', '--case', 'demo'], { env });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(normaliseMarkdown(fs.readFileSync(file, 'utf8')));
  });

  it('reports what it imported', async () => {
    const r = await runCli(['import', path.join(fixtures, 'layout-b.md'), '--case', 'demo'], { env });
    const sprints = [...fs.readFileSync(path.join(fixtures, 'layout-b.md'), 'utf8').matchAll(/^## Sprint (\d+)/gm)].map((m) => Number(m[1]));
    const decisions = [...fs.readFileSync(path.join(fixtures, 'layout-b.md'), 'utf8').matchAll(/^### Decision \d+/gm)].length;
    expect(r.stdout).toContain(`${decisions} decisions`);
    // One line per sprint, so a person can check the counts against the document.
    for (const n of sprints) expect(r.stdout).toMatch(new RegExp(`^  Sprint ${n}: \\d+ decisions?, \\d+ pieces? of evidence$`, 'm'));
  });

  it('refuses a second import into the same case unless --replace, and --out writes a file', async () => {
    const a = path.join(fixtures, 'layout-a.md');
    const b = path.join(fixtures, 'layout-b.md');
    expect((await runCli(['import', a, '--case', 'demo'], { env })).code).toBe(0);
    const again = await runCli(['import', b, '--case', 'demo'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^There is already a case called "demo" \(\d+ decisions?\); nothing imported. Add --replace to replace it.$/m);
    expect((await runCli(['import', b, '--case', 'demo', '--replace'], { env })).code).toBe(0);
    const out = path.join(dir, 'out.md');
    expect((await runCli(['export', '--case', 'demo', '--out', out], { env })).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(normaliseMarkdown(fs.readFileSync(b, 'utf8')));
  });

  it('keeps what it cannot place as text, with a warning naming the line, and exports the document as it was', async () => {
    const odd = path.join(dir, 'odd.md');
    const markdown = '# Case\n\n## Sprint 0\n\nDecision 0: Go  \n\nEvidence 0a: Seen\n\nEvidence 0a: Seen again\n\n\n';
    fs.writeFileSync(odd, markdown);
    const r = await runCli(['import', odd, '--case', 'odd'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Imported "Case" as case odd: 1 decision, 1 piece of evidence, 0 sections.');
    expect(r.stdout).toContain('  Sprint 0: 1 decision, 1 piece of evidence');
    expect(r.stderr).toBe('Warning: Line 9: Evidence 0a appears twice under Decision 0; kept as text of Evidence 0a.\n');
    const exported = await runCli(['export', '--case', 'odd'], { env });
    expect(exported.stdout).toBe(markdown);
  });

  it('with --strict, refuses a malformed document with its line number and imports nothing', async () => {
    const bad = path.join(dir, 'bad.md');
    fs.writeFileSync(bad, '# Case\n\n## Sprint 0\n\nEvidence 0a: before any decision\n');
    const r = await runCli(['import', bad, '--case', 'demo', '--strict'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Line 5: /);
    const exported = await runCli(['export', '--case', 'demo'], { env });
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/There is no case "demo"/);
  });

  it('names bad arguments in one line', async () => {
    expect((await runCli(['import'], { env })).stderr).toMatch(/^import needs a Markdown file, two \(the case and its key decisions\), or a folder of ADRs/);
    expect((await runCli(['import', path.join(dir, 'missing.md')], { env })).stderr).toMatch(/Cannot read/);
    expect((await runCli(['frobnicate'], { env })).stderr).toMatch(/Unknown command "frobnicate"/);
    const badEnv = await runCli(['export'], { env: { ...env, PORT: 'eighty' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr.trim()).toBe('PORT must be a number from 0 to 65535 (got "eighty").');
  });
});

describe('console', () => {
  it('records, lists, edits, withdraws and undoes decisions and evidence', async () => {
    const input = [
      'We will publish weekly', 'evidence 0 Five of six users asked for it', 'list',
      'edit 0 We will publish every Monday', 'withdraw 0 Not needed', 'undo', 'show 0',
    ].join('\n');
    const r = await runCli(['console', '--case', 'team'], { env: { ...env, USER: 'Ana' }, input });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Decision 0 recorded in Sprint 0 by Ana: We will publish weekly');
    expect(r.stdout).toContain('Evidence 0a added to Decision 0 by Ana: Five of six users asked for it');
    expect(r.stdout).toContain('Decision 0 edited by Ana: We will publish every Monday');
    expect(r.stdout).toContain('Decision 0 withdrawn by Ana: Not needed');
    expect(r.stdout).toContain('Ana undid: withdrew Decision 0.');
    expect(r.stdout).toContain('Earlier wording (changed by Ana');
    // The console's case is the same one export reads.
    const exported = await runCli(['export', '--case', 'team'], { env });
    expect(exported.stdout).toContain('Decision 0: We will publish every Monday\n\nEvidence 0a: Five of six users asked for it');
  });
});

describe('the console for a newcomer', () => {
  it('greets instead of recording, ignores a leading /decision or mention, and never says "you …" to start a reply', async () => {
    const input = ['hi', '/decision list', '@Decisions list', 'We will publish weekly', 'undo', 'help'].join('\n');
    // No USER: the console still names the person, by their login or as "Console user".
    const r = await runCli(['console', '--case', 'newcomer'], { env, input });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Hello! I keep this channel's decisions");
    expect(r.stdout).toMatch(/Decision 0 recorded in Sprint 0 by \S.*: We will publish weekly/);
    expect(r.stdout).not.toMatch(/^you /m);
    expect(r.stdout).toMatch(/^\S.* undid: recorded Decision 0\.$/m);
    // Help rows never run into their descriptions.
    const help = r.stdout.slice(r.stdout.lastIndexOf('Commands:'));
    for (const line of help.split('\n').slice(1).filter((l) => l.startsWith('  ') && l.trim() !== '')) {
      if (!/^ {42}/.test(line)) expect(line).toMatch(/^ {2}\S.{0,39} +\S|^ {2}\S+/);
    }
    const exported = await runCli(['export', '--case', 'newcomer'], { env });
    expect(exported.stdout).not.toContain('Decision 0: hi');
    expect(exported.stdout).not.toContain('list');
  });
});

describe('the console shares like chat does', () => {
  it('with PUBLIC_URL and SHARE_SECRET set, `share` gives the case page link', async () => {
    const input = ['We will publish weekly', 'share'].join('\n');
    const r = await runCli(['console', '--case', 'shared'], { env: { ...env, USER: 'Ana', PUBLIC_URL: 'https://decisions.example', SHARE_SECRET: 'a-long-enough-share-secret' }, input });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Sharing is not set up');
    expect(r.stdout).toMatch(/https:\/\/decisions\.example\/cases\/[^\s?]+\?token=\S+/);
  });
});

describe('serve', () => {
  it('serves /healthz with no configuration, names what is off, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve'], { env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 100 && !out.includes('Listening'); i++) await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', store: 'sqlite' });
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
      expect(lines.some((l) => /^Slack is off: set SLACK_SIGNING_SECRET/.test(l.msg))).toBe(true);
      expect(lines.some((l) => /^Store: SQLite at .*decisions\.sqlite$/.test(l.msg))).toBe(true);
      expect(fs.existsSync(path.join(env.DATA_DIR ?? '', 'decisions.sqlite'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
