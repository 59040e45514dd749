import { normaliseMarkdown, parseCaseMarkdown, renderCaseMarkdown } from '../../../src/core/markdown';
import { doc, fixture, snapshotOf } from './helpers';

const roundTrip = (markdown: string) => renderCaseMarkdown(snapshotOf(parseCaseMarkdown(markdown)));

describe('render(parse(document)) gives the document back', () => {
  it.each(['layout-a.md', 'layout-b.md', 'no-sprints.md'])('%s', (name) => {
    const markdown = fixture(name);
    expect(roundTrip(markdown)).toBe(normaliseMarkdown(markdown));
  });

  it('keeps a fixture byte for byte, since they are written in normal form', () => {
    for (const name of ['layout-a.md', 'layout-b.md', 'no-sprints.md']) {
      expect(roundTrip(fixture(name))).toBe(fixture(name));
    }
  });

  it('reads \\r\\n line endings and writes \\n', () => {
    const lf = fixture('layout-a.md');
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(crlf).toContain('\r\n');
    expect(roundTrip(crlf)).toBe(lf);
    expect(parseCaseMarkdown(crlf)).toEqual(parseCaseMarkdown(lf));
  });

  it('normalises only trailing spaces and runs of blank lines', () => {
    const messy = '\n\n# Title  \n\n\n\nIntro\t\n\n## Sprint 1\n\n\n### Decision 1\n\nText   \n\n\n\nEvidence 1a: Why\n\n\n';
    const clean = doc('# Title', '', 'Intro', '', '## Sprint 1', '', '### Decision 1', '', 'Text', '', 'Evidence 1a: Why');
    expect(normaliseMarkdown(messy)).toBe(clean);
    expect(roundTrip(messy)).toBe(clean);
  });

  it('writes an empty document as an empty string', () => {
    expect(normaliseMarkdown('\n\n')).toBe('');
    expect(roundTrip('')).toBe('');
  });

  it('keeps a document whose last section ends in an unclosed code fence', () => {
    const markdown = doc('# T', '', '## Notes', '', '```', '## not a heading');
    expect(roundTrip(markdown)).toBe(markdown);
  });

  it('keeps sprints placed directly under a section, without a container heading', () => {
    const markdown = doc('# T', '', '## Economic Case', '', '### Options', '', 'To be written.', '', '### Sprint 1', '', 'Decision 1: Go');
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.layout.decisionsHeading).toBeNull();
    expect(parsed.layout.sections.map((s) => s.heading)).toEqual(['Economic Case', 'Options']);
    expect(roundTrip(markdown)).toBe(markdown);
  });

  it('keeps a section after top-level sprints', () => {
    const markdown = doc('# T', '', '## Sprint 1', '', '### Decision 1', '', 'Go', '', '## Appendix', '', 'Notes', '', '### More', '', 'More notes');
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.layout.decisionsAt).toBe(0);
    expect(parsed.layout.sections.map((s) => `${s.level} ${s.heading}: ${s.body}`)).toEqual(['2 Appendix: Notes', '3 More: More notes']);
    expect(roundTrip(markdown)).toBe(markdown);
  });

  it('keeps a sprint intro and a decision that opens with a code block', () => {
    const markdown = doc('## Sprint 1', '', 'Intro', '', 'Decision 1:', '```', '## code', '```', '', 'Evidence 1a: Why');
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.title).toBeNull();
    expect(parsed.decisions[0].text).toBe('```\n## code\n```');
    expect(roundTrip(markdown)).toBe(markdown);
  });
});
