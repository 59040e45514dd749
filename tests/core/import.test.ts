/**
 * Bringing a team's case in: one file, or the business case and its key decisions in two
 * files, recognised by what they hold; each file comes back byte for byte under its name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImportRefused, importCaseFiles } from '../../src/core/import';
import type { ImportFile } from '../../src/core/import';
import { renderCaseFiles, renderCaseMarkdown, parseCaseMarkdown } from '../../src/core/markdown';
import { buildDigest } from '../../src/core/digest';
import { sequentialIds } from '../helpers/fake-clock';

const place = { platform: 'console' as const, workspace: 'local', channel: 'alphagov' };
const input = () => ({ id: 'case-1', place, now: new Date('2026-11-26T10:00:00Z'), newId: sequentialIds('ev') });

function alphagov(name: string): ImportFile {
  return { name, markdown: fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'alphagov', name), 'utf8') };
}

const CASE = 'prototype-case-joined-up-services.MD';
const DECISIONS = 'key-decisions-and-evidence.md';

describe('a case kept in two files', () => {
  it.each([[CASE, DECISIONS], [DECISIONS, CASE]])('imports %s and %s as one case, and exports both files byte for byte', (first, second) => {
    const files = [alphagov(first), alphagov(second)];
    const report = importCaseFiles(files, input());
    expect(report.warnings).toEqual([]);
    const { snapshot } = report;
    expect(snapshot.case.title).toBe('[Prototype] Case for helping join up government services');
    expect(snapshot.decisions).toHaveLength(16);
    expect(snapshot.case.layout.sections.map((s) => s.heading)).toContain('Strategic Case');
    const out = renderCaseFiles(snapshot, 'case.md');
    expect(out.map((f) => f.name)).toEqual([CASE, DECISIONS]);
    expect(out[0]?.markdown).toBe(alphagov(CASE).markdown);
    expect(out[1]?.markdown).toBe(alphagov(DECISIONS).markdown);
  });

  it('its citations resolve against the decisions file: the digest finds no broken citation', () => {
    const { snapshot } = importCaseFiles([alphagov(CASE), alphagov(DECISIONS)], input());
    const alone = importCaseFiles([alphagov(CASE)], input()).snapshot;
    const window = { since: '2026-11-19T00:00:00Z', until: '2026-11-26T00:00:00Z', label: 'last week' };
    // Imported alone, the case cites evidence it does not hold.
    expect(buildDigest(alone, [], window, { linkUrl: null, preview: true }).gaps.brokenCitations.length).toBeGreaterThan(10);
    expect(buildDigest(snapshot, [], window, { linkUrl: null, preview: true }).gaps.brokenCitations).toEqual([]);
  });

  it('as one document (the case page, a single export), reads back as the same case', () => {
    const { snapshot } = importCaseFiles([alphagov(CASE), alphagov(DECISIONS)], input());
    const whole = renderCaseMarkdown(snapshot);
    expect(whole).toContain('# Key decisions that shaped our prototype case');
    const reread = parseCaseMarkdown(whole);
    expect(reread.warnings).toEqual([]);
    expect(reread.decisions.map((d) => [d.number, d.text])).toEqual(snapshot.decisions.map((d) => [d.number, d.text]));
    expect(reread.layout.sections.map((s) => s.heading)).toEqual(snapshot.case.layout.sections.map((s) => s.heading));
  });

  it('a change in chat shows in its own file; the other file stays byte for byte', () => {
    const { snapshot } = importCaseFiles([alphagov(CASE), alphagov(DECISIONS)], input());
    snapshot.decisions[3] = { ...snapshot.decisions[3]!, text: 'We changed our minds.' };
    const [caseFile, decisionsFile] = renderCaseFiles(snapshot, 'case.md');
    expect(caseFile?.markdown).toBe(alphagov(CASE).markdown);
    expect(decisionsFile?.markdown).toContain('### Decision 3\n\nWe changed our minds.\n');
    expect(decisionsFile?.markdown).not.toBe(alphagov(DECISIONS).markdown);
  });

  it('a key decisions file with its own heading over the sprints keeps its title, intro and heading', () => {
    const decisions = { name: 'decisions.md', markdown: '# Decisions\r\n\r\nOur log.\r\n\r\n## Key decisions\r\n\r\nIntro  \r\n\r\n### Sprint 1\r\n\r\nDecision 1: Go\r\n' };
    const business = { name: 'case.md', markdown: '\uFEFF# Case\n\n## Benefits\n\nFewer calls (1)\n\n\n' };
    const { snapshot } = importCaseFiles([decisions, business], input());
    expect(snapshot.case.layout.decisionsHeading).toEqual({ level: 2, text: 'Key decisions', intro: 'Intro' });
    expect(renderCaseFiles(snapshot, 'x.md')).toEqual([business, decisions]);
  });

  it('refuses, in plain words, two files that do not make one case', () => {
    const a = { name: 'a.md', markdown: '# A\n\n## Sprint 1\n\nDecision 1: Go\n' };
    const b = { name: 'b.md', markdown: '# B\n\n## Sprint 1\n\nDecision 1: Stay\n' };
    const c = { name: 'c.md', markdown: '# C\n\n## Benefits\n' };
    expect(() => importCaseFiles([a, b], input())).toThrow(new ImportRefused('Both a.md and b.md have sprints; only the key decisions file should. Import them as two cases instead.'));
    expect(() => importCaseFiles([c, { ...c, name: 'd.md' }], input())).toThrow(/Neither c.md nor d.md has a sprint or a decision the importer can read/);
    expect(() => importCaseFiles([c, { name: 'e.md', markdown: '# E\n\n## Notes\n\n## Sprint 1\n' }], input())).toThrow(/e.md has sections before its first sprint \(“Notes”\)/);
  });

  it('says which file a warning is about', () => {
    const decisions = { name: 'decisions.md', markdown: '# D\n\n## Sprint 1\n\nDecision 1: Go\n\nEvidence 1a: x\n\nEvidence 1a: y\n' };
    const report = importCaseFiles([{ name: 'case.md', markdown: '# C\n' }, decisions], input());
    expect(report.warnings.map((w) => w.message)).toEqual(['decisions.md: Line 9: Evidence 1a appears twice under Decision 1; kept as text of Evidence 1a.']);
  });
});

describe('a case in one file', () => {
  it('keeps the file name, so export writes it back under it', () => {
    const { snapshot } = importCaseFiles([alphagov(DECISIONS)], input());
    expect(renderCaseFiles(snapshot, 'fallback.md')).toEqual([alphagov(DECISIONS)]);
  });
});

describe('a business case and its decisions in a file of another layout', () => {
  const log = (name: string): ImportFile => ({ name, markdown: fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'logs', name), 'utf8') });

  it.each([
    ['the alphagov case', alphagov(CASE)],
    ['a case with front matter', { name: 'case.md', markdown: '---\ntitle: Permit service\n---\n\n# Permit service\n\n## Benefits\n\nFewer calls (1a).\n' }],
  ])('%s joins a decision log as one case, and both files come back byte for byte', (_name, business) => {
    const decisionsFile = log('sprint-m2-s5.md');
    for (const files of [[business, decisionsFile], [decisionsFile, business]]) {
      const report = importCaseFiles(files, input());
      expect(report.warnings).toEqual([]);
      const { snapshot } = report;
      expect(snapshot.case.title).toBe(parseCaseMarkdown(business.markdown).title);
      expect(snapshot.decisions.map((d) => d.number)).toEqual([1, 2, 3]);
      expect(snapshot.case.layout.sections.map((s) => s.heading)).toEqual(expect.arrayContaining(['Context', 'Open questions']));
      expect(report.files.map((f) => `${f.name}: ${f.layout}`)).toEqual(files.map((f) => (f === business
        ? `${business.name}: the business case: ${parseCaseMarkdown(business.markdown).layout.frontMatter ? 'sections only, no decisions, with front matter' : 'sections only, no decisions'}`
        : 'sprint-m2-s5.md: its key decisions: a decision log: “Decision N: …” headings under the sprint its title names (Sprint M2-S5)')));
      expect(renderCaseFiles(snapshot, 'x.md')).toEqual([business, decisionsFile]);
    }
  });

  it('a decision recorded in chat is written into the log, in the log\'s layout; the business case is left as it was', () => {
    const { snapshot } = importCaseFiles([alphagov(CASE), log('sprint-m2-s5.md')], input());
    snapshot.decisions.push({ ...snapshot.decisions[0]!, number: 4, text: 'Rename the service on 1 March' });
    const [caseFile, decisionsFile] = renderCaseFiles(snapshot, 'x.md');
    expect(caseFile?.markdown).toBe(alphagov(CASE).markdown);
    expect(decisionsFile?.markdown).toContain('in scripts.\n\n## Decision 4: Rename the service on 1 March\n\n## Open questions\n');
  });
});
