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

  it('keeps \\r\\n line endings, and reads the same case as from \\n', () => {
    const lf = fixture('layout-a.md');
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(crlf).toContain('\r\n');
    expect(roundTrip(crlf)).toBe(crlf);
    const { layout: a, ...fromCrlf } = parseCaseMarkdown(crlf);
    const { layout: b, ...fromLf } = parseCaseMarkdown(lf);
    expect(fromCrlf).toEqual(fromLf);
    expect({ ...a, source: null }).toEqual({ ...b, source: null });
  });

  it('keeps trailing spaces and runs of blank lines, while the case holds the normal form', () => {
    const messy = '\n\n# Title  \n\n\n\nIntro\t\n\n## Sprint 1\n\n\n### Decision 1\n\nText   \n\n\n\nEvidence 1a: Why\n\n\n';
    const clean = doc('# Title', '', 'Intro', '', '## Sprint 1', '', '### Decision 1', '', 'Text', '', 'Evidence 1a: Why');
    expect(normaliseMarkdown(messy)).toBe(clean);
    expect(roundTrip(messy)).toBe(messy);
    const parsed = parseCaseMarkdown(messy);
    expect(parsed.title).toBe('Title');
    expect(parsed.decisions[0]?.text).toBe('Text');
    // Without the document's own spelling (a case begun in chat), the normal form.
    expect(renderCaseMarkdown(snapshotOf({ ...parsed, layout: { ...parsed.layout, source: null } }))).toBe(clean);
  });

  it.each([
    ['hard line breaks (two trailing spaces)', doc('# T', '', '## Problem', '', 'Line one  ', 'line two', '', '## Sprint 1', '', 'Decision 1: First  ', 'second line', '', 'Evidence 1a: Seen  ', 'twice')],
    ['three blank lines as a section body', doc('# T', '', '## Benefits', '', '', '', '## Costs', '', 'Some')],
    ['no final newline', '# T\n\n## Sprint 1\n\nDecision 1: Go'],
    ['two final newlines', doc('# T', '', '## Sprint 1', '', 'Decision 1: Go', '')],
    ['CRLF line ends', doc('# T', '', '## Sprint 1', '', 'Decision 1: Go', '', 'Evidence 1a: Why').replace(/\n/g, '\r\n')],
    ['a BOM', `\uFEFF${doc('# T', '', '## Sprint 1', '', 'Decision 1: Go')}`],
    ['a trailing space on a heading', doc('# T ', '', '## Key decisions', '', '### Sprint 2 ', '', 'Decision 1: Go', '', '## Appendix  ', '', 'End')],
    ['blank lines inside a code block', doc('# T', '', '## Notes', '', '```', 'a', '', '', '', 'b', '```')],
    ['lines with only spaces between parts', '# T\n   \n## Sprint 1\n\t\nDecision 1: Go\n  \n'],
    ['a lower-case sprint heading', doc('## Plan', '', '### sprint 2', '', 'Decision 0: Go')],
    ['leading blank lines and nothing else', '\n\n\n'],
  ])('%s comes back byte for byte', (_name, markdown) => {
    expect(roundTrip(markdown)).toBe(markdown);
  });

  it('the public documents come back byte for byte', () => {
    for (const name of ['alphagov/prototype-case-joined-up-services.MD', 'alphagov/key-decisions-and-evidence.md', 'alphagov/template-for-prototyping.MD', 'alphagov/README.md']) {
      const markdown = fixture(`../${name}`);
      const parsed = parseCaseMarkdown(markdown);
      expect(parsed.warnings).toEqual([]);
      expect(roundTrip(markdown)).toBe(markdown);
    }
  });

  it('a part changed since the import is written in normal form; the others as they were', () => {
    const markdown = doc('# T', '', '## Sprint 1', '', 'Decision 1: Go  ', 'now', '', '', 'Decision 2: Stay  ', 'put', '', '', 'Evidence 2a: Why  ');
    const snapshot = snapshotOf(parseCaseMarkdown(markdown));
    snapshot.decisions[0] = { ...snapshot.decisions[0], text: 'Go later' };
    expect(renderCaseMarkdown(snapshot)).toBe(doc('# T', '', '## Sprint 1', '', 'Decision 1: Go later', '', 'Decision 2: Stay  ', 'put', '', '', 'Evidence 2a: Why  '));
    // A new decision after the last part: the old ending is not carried into the middle.
    const grown = snapshotOf(parseCaseMarkdown('# T\n\n## Sprint 1\n\nDecision 1: Go  '));
    grown.decisions.push({ ...grown.decisions[0], number: 2, text: 'Next' });
    expect(renderCaseMarkdown(grown)).toBe('# T\n\n## Sprint 1\n\nDecision 1: Go  \n\nDecision 2: Next\n');
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
