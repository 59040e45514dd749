/**
 * A team's first week in Teams (issue 22): real activities posted to /api/messages, the Bot
 * Connector stubbed at the network edge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ANN, CHANNEL, SERVICE_ORIGIN, nock, cardOf, connector, eventually, message, onlyLocalNetwork, place, post, startTeamsApp, textsOf } from './helpers';
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

interface Run { type: string; text: string; fontType?: string; selectAction?: { type: string; url: string } }

/** The runs of every RichTextBlock in a card, and each block's text as it shows. */
function runsOf(card: unknown): { runs: Run[]; shown: string[] } {
  const runs: Run[] = [];
  const shown: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: string; inlines?: Run[] };
      if (o.type === 'RichTextBlock' && o.inlines) {
        runs.push(...o.inlines);
        shown.push(o.inlines.map((r) => r.text).join(''));
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return { runs, shown };
}

async function say(text: string, o: Parameters<typeof message>[1] = {}): Promise<Record<string, unknown>> {
  const before = sent.length;
  expect((await post(t, message(text, o))).status).toBe(200);
  await eventually(() => expect(sent.length).toBeGreaterThan(before));
  return cardOf(sent[sent.length - 1]);
}

describe('links look like links', () => {
  it('a Markdown link is a run that opens it, its text shortened at a word in lists, the URL never cut', async () => {
    const url = 'https://trello.com/c/AbCdEf12/345-policy-stakeholders';
    const text = `We will talk to policy teams early. [Policy stakeholders often hold the knowledge](${url}) ${'and more words after it '.repeat(30)}`;
    const recorded = runsOf(await say(text));
    expect(recorded.runs.filter((r) => r.selectAction).map((r) => [r.text, r.selectAction?.url])).toEqual([['Policy stakeholders often hold the knowledge', url]]);
    expect(recorded.shown.join('\n')).not.toContain('](');
    const list = runsOf(await say('list'));
    expect(list.runs.filter((r) => r.selectAction).map((r) => r.selectAction?.url)).toEqual([url]);
    // Cut at a word: the last word before the ellipsis is a whole one.
    expect(list.shown.some((s) => s.startsWith('We will talk') && / (and|more|words|after|it)…$/.test(s))).toBe(true);
  });
});

describe('what Teams shows', () => {
  it('the record card says the decision text once', async () => {
    const { shown } = runsOf(await say('We will publish the prototype every Friday'));
    expect(shown.filter((s) => s.includes('We will publish the prototype every Friday'))).toHaveLength(1);
    expect(shown).toContain('Recorded in Sprint 0 by Ann Example');
  });

  it('backticks are code, never shown as backticks', async () => {
    const card = await say('Show the costs first please');
    const { runs, shown } = runsOf(card);
    expect(shown.join('\n')).toContain('To record it as a decision, start with record.');
    expect(runs.filter((r) => r.fontType === 'Monospace').map((r) => r.text)).toContain('record');
    expect(textsOf(card).join('\n')).not.toContain('`');
    const help = await say('help');
    expect(textsOf(help).join('\n')).not.toContain('`');
  });

  it('an error starts with its own words, not "Sorry: There…"', async () => {
    const { shown } = runsOf(await say('lsit'));
    expect(shown).toContain('There is no command "lsit".');
    expect(shown.join('\n')).not.toMatch(/Sorry: [A-Z]/);
  });

  it('in a personal chat, hello says to type, not to mention the bot', async () => {
    const personal = textsOf(await say('hello', { conversationType: 'personal' })).join('');
    expect(personal).toContain('Type a decision to record it, for example We will publish weekly.');
    expect(personal).not.toMatch(/Mention me|@Decisions/);
    const channel = textsOf(await say('hello')).join('');
    expect(channel).toContain('Mention me with a decision to record it, for example @Decisions We will publish weekly.');
  });
});

describe('imported decisions', () => {
  it('say they were imported, and when, in words a person reads', async () => {
    const markdown = fs.readFileSync(path.resolve(__dirname, '../../fixtures/alphagov/key-decisions-and-evidence.md'), 'utf8');
    const ctx = { place: place(), actor: { id: ANN.aadObjectId, name: ANN.name } };
    const files = [{ name: 'key-decisions-and-evidence.md', markdown }];
    const looked = await t.app.service.runCommand(ctx, { name: 'import', files, confirm: null });
    expect(looked.kind).toBe('import');
    await t.app.service.runCommand(ctx, { name: 'import', files, confirm: { version: looked.kind === 'import' ? looked.import.version : null } });
    const shown = textsOf(await say('show 0')).join('\n');
    expect(shown).toContain('Imported with the case on 26 Nov 2026, 10:00');
    expect(shown).not.toContain('Recorded by Imported');
  });
});

