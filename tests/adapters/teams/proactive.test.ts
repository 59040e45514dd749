/**
 * Teams end to end: joining a conversation (conversationUpdate / installationUpdate)
 * stores its reference and says hello; later posts go through that reference.
 */
import {
  nock, BOT, CHANNEL, TENANT_A,
  cardOf, connector, conversationUpdate, eventually, message, onlyLocalNetwork, place, post, startTeamsApp, textsOf,
} from './helpers';
import type { Sent, TeamsApp } from './helpers';
import type { Reply } from '../../../src/core/views';
import { caseFor } from '../../helpers/records';

let t: TeamsApp;
let sent: Sent[];

beforeAll(() => onlyLocalNetwork());

beforeEach(async () => {
  t = await startTeamsApp();
  sent = connector().sent;
});

afterEach(async () => {
  nock.cleanAll();
  await t.stop();
});

function teamsSurface() {
  const s = t.app.surfaces.find((x) => x.description.startsWith('Teams'));
  if (!s?.post) throw new Error('no Teams surface with post()');
  return s as Required<Pick<typeof s, 'post'>> & typeof s;
}

/** Posted to the channel itself: its conversation id with no ";messageid=" thread suffix. */
const inChannel = new RegExp(`^/v3/conversations/${CHANNEL.replace(/[.]/g, '\\.')}/activities(/[^;/]+)?$`);

const notice: Reply = { kind: 'notice', visibility: 'channel', summary: 'Sprint 3 ends today: what did you decide?' };

describe('joining a conversation', () => {
  it('stores the conversation reference and posts a welcome with the commands when the bot is added', async () => {
    const res = await post(t, conversationUpdate());
    expect(res.status).toBe(200);
    await eventually(() => expect(sent).toHaveLength(1));
    const ref = await t.app.store.getConversationRef(place());
    expect(ref).not.toBeNull();
    const reference = JSON.parse(ref?.reference ?? '{}') as Record<string, { id?: string }>;
    expect(reference.conversation?.id).toBe(CHANNEL);
    expect(reference.bot?.id).toBe(BOT.id);
    expect(reference.serviceUrl).toBe('http://localhost:3978/');
    const texts = textsOf(cardOf(sent[0])).join('\n');
    expect(texts).toContain('Hello');
    expect(texts).toContain('evidence');
    expect(sent[0]?.path).toMatch(inChannel);
  });

  it('says nothing when someone else joins', async () => {
    await post(t, conversationUpdate({ members: [{ id: '29:carol', name: 'Carol' }] }));
    expect(sent).toHaveLength(0);
    expect(await t.app.store.getConversationRef(place())).toBeNull();
  });

  it('stores the reference on installationUpdate too', async () => {
    const install = { ...conversationUpdate(), type: 'installationUpdate', action: 'add', membersAdded: undefined };
    await post(t, install);
    expect(await t.app.store.getConversationRef(place())).not.toBeNull();
  });
});

describe('proactive posts', () => {
  it('posts into the channel through the stored reference, as a new message (not in a thread)', async () => {
    await post(t, conversationUpdate());
    await eventually(() => expect(sent).toHaveLength(1));
    const c = await caseFor(t.app.store, place());
    const result = await teamsSurface().post(c, notice);
    expect(result).toEqual({ ok: true });
    expect(sent).toHaveLength(2);
    expect(sent[1]?.path).toMatch(inChannel);
    expect(textsOf(cardOf(sent[1])).join('\n')).toContain('Sprint 3 ends today');
  });

  it('also works for a channel first seen through a message in a thread', async () => {
    await post(t, message('We will publish weekly', { conversationId: `${CHANNEL};messageid=77` }));
    const c = await caseFor(t.app.store, place());
    expect(await teamsSurface().post(c, notice)).toEqual({ ok: true });
    expect(sent[sent.length - 1]?.path).toMatch(inChannel);
  });

  it('says the conversation is gone when Teams answers 403 (bot removed)', async () => {
    await post(t, conversationUpdate());
    await eventually(() => expect(sent).toHaveLength(1));
    nock.cleanAll();
    nock('http://localhost:3978').post((uri: string) => uri.includes('/v3/conversations/')).reply(403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
    const c = await caseFor(t.app.store, place());
    const result = await teamsSurface().post(c, notice);
    expect(result).toMatchObject({ ok: false, gone: true });
  });

  it('counts a conversation it has no reference to as gone, so its schedules stop', async () => {
    const c = await caseFor(t.app.store, place(TENANT_A, '19:never-joined@thread.tacv2'));
    expect(await teamsSurface().post(c, notice)).toMatchObject({ ok: false, gone: true, reason: expect.stringMatching(/add it to the team, channel or chat again/) });
  });
});
