/**
 * The `decisions` command as an attacker, or a tired operator, would use it: it never writes
 * over the store, never imports what is not a business case, and never prints a URI's
 * secrets. Real processes on a real data directory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let db: string;

const CASE = '# Case\n\n## Sprint 0\n\nDecision 0: We will keep our data safe\n';

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('decisions-cli-safety-'));
  env = { DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' };
  db = path.join(dir, 'data', 'decisions.sqlite');
  const doc = path.join(dir, 'case.md');
  fs.writeFileSync(doc, CASE);
  expect((await runCli(['import', doc, '--case', 'safe'], { env })).code).toBe(0);
});

afterEach(() => cleanup());

async function caseIsIntact(): Promise<void> {
  const r = await runCli(['export', '--case', 'safe'], { env });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(CASE);
}

describe('export never destroys the store', () => {
  it.each([
    ['the database itself', () => db, false],
    ['the database, with --force', () => db, true],
    ['its write-ahead log', () => `${db}-wal`, true],
    ['a link to the database, with --force', () => {
      const link = path.join(dir, 'innocent.md');
      fs.symlinkSync(db, link);
      return link;
    }, true],
  ])('--out %s: refused in one line, the store still opens with its case', async (_name, target, force) => {
    const out = target();
    const r = await runCli(['export', '--case', 'safe', '--out', out, ...(force ? ['--force'] : [])], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/database/);
    await caseIsIntact();
  });

  it('--out over an existing file: refused without --force, written with it', async () => {
    const out = path.join(dir, 'notes.md');
    fs.writeFileSync(out, 'my notes');
    const refused = await runCli(['export', '--case', 'safe', '--out', out], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists; nothing written. Add --force to write over it.');
    expect(fs.readFileSync(out, 'utf8')).toBe('my notes');
    expect((await runCli(['export', '--case', 'safe', '--out', out, '--force'], { env })).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(CASE);
  });
});

describe('import takes only a business case in Markdown', () => {
  it.each([
    ['200 KB of random bytes', () => crypto.randomBytes(200 * 1024), /is (a binary file|not UTF-8 text)/],
    ['a SQLite database', () => fs.readFileSync(db), /is a SQLite database/],
    ['a PDF', () => Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /is a PDF/],
    ['UTF-16 text', () => Buffer.from('\uFEFF# Case', 'utf16le'), /UTF-16/],
    ['an empty file', () => Buffer.alloc(0), /is empty/],
    ['text with no heading', () => Buffer.from('Just some notes\nwith no heading at all\n'), /no Markdown heading|heading/],
  ])('%s: exit non-zero, naming what it is, nothing imported', async (_name, bytes, says) => {
    const file = path.join(dir, 'offered.md');
    fs.writeFileSync(file, bytes());
    const r = await runCli(['import', file, '--case', 'offered'], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(says);
    expect(r.stdout).toBe('');
    expect((await runCli(['export', '--case', 'offered'], { env })).stderr).toMatch(/There is no case "offered"/);
    await caseIsIntact();
  });
});

describe('a URI\'s secrets are never printed', () => {
  const uri = 'mongodb://admin:PASSWORD-IN-USERINFO@127.0.0.1:1/decisions?tlsCertificateKeyFilePassword=PASSWORD-IN-QUERY&serverSelectionTimeoutMS=300';

  it('copy to it', async () => {
    const r = await runCli(['copy', '--to', uri], { env });
    expect(r.code).not.toBe(0);
    const printed = r.stdout + r.stderr;
    expect(printed).toMatch(/MongoDB/);
    expect(printed).not.toContain('PASSWORD-IN-USERINFO');
    expect(printed).not.toContain('PASSWORD-IN-QUERY');
  });

  it('serve with it', async () => {
    const r = await runCli(['serve'], { env: { ...env, MONGODB_URI: uri, PORT: '0', LOG_LEVEL: 'trace' } });
    expect(r.code).not.toBe(0);
    const printed = r.stdout + r.stderr;
    expect(printed).toMatch(/MongoDB/);
    expect(printed).not.toContain('PASSWORD-IN-USERINFO');
    expect(printed).not.toContain('PASSWORD-IN-QUERY');
  });
});
