/**
 * A team's first week in Slack (issue 22): signed slash commands through the real HTTP
 * server, the Web API stubbed at the network edge.
 */
import { allStrings, nock, onlyLocalNetwork, startSlackApp } from './helpers';
import type { SlackTestApp } from './helpers';

let t: SlackTestApp;

beforeEach(async () => {
  onlyLocalNetwork();
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

interface CommandResponse {
  response_type: 'in_channel' | 'ephemeral';
  text: string;
  blocks: unknown[];
}

async function command(text: string): Promise<CommandResponse & { words: string }> {
  const res = await t.command(text);
  expect(res.status).toBe(200);
  const body = (await res.json()) as CommandResponse;
  return { ...body, words: allStrings(body.blocks).join('\n') };
}

describe('a decision that starts with a command word is never taken for that command', () => {
  it.each([
    'Search for a supplier through G-Cloud 14',
    'Case workers will use the new claim form',
    'Help desk staff will answer calls in Welsh',
  ])('%s', async (text) => {
    const reply = await command(text);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.words).toContain('To record it as a decision, start with `record`.');
    expect(reply.words).toContain(`Did you mean \`/decision record ${text}\`?`);
    expect(reply.words).not.toContain('Nothing matches');
    expect(await t.app.store.listCases()).toEqual([]);
  });

  it('`search paper form` still searches', async () => {
    await command('We will drop the paper form');
    const reply = await command('search paper form');
    expect(reply.words).toContain('We will drop the paper form');
  });
});

describe('`retro` alone', () => {
  it('says the current setting rather than an error', async () => {
    const reply = await command('retro');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('The end-of-sprint retro prompt is on here: it posts at 14:00 on the last working day of each sprint, Europe/London time. `retro off` switches it off; `retro 15:30` sets another time.');
    expect(reply.words).not.toContain(':warning:');
    await command('retro off');
    expect((await command('retro')).text).toContain('The end-of-sprint retro prompt is off here; `retro on` posts it at 14:00');
  });
});

describe('links look like links', () => {
  const url = 'https://trello.com/c/AbCdEf12/345-policy-stakeholders-often-hold-the-knowledge';
  const text = `We will talk to policy teams early. [Policy stakeholders often hold the knowledge of how a service really works, and we found that in every round of research](${url}) ${'and more words after it '.repeat(25)}`;

  it('as Slack links (<url|text>), never cut inside the URL; long text shortened at a word', async () => {
    const recorded = await command(text);
    expect(recorded.words).toContain(`<${url}|Policy stakeholders often hold the knowledge of how a service really works, and we found that in every round of research>`);
    expect(recorded.words).not.toContain('](https://');

    const list = await command('list');
    const item = list.words;
    // The list cuts the decision to 500 characters: at a word, with the link kept whole.
    expect(item).toContain(`<${url}|Policy stakeholders`);
    expect(item).not.toContain('](');
    for (const m of item.matchAll(/<(https:[^|>]*)/g)) expect(m[1]).toBe(url);
    expect(item).toContain('it and…');
  });

  it('a hostile label cannot ping or break out of the link', async () => {
    const reply = await command('We will read [<!channel> @here & more](https://example.org/a?b=1&c=2) first');
    // (Slack sends a typed @channel as <!channel>: the case keeps it as the words "@channel".)
    expect(reply.words).toContain('<https://example.org/a?b=1&amp;c=2|@\u2060channel @\u2060here &amp; more>');
    expect(reply.words).not.toContain('<!channel>');
  });
});

describe('people are named one way: as Slack mentions', () => {
  it('in every reply that names someone', async () => {
    const replies = [
      await command('We will publish weekly'),
      await command('edit 0 We will publish every Monday'),
      await command('sprint length 1 week'),
      await command('case title Apply for a fishing licence'),
      await command('withdraw 0 Nobody reads it'),
    ];
    for (const r of replies) {
      expect(`${r.text}\n${r.words}`).toContain('<@U0ANA>');
      expect(`${r.text}\n${r.words}`).not.toMatch(/\bana\b/);
    }
    expect(replies[4]?.text).toContain('Decision 0 withdrawn by <@U0ANA>: Nobody reads it');
    const refused = await t.command('undo', { user: { id: 'U0BEN', name: 'ben' } });
    expect(allStrings(await refused.json()).join('\n')).toContain('You have nothing left to undo');
  });
});

describe('copy', () => {
  it('reads right: one sprint, one decision, pieces of evidence, no nested brackets, no "or" in a code span, no evidence asked of a withdrawn decision', async () => {
    expect((await command('list sprint 5')).text).toContain('There is no Sprint 5 in this case: the only sprint so far is Sprint 0.');
    await command('We will publish weekly');
    expect((await command('show 3')).text).toContain('There is no Decision 3: the only decision here is Decision 0.');
    await command('evidence 0 Five of six users asked for it');
    await command('evidence 0 The team agreed');
    t.clock.advance(60_000);
    const digest = await command('digest');
    expect(digest.text).toContain('1 new decision, 2 new pieces of evidence');
    expect(digest.text).toContain('The digest posts here on Mondays at 09:00, Europe/London time.');
    expect(`${digest.text}${digest.words}`).not.toMatch(/\([^()]*\([^()]*\)\)/);
    expect(digest.words).toContain('Sprint 0: 1 decision, 2 pieces of evidence');
    expect(digest.words).not.toMatch(/\d evidence\b/);
    const help = await command('help');
    for (const span of help.words.match(/`[^`]*`/g) ?? []) expect(span).not.toMatch(/ or /);
    await command('We will drop the paper form');
    await command('withdraw 1 Not needed');
    const shown = await command('show 1');
    expect(shown.words).not.toContain('Add some with');
    expect(shown.words).toContain('No evidence.');
  });
});

describe('citations to nothing', () => {
  it('are kept, and the reply says which point at nothing', async () => {
    await command('We will publish weekly');
    const recorded = await command('We will test with users (0, 2a, 9z)');
    expect(recorded.words).toContain(':warning: Citations point at nothing: this case has no Evidence 2a or Evidence 9z. Kept as written; correct them, or add what they cite.');
    const section = await command('case Benefits Fewer calls (0, 1, 7) and shorter waits');
    expect(section.words).toContain(':warning: A citation points at nothing: this case has no Decision 7.');
    const fine = await command('evidence 0 See (1)');
    expect(fine.words).not.toContain(':warning:');
    const c = await t.app.store.findCase({ platform: 'slack', workspace: 'T0TEAMA', channel: 'C0GENERAL' });
    const snap = await t.app.store.snapshot(c?.id ?? '');
    expect(snap?.decisions.map((d) => d.text)).toContain('We will test with users (0, 2a, 9z)');
  });
});

describe('a section change', () => {
  it('tells the channel what the section now says, shortened at a word', async () => {
    const long = `Fewer calls to the contact centre, because [people find the answer online](https://www.gov.uk/guidance/x) first. ${'More benefits follow from that. '.repeat(12)}`;
    const reply = await command(`case Benefits ${long}`);
    expect(reply.response_type).toBe('in_channel');
    expect(reply.text).toMatch(/^<@U0ANA> wrote the Benefits section of the case: “Fewer calls to the contact centre, because <https:\/\/www\.gov\.uk\/guidance\/x\|people find the answer online> first\. More benefits .*\b(from|that|follow|benefits|More)…”$/);
    const again = await command('case Benefits Fewer calls.');
    expect(again.text).toBe('<@U0ANA> rewrote the Benefits section of the case: “Fewer calls.”');
  });
});
