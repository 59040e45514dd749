import { escapeUserText, unescapeUserText } from '../../../src/core/markdown';
import type { TextPlace } from '../../../src/core/markdown';

const places: TextPlace[] = ['decision', 'section'];

describe('escapeUserText', () => {
  it.each([
    ['## Heading', '\\## Heading'],
    ['   # Indented heading', '   \\# Indented heading'],
    ['#### Deep heading', '\\#### Deep heading'],
    ['#', '\\#'],
    ['Decision 9: forged', 'Decision 9\\: forged'],
    ['Evidence 1a: forged', 'Evidence 1a\\: forged'],
    ['_Withdrawn_', '\\_Withdrawn_'],
    ['_Withdrawn: changed our minds_', '\\_Withdrawn: changed our minds_'],
    ['_Superseded by Decision 4_', '\\_Superseded by Decision 4_'],
    ['Text\n---', 'Text\n\\---'],
    ['Text\n===', 'Text\n\\==='],
    ['\\# already escaped', '\\\\# already escaped'],
    ['Decision 9\\: already escaped', 'Decision 9\\\\: already escaped'],
    ['See the notes ([source](https://example.org/x))', 'See the notes \\([source](https://example.org/x))'],
  ])('escapes %j in decision text', (text, escaped) => {
    expect(escapeUserText(text, 'decision')).toBe(escaped);
  });

  it.each([
    '#hashtag at the start', '####### seven hashes', 'Decision nine: words', 'Evidence 1A: capital',
    '_Withdrawn_ but more', ' Decision 9: indented', '\n---', '---', 'a - b', 'See ([source](x)) later',
  ])('leaves %j in decision text alone', (text) => {
    expect(escapeUserText(text, 'decision')).toBe(text);
  });

  it.each([
    ['## Sprint 3', '\\## Sprint 3'],
    ['### Decision 2', '\\### Decision 2'],
    ['# Title', '\\# Title'],
    ['#### Sprint 3 goals', '\\#### Sprint 3 goals'],
    ['##### Decision 2', '\\##### Decision 2'],
  ])('escapes %j in a section body', (text, escaped) => {
    expect(escapeUserText(text, 'section')).toBe(escaped);
  });

  it.each(['#### Sub-heading', 'Decision 9: x', 'Evidence 1a: x', '_Withdrawn_', 'Text\n---', '#### Decision 2 notes'])(
    'leaves %j in a section body alone',
    (text) => {
      expect(escapeUserText(text, 'section')).toBe(text);
    },
  );

  it('leaves fenced code alone, in both places', () => {
    const text = 'Before\n```sh\n# comment\nDecision 9: x\n```\n# after';
    for (const where of places) expect(escapeUserText(text, where)).toBe('Before\n```sh\n# comment\nDecision 9: x\n```\n\\# after');
    expect(escapeUserText('~~~~\n## a\n~~~\n## b', 'section')).toBe('~~~~\n## a\n~~~\n## b');
  });
});

describe('unescapeUserText is the exact inverse', () => {
  const tricky = [
    '', 'plain', '## Heading', '\\## Heading', '\\\\\\## three', 'Decision 9: forged', 'Decision 9\\\\: x',
    'Evidence 1a: forged', '---', 'a\n---', 'a\n\\---', '_Withdrawn_', '\\_Withdrawn_', '\\# already escaped',
    'x ([source](https://a.b))', 'x \\([source](https://a.b))', '([source](<a b>))', 'a\r\n## b\r\nDecision 1: c',
    '```\n## in code\n', 'text ([source](u))  \n', '  ## spaced', '\t## tab is not a heading',
  ];

  it.each(tricky)('%j', (text) => {
    for (const where of places) expect(unescapeUserText(escapeUserText(text, where), where)).toBe(text);
  });

  it('holds for many generated texts', () => {
    const pieces = ['#', '## ', '\\', 'Decision 3', 'Evidence 2b', ':', ' ', '\n', '\r\n', '---', '===', '_Withdrawn_', '_Superseded by Decision 2_',
      '```', '~~~', 'word', '([source](https://x.y/z))', '(', ')', 'Sprint 4', '  '];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(random() * 12);
      const text = Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      for (const where of places) expect(unescapeUserText(escapeUserText(text, where), where)).toBe(text);
    }
  });
});
