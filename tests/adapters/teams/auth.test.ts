/**
 * Teams authentication end to end. With nothing set: Teams is off, /api/messages answers 401.
 * TEAMS_LOCAL=1: the Emulator's local mode, only from this machine with a loopback serviceUrl.
 * With MicrosoftAppId: every request needs a valid Bot Framework token; here we sign our own,
 * with nock serving the OpenID metadata and its keys (as botbuilder's own tests do) and the
 * token endpoint the bot uses to reply.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  nock, SERVICE_URL,
  connector, conversationUpdate, eventually, message, onlyLocalNetwork, place, post, startTeamsApp,
} from './helpers';
import type { Sent, TeamsApp } from './helpers';
import { decisionsOf } from '../../helpers/records';

const APP_ID = '8f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const KEY_ID = 'test-signing-key';
const OPENID = 'https://login.botframework.com';

beforeAll(() => onlyLocalNetwork());
afterEach(() => nock.cleanAll());

async function decisionCount(t: TeamsApp): Promise<number> {
  const c = await t.app.store.findCase(place());
  return c ? (await decisionsOf(t.app.store, c.id)).length : 0;
}

describe('nothing set: Teams is off', () => {
  let t: TeamsApp;
  let sent: Sent[];
  beforeEach(async () => {
    t = await startTeamsApp({});
    sent = connector().sent;
  });
  afterEach(async () => t.stop());

  it('has no Teams surface', () => {
    expect(t.app.surfaces.map((s) => s.platform)).not.toContain('teams');
  });

  it.each([
    ['a message', () => message('We will publish weekly')],
    ['a message asking for its replies in the answer (expectReplies)', () => ({ ...message('list'), deliveryMode: 'expectReplies' })],
    ['the bot being added to a channel', () => conversationUpdate()],
  ])('answers %s with 401, keeps no reference and sends nothing', async (_name, activity) => {
    const res = await post(t, activity());
    expect(res.status).toBe(401);
    expect(res.text).toBe('Teams is off on this server: it has no MicrosoftAppId.');
    expect(sent).toHaveLength(0);
    expect(await decisionCount(t)).toBe(0);
    expect(await t.app.store.getConversationRef(place())).toBeNull();
  });
});

describe('TEAMS_LOCAL=1 (the Bot Framework Emulator)', () => {
  let t: TeamsApp;
  let sent: Sent[];
  beforeEach(async () => {
    t = await startTeamsApp({ TEAMS_LOCAL: '1' });
    sent = connector().sent;
  });
  afterEach(async () => t.stop());

  it('says at start that it runs unauthenticated, for this machine only', () => {
    const teams = t.app.surfaces.find((s) => s.description.startsWith('Teams'));
    expect(teams?.description).toContain('unauthenticated local mode (TEAMS_LOCAL=1)');
    expect(teams?.description).toContain('only requests from this machine, with a serviceUrl on this machine');
  });

  it('refuses (403) expectReplies, which would hand the replies to whoever asked', async () => {
    await post(t, message('We will publish weekly'));
    await eventually(() => expect(sent).toHaveLength(1));
    const res = await post(t, { ...message('list'), deliveryMode: 'expectReplies' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('expectReplies needs Bot Framework authentication');
    expect(res.text).not.toContain('We will publish weekly');
    expect(sent).toHaveLength(1);
  });

  it.each([
    ['X-Forwarded-For', { 'x-forwarded-for': '203.0.113.9' }],
    ['Forwarded', { forwarded: 'for=203.0.113.9' }],
  ])('refuses (403) a request a proxy relayed (%s), and changes nothing', async (_name, headers) => {
    const res = await post(t, message('We will publish weekly'), headers);
    expect(res.status).toBe(403);
    expect(sent).toHaveLength(0);
    expect(await decisionCount(t)).toBe(0);
  });

  it.each([
    'https://smba.trafficmanager.net/uk/',
    'http://10.0.0.5:3978/',
    'http://localhost.evil.example/',
    'http://127.0.0.1@evil.example/',
    'not a url',
  ])('refuses (403) an activity whose serviceUrl is %s, and changes nothing', async (serviceUrl) => {
    const res = await post(t, message('We will publish weekly', { serviceUrl }));
    expect(res.status).toBe(403);
    expect(sent).toHaveLength(0);
    expect(await decisionCount(t)).toBe(0);
  });

  it.each(['http://127.0.0.1:9/teams/', 'http://[::1]:3978/'])('serves a loopback serviceUrl such as %s', async (serviceUrl) => {
    const origin = new URL(serviceUrl).origin;
    const other = connector(origin).sent;
    const res = await post(t, message('We will publish weekly', { serviceUrl }));
    expect(res.status).toBe(200);
    await eventually(() => expect(other).toHaveLength(1));
    expect(await decisionCount(t)).toBe(1);
  });
});

describe('with MicrosoftAppId', () => {
  let t: TeamsApp;
  let privateKey: KeyObject;

  let jwk: object;

  beforeAll(() => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = pair.privateKey;
    jwk = pair.publicKey.export({ format: 'jwk' });
  });

  beforeEach(async () => {
    // The channel's OpenID metadata and signing keys, endorsed for Teams.
    nock(OPENID).persist()
      .get('/v1/.well-known/openidconfiguration')
      .reply(200, { issuer: 'https://api.botframework.com', jwks_uri: `${OPENID}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] })
      .get('/v1/.well-known/keys')
      .reply(200, { keys: [{ ...jwk, kid: KEY_ID, use: 'sig', endorsements: ['msteams'] }] });
    t = await startTeamsApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' });
  });
  afterEach(async () => t.stop());

  function sign(claims: Record<string, unknown>, key: KeyObject = privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = part({ alg: 'RS256', typ: 'JWT', kid: KEY_ID });
    const body = part({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: SERVICE_URL, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims });
    const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url');
    return `${head}.${body}.${signature}`;
  }

  /** The bot's own token for replying, from Entra ID's token endpoint (MSAL, client credentials). */
  function stubBotToken(): void {
    nock('https://login.microsoftonline.com').persist()
      .get((uri: string) => uri.includes('/discovery/instance'))
      .reply(200, {
        tenant_discovery_endpoint: 'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration',
        'api-version': '1.1',
        metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net'] }],
      })
      .get((uri: string) => uri.includes('/.well-known/openid-configuration'))
      .reply(200, {
        token_endpoint: 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token',
        authorization_endpoint: 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/authorize',
        issuer: 'https://login.microsoftonline.com/botframework.com/v2.0',
        end_session_endpoint: 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/logout',
        jwks_uri: 'https://login.microsoftonline.com/botframework.com/discovery/v2.0/keys',
        response_types_supported: ['code', 'id_token', 'token'],
      })
      .post((uri: string) => uri.includes('/oauth2/v2.0/token'))
      .reply(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'bot-access-token' });
  }

  it('describes its mode without the password', () => {
    const teams = t.app.surfaces.find((s) => s.description.startsWith('Teams'));
    expect(teams?.description).toContain(APP_ID);
    expect(teams?.description).not.toContain('not-a-real-secret');
  });

  it('answers an unsigned activity with 401 and records nothing', async () => {
    const { sent } = connector();
    const res = await post(t, message('We will publish weekly'));
    expect(res.status).toBe(401);
    expect(sent).toHaveLength(0);
    expect(await decisionCount(t)).toBe(0);
  });

  it('answers a token signed with another key, or for another app, with 401', async () => {
    const { sent } = connector();
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    // botbuilder writes a bad signature to the console itself; here that is expected, not noise.
    const complaints = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await post(t, message('We will publish weekly'), { authorization: `Bearer ${sign({}, stranger)}` })).status).toBe(401);
      expect(String(complaints.mock.calls[0]?.[0])).toMatch(/^Error finding key for token/);
    } finally {
      complaints.mockRestore();
    }
    expect((await post(t, message('We will publish weekly'), { authorization: `Bearer ${sign({ aud: 'another-app' })}` })).status).toBe(401);
    expect((await post(t, message('We will publish weekly'), { authorization: `Bearer ${sign({ exp: Math.floor(Date.now() / 1000) - 3600 })}` })).status).toBe(401);
    expect(sent).toHaveLength(0);
    expect(await decisionCount(t)).toBe(0);
  });

  it('accepts a valid token, and replies with its own token', async () => {
    stubBotToken();
    const { sent, scope } = connector();
    const tokens: string[] = [];
    scope.on('request', (req: { headers: Record<string, string> | Headers }) => {
      const h = req.headers as Record<string, string> & { get?: (n: string) => string | null };
      tokens.push(String(typeof h.get === 'function' ? h.get('authorization') : h.authorization));
    });
    const res = await post(t, message('We will publish weekly'), { authorization: `Bearer ${sign({})}` });
    expect(res.status).toBe(200);
    await eventually(() => expect(sent).toHaveLength(1));
    expect(JSON.stringify(sent[0]?.body)).toContain('Decision 0');
    expect(tokens).toContain('Bearer bot-access-token');
    expect(await decisionCount(t)).toBe(1);
  });

  it('serves a non-loopback serviceUrl once the token vouches for it', async () => {
    stubBotToken();
    const serviceUrl = 'https://smba.trafficmanager.net/uk/';
    const { sent } = connector('https://smba.trafficmanager.net');
    const res = await post(t, message('We will publish weekly', { serviceUrl }), { authorization: `Bearer ${sign({ serviceurl: serviceUrl })}` });
    expect(res.status).toBe(200);
    await eventually(() => expect(sent).toHaveLength(1));
  });

  it('answers a correctly signed token with no expiry (exp) with 401, and records nothing', async () => {
    const { sent } = connector();
    // JSON leaves out an undefined claim: the token is signed without exp.
    for (const exp of [undefined, null, 'never']) {
      const res = await post(t, message('We will publish weekly'), { authorization: `Bearer ${sign({ exp })}` });
      expect(res.status).toBe(401);
    }
    expect(sent).toHaveLength(0);
    expect(await decisionCount(t)).toBe(0);
  });

  it('answers expectReplies once the token vouches for the request, in the HTTP answer', async () => {
    const { sent } = connector();
    const res = await post(t, { ...message('We will publish weekly'), deliveryMode: 'expectReplies' }, { authorization: `Bearer ${sign({})}` });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Decision 0');
    expect(sent).toHaveLength(0);
    expect(await decisionCount(t)).toBe(1);
  });

  it('refuses a token issued for another serviceUrl', async () => {
    const { sent } = connector();
    const res = await post(t, message('We will publish weekly'), { authorization: `Bearer ${sign({ serviceurl: 'https://elsewhere.example/' })}` });
    expect(res.status).toBe(401);
    expect(sent).toHaveLength(0);
  });
});
