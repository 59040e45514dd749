/**
 * The command line over any place: `import <files> --into slack:…|teams:…` (or a console
 * case), `export --from … [--out-dir DIR [--force]]`. Runs the built `decisions` command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

const ALPHAGOV = path.resolve(__dirname, '../fixtures/alphagov');
const CASE = path.join(ALPHAGOV, 'prototype-case-joined-up-services.MD');
const DECISIONS = path.join(ALPHAGOV, 'key-decisions-and-evidence.md');

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' };
});
afterEach(() => cleanup());

describe('a case kept in two files', () => {
  it('imports as one case and exports back as both files, byte for byte, never over existing files unless --force', async () => {
    const imported = await runCli(['import', DECISIONS, CASE, '--case', 'jus'], { env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported "\[Prototype\] Case for helping join up government services" as case jus: 16 decisions, 26 pieces of evidence/);
    const out = path.join(dir, 'out');
    const first = await runCli(['export', '--case', 'jus', '--out-dir', out], { env });
    expect(first.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['key-decisions-and-evidence.md', 'prototype-case-joined-up-services.MD']);
    expect(fs.readFileSync(path.join(out, 'prototype-case-joined-up-services.MD'))).toEqual(fs.readFileSync(CASE));
    expect(fs.readFileSync(path.join(out, 'key-decisions-and-evidence.md'))).toEqual(fs.readFileSync(DECISIONS));

    fs.writeFileSync(path.join(out, 'key-decisions-and-evidence.md'), 'mine\n');
    const again = await runCli(['export', '--case', 'jus', '--out-dir', out], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; nothing written. Add --force to write over it.');
    expect(fs.readFileSync(path.join(out, 'key-decisions-and-evidence.md'), 'utf8')).toBe('mine\n');
    expect((await runCli(['export', '--case', 'jus', '--out-dir', out, '--force'], { env })).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'key-decisions-and-evidence.md'))).toEqual(fs.readFileSync(DECISIONS));
  });

  it('writes a one-file case under its own name', async () => {
    expect((await runCli(['import', DECISIONS, '--case', 'one'], { env })).code).toBe(0);
    const out = path.join(dir, 'one');
    expect((await runCli(['export', '--case', 'one', '--out-dir', out], { env })).code).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['key-decisions-and-evidence.md']);
  });
});

describe('--into and --from a Slack channel or a Teams conversation', () => {
  it('imports into a Teams conversation, exports it back, and asks for --replace over a case already there', async () => {
    const into = 'teams:tenant-a/19:general@thread.tacv2';
    expect((await runCli(['import', DECISIONS, '--into', into], { env })).code).toBe(0);
    const exported = await runCli(['export', '--from', into], { env });
    expect(exported.stdout).toBe(fs.readFileSync(DECISIONS, 'utf8'));
    // The console case of the same name is another case.
    expect((await runCli(['export', '--case', 'default'], { env })).stderr).toMatch(/There is no case "default"/);
    const again = await runCli(['import', CASE, DECISIONS, '--into', into], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`${into} already has a case (16 decisions); nothing imported. Add --replace to replace it.\n`);
    expect((await runCli(['import', CASE, DECISIONS, '--into', into, '--replace'], { env })).code).toBe(0);
    expect((await runCli(['export', '--from', into], { env })).stdout).toContain('# [Prototype] Case for helping join up government services');
    const none = await runCli(['export', '--from', 'slack:T0TEAM/C0NONE'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('There is no case in slack:T0TEAM/C0NONE. Import one with: decisions import <file> --into slack:T0TEAM/C0NONE\n');
  });

  it('names a bad place, or a bad mix of options, in one line', async () => {
    const bad = async (args: string[]) => {
      const r = await runCli(args, { env });
      expect(r.code).toBe(2);
      return r.stderr.trim();
    };
    expect(await bad(['import', DECISIONS, '--into', 'discord:x/y'])).toBe('--into takes slack:<team id>/<channel id> or teams:<tenant id>/<conversation id>, got "discord:x/y".');
    expect(await bad(['import', DECISIONS, '--into', 'slack:t0team/general'])).toMatch(/^--into: Slack ids are capital letters and digits/);
    expect(await bad(['import', DECISIONS, '--into', 'slack:T0/C0', '--case', 'x'])).toBe('import takes --case or --into, not both.');
    expect(await bad(['import', DECISIONS, CASE, DECISIONS])).toBe('Two of the files given are both called key-decisions-and-evidence.md; give each once.');
    expect(await bad(['export', '--from', 'teams:only-a-tenant'])).toMatch(/^--from takes slack:/);
    expect(await bad(['export', '--out', 'a.md', '--out-dir', 'b'])).toBe('export takes --out or --out-dir, not both.');
  });
});

describe('refusals', () => {
  it('refuses a binary file in plain words and imports nothing', async () => {
    const png = path.join(dir, 'photo.md');
    fs.writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    const r = await runCli(['import', png, '--into', 'slack:T0TEAM/C0CHAN'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('photo.md is a PNG image, not a business case in Markdown. Nothing imported.\n');
    expect((await runCli(['export', '--from', 'slack:T0TEAM/C0CHAN'], { env })).code).toBe(2);
  });

  it('never writes a case file over the bot\'s own database, even with --force', async () => {
    const named = path.join(dir, 'decisions.sqlite');
    fs.copyFileSync(DECISIONS, named);
    expect((await runCli(['import', named, '--case', 'trap'], { env })).code).toBe(0);
    const db = path.join(env.DATA_DIR ?? '', 'decisions.sqlite');
    const before = fs.readFileSync(db);
    const r = await runCli(['export', '--case', 'trap', '--out-dir', env.DATA_DIR ?? '', '--force'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is the bot's own database file; export never writes over it, even with --force.");
    expect(fs.readFileSync(db).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
    expect(fs.statSync(db).size).toBe(before.length);
  });
});
