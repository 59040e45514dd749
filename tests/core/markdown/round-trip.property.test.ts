/**
 * For any document the importer accepts (by default it accepts every text, keeping what it
 * cannot place as text with a warning): export(import(doc)) is doc byte for byte, and the
 * normal form (what a case begun in chat is written as) reads back as the same case.
 */
import fc from 'fast-check';
import { parseCaseMarkdown, renderCaseMarkdown } from '../../../src/core/markdown';
import type { ParsedCase, Recognised } from '../../../src/core/markdown';
import { snapshotOf } from './helpers';

const LINES = [
  '# Title', '# Title ', '## Key decisions', '## Benefits', '## Problem  ', '### Options', '#### Detail', '##### Deep',
  '## Sprint 1', '### Sprint 1', '### Sprint 2 ', '### Sprint 3: Alpha', '### sprint 4', '## Sprint 0',
  '### Decision 1', '#### Decision 2', 'Decision 1: We will go', 'Decision 2: Stay  ', 'Decision 5:', 'Decisions 7: typo',
  'Evidence 1a: Seen', 'Evidence 1a: Again', 'Evidence 2b: Heard  ', 'Evidence 1b: See above ([source](https://example.org/a))',
  '_Withdrawn_', '_Withdrawn: changed our minds_', '_Superseded by Decision 2_',
  '_Proposed_', '_Rejected_', '_Rejected: not now_', '_Decided by Ana_', '_Decided by Ana Smith, Ben and Cy_', '_Decided by _',
  'Plain text', 'More text  ', 'Text with \\# a backslash', '- a list item', '  - nested ', '```', '~~~', 'code line',
  '', '', '', '   ', '\t', '===', '---', '> quote', '[link](https://example.org)', 'Decision 1\\: escaped',
];

/** A decision log's forms, front matter and pages, so that documents are read in every layout. */
const LOG_LINES = [
  '## Decision 1: Go', '### Decision: Stay  ', '## Decision 3', '## Decision 4:', '#### Decision 2 - Later', '**Decision:** Bold',
  '**Decision 2:** Bold two', '__Decision__: underscored', '**Decision\\:** escaped', '## Iteration 3', '### Beta 1', '## Sprint M2-S5',
  '# Log — Sprint M2-S5: Naming', '### Rationale', '#### Detail', '## Decisions log', '<div class="x">', '{% include map.html %}',
  'title: From front matter', 'title: "Quoted: title"', '...',
  // Phases and Service Standard points, which every layout reads in its own places.
  '_Phase: Alpha_', '_Phase: beta (Private beta)_', '_Service Standard: 1_', '_Service Standard: 4 (ours), 11_', '_Service Standard: 15_',
];

const FRONT = ['', '---\ntitle: Front\n---\n', '---\nlayout: page\n---\n', '---\n---\n'];

const documents = fc.record({
  front: fc.constantFrom(...FRONT),
  lines: fc.array(fc.oneof(fc.constantFrom(...LINES), fc.constantFrom(...LOG_LINES)), { maxLength: 40 }),
  ending: fc.constantFrom('', '\n', '\n\n', '\n\n\n'),
  crlf: fc.boolean(),
  bom: fc.boolean(),
}).map(({ front, lines, ending, crlf, bom }) => {
  const text = front + lines.join('\n') + (lines.length > 0 ? ending : '');
  return (bom ? '\uFEFF' : '') + (crlf ? text.replace(/\n/g, '\r\n') : text);
});

/** What the case holds, without the document's own spelling or the warnings. */
function content(parsed: ParsedCase): unknown {
  const { warnings: _w, notes: _n, decisionsMentioned: _m, layout, ...rest } = parsed;
  return { ...rest, layout: { ...layout, source: null } };
}

it('export(import(doc)) is doc, byte for byte, whatever layout it is read in', () => {
  const seen = new Map<Recognised, number>();
  fc.assert(fc.property(documents, (markdown) => {
    const parsed = parseCaseMarkdown(markdown);
    seen.set(parsed.recognised, (seen.get(parsed.recognised) ?? 0) + 1);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
  }), { numRuns: 2000 });
  // Every layout was tried, each many times.
  for (const layout of ['sprints', 'log', 'sections', 'page'] as const) expect(seen.get(layout) ?? 0).toBeGreaterThan(20);
});

it('the normal form reads back as the same case, warning only of what the document itself was warned of', () => {
  fc.assert(fc.property(documents, (markdown) => {
    const parsed = parseCaseMarkdown(markdown);
    const normal = renderCaseMarkdown(snapshotOf({ ...parsed, layout: { ...parsed.layout, source: null } }));
    const reread = parseCaseMarkdown(normal);
    const said = new Set(parsed.warnings.map((w) => w.message.replace(/^Line \d+: /, '')));
    for (const w of reread.warnings) expect(said).toContain(w.message.replace(/^Line \d+: /, ''));
    expect(content(reread)).toEqual(content(parsed));
  }), { numRuns: 2000 });
});
