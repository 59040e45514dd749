/**
 * Finding the place of a case from the command line (`decisions cases`), and a typo in a
 * command's name answered with the nearest command. Runs the built `decisions` command.
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

describe('decisions cases', () => {
  it('says there are none yet, and how to make one', async () => {
    const r = await runCli(['cases'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No cases yet\. Import one with: decisions import <file> --into slack:/);
  });

  it('lists each case with its place as --into and --from take it, its decision count and title', async () => {
    expect((await runCli(['import', CASE, DECISIONS, '--into', 'slack:T0123ABCD/C0123ABCD'], { env })).code).toBe(0);
    expect((await runCli(['import', DECISIONS, '--into', 'teams:tenant-a/19:abc@thread.tacv2'], { env })).code).toBe(0);
    const hostile = path.join(dir, 'hostile.md');
    fs.writeFileSync(hostile, '# Case \u001b]0;pwned\u0007 with an escape\n\n## Strategic Case\n\nText.\n');
    expect((await runCli(['import', hostile, '--case', 'demo'], { env })).code).toBe(0);

    const r = await runCli(['cases'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('3 cases:');
    const row = (place: string) => lines.find((l) => l.trimStart().startsWith(`${place} `)) ?? '';
    expect(row('slack:T0123ABCD/C0123ABCD')).toMatch(/ 16 decisions +\[Prototype\] Case for helping join up government services$/);
    expect(row('teams:tenant-a/19:abc@thread.tacv2')).toMatch(/ 16 decisions +Key decisions that shaped our prototype case$/);
    expect(row('--case demo')).toMatch(/ 0 decisions +Case  ?\]0;pwned  ?with an escape$/);
    // A terminal is never sent a control character from a document.
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    // The columns line up.
    const at = lines.slice(1, 4).map((l) => l.search(/\d+ decisions?/));
    expect(new Set(at).size).toBe(1);
    expect(lines.at(-1)).toMatch(/--into .*--from/);

    // What it prints is what --from takes.
    const place = row('slack:T0123ABCD/C0123ABCD').trim().split(/\s+/)[0] ?? '';
    const exported = await runCli(['export', '--from', place, '--out-dir', path.join(dir, 'out')], { env });
    expect(exported.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out', 'prototype-case-joined-up-services.MD'))).toEqual(fs.readFileSync(CASE));
  });

  it('is in the help, and takes no words', async () => {
    expect((await runCli(['help'], { env })).stdout).toMatch(/^ {2}cases +List every case/m);
    const r = await runCli(['cases', 'all'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('cases takes no words: decisions cases');
  });
});

describe('a command mistyped', () => {
  it.each([['exprot', 'export'], ['imprt', 'import'], ['caes', 'cases'], ['serv', 'serve'], ['tikc', 'tick']])('"%s" suggests "decisions %s"', async (typo, meant) => {
    const r = await runCli([typo], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`Unknown command "${typo}". Did you mean "decisions ${meant}"? Run "decisions help" for the list.`);
  });

  it('suggests nothing for a word far from every command', async () => {
    const r = await runCli(['frobnicate'], { env });
    expect(r.stderr.trim()).toBe('Unknown command "frobnicate". Run "decisions help" for the list.');
  });
});
