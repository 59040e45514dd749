/**
 * `decisions import <folder>` reads a folder of ADRs as one case, within plain bounds, and
 * `export --out-dir` writes each ADR back under its own path. Runs the built command on
 * fixtures written for these tests, and on folders made here to try the bounds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { ADR_FIXTURES, filesUnder } from '../helpers/folder';
import { tempDir } from '../helpers/temp-dir';

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' };
});
afterEach(() => cleanup());

const adr = (n: number, title: string, extra = ''): string => `# ${n}. ${title}\n\n## Status\n\nAccepted\n\n## Decision\n\nWe will ${title.toLowerCase()}.\n${extra}`;

describe('a folder of ADRs', () => {
  it.each(['nygard', 'madr'])('imports the %s folder as one case, reports each file, and exports every ADR back byte for byte', async (name) => {
    const folder = path.join(ADR_FIXTURES, name);
    const imported = await runCli(['import', folder, '--case', name], { env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported ".*" as case \w+: \d+ decisions, \d+ pieces of evidence/);
    expect(imported.stdout).toMatch(/^ {2}\S+\.md: an ADR: Decision \d+, \w+/m);
    expect(imported.stdout).toMatch(/^Note: \S*template\.md is a template, so it was left out\.$/m);
    const out = path.join(dir, 'out');
    const exported = await runCli(['export', '--case', name, '--out-dir', out], { env });
    expect(exported.code).toBe(0);
    const expected = filesUnder(folder);
    for (const key of Object.keys(expected)) if (/template/.test(key)) delete expected[key];
    expect(filesUnder(out)).toEqual(expected);
  });

  it('imports into a Slack channel with --into, and three ADR files given one by one', async () => {
    const folder = path.join(ADR_FIXTURES, 'nygard');
    const three = ['0001-record-architecture-decisions.md', '0002-use-a-common-cloud-provider.md', '0005-use-managed-postgres.md'].map((f) => path.join(folder, f));
    const imported = await runCli(['import', ...three, '--into', 'slack:T0123/C0456'], { env });
    // No Slack here to tell the channel: imported all the same, and said in one line.
    expect(imported.code).toBe(0);
    expect(imported.stderr).toBe('Imported, but slack:T0123/C0456 was not told: Slack is not configured here: set SLACK_BOT_TOKEN (and SLACK_API_URL if not slack.com), or run it where the OAuth installations are.\n');
    expect(imported.stdout).toContain('3 decisions');
    const out = path.join(dir, 'three');
    expect((await runCli(['export', '--from', 'slack:T0123/C0456', '--out-dir', out], { env })).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(three.map((f) => path.basename(f)));
    for (const f of three) expect(fs.readFileSync(path.join(out, path.basename(f)))).toEqual(fs.readFileSync(f));
  });

  it('follows no link out of the folder, reads no deeper than 8 folders, and says what it left out', async () => {
    const folder = path.join(dir, 'adr');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(path.join(folder, 'a/b/c/d/e/f/g/h/i'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(folder, '0001-use-queues.md'), adr(1, 'Use queues'));
    fs.writeFileSync(path.join(folder, 'a/b/c/d/e/f/g/h/0002-deep-enough.md'), adr(2, 'Deep enough'));
    fs.writeFileSync(path.join(folder, 'a/b/c/d/e/f/g/h/i/0003-too-deep.md'), adr(3, 'Too deep'));
    fs.writeFileSync(path.join(outside, '0009-secret.md'), adr(9, 'Read a secret'));
    fs.symlinkSync(path.join(outside, '0009-secret.md'), path.join(folder, '0009-secret.md'));
    fs.symlinkSync(outside, path.join(folder, 'elsewhere'));
    // A link that stays inside the folder is read, under its own name.
    fs.symlinkSync(path.join(folder, '0001-use-queues.md'), path.join(folder, '0004-use-queues-again.md'));
    const r = await runCli(['import', folder, '--case', 'bounds'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l !== '').sort()).toEqual([
      'Left out: 0009-secret.md: a link out of the folder, not followed.',
      'Left out: a/b/c/d/e/f/g/h/i: more than 8 folders deep, not read.',
      'Left out: elsewhere: a link out of the folder, not followed.',
    ]);
    expect(r.stdout).toContain('3 decisions');
    expect(r.stdout).not.toContain('secret');
    const exported = await runCli(['export', '--case', 'bounds'], { env });
    expect(exported.stdout).not.toContain('Read a secret');
  });

  it('refuses more files, or more text, than an import reads, and imports nothing', async () => {
    const many = path.join(dir, 'many');
    fs.mkdirSync(many);
    for (let i = 1; i <= 501; i++) fs.writeFileSync(path.join(many, `${String(i).padStart(4, '0')}-x.md`), adr(i, 'X'));
    const tooMany = await runCli(['import', many, '--case', 'many'], { env });
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toBe(`${many} holds more than 500 Markdown files; an import reads at most 500. Nothing imported.\n`);
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(big, `000${i}-big.md`), adr(i, 'Big', `\n${'Words and more words. '.repeat(45_000)}\n`));
    const tooBig = await runCli(['import', big, '--case', 'big'], { env });
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toMatch(/^The Markdown files in .* come to 4\.\d MB; an import reads at most 4 MB in all\. Nothing imported\.\n$/);
    expect((await runCli(['export', '--case', 'many'], { env })).code).toBe(2);
    expect((await runCli(['export', '--case', 'big'], { env })).code).toBe(2);
  });

  it('writes nothing through a folder inside --out-dir that links elsewhere', async () => {
    const folder = path.join(dir, 'bundles');
    fs.mkdirSync(path.join(folder, 'decisions'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'decisions/0001-use-queues.md'), adr(1, 'Use queues'));
    expect((await runCli(['import', folder, '--case', 'links'], { env })).code).toBe(0);
    const out = path.join(dir, 'out');
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(out);
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(out, 'decisions'));
    const r = await runCli(['export', '--case', 'links', '--out-dir', out, '--force'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('leads out of');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
});

describe('what an import found, and --strict', () => {
  it('warns when a file speaks of decisions and none is found; --strict refuses it', async () => {
    const file = path.join(dir, 'log.md');
    fs.writeFileSync(file, '# Decisions Log\n\n## 2024-05-01 Use Postgres\n\nWe chose it.\n');
    const r = await runCli(['import', file, '--case', 'log'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  log.md: sections only, no decisions; 1 section');
    expect(r.stderr).toBe('Warning: Line 1: “# Decisions Log” speaks of decisions, but none was found. Write each as “## Decision 1: …” (under a heading that names its sprint), “**Decision:** …”, or “Decision 1: …” under “## Sprint 1”; the document was kept as sections.\n');
    const strict = await runCli(['import', file, '--case', 'strict', '--strict'], { env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^Line 1: “# Decisions Log” speaks of decisions, but none was found\./);
    expect((await runCli(['export', '--case', 'strict'], { env })).code).toBe(2);
  });

  it('names the layout of a decision log and its counts', async () => {
    const r = await runCli(['import', path.resolve(__dirname, '../fixtures/logs/iterations.md'), '--case', 'iterations'], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('  Iteration 3: 2 decisions, 1 piece of evidence\n  Iteration 4: 1 decision, 2 pieces of evidence\n');
    expect(r.stdout).toContain('  iterations.md: a decision log: “**Decision:** …” lines under headings that name sprints (Iteration 3, Iteration 4), with front matter; 3 decisions, 3 pieces of evidence');
  });
});
