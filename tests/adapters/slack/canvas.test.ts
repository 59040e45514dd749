/**
 * The case in the channel's canvas (issue 27): signed slash commands through the real HTTP
 * server, Slack's canvases faked at the network edge as the Web API keeps them.
 */
import { CANVAS_GAP_MS } from '../../../src/core/canvas/keep';
import { KEPT_BY_LINE } from '../../../src/core/canvas/markdown';
import { FakeCanvases } from './canvas-fake';
import { CHANNEL, FakeSlack, nock, onlyLocalNetwork, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';

let t: SlackTestApp;
let slack: FakeSlack;
let fake: FakeCanvases;

interface CommandResponse { response_type: 'in_channel' | 'ephemeral'; text: string }

async function command(app: SlackTestApp, text: string): Promise<CommandResponse> {
  const res = await app.command(text);
  expect(res.status).toBe(200);
  return (await res.json()) as CommandResponse;
}

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  slack.api('chat.postMessage', { ok: true, ts: '1700000000.000001' });
  fake = new FakeCanvases(slack);
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

const markdownOf = (call: { body: Record<string, unknown> }): string => {
  const changes = call.body.changes as Array<{ document_content: { markdown: string } }> | undefined;
  const content = changes ? changes[0]?.document_content : (call.body.document_content as { markdown: string });
  return content?.markdown ?? '';
};

describe('`canvas on`', () => {
  it('makes the channel canvas once, with the case in it, and `canvas` says so', async () => {
    await command(t, 'We will drop the paper form');
    await command(t, 'evidence 0 Four of five users printed it and never posted it');
    const on = await command(t, 'canvas on');
    expect(on.response_type).toBe('in_channel');
    expect(on.text).toBe('<@U0ANA> put the case in this channel\'s canvas. It is brought up to date after every change (at most every 10 seconds); `/decision canvas off` stops.');
    const creates = slack.callsTo('conversations.canvases.create');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.body.channel_id).toBe(CHANNEL);
    const md = markdownOf(creates[0] as { body: Record<string, unknown> });
    expect(md.startsWith(KEPT_BY_LINE)).toBe(true);
    expect(md).toContain('We will drop the paper form');
    expect(md).toContain('Four of five users printed it and never posted it');
    expect(md).toContain('## Key decisions that shaped this');
    expect(fake.channelCanvas.get(CHANNEL)).toBe(creates[0] && 'F0CANVAS1');

    // Nothing more to write: the canvas shows the case as it is.
    expect((await t.app.canvases.run()).filter((i) => i.outcome.kind !== 'current')).toEqual([]);
    expect(slack.callsTo('canvases.edit')).toHaveLength(0);
    expect((await command(t, 'canvas')).text).toMatch(/^The case is kept in this channel's canvas, brought up to date after every change \(at most every 10 seconds\)\. It was last brought up to date .+\. `canvas off` stops\.$/);
    expect((await command(t, 'canvas on')).text).toBe('The case is already kept in this channel\'s canvas.');
  });

  it('five changes within 10 s reach the canvas in one replace, holding all five; the last change always arrives', async () => {
    await command(t, 'canvas on');
    for (let i = 1; i <= 5; i += 1) {
      t.clock.advance(1000);
      await command(t, `We will try idea number ${i} of five`);
      await t.app.canvases.run();
    }
    // Within 10 s of the canvas being made: nothing written yet.
    expect(slack.callsTo('canvases.edit')).toHaveLength(0);
    t.clock.advance(CANVAS_GAP_MS - 5000);
    await t.app.canvases.run();
    const edits = slack.callsTo('canvases.edit');
    expect(edits).toHaveLength(1);
    expect(edits[0]?.body.canvas_id).toBe('F0CANVAS1');
    expect(edits[0]?.body.changes).toEqual([{ operation: 'replace', document_content: { type: 'markdown', markdown: expect.any(String) } }]);
    const md = markdownOf(edits[0] as { body: Record<string, unknown> });
    for (let i = 1; i <= 5; i += 1) expect(md).toContain(`We will try idea number ${i} of five`);
    expect(fake.canvases.get('F0CANVAS1')?.markdown).toBe(md);
    // A sixth, at once after: waits out the gap, then arrives.
    await command(t, 'We will try a sixth idea');
    await t.app.canvases.run();
    expect(slack.callsTo('canvases.edit')).toHaveLength(1);
    t.clock.advance(CANVAS_GAP_MS);
    await t.app.canvases.run();
    expect(slack.callsTo('canvases.edit')).toHaveLength(2);
    expect(fake.canvases.get('F0CANVAS1')?.markdown).toContain('We will try a sixth idea');
    // Nothing more waits.
    t.clock.advance(CANVAS_GAP_MS);
    await t.app.canvases.run();
    expect(slack.callsTo('canvases.edit')).toHaveLength(2);
  });

  it('keeps what people typed inert: no mention, heading, list or link of theirs', async () => {
    await command(t, 'We will tell <!channel> and <!here> and <@U0BEN> and @everyone about it');
    await command(t, 'canvas on');
    const md = fake.canvases.get('F0CANVAS1')?.markdown ?? '';
    expect(md).toContain('We will tell');
    for (const live of ['<!channel>', '<!here>', '<@U0BEN>', '@everyone']) expect(md).not.toContain(live);
  });

  it('`canvas off` stops and leaves the canvas as it stands; undo switches it back on', async () => {
    await command(t, 'canvas on');
    const off = await command(t, 'canvas off');
    expect(off.text).toBe('<@U0ANA> stopped keeping the case in this channel\'s canvas. The canvas stays as it is.');
    await command(t, 'We will not reach the canvas');
    t.clock.advance(CANVAS_GAP_MS * 2);
    await t.app.canvases.run();
    expect(slack.callsTo('canvases.edit')).toHaveLength(0);
    expect(fake.canvases.get('F0CANVAS1')?.markdown).not.toContain('We will not reach the canvas');
    expect((await command(t, 'canvas')).text).toBe('Keeping the case in this channel\'s canvas is switched off: it stays as it was left. `canvas on` keeps it current again.');
    // On again: the same canvas, brought up to date; no second canvas.
    await command(t, 'canvas on');
    expect(slack.callsTo('conversations.canvases.create')).toHaveLength(1);
    expect(fake.canvases.get('F0CANVAS1')?.markdown).toContain('We will not reach the canvas');
  });
});

describe('what Slack refuses is said in one line', () => {
  it('a channel with a canvas of its own keeps it: the case goes in a canvas apart, shared with the channel to read', async () => {
    const theirs = fake.personMadeChannelCanvas(CHANNEL);
    const on = await command(t, 'canvas on');
    expect(on.text).toBe('This channel has a canvas of its own, which I never write over, so <@U0ANA> put the case in a canvas of its own, shared with this channel: <https://example.slack.com/docs/T0TEAMA/F0CANVAS2>. It is brought up to date after every change (at most every 10 seconds); `/decision canvas off` stops.');
    expect(fake.canvases.get(theirs)?.markdown).toBe('Our own notes');
    expect(fake.canvases.get('F0CANVAS2')?.shared).toEqual([{ channel: CHANNEL, access: 'read' }]);
    expect(slack.callsTo('canvases.create')).toHaveLength(1);
    // Later changes go to the bot's own canvas, never the channel's.
    await command(t, 'We will keep our own notes apart');
    t.clock.advance(CANVAS_GAP_MS);
    await t.app.canvases.run();
    expect(slack.callsTo('canvases.edit').map((c) => c.body.canvas_id)).toEqual(['F0CANVAS2']);
    expect(fake.canvases.get(theirs)?.markdown).toBe('Our own notes');
  });

  it.each([
    ['team_tier_cannot_create_channel_canvases', 'This workspace\'s Slack plan has no channel canvases (team_tier_cannot_create_channel_canvases), so the case is not in a canvas. `/decision share` gives a link to it instead.'],
    ['canvas_disabled_user_team', 'Canvases are switched off in this workspace (canvas_disabled_user_team), so the case is not in a canvas. Once an admin switches them on, type `/decision canvas on`.'],
    ['not_in_channel', 'I am not a member of this channel (not_in_channel), so I cannot keep the case in its canvas. Add me with `/invite @Decisions`, then type `/decision canvas on`.'],
    ['missing_scope', 'Decisions does not have Slack\'s permission to write canvases (missing_scope: canvases:write). Ask an admin to reinstall the app from its page, then type `/decision canvas on`.'],
  ])('%s', async (code, line) => {
    fake.refuse('conversations.canvases.create', code);
    const on = await command(t, 'canvas on');
    expect(on.response_type).toBe('ephemeral');
    expect(on.text).toBe(`:warning: ${line}`);
    expect(on.text.split('\n')).toHaveLength(1);
    expect((await command(t, 'canvas')).text).toBe(`The case is not kept in a canvas: ${line}`);
    const health = await (await fetch(`${t.base}/healthz`)).json() as { canvases: { refusals: Array<{ code: string; line: string }> } };
    expect(health.canvases.refusals).toEqual([expect.objectContaining({ code, line })]);
    // Switched off: later changes do not try again.
    await command(t, 'We will wait for canvases');
    t.clock.advance(CANVAS_GAP_MS);
    await t.app.canvases.run();
    expect(slack.callsTo('conversations.canvases.create')).toHaveLength(1);
  });

  it('a canvas someone deleted: switched off, the channel told once, and /healthz says so', async () => {
    await command(t, 'canvas on');
    fake.delete('F0CANVAS1');
    await command(t, 'We will notice the deletion');
    t.clock.advance(CANVAS_GAP_MS);
    const items = await t.app.canvases.run();
    expect(items.map((i) => i.outcome.kind)).toEqual(['refused']);
    const line = 'Someone deleted the canvas the case was kept in (canvas_not_found), so I have stopped keeping it. `/decision canvas on` makes a new one.';
    const told = await slack.waitFor('chat.postMessage');
    expect(told).toHaveLength(1);
    expect(told[0]?.body.text).toContain(line);
    await command(t, 'We will not be told twice');
    t.clock.advance(CANVAS_GAP_MS);
    await t.app.canvases.run();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('canvases.edit')).toHaveLength(1);
    const health = await (await fetch(`${t.base}/healthz`)).json() as { status: string; canvases: { refusals: Array<{ code: string; line: string }> } };
    expect(health.status).toBe('ok');
    expect(health.canvases.refusals).toEqual([expect.objectContaining({ code: 'canvas_not_found', line })]);
    // `canvas on` makes a new one.
    await command(t, 'canvas on');
    expect(slack.callsTo('conversations.canvases.create')).toHaveLength(2);
    expect(fake.channelCanvas.get(CHANNEL)).toBe('F0CANVAS2');
  });

  it('a rate limit is waited out by the canvas loop, and the change still arrives once', async () => {
    await command(t, 'canvas on');
    await command(t, 'We will be rate limited');
    fake.rateLimit('canvases.edit', 1);
    t.clock.advance(CANVAS_GAP_MS);
    const started = Date.now();
    const items = await t.app.canvases.run();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(items.map((i) => i.outcome.kind)).toEqual(['written']);
    expect(slack.callsTo('canvases.edit')).toHaveLength(2);
    expect(fake.canvases.get('F0CANVAS1')?.markdown).toContain('We will be rate limited');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('`canvas on` answers at once when Slack says to slow down: the canvas loop waits it out and makes the canvas', async () => {
    fake.rateLimit('conversations.canvases.create', 1, 2);
    const started = Date.now();
    const on = await command(t, 'canvas on');
    expect(Date.now() - started).toBeLessThan(900);
    expect(on.text).toBe('<@U0ANA> switched on keeping the case in the canvas, but Slack could not take it just now (rate limited for 1 s): I will make it up to date as soon as Slack can.');
    expect(fake.channelCanvas.size).toBe(0);
    // The loop is told to slow down too, waits Slack's Retry-After, then makes it once.
    const looped = Date.now();
    const items = await t.app.canvases.run();
    expect(Date.now() - looped).toBeGreaterThanOrEqual(900);
    expect(items.map((i) => i.outcome.kind)).toEqual(['made']);
    expect(slack.callsTo('conversations.canvases.create')).toHaveLength(3);
    expect(fake.channelCanvas.get(CHANNEL)).toBe('F0CANVAS1');
    expect((await t.app.canvases.run()).map((i) => i.outcome.kind)).toEqual([]);
  });
});

describe('two instances on one store', () => {
  it('write each coalesced change to the canvas once', async () => {
    const second = await startSlackApp({ dir: t.dir, idPrefix: 'second' });
    try {
      await command(t, 'canvas on');
      for (let round = 1; round <= 6; round += 1) {
        // Changes through both instances, then both loops at once.
        expect((await command(round % 2 === 0 ? t : second, `We will make change ${round} through one instance`)).text).toContain('recorded');
        expect((await command(round % 2 === 0 ? second : t, `We will make change ${round} through the other`)).text).toContain('recorded');
        t.clock.advance(CANVAS_GAP_MS);
        second.clock.advance(CANVAS_GAP_MS);
        const [a, b] = await Promise.all([t.app.canvases.run(), second.app.canvases.run()]);
        const written = [...a, ...b].filter((i) => i.outcome.kind === 'written');
        expect(written).toHaveLength(1);
        expect(slack.callsTo('canvases.edit')).toHaveLength(round);
        expect(fake.canvases.get('F0CANVAS1')?.markdown).toContain(`We will make change ${round} through the other`);
      }
      expect(slack.callsTo('conversations.canvases.create')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
