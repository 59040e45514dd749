import fc from 'fast-check';
import { inlines, shorten } from '../../../src/core/markdown/inline';

const LINK = '[Policy stakeholders often hold the knowledge of how it works](https://trello.com/c/abc123/45-policy-stakeholders)';

describe('inlines', () => {
  it('finds links, autolinks, bare URLs and code spans; other brackets stay text', () => {
    expect(inlines('a [x](javascript:alert(1)) b <https://x.org/y> c https://z.org/q?x=1. d `[n](https://q.org)`')).toEqual([
      { kind: 'text', text: 'a [x](javascript:alert(1)) b ' },
      { kind: 'link', label: 'https://x.org/y', url: 'https://x.org/y', raw: '<https://x.org/y>' },
      { kind: 'text', text: ' c ' },
      { kind: 'link', label: 'https://z.org/q?x=1', url: 'https://z.org/q?x=1', raw: 'https://z.org/q?x=1' },
      { kind: 'text', text: '. d ' },
      { kind: 'code', text: '[n](https://q.org)', raw: '`[n](https://q.org)`' },
    ]);
    expect(inlines('[Cats](https://en.wikipedia.org/wiki/Cat_(disambiguation))')).toEqual([
      { kind: 'link', label: 'Cats', url: 'https://en.wikipedia.org/wiki/Cat_(disambiguation)', raw: '[Cats](https://en.wikipedia.org/wiki/Cat_(disambiguation))' },
    ]);
  });
});

describe('shorten', () => {
  it('cuts at a word boundary and keeps a link whole, cutting only its label', () => {
    const text = `Research showed it: ${LINK} and more words after it`;
    expect(shorten(text, 40)).toBe('Research showed it: [Policy stakeholders…](https://trello.com/c/abc123/45-policy-stakeholders)');
    expect(shorten(text, 14)).toBe('Research…');
    expect(shorten(text, 500)).toBe(text);
    expect(shorten('See https://example.org/a/very/long/path and then more words', 20)).toBe('See…');
    expect(shorten('We will use `npm ci --ignore-scripts` always', 20)).toBe('We will use…');
  });

  it('never leaves a URL cut, whatever the text and the length', () => {
    const url = fc.constantFrom('https://trello.com/c/abc123/45-policy', 'https://www.gov.uk/guidance/a-b?x=1&y=2', 'http://x.org/(a)');
    const piece = fc.oneof(
      fc.constantFrom('We', 'will', 'publish', 'the', 'prototype', 'weekly,', 'see', '(3a)', '`code span`', ''),
      url,
      fc.tuple(fc.constantFrom('label', 'a longer label of words', ''), url).map(([l, u]) => `[${l}](${u})`),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 200 }), (pieces, max) => {
      const text = pieces.join(' ');
      const out = shorten(text, max);
      const urls = (s: string) => inlines(s).filter((p) => p.kind === 'link').map((p) => (p.kind === 'link' ? p.url : ''));
      // Every URL left is one the text had, whole.
      for (const u of urls(out)) expect(urls(text)).toContain(u);
      if (out !== text) expect(out.endsWith('…') || out.endsWith(')')).toBe(true);
    }));
  });
});
