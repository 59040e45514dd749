/**
 * The whole path on the alphagov case, through the built `decisions` command: import
 * the two files, start Alpha at Sprint 2, tag a few decisions and a piece of evidence, then
 * the assessment pack point by point (in the console and as a file, with the command line's
 * output-file safety); export and import again give the same phases and points; the case
 * untouched still exports byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

const ALPHAGOV = path.resolve(__dirname, '../fixtures/alphagov');
const CASE = 'prototype-case-joined-up-services.MD';
const DECISIONS = 'key-decisions-and-evidence.md';

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' };
});
afterAll(() => cleanup());

const read = (file: string): string => fs.readFileSync(file, 'utf8');

/** What the team does in the console: Alpha from Sprint 2, points on a few decisions and one piece of evidence. */
const TAGGING = [
  'phase start alpha from sprint 2',
  'tag 3 6', 'tag 5 1', 'tag 8 4', 'tag 12 2', 'tag 12a 7', 'tag 14 3', 'tag 15 10',
  'withdraw 4 Folded into the research plan',
  'supersede 7 with 15',
  'propose We will run a show and tell every sprint [SS 7, 8]',
].join('\n');

/** Each of the 14 points as the console lists them, with the decisions that shaped it in Alpha. */
const POINTS = [
  '   1. Understand users and their needs: Decision 5',
  '   2. Solve a whole problem for users: Decision 12',
  '   3. Provide a joined up experience across all channels: Decision 14',
  '   4. Make the service simple to use: Decision 8',
  '   5. Make sure everyone can use the service: nothing yet',
  '   6. Have a multidisciplinary team: Decision 3',
  '   7. Use agile ways of working: Decision 12',
  '   8. Iterate and improve frequently: nothing yet',
  "   9. Create a secure service which protects users' privacy: nothing yet",
  '  10. Define what success looks like and publish performance data: Decision 15',
  '  11. Choose the right tools and technology: nothing yet',
  '  12. Make new source code open: nothing yet',
  '  13. Use and contribute to open standards, common components and patterns: nothing yet',
  '  14. Operate a reliable service: nothing yet',
];

