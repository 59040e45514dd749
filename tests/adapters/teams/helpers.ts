/**
 * End-to-end helpers for the Teams adapter: the real app on a free port, activities
 * as Teams sends them, and a nock-stubbed Bot Connector that records what the bot sent.
 */
import { nock, replyWith } from '../../helpers/native';
import { startApp } from '../../../src/app';
import type { App } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import type { Place } from '../../../src/core/model';
import { fakeClock, sequentialIds } from '../../helpers/fake-clock';
import { tempDir } from '../../helpers/temp-dir';

type Scope = ReturnType<typeof nock>;

/** Without MicrosoftAppId Teams is off: the tests that post unsigned activities run as the Emulator would. */
export const LOCAL = { TEAMS_LOCAL: '1' };

/** The Bot Connector the activities name: on loopback, so local mode accepts it, and stubbed by nock. */
export const SERVICE_ORIGIN = 'http://localhost:3978';
export const SERVICE_URL = `${SERVICE_ORIGIN}/`;

export const BOT = { id: '28:decisions-bot', name: 'Decisions' };
export const ANN = { id: '29:ann', name: 'Ann Example', aadObjectId: 'aad-ann' };
export const BEN = { id: '29:ben', name: 'Ben Example', aadObjectId: 'aad-ben' };
export const TENANT_A = 'tenant-a';
export const TENANT_B = 'tenant-b';
export const CHANNEL = '19:general@thread.tacv2';

export { nock };

export interface TeamsApp {
  app: App;
  url: string;
  clock: ReturnType<typeof fakeClock>;
  stop(): Promise<void>;
}

/** The real app on a free port; local mode (TEAMS_LOCAL=1) unless `env` says otherwise. */
export async function startTeamsApp(env: Record<string, string> = LOCAL): Promise<TeamsApp> {
  const t = tempDir('decisions-teams-');
  const clock = fakeClock('2026-11-26T10:00:00Z');
  const app = await startApp(loadConfig({ ...env, PORT: '0', DATA_DIR: t.dir }), createLogger('silent'), { clock, newId: sequentialIds() });
  return {
    app, clock,
    url: `http://127.0.0.1:${app.port}/api/messages`,
    async stop() {
      await app.stop();
      t.cleanup();
    },
  };
}

/** Only our own server is reachable; everything else must be stubbed. */
export function onlyLocalNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => host.startsWith('127.0.0.1'));
}

export interface Sent {
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}

/** Stubs the Bot Connector's send, reply and update calls; records each body. */
export function connector(origin = SERVICE_ORIGIN): { sent: Sent[]; scope: Scope } {
  const sent: Sent[] = [];
  const record = (method: Sent['method']) => replyWith((request) => {
    sent.push({ method, path: decodeURIComponent(request.path.split('?')[0] ?? ''), body: JSON.parse(request.text) as Record<string, unknown> });
    return method === 'POST' ? { id: `sent-${sent.length}` } : { id: 'updated' };
  });
  const scope = nock(origin).persist()
    .post((uri: string) => /\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(uri))
    .reply(200, record('POST'))
    .put((uri: string) => /\/v3\/conversations\/[^/]+\/activities\/[^/]+$/.test(uri))
    .reply(200, record('PUT'));
  return { sent, scope };
}

let counter = 0;

export interface ActivityOptions {
  tenant?: string;
  conversationId?: string;
  conversationType?: 'channel' | 'personal' | 'groupChat';
  from?: { id: string; name: string; aadObjectId?: string };
  serviceUrl?: string;
  replyToId?: string;
  mention?: boolean;
}

/** A message as Teams posts it: in a channel thread by default, with the bot @mentioned. */
export function message(text: string, o: ActivityOptions = {}): Record<string, unknown> {
  const tenant = o.tenant ?? TENANT_A;
  const type = o.conversationType ?? 'channel';
  const id = `17000000000${++counter}`;
  const conversationId = o.conversationId ?? (type === 'channel' ? `${CHANNEL};messageid=${id}` : type === 'personal' ? 'a:personal-chat-ann' : '19:group-chat@thread.v2');
  const mention = o.mention ?? type !== 'personal';
  return {
    type: 'message',
    id,
    timestamp: '2026-11-26T10:00:00.000Z',
    channelId: 'msteams',
    serviceUrl: o.serviceUrl ?? SERVICE_URL,
    from: o.from ?? ANN,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: type, tenantId: tenant, ...(type === 'personal' ? {} : { isGroup: true }) },
    channelData: { tenant: { id: tenant }, ...(type === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL } } : {}) },
    locale: 'en-GB',
    text: mention ? `<at>${BOT.name}</at> ${text}` : text,
    entities: mention ? [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }] : [],
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
  };
}

/** An Action.Submit from a card: a message with `value` (data and inputs), no text, replying to the card. */
export function submit(value: Record<string, unknown>, cardId = 'card-1', o: ActivityOptions = {}): Record<string, unknown> {
  const m = message('', { ...o, mention: false, replyToId: cardId });
  return { ...m, text: undefined, entities: undefined, value };
}

export function invoke(name: string, value: unknown, o: ActivityOptions = {}): Record<string, unknown> {
  const m = message('', { ...o, mention: false });
  return { ...m, type: 'invoke', name, text: undefined, entities: undefined, value };
}

export function conversationUpdate(o: ActivityOptions & { members?: { id: string; name: string }[] } = {}): Record<string, unknown> {
  const m = message('', { ...o, mention: false, conversationId: o.conversationId ?? CHANNEL });
  return {
    ...m, type: 'conversationUpdate', text: undefined, entities: undefined,
    membersAdded: o.members ?? [{ id: BOT.id, name: BOT.name }],
    channelData: { ...(m.channelData as object), eventType: 'teamMemberAdded' },
  };
}

export async function post(t: TeamsApp, activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  return { status: res.status, text: await res.text() };
}

export function place(tenant = TENANT_A, channel = CHANNEL): Place {
  return { platform: 'teams', workspace: tenant, channel };
}

/** The Adaptive Card in a sent activity. */
export function cardOf(s: Sent | undefined): Record<string, unknown> {
  const attachments = (s?.body.attachments ?? []) as { contentType: string; content: Record<string, unknown> }[];
  const card = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error(`no Adaptive Card in ${JSON.stringify(s?.body)}`);
  return card.content;
}

/** Every TextBlock/TextRun/fact text in a card, in order. */
export function textsOf(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && typeof o.value === 'string' && o.type === undefined) out.push(`${o.title}: ${o.value}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

/** Waits until `check` passes (the Bot Connector calls finish before the HTTP answer, but be safe). */
export async function eventually(check: () => void, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
