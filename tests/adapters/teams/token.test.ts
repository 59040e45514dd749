/** Reading a Bot Framework token's expiry without trusting it: only a numeric `exp` passes. */
import { tokenProblem } from '../../../adapters/teams/token';

const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const head = part({ alg: 'RS256', typ: 'JWT', kid: 'k' });
const bearer = (claims: unknown, signature = 'c2lnbmF0dXJl') => `Bearer ${head}.${part(claims)}.${signature}`;

it.each([
  ['a numeric exp', bearer({ aud: 'app', exp: 1_900_000_000 }), true],
  ['lower-case bearer and spaces around', `  bearer ${head}.${part({ exp: 1 })}.sig  `, true],
  ['no exp', bearer({ aud: 'app' }), false],
  ['exp null', bearer({ exp: null }), false],
  ['exp as a string', bearer({ exp: '1900000000' }), false],
  ['exp as an object', bearer({ exp: { value: 1 } }), false],
  ['a payload that is not JSON', `Bearer ${head}.${Buffer.from('not json').toString('base64url')}.sig`, false],
  ['a payload that is an array', bearer([1]), false],
  ['a payload that is null', bearer(null), false],
  ['two parts', `Bearer ${head}.${part({ exp: 1 })}`, false],
  ['four parts', `Bearer ${head}.${part({ exp: 1 })}.sig.more`, false],
  ['an empty payload', `Bearer ${head}..sig`, false],
  ['Basic credentials', `Basic ${Buffer.from('user:pass').toString('base64')}`, false],
  ['no scheme', `${head}.${part({ exp: 1 })}.sig`, false],
  ['nothing', '', false],
])('%s: has an expiry → %s', (_name, header, expected) => {
  // Any expiry is in the future at time 0: only a token without one is refused.
  const noExpiry = header === '' ? 'no Authorization header' : 'not a Bearer token with an expiry (exp)';
  expect(tokenProblem(header, 0)).toBe(expected ? null : noExpiry);
});

describe('tokenProblem', () => {
  const now = 1_900_000_000;
  it.each([
    ['a token valid for another hour', bearer({ exp: now + 3600 }), null],
    ['a token expired within the five minutes botbuilder allows', bearer({ exp: now - 200 }), null],
    ['a token expired an hour ago', bearer({ exp: now - 3600 }), 'the token has expired'],
    ['a token with no exp', bearer({ aud: 'app' }), 'not a Bearer token with an expiry (exp)'],
    ['no header', '', 'no Authorization header'],
  ])('%s → %s', (_name, header, expected) => {
    expect(tokenProblem(header, now)).toBe(expected);
  });
});
