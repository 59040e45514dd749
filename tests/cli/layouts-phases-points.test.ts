/**
 * Phases and Service Standard points through the built `decisions` command, in the layouts of
 * issue 26: a decision log of "**Decision:**" lines under "## Iteration N", a log whose title
 * names its one sprint, and a folder of ADRs (fixtures written for those tests). Import, start
 * phases and tag in the console, export, import the export as another case: `phase` and
 * `show` say the same of both, and the copy exports the same files. The untouched case still
 * exports byte for byte, and a person's own spelling of an edited points line is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { ADR_FIXTURES, filesUnder } from '../helpers/folder';
import { tempDir } from '../helpers/temp-dir';

const LOGS = path.resolve(__dirname, '../fixtures/logs');

interface Layout {
  name: string;
  /** What is imported: a file or a folder. */
  source: string;
  /** Typed in the console. */
  tagging: string[];
  /** What the console says to those, in order. */
  said: string[];
  /** The decisions compared with `show`. */
  shown: number[];
  /** A file of the export, and lines it must hold. */
  file: string;
  lines: string[];
  /** A points line of that file, and a person's edit of it with the points it then means. */
  edit: { from: string; to: string; show: number; reads: string };
}

const LAYOUTS: Layout[] = [
  {
    name: 'a design-history log (“## Iteration N”, “**Decision:**” lines)',
    source: path.join(LOGS, 'iterations.md'),
    tagging: ['phase start alpha from sprint 3', 'phase start beta Private beta', 'tag 1 1 5', 'tag 3 10', 'tag 3a 4'],
    said: [
      'Ana started Alpha at Sprint 3.', 'Ana started Private beta at Sprint 4.', 'Decision 1 tagged with points 1 and 5 of the Service Standard by Ana.',
      'Decision 3 tagged with point 10 of the Service Standard by Ana.', 'Evidence 3a tagged with point 4 of the Service Standard by Ana.',
    ],
    shown: [1, 2, 3],
    file: 'iterations.md',
    lines: [
      '## Iteration 3\n\n_Phase: Alpha_\n\nWe tested with six applicants in the library.\n\n**Decision:**',
      'Applicants who chose the wrong type had to start again.\n\n_Service Standard: 1 (Understand users and their needs), 5 (Make sure everyone can use the service)_\n\n### What we saw',
      '## Iteration 4\n\n_Phase: Beta (Private beta)_\n\n**Decision:** We will show the fee on the start page.\n\n_Service Standard: 10 (Define what success looks like and publish performance data)_\n\n### What we saw',
      'Two applicants left at the payment page when they saw the fee.\n\n_Service Standard: 4 (Make the service simple to use)_\n\n### What we heard',
    ],
    edit: { from: '_Service Standard: 10 (Define what success looks like and publish performance data)_', to: '_Service Standard: 10 (numbers), 2_', show: 3, reads: 'Service Standard: 2 (Solve a whole problem for users), 10 (Define what success looks like and publish performance data)' },
  },
  {
    name: 'a log whose title names its sprint (“# Decisions Log — Sprint M2-S5: Naming”)',
    source: path.join(LOGS, 'sprint-m2-s5.md'),
    tagging: ['phase start discovery', 'tag 2 3 13', 'tag 1b 11'],
    said: ['Ana started Discovery at Sprint 0.', 'Decision 2 tagged with points 3 and 13 of the Service Standard by Ana.', 'Evidence 1b tagged with point 11 of the Service Standard by Ana.'],
    shown: [1, 2],
    file: 'sprint-m2-s5.md',
    lines: [
      'We are renaming the naming service and its clients.\n\n_Phase: Discovery_\n\n## Decision 1: Fix naming service auth',
      '- Keep both token caches: the bug stays.\n\n_Service Standard: 11 (Choose the right tools and technology)_\n\n## Decision: Skill',
      'on first use.\n\n_Service Standard: 3 (Provide a joined up experience across all channels), 13 (Use and contribute to open standards, common components and patterns)_\n\n### Evidence',
    ],
    edit: { from: '_Service Standard: 11 (Choose the right tools and technology)_', to: '_Service Standard: 11, 14 (reliable)_', show: 1, reads: 'Evidence 1b: - Rename first, then fix auth: more moving parts at once.\n    - Keep both token caches: the bug stays. [Service Standard 11, 14]' },
  },
  {
    name: 'a folder of ADRs',
    source: path.join(ADR_FIXTURES, 'nygard'),
    tagging: ['phase start alpha from sprint 2', 'phase start beta', 'tag 3 11', 'tag 5 9 11', 'tag 5b 11'],
    said: [
      'Ana started Alpha at Sprint 2.', 'Ana started Beta at Sprint 4.', 'Decision 3 tagged with point 11 of the Service Standard by Ana.',
      'Decision 5 tagged with points 9 and 11 of the Service Standard by Ana.', 'Evidence 5b tagged with point 11 of the Service Standard by Ana.',
    ],
    shown: [3, 5, 6],
    file: '0005-use-managed-postgres.md',
    lines: [
      '- A document database\n\n_Service Standard: 11 (Choose the right tools and technology)_\n\n## Decision\n\nWe will use the platform\'s managed Postgres service.\n\n_Service Standard: 9 (Create a secure service which protects users\' privacy), 11 (Choose the right tools and technology)_\n\n## Consequences',
    ],
    edit: { from: '_Service Standard: 9 (Create a secure service which protects users\' privacy), 11 (Choose the right tools and technology)_', to: '_Service Standard: 9 (security), 11, 14_', show: 5, reads: 'Service Standard: 9 (Create a secure service which protects users\' privacy), 11 (Choose the right tools and technology), 14 (Operate a reliable service)' },
  },
];

