/**
 * A typed `undo` in Teams updates the card that announced the change it took back, when
 * that card is in the same conversation (a chat, or the same channel thread).
 */
import { nock, CHANNEL, connector, eventually, message, onlyLocalNetwork, post, startTeamsApp, textsOf, cardOf } from './helpers';
import type { Sent, TeamsApp } from './helpers';

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

it('in a personal chat, undo replaces the announcement card with what was undone', async () => {
  expect((await post(t, message('We will publish weekly', { conversationType: 'personal' }))).status).toBe(200);
  await eventually(() => expect(sent).toHaveLength(1));
  expect(textsOf(cardOf(sent[0])).join('')).toContain('Recorded in Sprint 0 by Ann Example');

  expect((await post(t, message('undo', { conversationType: 'personal' }))).status).toBe(200);
  await eventually(() => expect(sent).toHaveLength(3));
  const update = sent.find((s) => s.method === 'PUT');
  expect(update?.path).toBe('/v3/conversations/a:personal-chat-ann/activities/sent-1');
  expect(textsOf(cardOf(update)).join('')).toContain('Ann Example undid: recorded Decision 0');
  // The undone card keeps no buttons.
  expect(cardOf(update).actions ?? []).toEqual([]);
});

it('in the same channel thread the card is updated; from another thread it is left as it was', async () => {
  const thread = `${CHANNEL};messageid=1700000000001`;
  await post(t, message('We will publish weekly', { conversationId: thread }));
  await post(t, message('We will drop the paper form', { conversationId: thread }));
  await eventually(() => expect(sent).toHaveLength(2));

  await post(t, message('undo', { conversationId: thread }));
  await eventually(() => expect(sent.filter((s) => s.method === 'PUT')).toHaveLength(1));
  expect(sent.find((s) => s.method === 'PUT')?.path).toBe(`/v3/conversations/${thread}/activities/sent-2`);

  await post(t, message('undo', { conversationId: `${CHANNEL};messageid=1700000000999` }));
  await eventually(() => expect(sent.filter((s) => s.method === 'POST')).toHaveLength(4));
  expect(textsOf(cardOf(sent[sent.length - 1])).join(' ')).toContain('undid: recorded Decision 0');
  expect(sent.filter((s) => s.method === 'PUT')).toHaveLength(1);
});
