/**
 * The hostile corpus, part 2: Teams with MicrosoftAppId set. Every activity without a valid
 * Bot Framework token, one that says when it expires, gets 401, reaches nothing and changes
 * nothing. nock serves the channel's OpenID metadata and signing keys (as botbuilder's own
 * tests do) and the bot's own token for the control's reply; the connector is a real fake
 * on 127.0.0.1.
 */
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { nock } from '../helpers/native';
import { startCorpusApp } from './app';
import type { CorpusApp } from './app';
import { teamsMessage } from './harness';

const APP_ID = '6a2c8e1f-0b3d-4e5f-9a7b-1c2d3e4f5a6b';
const KEY_ID = 'reliability-key';
const OPENID = 'https://login.botframework.com';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => host.startsWith('127.0.0.1'));
  // botbuilder prints each refused token with console.error; the refusals are the point here.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(() => jest.restoreAllMocks());

describe('Teams with MicrosoftAppId: unsigned and wrongly signed activities get 401 and change nothing', () => {
  let authed: CorpusApp;
  let authedBefore: string;
  let key: KeyObject;
  let stranger: KeyObject;

  beforeAll(async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = pair.privateKey;
    stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    // The channel's OpenID metadata and signing keys, endorsed for Teams (as botbuilder's own tests serve them).
    nock(OPENID).persist()
      .get('/v1/.well-known/openidconfiguration')
      .reply(200, { issuer: 'https://api.botframework.com', jwks_uri: `${OPENID}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] })
      .get('/v1/.well-known/keys')
      .reply(200, { keys: [{ ...jwk, kid: KEY_ID, use: 'sig', endorsements: ['msteams'] }] });
    // The bot's own token, for the control's reply.
    nock('https://login.microsoftonline.com').persist()
      .get((uri: string) => uri.includes('/discovery/instance'))
      .reply(200, { tenant_discovery_endpoint: 'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration', 'api-version': '1.1', metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net'] }] })
      .get((uri: string) => uri.includes('/.well-known/openid-configuration'))
      .reply(200, {
        token_endpoint: 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token',
        authorization_endpoint: 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/authorize',
        issuer: 'https://login.microsoftonline.com/botframework.com/v2.0',
        jwks_uri: 'https://login.microsoftonline.com/botframework.com/discovery/v2.0/keys',
        response_types_supported: ['code', 'id_token', 'token'],
      })
      .post((uri: string) => uri.includes('/oauth2/v2.0/token'))
      .reply(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'bot-access-token' });
    authed = await startCorpusApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' });
    authedBefore = await authed.state();
  });

  afterAll(async () => {
    await authed.stop();
    nock.cleanAll();
  });

  function jwt(claims: Record<string, unknown>, o: { signWith?: KeyObject; kid?: string; alg?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const head = part({ alg: o.alg ?? 'RS256', typ: 'JWT', kid: o.kid ?? KEY_ID });
    const body = part({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: authed.connector.serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims });
    if (o.alg === 'none') return `${head}.${body}.`;
    const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(o.signWith ?? key).toString('base64url');
    return `${head}.${body}.${signature}`;
  }

  const activity = () => JSON.stringify(teamsMessage(`We will not be forged ${randomUUID()}`, { serviceUrl: authed.connector.serviceUrl }));
  const now = () => Math.floor(Date.now() / 1000);
  const rows: [string, () => Record<string, string>][] = [
    ['no Authorization header', () => ({})],
    ['an empty Bearer token', () => ({ authorization: 'Bearer ' })],
    ['a Bearer token that is not a JWT', () => ({ authorization: 'Bearer not-a-jwt' })],
    ['Basic credentials', () => ({ authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` })],
    ['a token signed with a key not in the keys', () => ({ authorization: `Bearer ${jwt({}, { signWith: stranger })}` })],
    ['a token naming an unknown key id', () => ({ authorization: `Bearer ${jwt({}, { kid: 'not-a-key' })}` })],
    ['an unsigned token (alg none)', () => ({ authorization: `Bearer ${jwt({}, { alg: 'none' })}` })],
    ['a token for another app', () => ({ authorization: `Bearer ${jwt({ aud: 'another-app' })}` })],
    ['an expired token', () => ({ authorization: `Bearer ${jwt({ exp: now() - 3600, nbf: now() - 7200, iat: now() - 7200 })}` })],
    ['a token not valid yet', () => ({ authorization: `Bearer ${jwt({ nbf: now() + 3600, iat: now() + 3600, exp: now() + 7200 })}` })],
    ['a token from another issuer', () => ({ authorization: `Bearer ${jwt({ iss: 'https://evil.example' })}` })],
    ['a token issued for another serviceUrl', () => ({ authorization: `Bearer ${jwt({ serviceurl: 'https://elsewhere.example/' })}` })],
    ['a valid token with its signature cut off', () => ({ authorization: `Bearer ${jwt({}).replace(/\.[^.]+$/, '.')}` })],
    // botbuilder itself accepts the first (a leaked one would be good for ever); the other two are refused by it as well.
    ['a correctly signed token without an expiry (no exp)', () => ({ authorization: `Bearer ${jwt({ exp: undefined })}` })],
    ['a correctly signed token whose exp is null', () => ({ authorization: `Bearer ${jwt({ exp: null })}` })],
    ['a correctly signed token whose exp is a string', () => ({ authorization: `Bearer ${jwt({ exp: String(now() + 3600) })}` })],
  ];

  it.each(rows)('%s', async (_name, headers) => {
    const res = await authed.teamsRaw(activity(), headers());
    expect(res.status).toBe(401);
    expect(res.sent).toEqual([]);
    expect(await authed.state()).toBe(authedBefore);
  });

  it('(control) a valid token gets through and is answered', async () => {
    const res = await authed.teamsRaw(activity(), { authorization: `Bearer ${jwt({})}` });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.sent)).toContain('Decision 0');
  });
});
