import { findCitations } from '../../src/core/citations';

const labels = (md: string): string[] => findCitations(md).map((c) => c.label);

describe('findCitations', () => {
  it('reads the citation lists people write', () => {
    expect(labels('Users repeat themselves (3a, 4) and give up (7b).')).toEqual(['3a', '4', '7b']);
    expect(labels('As seen (11b, 14a) and (12).')).toEqual(['11b', '14a', '12']);
    expect(labels('Semicolons too (1a;2) and tight spacing (5,6b)')).toEqual(['1a', '2', '5', '6b']);
    expect(labels('Long letters (0aa)')).toEqual(['0aa']);
    expect(findCitations('(11b, 14)')).toEqual([
      { label: '11b', decision: 11, letters: 'b' },
      { label: '14', decision: 14, letters: null },
    ]);
  });

  it('ignores brackets that hold anything else', () => {
    expect(labels('Later (see below), in (2020), over (5G), (3a and 4), (p. 12), (), ( , ), (12 people)')).toEqual([]);
    expect(labels('Mixed (3a, see 4) is prose, not a list')).toEqual([]);
  });

  it('ignores link targets and inline code', () => {
    expect(labels('A [link](12) and `code (3a)` but (4)')).toEqual(['4']);
  });

  it('does not reach across lines', () => {
    expect(labels('(3a,\n4)')).toEqual([]);
  });
});
