/**
 * A command line that cannot destroy data, through the built CLI (`node bin/decisions.js`)
 * on a temporary DATA_DIR: `export --out` never writes over the database (by any path or
 * link, even with --force) nor an existing file without --force; `import` refuses what is
 * not a business case in Markdown, naming what it is, and changes nothing; and no command
 * prints a secret from a MongoDB URI. No mongod is started: the URIs point at a closed port.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/cli';
import type { CliResult } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { freePort, seeded } from './harness';

const FIXTURE = path.resolve(__dirname, '../fixtures/markdown/layout-a.md');

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let db: string;
/** A data folder holding the demo case, copied afresh for each test. */
let template: { dir: string; cleanup: () => void };
/** The demo case as exported. */
let before: string;

const cli = (args: string[]): Promise<CliResult> => runCli(args, { env, cwd: dir });

beforeAll(async () => {
  template = tempDir('decisions-cli-template-');
  const data = { DATA_DIR: path.join(template.dir, 'data') };
  expect((await runCli(['import', FIXTURE, '--case', 'demo'], { env: data })).code).toBe(0);
  const exported = await runCli(['export', '--case', 'demo'], { env: data });
  expect(exported.code).toBe(0);
  before = exported.stdout;
  expect(before).toContain('Decision');
});

afterAll(() => template.cleanup());

beforeEach(() => {
  ({ dir, cleanup } = tempDir('decisions-cli-safety-'));
  fs.cpSync(path.join(template.dir, 'data'), path.join(dir, 'data'), { recursive: true });
  env = { DATA_DIR: path.join(dir, 'data') };
  db = path.join(dir, 'data', 'decisions.sqlite');
});

afterEach(() => cleanup());

/** One line on stderr, nothing on stdout. */
function oneLine(r: CliResult): string {
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  return r.stderr.trim();
}

/** The database opens, is sound, and still has the demo case as it was. */
async function storeIntact(): Promise<void> {
  const check = new Database(db, { readonly: true });
  try {
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    check.close();
  }
  const exported = await cli(['export', '--case', 'demo']);
  expect(exported.code).toBe(0);
  expect(exported.stdout).toBe(before);
}

