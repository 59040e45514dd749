/**
 * Teams end to end, in local (unauthenticated) mode: activities posted to the real
 * HTTP server at /api/messages, the Bot Connector stubbed with nock.
 */
import {
  nock, ANN, BEN, CHANNEL, TENANT_A, TENANT_B,
  cardOf, connector, eventually, message, onlyLocalNetwork, place, post, startTeamsApp, textsOf,
} from './helpers';
import type { Sent, TeamsApp } from './helpers';
import { decisionsOf, evidenceOf } from '../../helpers/records';

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

async function decisionsIn(p = place()) {
  const c = await t.app.store.findCase(p);
  return c ? decisionsOf(t.app.store, c.id) : [];
}

describe('messages in a channel', () => {
  it('answers an @mention by recording the decision and replying in the thread with Decision 0', async () => {
    const activity = message('We will publish weekly');
    const res = await post(t, activity);
    expect(res.status).toBe(200);
    await eventually(() => expect(sent).toHaveLength(1));
    const reply = sent[0] as Sent;
    expect(reply.method).toBe('POST');
    // A reply to the message, in its thread.
    expect(reply.path).toBe(`/v3/conversations/${CHANNEL};messageid=${String(activity.id)}/activities/${String(activity.id)}`);
    expect(JSON.stringify(reply.body)).toContain('Decision 0');
    expect(cardOf(reply).version).toBe('1.5');
    const decisions = await decisionsIn();
    expect(decisions.map((d) => [d.number, d.text, d.author.id, d.author.name])).toEqual([[0, 'We will publish weekly', ANN.aadObjectId, ANN.name]]);
  });

  it('ignores a channel message that does not mention the bot', async () => {
    const res = await post(t, message('We will publish weekly', { mention: false }));
    expect(res.status).toBe(200);
    expect(sent).toHaveLength(0);
    expect(await decisionsIn()).toHaveLength(0);
  });

  it('puts a reply in a channel thread into the channel\'s case', async () => {
    await post(t, message('We will publish weekly', { conversationId: `${CHANNEL};messageid=1699999999999` }));
    await post(t, message('We will drop the paper form', { conversationId: CHANNEL }));
    expect((await decisionsIn()).map((d) => d.number)).toEqual([0, 1]);
  });

  it('accepts and ignores a leading decision or /decision word', async () => {
    await post(t, message('/decision We will publish weekly'));
    await post(t, message('decision We will drop the paper form'));
    expect((await decisionsIn()).map((d) => d.text)).toEqual(['We will publish weekly', 'We will drop the paper form']);
  });

  it('adds evidence with `evidence N …`, as after /evidence in Slack', async () => {
    await post(t, message('We will publish weekly'));
    await post(t, message('evidence 0 Two of five teams asked for it'));
    await eventually(() => expect(sent).toHaveLength(2));
    expect(textsOf(cardOf(sent[1])).join('\n')).toContain('Evidence 0a');
    const c = await t.app.store.findCase(place());
    const evidence = await evidenceOf(t.app.store, c?.id ?? '');
    expect(evidence.map((e) => [e.decision, e.letter, e.text])).toEqual([[0, 'a', 'Two of five teams asked for it']]);
  });

  it('lists decisions with `list`', async () => {
    await post(t, message('We will publish weekly'));
    await post(t, message('list'));
    await eventually(() => expect(sent).toHaveLength(2));
    const texts = textsOf(cardOf(sent[1])).join('\n');
    expect(texts).toContain('Decisions in Sprint');
    expect(texts).toContain('We will publish weekly');
  });

  it('answers errors in plain words, with the suggestion as a button', async () => {
    await post(t, message('shwo 3'));
    await eventually(() => expect(sent).toHaveLength(1));
    const card = cardOf(sent[0]);
    expect(textsOf(card).join('\n')).toContain('There is no command');
    expect(JSON.stringify(card.actions)).toContain('"action":"run"');
  });
});

describe('chats', () => {
  it('answers any message in a personal chat, without a mention', async () => {
    const res = await post(t, message('We will publish weekly', { conversationType: 'personal' }));
    expect(res.status).toBe(200);
    await eventually(() => expect(sent).toHaveLength(1));
    expect(JSON.stringify(sent[0]?.body)).toContain('Decision 0');
    expect(await decisionsIn(place(TENANT_A, 'a:personal-chat-ann'))).toHaveLength(1);
  });

  it('answers an @mention in a group chat', async () => {
    await post(t, message('We will publish weekly', { conversationType: 'groupChat' }));
    expect(await decisionsIn(place(TENANT_A, '19:group-chat@thread.v2'))).toHaveLength(1);
  });
});