describe('citations and sections', () => {
  it('a citation to nothing is kept and warned about; a section change says what it now reads', async () => {
    const warned = runsOf(await say('We will test with users (2a)'));
    expect(warned.shown).toContain('A citation points at nothing: this case has no Evidence 2a. Kept as written; correct it, or add what it cites.');
    const section = textsOf(await say('case Benefits Fewer calls to the contact centre')).join('');
    expect(section).toBe('Ann Example wrote the Benefits section of the case: “Fewer calls to the contact centre”');
  });
});

describe('export and share links go only to the person who asked', () => {
  const PUBLIC = 'https://decisions.example.org';
  let links: TeamsApp;
  let opened: Record<string, unknown>[];

  beforeEach(async () => {
    links = await startTeamsApp({ TEAMS_LOCAL: '1', PUBLIC_URL: PUBLIC, SHARE_SECRET: 'a-share-secret-of-enough-length' });
    opened = [];
    nock(SERVICE_ORIGIN).persist().post('/v3/conversations').reply(200, (_uri: string, body: Record<string, unknown>) => {
      opened.push(body);
      return { id: 'a:1:private-ann' };
    });
  });

  afterEach(async () => {
    await links.stop();
  });

  it('in a channel: the download links of the team\'s two files go to a one-to-one chat, the thread is told where, and each file downloads byte for byte', async () => {
    const dir = path.resolve(__dirname, '../../fixtures/alphagov');
    const files = ['prototype-case-joined-up-services.MD', 'key-decisions-and-evidence.md'].map((name) => ({ name, markdown: fs.readFileSync(path.join(dir, name), 'utf8') }));
    const ctx = { place: place(), actor: { id: ANN.aadObjectId, name: ANN.name } };
    const looked = await links.app.service.runCommand(ctx, { name: 'import', files, confirm: null });
    await links.app.service.runCommand(ctx, { name: 'import', files, confirm: { version: looked.kind === 'import' ? looked.import.version : null } });

    const before = sent.length;
    expect((await post(links, message('export'))).status).toBe(200);
    await eventually(() => expect(sent.length).toBe(before + 2));
    const mine = sent.slice(before);
    // No link with a token in the thread.
    const thread = mine.filter((s) => s.path.startsWith(`/v3/conversations/${CHANNEL}`));
    expect(thread).toHaveLength(1);
    expect(JSON.stringify(thread[0]?.body)).not.toContain('token=');
    expect(textsOf(cardOf(thread[0])).join('')).toBe('I have sent you the download links in a chat with me: anyone who has them can read the case, so they are not posted here.');
    // The one-to-one chat, with Ann alone.
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ isGroup: false, members: [{ id: ANN.id }] });
    const privately = mine.find((s) => s.path.startsWith('/v3/conversations/a:1:private-ann/activities'));
    const actions = (cardOf(privately).actions ?? []) as { type: string; title: string; url: string }[];
    expect(actions.map((a) => a.title)).toEqual(['Download prototype-case-joined-up-services.MD', 'Download key-decisions-and-evidence.md']);
    for (const [i, a] of actions.entries()) {
      const res = await fetch(a.url.replace(PUBLIC, `http://127.0.0.1:${links.app.port}`));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${files[i]?.name ?? ''}"`);
      expect(await res.text()).toBe(files[i]?.markdown);
    }
  });

  it('`share` in a channel goes to the chat too; in a personal chat it is posted there', async () => {
    const before = sent.length;
    await post(links, message('share'));
    await eventually(() => expect(sent.length).toBe(before + 2));
    const thread = sent.slice(before).filter((s) => s.path.startsWith(`/v3/conversations/${CHANNEL}`));
    expect(JSON.stringify(thread)).not.toContain('token=');
    const personal = sent.length;
    await post(links, message('share', { conversationType: 'personal' }));
    await eventually(() => expect(sent.length).toBe(personal + 1));
    expect(JSON.stringify(sent[personal]?.body)).toContain('token=');
    expect(opened).toHaveLength(1);
  });
});