/** What the console says, without its greeting (it names the case) and the time each case was imported. */
const said = (stdout: string): string => stdout.split('\n').slice(1).filter((l) => !/^ {2}Imported with the case on /.test(l)).join('\n');

describe.each(LAYOUTS)('$name', (layout) => {
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    env = { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' };
  });
  afterAll(() => cleanup());
  const out = (name: string): string => path.join(dir, name);
  const chat = (c: string, input: string[]) => runCli(['console', '--case', c], { env, input: input.join('\n') });
  const looks = (c: string) => chat(c, ['phase', ...layout.shown.map((n) => `show ${n}`)]);

  it('imports, and the untouched case exports byte for byte, with no phase or point added', async () => {
    expect(await runCli(['import', layout.source, '--case', 'original'], { env })).toMatchObject({ code: 0, stderr: '' });
    expect(await runCli(['export', '--case', 'original', '--out-dir', out('untouched')], { env })).toMatchObject({ code: 0 });
    const expected = filesUnder(layout.source);
    for (const key of Object.keys(expected)) if (/template/.test(key)) delete expected[key];
    expect(filesUnder(out('untouched'))).toEqual(expected);
    expect((await chat('original', ['phase'])).stdout).toContain('This case has no phases yet.');
  });

  it('starts phases and tags in the console, exports them as lines a person reads, and the export imports as a case with the same phases and points', async () => {
    const tagged = await chat('original', layout.tagging);
    for (const s of layout.said) expect(tagged.stdout).toContain(s);
    expect(tagged.stdout).not.toContain('Sorry');
    const exported = await runCli(['export', '--case', 'original', '--out-dir', out('tagged')], { env });
    expect(exported).toMatchObject({ code: 0 });
    expect(exported.stderr).not.toContain('Note:');
    const file = fs.readFileSync(path.join(out('tagged'), layout.file), 'utf8');
    for (const l of layout.lines) expect(file).toContain(l);

    const imported = await runCli(['import', out('tagged'), '--case', 'copy', '--strict'], { env });
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/ \((Alpha|Discovery) starts\): /);
    const [original, copy] = await Promise.all([looks('original'), looks('copy')]);
    expect(original.stdout).toContain('Phases of this case: ');
    expect(said(copy.stdout)).toBe(said(original.stdout));
    // Exported again, the copy gives the same files: export, import, export is a fixed point.
    expect(await runCli(['export', '--case', 'copy', '--out-dir', out('copy')], { env })).toMatchObject({ code: 0 });
    expect(filesUnder(out('copy'))).toEqual(filesUnder(out('tagged')));
  });

  it('reads a person\'s edit of a points line back, and keeps their spelling of it', async () => {
    const file = path.join(out('tagged'), layout.file);
    const edited = fs.readFileSync(file, 'utf8').replace(layout.edit.from, layout.edit.to);
    expect(edited).toContain(layout.edit.to);
    fs.writeFileSync(file, edited);
    expect(await runCli(['import', out('tagged'), '--case', 'edited', '--strict'], { env })).toMatchObject({ code: 0, stderr: '' });
    expect((await chat('edited', [`show ${layout.edit.show}`])).stdout).toContain(layout.edit.reads);
    expect(await runCli(['export', '--case', 'edited', '--out-dir', out('edited')], { env })).toMatchObject({ code: 0 });
    expect(filesUnder(out('edited'))).toEqual(filesUnder(out('tagged')));
  });
});

it('says, on export, a phase an ADR folder cannot hold yet: one started at a sprint with no ADR', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const env = { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' };
    expect(await runCli(['import', path.join(ADR_FIXTURES, 'nygard'), '--case', 'adr'], { env })).toMatchObject({ code: 0 });
    const started = await runCli(['console', '--case', 'adr'], { env, input: 'sprint start\nphase start live' });
    expect(started.stdout).toContain('Ana started Live at Sprint 5.');
    const exported = await runCli(['export', '--case', 'adr', '--out-dir', path.join(dir, 'out')], { env });
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('Note: Live starts at Sprint 5, which holds no ADR yet, so the folder does not say so: its first ADR will, once a decision is recorded in it.\n');
    // Once a decision is recorded in it, its new ADR says so, and the import reads it back.
    expect((await runCli(['console', '--case', 'adr'], { env, input: 'We will publish decisions weekly' })).code).toBe(0);
    const again = await runCli(['export', '--case', 'adr', '--out-dir', path.join(dir, 'again')], { env });
    expect(again.stderr).not.toContain('Note:');
    const written = fs.readdirSync(path.join(dir, 'again')).find((f) => f.startsWith('0008-'));
    expect(fs.readFileSync(path.join(dir, 'again', written ?? ''), 'utf8')).toMatch(/^# 8\. We will publish decisions weekly\n\nDate: \d{4}-\d{2}-\d{2}\n\n_Phase: Live_\n\n## Status\n/);
    const copy = await runCli(['import', path.join(dir, 'again'), '--case', 'copy'], { env });
    expect(copy.stdout).toMatch(/\(Live starts\): 1 decision, 0 pieces of evidence/);
  } finally {
    cleanup();
  }
});