describe('export --out never writes over the database', () => {
  const targets: [string, () => string][] = [
    ['the database', () => 'data/decisions.sqlite'],
    ['the database by an absolute path', () => db],
    ['the database through ".."', () => 'data/../data/./decisions.sqlite'],
    ['its -wal file', () => 'data/decisions.sqlite-wal'],
    ['its -shm file', () => 'data/decisions.sqlite-shm'],
    ['its -journal file', () => 'data/decisions.sqlite-journal'],
    ['a symlink to the database', () => {
      fs.symlinkSync(db, path.join(dir, 'case.md'));
      return 'case.md';
    }],
    ['a symlink to a symlink to the database', () => {
      fs.symlinkSync('data/decisions.sqlite', path.join(dir, 'one.md'));
      fs.symlinkSync('one.md', path.join(dir, 'two.md'));
      return 'two.md';
    }],
    ['a dangling symlink to its -journal file', () => {
      fs.symlinkSync(`${db}-journal`, path.join(dir, 'later.md'));
      return 'later.md';
    }],
    ['a hard link to the database', () => {
      fs.linkSync(db, path.join(dir, 'hard.md'));
      return 'hard.md';
    }],
    ['the database through a symlinked folder', () => {
      fs.symlinkSync(path.join(dir, 'data'), path.join(dir, 'elsewhere'));
      return 'elsewhere/decisions.sqlite';
    }],
  ];

  it.each(targets)('%s: refused with and without --force, one line, exit 1, the store still opens with its case', async (_name, target) => {
    const out = target();
    for (const force of [[], ['--force']]) {
      const r = await cli(['export', '--case', 'demo', '--out', out, ...force]);
      expect(r.code).toBe(1);
      expect(oneLine(r)).toMatch(/is the bot's own database file .*; export never writes over it, even with --force/);
    }
    await storeIntact();
    expect(fs.existsSync(`${db}-journal`)).toBe(false);
  });
});

describe('export --out and existing files', () => {
  it('refuses to write over an existing file without --force, and writes with it', async () => {
    const out = path.join(dir, 'notes.md');
    fs.writeFileSync(out, 'my own notes\n');
    const refused = await cli(['export', '--case', 'demo', '--out', 'notes.md']);
    expect(refused.code).toBe(1);
    expect(oneLine(refused)).toBe('notes.md already exists; nothing written. Add --force to write over it.');
    expect(fs.readFileSync(out, 'utf8')).toBe('my own notes\n');

    const forced = await cli(['export', '--case', 'demo', '--out', 'notes.md', '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
  });

  it('refuses a dangling symlink without --force (it would write wherever it points)', async () => {
    fs.symlinkSync(path.join(dir, 'target.md'), path.join(dir, 'link.md'));
    const r = await cli(['export', '--case', 'demo', '--out', 'link.md']);
    expect(r.code).toBe(1);
    expect(oneLine(r)).toMatch(/already exists/);
    expect(fs.existsSync(path.join(dir, 'target.md'))).toBe(false);
  });

  it('writes a new file, and refuses a folder', async () => {
    expect((await cli(['export', '--case', 'demo', '--out', 'new.md'])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'new.md'), 'utf8')).toBe(before);
    const folder = await cli(['export', '--case', 'demo', '--out', 'data', '--force']);
    expect(folder.code).toBe(1);
    expect(oneLine(folder)).toBe('data is a directory; give --out a file name.');
    await storeIntact();
  });
});

describe('import refuses what is not a business case in Markdown, and changes nothing', () => {
  const random = (n: number, pick: (r: number) => number): Buffer => {
    const next = seeded(12);
    return Buffer.from(Array.from({ length: n }, () => pick(next())));
  };
  const files: [string, string, () => Buffer | null, RegExp][] = [
    ['200 KB of random bytes', 'random.bin', () => random(200 * 1024, (r) => Math.floor(r * 256)), /^random\.bin is a binary file \(it has NUL bytes\), not a business case in Markdown\. Nothing imported\.$/],
    ['random bytes with no NUL that are not UTF-8', 'latin.md', () => random(4096, (r) => 0x80 + Math.floor(r * 128)), /^latin\.md is not UTF-8 text .*\. Nothing imported\.$/],
    ['Latin-1 text with a heading', 'cafe.md', () => Buffer.from('# Caf\xe9 case\n\nWe will\n', 'latin1'), /^cafe\.md is not UTF-8 text/],
    ['the database itself', 'data/decisions.sqlite', () => null, /^decisions\.sqlite is a SQLite database, not a business case in Markdown\. Nothing imported\.$/],
    ['a copy of the database', 'backup.sqlite', () => fs.readFileSync(db), /^backup\.sqlite is a SQLite database, not a business case in Markdown\. Nothing imported\.$/],
    ['a PDF', 'case.pdf', () => Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), /^case\.pdf is a PDF, not a business case in Markdown\. Nothing imported\.$/],
    ['a Word document', 'case.docx', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]), /^case\.docx is a zip archive \(a Word or Excel file is one\)/],
    ['UTF-16 text', 'case16.md', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Case\n', 'utf16le')]), /^case16\.md is UTF-16 text \(save it as UTF-8\)/],
    ['text with no Markdown heading', 'notes.txt', () => Buffer.from('We will publish weekly.\nDecision 1: not under any heading\n'), /^notes\.txt has no Markdown heading .*\. Nothing imported\.$/],
    ['a heading only inside a code block', 'fenced.md', () => Buffer.from('```\n# not a heading\n```\n'), /^fenced\.md has no Markdown heading/],
    ['an empty file', 'empty.md', () => Buffer.alloc(0), /^empty\.md is empty\. Nothing imported\.$/],
    ['only blank lines and a byte order mark', 'blank.md', () => Buffer.from('\ufeff\n  \r\n\n'), /^blank\.md is empty\. Nothing imported\.$/],
  ];

  it.each(files)('%s', async (_name, file, bytes, message) => {
    const content = bytes();
    if (content) fs.writeFileSync(path.join(dir, file), content);
    for (const args of [['--case', 'junk'], ['--case', 'demo', '--replace']]) {
      const r = await cli(['import', file, ...args]);
      expect(r.code).toBe(1);
      expect(oneLine(r)).toMatch(message);
    }
    const junk = await cli(['export', '--case', 'junk']);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/There is no case "junk"/);
    await storeIntact();
  });

  it('still takes a UTF-8 file with a byte order mark and CRLF line ends', async () => {
    const crlf = `\ufeff${fs.readFileSync(FIXTURE, 'utf8').replace(/\n/g, '\r\n')}`;
    fs.writeFileSync(path.join(dir, 'windows.md'), crlf);
    const r = await cli(['import', 'windows.md', '--case', 'windows']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // And gives it back byte for byte: the byte order mark and the CRLF line ends kept.
    expect((await cli(['export', '--case', 'windows'])).stdout).toBe(crlf);
  });
});