describe('tenants', () => {
  it('keeps two tenants\' cases apart, even with the same conversation id', async () => {
    await post(t, message('Tenant A will publish weekly', { tenant: TENANT_A }));
    await post(t, message('Tenant B will publish monthly', { tenant: TENANT_B, from: BEN }));
    await post(t, message('list all', { tenant: TENANT_B, from: BEN }));
    await eventually(() => expect(sent).toHaveLength(3));
    const listed = textsOf(cardOf(sent[2])).join('\n');
    expect(listed).toContain('Tenant B will publish monthly');
    expect(listed).not.toContain('Tenant A');
    expect((await decisionsIn(place(TENANT_A))).map((d) => d.text)).toEqual(['Tenant A will publish weekly']);
    expect((await decisionsIn(place(TENANT_B))).map((d) => d.text)).toEqual(['Tenant B will publish monthly']);
    // Evidence for "Decision 0" in tenant B lands under tenant B's decision.
    await post(t, message('evidence 0 From B', { tenant: TENANT_B, from: BEN }));
    const a = await t.app.store.findCase(place(TENANT_A));
    expect(await evidenceOf(t.app.store, a?.id ?? '')).toHaveLength(0);
  });
});

describe('escaping', () => {
  it('shows user text exactly as written, where Teams reads no Markdown: it cannot format or mention, links only to its own link, and shows no backslash', async () => {
    const evil = 'We will *shout* [click](https://evil.example) <at>Everyone</at> & _lean_ ~x~ # `code` > quote';
    await post(t, message(evil));
    await eventually(() => expect(sent).toHaveLength(1));
    const body = sent[0]?.body ?? {};
    const card = cardOf(sent[0]);
    // In TextRuns, which Teams shows as plain text; never in a Markdown TextBlock. Its own
    // Markdown link is a run that opens that link, its code span a monospaced run.
    const blocks = (JSON.stringify(card).match(/"type":"RichTextBlock","inlines":\[[^\]]*\]/g) ?? [])
      .map((b) => JSON.parse(`{${b}}`) as { inlines: { text: string; selectAction?: { url: string }; fontType?: string }[] });
    const shown = blocks.map((b) => b.inlines.map((r) => r.text).join(''));
    // A mention of someone else reads as their name, as on every surface.
    expect(shown).toContain('We will *shout* click @Everyone & _lean_ ~x~ # code > quote');
    const runs = blocks.flatMap((b) => b.inlines);
    expect(runs.filter((r) => r.selectAction).map((r) => [r.text, r.selectAction?.url])).toEqual([['click', 'https://evil.example']]);
    expect(runs.filter((r) => r.fontType === 'Monospace').map((r) => r.text)).toEqual(['code']);
    expect(textsOf(card).join('\n')).not.toContain('\\');
    const markdownBlocks = JSON.stringify(card).match(/"type":"TextBlock","text":"[^"]*"/g) ?? [];
    for (const b of markdownBlocks) expect(b).not.toContain('evil.example');
    expect(body.entities ?? []).toEqual([]);
    // Stored as written.
    expect((await decisionsIn())[0]?.text).toBe(evil.replace('<at>Everyone</at>', '@Everyone'));
  });
});

describe('limits', () => {
  it('refuses a body over 1 MB with 413', async () => {
    const res = await post(t, message('x'.repeat(1024 * 1024 + 10)));
    expect(res.status).toBe(413);
    expect(sent).toHaveLength(0);
  });

  it('refuses a body that is not a JSON activity with 400', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1, 2' });
    expect(res.status).toBe(400);
  });

  it('keeps a list of 200 decisions under 28 KB, cut with a pointer to the rest', async () => {
    const ctx = { place: place(), actor: { id: ANN.aadObjectId, name: ANN.name } };
    for (let i = 0; i < 200; i++) {
      await t.app.service.runCommand(ctx, { name: 'record', text: `Decision text number ${i}: ${'we will keep it short but not too short '.repeat(3)}`, evidence: `Evidence for ${i}` });
    }
    await post(t, message('list all'));
    await eventually(() => expect(sent).toHaveLength(1));
    const bytes = Buffer.byteLength(JSON.stringify(sent[0]?.body), 'utf8');
    expect(bytes).toBeLessThanOrEqual(28 * 1024);
    const texts = textsOf(cardOf(sent[0])).join('\n');
    expect(texts).toMatch(/Showing \d+ of 200/);
    expect(texts).toContain('export');
  });
});
