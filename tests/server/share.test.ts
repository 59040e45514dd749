/** Share tokens: HMAC-SHA256 over "<case id>.<share version>", base64url, compared exactly. */
import { createHmac } from 'node:crypto';
import { createShareLinks, shareFromConfig } from '../../src/server/share';
import { sharingOff } from '../../src/core/service';

const secret = 'a-test-share-secret-of-some-length';
const links = createShareLinks({ publicUrl: 'https://decisions.example.org/', secret });
const c = { id: 'case-1', shareVersion: 3 };

describe('share links', () => {
  it('builds the page and download links under PUBLIC_URL', () => {
    const token = createHmac('sha256', secret).update('case-1.3').digest('base64url');
    expect(links.tokenFor(c)).toBe(token);
    expect(links.urlFor(c)).toBe(`https://decisions.example.org/cases/case-1?token=${token}`);
    expect(links.markdownUrlFor(c)).toBe(`https://decisions.example.org/cases/case-1.md?token=${token}`);
    expect(createShareLinks({ publicUrl: 'https://example.org/bot', secret }).urlFor({ id: 'a b/c', shareVersion: 1 }))
      .toMatch(/^https:\/\/example\.org\/bot\/cases\/a%20b%2Fc\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('verifies only the exact token of that case at that version', () => {
    const token = links.tokenFor(c);
    expect(links.verify('case-1', 3, token)).toBe(true);
    const wrong: Array<string | null | undefined> = [
      null, undefined, '', token.slice(1), `${token}=`, `${token}A`, `${token} `, token.toUpperCase(), token.replace(/.$/, (x) => (x === 'A' ? 'B' : 'A')),
      links.tokenFor({ id: 'case-2', shareVersion: 3 }), links.tokenFor({ id: 'case-1', shareVersion: 2 }), links.tokenFor({ id: 'case-1', shareVersion: 4 }),
      createShareLinks({ publicUrl: 'https://decisions.example.org', secret: `${secret}!` }).tokenFor(c),
      Buffer.from(token, 'base64url').toString('base64'), 'é'.repeat(21) + 'x',
    ];
    for (const w of wrong) expect(links.verify('case-1', 3, w)).toBe(false);
    // Bound to the case: "case-1" at version 3 is not "case-1.3" at any version.
    expect(links.verify('case-1.3', 0, token)).toBe(false);
  });

  it('is on only when PUBLIC_URL and SHARE_SECRET are both set, and names what is missing', () => {
    expect(shareFromConfig({ publicUrl: null, shareSecret: null })).toEqual({ links: null, missing: ['PUBLIC_URL', 'SHARE_SECRET'] });
    expect(shareFromConfig({ publicUrl: 'https://x.example', shareSecret: null })).toEqual({ links: null, missing: ['SHARE_SECRET'] });
    expect(shareFromConfig({ publicUrl: null, shareSecret: secret })).toEqual({ links: null, missing: ['PUBLIC_URL'] });
    const on = shareFromConfig({ publicUrl: 'https://x.example', shareSecret: secret });
    expect(on.missing).toEqual([]);
    expect(on.links?.urlFor(c)).toBe(`https://x.example/cases/case-1?token=${links.tokenFor(c)}`);
    expect(sharingOff(['SHARE_SECRET'])).toBe('Sharing is not set up here. Ask whoever runs the bot to set SHARE_SECRET (a random secret of at least 16 characters).');
  });
});