describe('the alphagov case through the command line', () => {
  it('imports, and the untouched case exports byte for byte, with no phase or point added', async () => {
    const imported = await runCli(['import', path.join(ALPHAGOV, CASE), path.join(ALPHAGOV, DECISIONS), '--case', 'alphagov'], { env });
    expect(imported).toMatchObject({ code: 0 });
    const out = path.join(dir, 'untouched');
    expect(await runCli(['export', '--case', 'alphagov', '--out-dir', out], { env })).toMatchObject({ code: 0 });
    expect(read(path.join(out, CASE))).toBe(read(path.join(ALPHAGOV, CASE)));
    expect(read(path.join(out, DECISIONS))).toBe(read(path.join(ALPHAGOV, DECISIONS)));
    const phases = await runCli(['console', '--case', 'alphagov'], { env, input: 'phase' });
    expect(phases.stdout).toContain('This case has no phases yet.');
  });

  it('starts Alpha at Sprint 2, tags decisions and evidence, and lists each of the 14 points with the right decisions, the untagged and the gaps', async () => {
    const tagged = await runCli(['console', '--case', 'alphagov'], { env, input: TAGGING });
    expect(tagged.stdout).toContain('Ana started Alpha at Sprint 2. Sprint 2 and the sprints after it belong to it until the next phase starts.');
    expect(tagged.stdout).toContain('Evidence 12a tagged with point 7 of the Service Standard by Ana.');
    expect(tagged.stdout).toContain('Decision 16 proposed in Sprint 6 by Ana, to be agreed: We will run a show and tell every sprint [Service Standard 7 and 8]');
    expect(tagged.stdout).not.toContain('Sorry');

    const shown = await runCli(['console', '--case', 'alphagov'], { env, input: 'sprint\nlist sprint 3\nassessment' });
    expect(shown.stdout).toMatch(/Sprint 6, Alpha runs from /);
    expect(shown.stdout).toContain('Decisions in Sprint 3, Alpha:');
    expect(shown.stdout).toContain('Decision 8 (Sprint 3, Alpha): We will put definitions inline in the prototype.\n  Service Standard: 4 (Make the service simple to use)');
    const lines = shown.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Alpha: '));
    expect(lines[at]).toBe('Alpha: 13 decisions, 7 of 14 points covered; nothing yet for 5, 8, 9, 11, 12, 13 and 14. 1 proposal not yet taken.');
    expect(lines.slice(at + 1, at + 15)).toEqual(POINTS);
    expect(lines.slice(at + 15, at + 20)).toEqual([
      'No point yet: Decisions 4, 6, 7, 9, 10, 11, 13',
      'Proposals, not decisions taken: 16',
      'Without evidence: 5',
      'Superseded: Decision 7 -> Decision 15',
      'The whole pack as Markdown: `assessment export`.',
    ]);
  });

  it('writes the pack with `decisions assessment --out`, never over a file without --force nor over the database', async () => {
    const pack = path.join(dir, 'pack.md');
    const written = await runCli(['assessment', '--case', 'alphagov', '--phase', 'alpha', '--out', pack], { env });
    expect(written.code).toBe(0);
    expect(written.stderr).toBe(`Wrote ${pack}: Alpha: 13 decisions, 7 of 14 points covered; nothing yet for 5, 8, 9, 11, 12, 13 and 14. 1 proposal not yet taken.\n`);
    const md = read(pack);
    expect(md.split('\n')[0]).toBe('# Alpha assessment: [Prototype] Case for helping join up government services');
    expect(md.match(/^## \d+\. /gm)).toHaveLength(14);
    expect(md).toContain('## 4. Make the service simple to use\n\n### Decision 8 (Sprint 3, Alpha)\n\n> We will put definitions inline in the prototype.\n\nStatus: active. Service Standard points: 4.\n\n- **Evidence 8a**\n\n  We realise definitions');
    expect(md).toContain('### Points with no decision\n\n- 5. Make sure everyone can use the service\n');
    expect(md).toContain('### Superseded chains\n\n- Decision 7 (superseded) → Decision 15 (active)');
    expect(md).toContain('## Proposals, not decisions taken\n\n### Decision 16 (Sprint 6, Alpha)');
    // Nothing of Sprints 0 and 1 (before Alpha) is in the pack.
    expect(md).not.toContain('### Decision 0 ');
    expect(md).toContain('| Sprint 1 |  | 3 | 6 | 0 | 0 | 0 |');
    expect(md).toContain('| Sprint 2 | Alpha (starts) | 2 | 1 | 1 | 0 | 0 |');

    // The same pack from stdout, the default being the current phase.
    expect((await runCli(['assessment', '--case', 'alphagov'], { env })).stdout).toBe(md);
    const again = await runCli(['assessment', '--case', 'alphagov', '--out', pack], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`${pack} already exists; nothing written. Add --force to write over it.\n`);
    expect(await runCli(['assessment', '--case', 'alphagov', '--out', pack, '--force', '--phase', 'all'], { env })).toMatchObject({ code: 0 });
    expect(read(pack).split('\n')[0]).toBe('# Service assessment: [Prototype] Case for helping join up government services');
    const db = await runCli(['assessment', '--case', 'alphagov', '--out', path.join(env.DATA_DIR ?? '', 'decisions.sqlite'), '--force'], { env });
    expect(db.code).toBe(1);
    expect(db.stderr).toContain("is the bot's own database file");
    const beta = await runCli(['assessment', '--case', 'alphagov', '--phase', 'beta'], { env });
    expect(beta.code).toBe(1);
    expect(beta.stderr).toBe('This case has no Beta phase. Its phases: Alpha (from Sprint 2). Nothing written.\n');
    expect(await runCli(['assessment', '--case', 'nothing-here'], { env })).toMatchObject({ code: 2 });
  });

  it('exports and imports again with the same phases and points, as lines a person reads and edits', async () => {
    const out = path.join(dir, 'tagged');
    expect(await runCli(['export', '--case', 'alphagov', '--out-dir', out], { env })).toMatchObject({ code: 0 });
    const decisions = read(path.join(out, DECISIONS));
    expect(decisions).toContain('## Sprint 2\n\n_Phase: Alpha_\n\n### Decision 3');
    expect(decisions).toContain('_Service Standard: 6 (Have a multidisciplinary team)_');
    expect(decisions).toContain('Evidence 12a: Our current team is only together until 27th March 2020. It\'s better to have tested a smaller prototype and learn something, than to get a third through building a larger prototype and learn nothing.\n\n_Service Standard: 7 (Use agile ways of working)_');
    // Only the parts that changed differ from the document as imported.
    expect(read(path.join(out, CASE))).toBe(read(path.join(ALPHAGOV, CASE)));

    const imported = await runCli(['import', path.join(out, CASE), path.join(out, DECISIONS), '--case', 'copy', '--strict'], { env });
    expect(imported).toMatchObject({ code: 0 });
    // The import report says where each phase starts.
    expect(imported.stdout).toContain('  Sprint 2 (Alpha starts): 2 decisions, 1 piece of evidence\n');
    const original = await runCli(['console', '--case', 'alphagov'], { env, input: 'phase\nlist all' });
    const copy = await runCli(['console', '--case', 'copy'], { env, input: 'phase\nlist all' });
    const after = (s: string): string => s.split('\n').slice(1).join('\n');
    expect(after(copy.stdout)).toBe(after(original.stdout));
    expect(copy.stdout).toContain('Phases of this case: Alpha (from Sprint 2).');
    const copyOut = path.join(dir, 'copy');
    expect(await runCli(['export', '--case', 'copy', '--out-dir', copyOut], { env })).toMatchObject({ code: 0 });
    expect(read(path.join(copyOut, DECISIONS))).toBe(decisions);
    // The pack of the copy is the same pack, but for who typed the proposal: the document names who decided, not who typed.
    const pack = (await runCli(['assessment', '--case', 'alphagov'], { env })).stdout;
    expect(pack).toContain('Status: proposed, to be agreed. Who: Ana. Service Standard points: 7 and 8.');
    expect((await runCli(['assessment', '--case', 'copy'], { env })).stdout).toBe(pack.replace(' Who: Ana.', ''));
  });

  it('reads a person\'s edit of the points line back, and keeps their spelling of it', async () => {
    const out = path.join(dir, 'tagged');
    const file = path.join(out, DECISIONS);
    const edited = read(file).replace('_Service Standard: 6 (Have a multidisciplinary team)_', '_Service Standard: 6 (our team), 11_');
    fs.writeFileSync(file, edited);
    expect(await runCli(['import', path.join(out, CASE), file, '--case', 'edited', '--strict'], { env })).toMatchObject({ code: 0 });
    const shown = await runCli(['console', '--case', 'edited'], { env, input: 'show 3' });
    expect(shown.stdout).toContain('Service Standard: 6 (Have a multidisciplinary team), 11 (Choose the right tools and technology)');
    const back = path.join(dir, 'edited');
    expect(await runCli(['export', '--case', 'edited', '--out-dir', back], { env })).toMatchObject({ code: 0 });
    expect(read(path.join(back, DECISIONS))).toBe(edited);
  });
});