describe('MongoDB URI secrets never printed', () => {
  const SECRETS = ['SECRETUSER', 'SECRETPASS', 'SECRETKEYPASS', 'SECRETSESSIONTOKEN'];
  const uri = (port: number) => `mongodb://SECRETUSER:SECRETPASS@127.0.0.1:${port}/decisions?tlsCertificateKeyFilePassword=SECRETKEYPASS&authMechanismProperties=AWS_SESSION_TOKEN:SECRETSESSIONTOKEN&serverSelectionTimeoutMS=200`;

  function noSecrets(r: CliResult): void {
    for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
  }

  it('copy --to an unreachable MongoDB: one masked line, exit 1', async () => {
    const port = await freePort();
    const r = await cli(['copy', '--to', uri(port)]);
    expect(r.code).toBe(1);
    noSecrets(r);
    expect(r.stdout).toMatch(/^Copying from sqlite:.* to mongodb:\/\/\[secret\]@127\.0\.0\.1:\d+\/decisions\?tlsCertificateKeyFilePassword=\[secret\]&authMechanismProperties=\[secret\]&serverSelectionTimeoutMS=\[secret\]\n$/);
    expect(r.stderr).toMatch(/^Cannot reach MongoDB at mongodb:\/\/\[secret\]@127\.0\.0\.1:\d+\/decisions\?tlsCertificateKeyFilePassword=\[secret\]&.*: .+\n$/);
    await storeIntact();
  });

  it('copy --from an unreachable MongoDB, serve and export with MONGODB_URI: masked too', async () => {
    const port = await freePort();
    const from = await cli(['copy', '--from', uri(port), '--to', 'sqlite:copy.sqlite']);
    expect(from.code).toBe(1);
    noSecrets(from);
    expect(from.stderr).toMatch(/^Cannot reach MongoDB at mongodb:\/\/\[secret\]@/);
    for (const args of [['serve'], ['export', '--case', 'demo']]) {
      const r = await runCli(args, { env: { ...env, MONGODB_URI: uri(port), PORT: '0' }, cwd: dir });
      expect(r.code).toBe(1);
      noSecrets(r);
      expect(r.stderr).toMatch(/^Cannot reach MongoDB at mongodb:\/\/\[secret\]@127\.0\.0\.1:\d+\/decisions\?tlsCertificateKeyFilePassword=\[secret\]/);
    }
  });

  it('a store name that is not one: masked in the usage line', async () => {
    const r = await cli(['copy', '--to', 'postgres://SECRETUSER:SECRETPASS@db/x?sslpassword=SECRETKEYPASS']);
    expect(r.code).toBe(2);
    noSecrets(r);
    expect(oneLine(r)).toMatch(/^--to must be sqlite:<path> or a mongodb:\/\/ URI, got "postgres:\/\/\[secret\]@db\/x\?sslpassword=\[secret\]"\.$/);
  });
});
