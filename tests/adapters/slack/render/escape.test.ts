/** Escaping user text for Slack: nothing a person types can ping, mention or link. */
import { channelLink, cut, esc, link, mention, plain, quote, slackTextToPlain } from '../../../../adapters/slack/render/escape';

describe('esc', () => {
  it('escapes &, < and >', () => {
    expect(esc('a & b <c> d')).toBe('a &amp; b &lt;c&gt; d');
  });

  it('defuses special mentions and forged links', () => {
    expect(esc('<!channel> <!here|here> <@U123> <#C1> <https://evil|click>')).toBe('&lt;!channel&gt; &lt;!here|here&gt; &lt;@U123&gt; &lt;#C1&gt; &lt;https://evil|click&gt;');
  });

  it('breaks @channel, @here and @everyone typed as words', () => {
    const out = esc('@channel @HERE @everyone @ana');
    expect(out).not.toMatch(/@(channel|here|everyone)/i);
    expect(out).toContain('@ana');
  });

  it('escapes text that is already escaped, so it shows as typed', () => {
    expect(esc('&lt;')).toBe('&amp;lt;');
  });
});

describe('quote', () => {
  it('quotes every line, so a line cannot break out', () => {
    expect(quote('one\n> two\n<!here>')).toBe('>one\n>&gt; two\n>&lt;!here&gt;');
  });
});

describe('mention, channelLink, link', () => {
  it('mentions only real-looking ids, else shows the escaped name', () => {
    expect(mention('U0ANA', 'ana')).toBe('<@U0ANA>');
    expect(mention('U1>|<!channel', '<!channel>')).toBe('&lt;!channel&gt;');
    expect(channelLink('C0GENERAL')).toBe('<#C0GENERAL>');
    expect(channelLink('<!here>')).toBe('&lt;!here&gt;');
  });

  it('links only plain http(s) URLs, with an escaped label', () => {
    expect(link('https://gov.uk/a?b=1&c=2', 'the <form>')).toBe('<https://gov.uk/a?b=1&amp;c=2|the &lt;form&gt;>');
    expect(link('javascript:alert(1)', 'x')).toBe('javascript:alert(1)');
    expect(link('https://evil|click', 'x')).toBe('https://evil|click');
    expect(link('https://a.b/x>y', 'x')).toBe('https://a.b/x&gt;y');
  });
});

describe('cut', () => {
  it('leaves short text alone', () => {
    expect(cut('short', 10, '…more')).toBe('short');
  });

  it('never splits an entity or one of our links, and ends with the pointer', () => {
    const text = `${'x'.repeat(90)}&amp;&lt;<https://gov.uk|link>`;
    for (let max = 40; max <= text.length; max += 1) {
      const out = cut(text, max, '(more)');
      expect(out.length).toBeLessThanOrEqual(max);
      if (out !== text) expect(out.endsWith('(more)')).toBe(true);
      expect(out).not.toMatch(/&[a-z]*…/);
      expect(out).not.toMatch(/<[^>]*…/);
    }
  });

  it('does not leave half a surrogate pair', () => {
    const out = cut(`${'a'.repeat(9)}😀😀😀`, 12, '');
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('plain', () => {
  it('flattens, escapes and cuts plain_text', () => {
    expect(plain('a\n\n b <c>', 75)).toBe('a b &lt;c&gt;');
    expect(plain('x'.repeat(100), 75).length).toBeLessThanOrEqual(75);
  });
});

describe('slackTextToPlain', () => {
  it('turns a Slack message into the words a person wrote', () => {
    expect(slackTextToPlain('Ask <@U1|ana> in <#C1|general> about <https://gov.uk|the form> &amp; <https://x.y> &lt;3 <!here>'))
      .toBe('Ask @ana in #general about the form (https://gov.uk) & https://x.y <3 @here');
  });
});
