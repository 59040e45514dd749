/**
 * `case template` on an imported case, through the console and the command line: no
 * section with text is dropped, and every line the switch did not touch comes back byte
 * for byte (trailing spaces, CRLF, runs of blank lines), in the one-file layout and the
 * two-file one; `undo` gives the document back exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

const ALPHAGOV = path.resolve(__dirname, '../fixtures/alphagov');

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' };
});
afterEach(() => cleanup());

/** A prototype case as teams write it: CRLF, hard line breaks, empty and written sections, a section of its own, one after the decisions. */
const DOCUMENT = [
  '# [Prototype] Business case: Apply for a fishing licence',
  '',
  '## Executive Summary',
  '',
  'We looked at licences for a month.  ',
  'Two spaces above are a hard line break.',
  '',
  '## Strategic Case',
  '',
  '### Strategic Context',
  '',
  'Anglers repeat themselves (0a). ',
  '',
  '',
  '- a list item with a trailing tab\t',
  '',
  '### Strategic Objectives',
  '',
  'To be written.',
  '',
  '### Benefits',
  '',
  'To be written.',
  '',
  '## Economic Case',
  '',
  '### Options',
  '',
  'To be written, with the support of an options framework table.  ',
  '',
  '#### How might we',
  '',
  'Offer a digital licence.',
  '',
  '## Key decisions that shaped this',
  '',
  '### Sprint 0',
  '',
  'Decision 0: We will test in private beta first  ',
  '',
  'Evidence 0a: Two of five teams asked for it',
  '',
  '## Appendix',
  '',
  'Kept after the decisions.   ',
  '',
].join('\r\n');

async function consoleRun(caseName: string, lines: string[]): Promise<string> {
  const r = await runCli(['console', '--case', caseName], { env, input: lines.join('\n') });
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Whether every line of `a` appears in `b` in the same order, byte for byte (line ends included). */
function linesKept(a: string, b: string): string[] {
  const theirs = b.split(/(?<=\n)/);
  let j = 0;
  const missing: string[] = [];
  for (const line of a.split(/(?<=\n)/)) {
    const k = theirs.indexOf(line, j);
    if (k < 0) missing.push(JSON.stringify(line));
    else j = k + 1;
  }
  return missing;
}

describe('case template on an imported case', () => {
  it('keeps every section and every untouched line byte for byte, adds the new template\'s sections, and undo gives the document back', async () => {
    const file = path.join(dir, 'case.md');
    fs.writeFileSync(file, DOCUMENT);
    expect((await runCli(['import', file, '--case', 'demo'], { env })).code).toBe(0);
    const said = await consoleRun('demo', ['case template five-case']);
    expect(said).toContain('Ana switched the case to the Green Book five-case model template.');
    const switched = (await runCli(['export', '--case', 'demo'], { env })).stdout;

    // Nothing the team wrote is gone or changed: every line of the document is there, in order.
    expect(linesKept(DOCUMENT, switched)).toEqual([]);
    expect(switched.replace(/\r\n/g, '')).not.toMatch(/\n/); // CRLF throughout
    for (const heading of ['## Executive Summary', '### Strategic Objectives', '### Benefits', '### Options', '#### How might we', '## Appendix']) {
      expect(switched).toContain(`${heading}\r\n`);
    }
    // The five-case sections the case lacked are added, to be written; the decisions stay before the Appendix.
    for (const heading of ['### Case for Change', '### SMART Objectives', '## Commercial Case', '## Financial Case', '## Management Case']) {
      expect(switched).toContain(`${heading}\r\n\r\nTo be written.\r\n`);
    }
    expect(switched.indexOf('## Management Case')).toBeLessThan(switched.indexOf('## Key decisions that shaped this'));
    expect(switched.indexOf('## Key decisions that shaped this')).toBeLessThan(switched.indexOf('## Appendix'));

    // The switch read back is the same case: nothing kept as text, and it exports as it was.
    const again = path.join(dir, 'again.md');
    fs.writeFileSync(again, switched);
    const reimported = await runCli(['import', again, '--case', 'again', '--strict'], { env });
    expect(reimported.code).toBe(0);
    expect((await runCli(['export', '--case', 'again'], { env })).stdout).toBe(switched);

    await consoleRun('demo', ['undo']);
    expect((await runCli(['export', '--case', 'demo'], { env })).stdout).toBe(DOCUMENT);
  });

  it('keeps both files of a two-file case byte for byte where untouched', async () => {
    const caseFile = path.join(ALPHAGOV, 'prototype-case-joined-up-services.MD');
    const decisionsFile = path.join(ALPHAGOV, 'key-decisions-and-evidence.md');
    expect((await runCli(['import', caseFile, decisionsFile, '--case', 'jus'], { env })).code).toBe(0);
    await consoleRun('jus', ['case template five-case']);
    const out = path.join(dir, 'out');
    expect((await runCli(['export', '--case', 'jus', '--out-dir', out], { env })).code).toBe(0);
    const original = fs.readFileSync(caseFile, 'utf8');
    const switched = fs.readFileSync(path.join(out, 'prototype-case-joined-up-services.MD'), 'utf8');
    expect(linesKept(original, switched)).toEqual([]);
    // The sections that read "To be written…" in the team's document are still there, with their text.
    expect(switched).toContain('### Benefits\n\nTo be written.\n');
    expect(switched).toContain('### Options\n\nTo be written, with the support of an options framework table.\n');
    expect(fs.readFileSync(path.join(out, 'key-decisions-and-evidence.md'))).toEqual(fs.readFileSync(decisionsFile));
  });
});

describe('case template on a case begun in chat', () => {
  it('drops only the old template\'s untouched sections, and keeps those with text', async () => {
    const said = await consoleRun('fresh', ['We will publish weekly', 'case Benefits Fewer calls (0)', 'case template five-case', 'case']);
    expect(said).toContain('Kept 1 section it does not have.');
    const exported = (await runCli(['export', '--case', 'fresh'], { env })).stdout;
    expect(exported).toContain('### Benefits\n\nFewer calls (0)\n');
    for (const gone of ['### Strategic Objectives', '### Critical Success Factors', '### Options']) expect(exported).not.toContain(gone);
  });
});
