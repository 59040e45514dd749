/**
 * The hostile corpus, part 3: signed, well-formed requests whose words are hostile, through
 * the real HTTP server, in Slack and in Teams.
 * - Every command word with missing, extra and absurd arguments: a 200 and an error only the
 *   caller sees, in plain words (no stack trace, "undefined", "NaN" or "[object"), quickly,
 *   and the store unchanged.
 * - Unicode edge cases: recorded and exported exactly as typed (NFC and NFD kept apart).
 * - Mention and markup injection: escaped in the Slack response and the Teams reply.
 * - Text built to break the Markdown export: the export re-imports to the same decisions.
 */
import { inlines, parseCaseMarkdown, renderCaseMarkdown } from '../../src/core/markdown';
import type { CaseSnapshot, Place } from '../../src/core/model';
import {
  BEN, TEAMS_BEN, allStrings, cardOf, cardTexts, slackPlace, startCorpusApp, teamsPlace,
} from './app';
import type { Answer, CorpusApp } from './app';
import { USER } from './harness';
import type { Sent } from './harness';
import { markdownTexts } from '../helpers/card-texts';

let t: CorpusApp;
let before: string;

const SEEDED = ['We will publish weekly', 'We will drop the paper form', 'We will test with five teams'];

beforeAll(async () => {
  t = await startCorpusApp();
  for (const text of [...SEEDED, 'evidence 0 Five of six users asked for it']) {
    expect((await t.command(text)).status).toBe(200);
    expect((await t.teams(text)).status).toBe(200);
  }
});

afterAll(async () => {
  await t.stop();
});

// Each case compares with the store as it was just before it, so one failure cannot spill into the next.
beforeEach(async () => {
  before = await t.state();
});

async function snapshotOf(place: Place): Promise<CaseSnapshot> {
  const c = await t.app.store.findCase(place);
  const snap = c ? await t.app.store.snapshot(c.id) : null;
  if (!snap) throw new Error(`no case at ${JSON.stringify(place)}`);
  return snap;
}

interface SlackBody {
  response_type?: string;
  text?: string;
  blocks?: unknown[];
}

function slackJson(res: Answer): SlackBody {
  expect(res.status).toBe(200);
  return res.text === '' ? {} : (JSON.parse(res.text) as SlackBody);
}

/** The one card the bot sent back to Teams, and its TextBlocks. */
function teamsReply(sent: Sent[]): { texts: string[]; activity: Sent } {
  expect(sent).toHaveLength(1);
  const activity = sent[0] as Sent;
  return { texts: cardTexts(cardOf(activity)), activity };
}

// ---- every command word, with missing, extra and absurd arguments ----

const LONG = 'x'.repeat(3001);
const BELL = 'bell\u0007ringing';

/** [what is typed, what the error says (a pattern)] */
const BAD_COMMANDS: [string, RegExp][] = [
  ['evidence', /needs a decision number/],
  ['evidence x', /"x" is not a decision number/],
  ['evidence 99999999999', /is not a decision number/],
  ['evidence -1 We saw it', /is not a decision number/],
  ['evidence 0', /needs some text/],
  ['evidence 999999 We saw it', /There is no Decision 999999/],
  [`evidence 0 ${LONG}`, /3,001 characters long; the most is 3,000/],
  [`evidence 0 ${BELL}`, /control characters/],
  ['show', /needs a decision number/],
  ['show 1e9', /"1e9" is not a decision number/],
  ['show 0x10', /is not a decision number/],
  ['show 1 2', /is not a decision number/],
  ['show 999999', /There is no Decision 999999/],
  ['show #999999', /There is no Decision 999999/],
  ['edit', /needs a decision number/],
  ['edit -1 x', /is not a decision number/],
  ['edit 0', /needs the new wording/],
  ['edit 999999 New words', /There is no Decision 999999/],
  ['edit d999999 New words', /There is no Decision 999999/],
  [`edit 0 ${SEEDED[0]}`, /already says that/],
  [`edit 0 ${LONG}`, /3,001 characters long/],
  ['withdraw', /needs a decision number/],
  ['withdraw abc', /"abc" is not a decision number/],
  ['withdraw 999999 Not needed', /There is no Decision 999999/],
  [`withdraw 0 ${BELL}`, /control characters/],
  ['supersede', /needs two decision numbers/],
  ['supersede 1 with', /needs two decision numbers/],
  ['supersede 1 2', /needs two decision numbers/],
  ['supersede one with two', /needs two decision numbers/],
  ['supersede 1 with 1', /cannot supersede itself/],
  ['supersede 1 with 999999', /There is no Decision 999999/],
  ['list sprint 999999', /`list` takes nothing/],
  ['list sprint 999', /There is no Sprint 999/],
  ['list all of them', /`list` takes nothing/],
  ['list sprint -1', /`list` takes nothing/],
  ['search', /needs some words/],
  ['undo now', /takes no words/],
  ['undo', /nothing left to undo/],
  ['sprint length 100000 weeks', /needs a number and a unit/],
  ['sprint length 0 days', /from 1 day to 13 weeks/],
  ['sprint length 14 weeks', /from 1 day to 13 weeks/],
  ['sprint length two weeks', /needs a number and a unit/],
  ['sprint length 3 fortnights', /needs a number and a unit/],
  ['sprint length', /needs a number and a unit/],
  ['sprint stop', /`sprint` takes nothing/],
  [`sprint start ${'x'.repeat(101)}`, /101 characters long; the most is 100/],
  ['sprint start Two\nlines', /one line/],
  ['case title', /needs the new title/],
  ['case title Sprint 4', /cannot start with "Sprint" and a number/],
  [`case title ${'x'.repeat(201)}`, /201 characters long; the most is 200/],
  ['case title Two\nlines', /one line/],
  ['case template x', /takes `prototype` or `five-case`/],
  ['case template', /takes `prototype` or `five-case`/],
  ['case template prototype', /already uses the .+ template/],
  ['case Nonexistent section Some words', /No section of this case is called "Nonexistent section Some words" or starts that way/],
  [`case Benefits ${LONG}`, /3,001 characters long/],
  ['digest fooday 99:99', /takes `on`, `off`, or a day and a time/],
  ['digest monday 25:00', /takes `on`, `off`, or a day and a time/],
  ['digest monday', /takes `on`, `off`, or a day and a time/],
  ['digest 09:00 monday', /takes `on`, `off`, or a day and a time/],
  ['digest maybe', /takes `on`, `off`, or a day and a time/],
  ['retro 25:61', /"25:61" is not a time/],
  ['retro sometimes', /"sometimes" is not a time/],
  ['timezone Not/AZone', /"Not\/AZone" is not a time zone name/],
  ['timezone Europe/London and more', /takes one name/],
  ['timezone ../../etc/passwd', /is not a time zone name/],
  ['timezone GMT+5', /is not a time zone name/],
  ['tz Mars/Olympus_Mons', /is not a time zone name/],
  ['share everyone', /takes nothing, or `revoke`/],
  ['share', /Sharing is not set up here/],
  ['export now', /takes no words/],
  ['help nonsense', /There is no command "nonsense"/],
  ['evidnce 0 We saw it', /There is no command "evidnce"\./],
  ['lsit', /There is no command "lsit"\./],
  [`record ${LONG}`, /3,001 characters long/],
  [`record ${BELL}`, /control characters/],
  [`We will ${LONG}`, /characters long; the most is 3,000/],
  ['tag', /needs a decision number or an evidence label/],
  ['tag 0', /needs the points of the Service Standard/],
  ['tag 0 15', /There is no point 15 of the Service Standard/],
  ['tag 0 one', /"one" is not a point of the Service Standard/],
  ['tag 999999 1', /There is no Decision 999999/],
  ['tag 0z 1', /There is no Evidence 0z/],
  ['untag 0', /has no points of the Service Standard to take off/],
  ['untag x', /"x" is not a decision number or an evidence label/],
  ['phase start', /needs the phase: discovery, alpha, beta or live/],
  ['phase start gamma', /"gamma" is not a phase/],
  ['phase start alpha from sprint 99', /Sprint 99 has not started yet/],
  [`phase start alpha ${'x'.repeat(61)}`, /61 characters long; the most is 60/],
  [`phase start alpha ${BELL}`, /control characters/],
  ['phase alpha', /`phase` shows the phases/],
  ['assessment beta', /This case has no Beta phase/],
  ['assessment export gamma', /"gamma" is not a phase of this case/],
  ['record We will go [SS 99]', /There is no point 99 of the Service Standard/],
  ['evidence 0 Seen [SS 0]', /There is no point 0 of the Service Standard/],
];

/** What must never be in an answer: a program's insides. */
const INSIDES = [/\bundefined\b/, /\bNaN\b/, /\[object/, /\bnull\b/, /Error\b/, /\bat \S+ \(/, /\.ts:\d+/, /node_modules/];

function plainWords(reply: string, typed: string): void {
  for (const bad of INSIDES) {
    if (!bad.test(typed)) expect(reply).not.toMatch(bad);
  }
}

describe('every command word with missing, extra or absurd arguments: an error only the caller sees, in plain words, and no change', () => {
  it.each(BAD_COMMANDS)('Slack: /decision %s', async (typed, says) => {
    const started = Date.now();
    const body = slackJson(await t.command(typed, { user: BEN }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/^:warning: /);
    const words = allStrings(body).join('\n');
    expect(words).toMatch(says);
    plainWords(words, typed);
    expect(await t.state()).toBe(before);
  });

  it.each(BAD_COMMANDS)('Teams: @Decisions %s', async (typed, says) => {
    const started = Date.now();
    const res = await t.teams(typed, { from: TEAMS_BEN });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(200);
    const { texts, activity } = teamsReply(res.sent);
    // An error: its own words first, in the attention colour.
    expect(JSON.stringify(cardOf(activity).body).startsWith('[{"type":"RichTextBlock","inlines":[{"type":"TextRun","color":"Attention"')).toBe(true);
    // Teams shows a code span as a monospaced run, without its backticks; the summary keeps core's words.
    expect(String(activity.body.summary)).toMatch(says);
    expect(texts.join('')).toMatch(new RegExp(says.source.replace(/`/g, ''), says.flags));
    const words = texts.join('\n');
    plainWords(words, typed);
    plainWords(String(activity.body.summary), typed);
    expect(await t.state()).toBe(before);
  });
});

/** Absurdly long arguments: each command word followed by one 500,000-character word. */
const HUGE = 'y'.repeat(500_000);
const COMMAND_WORDS = ['evidence 0', 'show', 'edit 0', 'withdraw', 'supersede 1 with', 'list', 'search', 'undo', 'sprint', 'sprint length', 'case', 'case title', 'case template', 'digest', 'retro', 'timezone', 'share', 'export', 'publish github', 'publish mode', 'help', 'evidnce', 'tag 0', 'untag', 'phase start', 'phase start alpha', 'assessment', 'assessment export'];

describe('every command word with a 500,000-character argument: answered within 2 seconds, nothing stored', () => {
  it.each(COMMAND_WORDS)('Teams: @Decisions %s <500,000 characters>', async (word) => {
    const started = Date.now();
    const res = await t.teams(`${word} ${HUGE}`, { from: TEAMS_BEN });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(200);
    expect(res.sent).toHaveLength(1);
    expect(JSON.stringify(res.sent[0]?.body).length).toBeLessThan(28 * 1024);
    expect(await t.state()).toBe(before);
  });

  it.each(COMMAND_WORDS)('Slack: /decision %s <500,000 characters>', async (word) => {
    const started = Date.now();
    const res = await t.command(`${word} ${HUGE}`, { user: BEN });
    expect(Date.now() - started).toBeLessThan(2000);
    const body = slackJson(res);
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body).length).toBeLessThan(40_000);
    expect(await t.state()).toBe(before);
  });
});

/** Half a million spaces inside the words: every line-end and inline-points rule must take one pass over them. */
const SPACES = ' '.repeat(500_000);
const SPACED = [`We will${SPACES}go`, `evidence 0 Seen${SPACES}it`, `phase start alpha A${SPACES}${'x'.repeat(60)}`, `tag 0 1${SPACES}x`, `record We will go [SS 1${SPACES}x]`];

describe('a run of 500,000 spaces inside the words: refused within 2 seconds, nothing stored', () => {
  it.each(SPACED.map((s) => [s.replace(SPACES, '<500,000 spaces>'), s]))('Slack: /decision %s', async (_name, typed) => {
    const started = Date.now();
    const body = slackJson(await t.command(typed, { user: BEN }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(body.response_type).toBe('ephemeral');
    expect(await t.state()).toBe(before);
  });
});

// ---- Unicode ----

const UNICODE: [string, string][] = [
  ['Arabic, right to left', 'سنقوم بنشر التقرير كل أسبوع'],
  ['Hebrew mixed with Latin', 'נפרסם את הדוח ב-GOV.UK כל שבוע'],
  ['right-to-left override and pop', 'We will \u202Ekeeb\u202C publish weekly'],
  ['left-to-right and right-to-left marks', 'Mark\u200E and \u200Fmark'],
  ['zero-width space, non-joiner, joiner', 'zero\u200Bwidth\u200Cnon\u200Djoiner'],
  ['word joiner and a byte order mark inside', 'word\u2060joiner and \uFEFF inside'],
  ['emoji ZWJ sequences', 'Family 👩‍👩‍👧‍👦, rainbow 🏳️‍🌈, technologist 🧑🏽‍💻'],
  ['skin tones, flags and keycaps', '👍🏽 🇬🇧 🏴󠁧󠁢󠁳󠁣󠁴󠁿 1️⃣ #️⃣'],
  ['precomposed é (NFC)', 'We will use caf\u00e9 prices'],
  ['e + combining acute (NFD)', 'We will use cafe\u0301 prices'],
  ['stacked combining marks', 'Z\u0337\u0322\u031Ba\u0338l\u0336g\u0335o\u0334 text'],
  ['Hangul jamo, decomposed', '\u1112\u1161\u11AB\u1100\u1173\u11AF'],
  ['astral plane letters', '𝕯𝖊𝖈𝖎𝖘𝖎𝖔𝖓 𐍈 𠜎 𓂀'],
  ['CJK', '我们将每周发布报告'],
  ['Devanagari', 'हम हर हफ्ते प्रकाशित करेंगे'],
  ['line and paragraph separators inside', 'line\u2028separator and paragraph\u2029separator'],
  ['a tab and many lines', 'First line\n\tindented with a tab\nthird line'],
  ['fullwidth @ and look-alike letters', '＠channel and \u0430dmin (Cyrillic a)'],
];

describe('Unicode edge cases are recorded and exported exactly as typed', () => {
  it.each(UNICODE)('Slack: %s', async (_name, typed) => {
    const body = slackJson(await t.command(typed));
    expect(body.response_type).toBe('in_channel');
    const n = Number(/Decision (\d+) recorded/.exec(body.text ?? '')?.[1]);
    expect(allStrings(body).join('\n')).toContain(typed.split('\n')[0]);
    const snap = await snapshotOf(slackPlace);
    expect(snap.decisions.find((d) => d.number === n)?.text).toBe(typed);
    const reread = parseCaseMarkdown(renderCaseMarkdown(snap));
    expect(reread.decisions.find((d) => d.number === n)?.text).toBe(typed);
  });

  it.each(UNICODE)('Teams: %s', async (_name, typed) => {
    const res = await t.teams(typed);
    const { texts } = teamsReply(res.sent);
    const n = Number(/Decision (\d+)/.exec(texts.join('\n'))?.[1]);
    expect(texts.join('\n')).toContain(typed);
    const snap = await snapshotOf(teamsPlace);
    expect(snap.decisions.find((d) => d.number === n)?.text).toBe(typed);
    const reread = parseCaseMarkdown(renderCaseMarkdown(snap));
    expect(reread.decisions.find((d) => d.number === n)?.text).toBe(typed);
  });

  it('NFC and NFD stay two different texts, each as typed', async () => {
    const snap = await snapshotOf(slackPlace);
    const nfc = snap.decisions.find((d) => d.text === 'We will use caf\u00e9 prices');
    const nfd = snap.decisions.find((d) => d.text === 'We will use cafe\u0301 prices');
    expect(nfc && nfd && nfc.number !== nfd.number).toBe(true);
  });
});

// ---- mention and markup injection ----

const INJECTIONS: [string, string][] = [
  ['<!channel>', 'We will tell <!channel> about it'],
  ['<!here>', 'We will tell <!here> about it'],
  ['<!everyone>', 'We will tell <!everyone> about it'],
  ['@channel, @here and @everyone as words', 'Ping @channel @here @everyone now'],
  ['a user mention <@U123>', 'Ask <@U123> and <@W123|boss> first'],
  ['a channel link <#C123>', 'Move to <#C123|general> today'],
  ['a user group', 'Tell <!subteam^S123|@team> today'],
  ['a disguised link <https://evil|x>', 'Read <https://evil.example|the official guidance>'],
  ['a mailto link', 'Write to <mailto:boss@evil.example|the boss>'],
  ['a date token', 'Meet <!date^1392734382^{date}|soon>'],
  ['a script tag', '<script>alert(1)</script> We will'],
  ['HTML', '<b>bold</b> <img src=x onerror=alert(1)> <a href="https://evil.example">x</a>'],
  ['Teams mention markup', 'Please read, <at>Everyone</at> and <at id="0">Ann</at>'],
  ['Markdown links and images', '[click here](https://evil.example) ![pixel](https://evil.example/p.png)'],
  ['Markdown formatting', '*bold* _lean_ ~strike~ `code` # heading > quote'],
  ['pre-escaped entities', '&lt;!channel&gt; &amp;lt;script&amp;gt; &#60;!here&#62;'],
];

/**
 * Slack: the only `<…>` in our output are authors' mentions and the text's own web links
 * (`<https://…>` or `<https://…|label>`, as Slack shows Markdown links); no broadcast, no
 * other mention, no channel, user-group, date or mailto token; no broadcast word survives.
 */
function slackSafe(body: unknown, authors: string[] = [USER.id]): void {
  for (const s of allStrings(body)) {
    const controls = s.match(/<[^>]*>/g) ?? [];
    const webLink = (c: string): boolean => /^<https?:\/\/[^\s|<>]+(\|[^<>|]*)?>$/.test(c);
    expect(controls.filter((c) => !authors.some((a) => c === `<@${a}>`) && !webLink(c))).toEqual([]);
    expect(s).not.toMatch(/@(channel|here|everyone)\b/i);
  }
}

/**
 * Teams: the user's words are shown exactly as typed, in TextRuns (which Teams reads as
 * plain text: no Markdown, HTML or mention), never where Teams reads Markdown, and the
 * reply carries no mention entity.
 */
function teamsSafe(_texts: string[], activity: Sent, typed: string, as: 'text' | 'name' = 'text'): void {
  // In runs, as Teams shows them: a Markdown link by its label (a run that opens only the
  // text's own web address), a code span without its backticks, everything else as typed.
  // A person's name is shown exactly as it is: never a link.
  const parts = as === 'name' ? [] : inlines(typed);
  const shown = as === 'name' ? typed : parts.map((p) => (p.kind === 'link' ? p.label : p.text)).join('');
  const blocks = richBlocks(cardOf(activity));
  expect(blocks.some((b) => b.text.includes(shown))).toBe(true);
  const ownLinks = parts.flatMap((p) => (p.kind === 'link' ? [p.url] : []));
  for (const url of blocks.flatMap((b) => b.links)) expect(ownLinks).toContain(url);
  for (const s of markdownTexts(cardOf(activity))) expect(s).not.toContain(typed);
  expect(activity.body.entities ?? []).toEqual([]);
}

/** Each RichTextBlock's runs joined as they show, and the URLs its runs open. */
function richBlocks(card: unknown): { text: string; links: string[] }[] {
  const out: { text: string; links: string[] }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: string; inlines?: { text: string; selectAction?: { url: string } }[] };
      if (o.type === 'RichTextBlock' && o.inlines) out.push({ text: o.inlines.map((r) => r.text).join(''), links: o.inlines.flatMap((r) => (r.selectAction ? [r.selectAction.url] : [])) });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('mention and markup injection is escaped in the Slack response, shown as plain text in the Teams reply, and stored as typed', () => {
  it.each(INJECTIONS)('Slack: %s', async (_name, typed) => {
    const body = slackJson(await t.command(typed));
    slackSafe(body);
    const n = Number(/Decision (\d+) recorded/.exec(body.text ?? '')?.[1]);
    const snap = await snapshotOf(slackPlace);
    expect(snap.decisions.find((d) => d.number === n)?.text).toBe(typed);
    // And as evidence, and in a list of everything.
    slackSafe(slackJson(await t.command(`evidence ${n} ${typed}`)));
    slackSafe(slackJson(await t.command(`show ${n}`)));
  });

  it.each(INJECTIONS)('Slack, the same as Slack markup on the wire: %s', async (_name, typed) => {
    // What Slack sends when the words are real mentions and links: <!channel>, <@U123|ana>, <https://…|label>.
    const body = slackJson(await t.command(typed, {}, 'raw'));
    slackSafe(body);
    const n = Number(/Decision (\d+) recorded/.exec(body.text ?? '')?.[1]);
    slackSafe(slackJson(await t.command(`show ${n}`)));
  });

  it.each(INJECTIONS)('Teams: %s', async (_name, typed) => {
    // Teams sends <at>Name</at> only for a real mention (typed markup arrives as &lt;at&gt;): it is kept as the name, "@Name", as on every surface.
    const kept = typed.replace(/<at>([^<]*)<\/at>/gi, '@$1');
    const res = await t.teams(typed);
    const { texts, activity } = teamsReply(res.sent);
    teamsSafe(texts, activity, kept);
    const n = Number(/Decision (\d+)/.exec(texts.join('\n'))?.[1]);
    const snap = await snapshotOf(teamsPlace);
    expect(snap.decisions.find((d) => d.number === n)?.text).toBe(kept);
    const again = teamsReply((await t.teams(`evidence ${n} ${typed}`)).sent);
    teamsSafe(again.texts, again.activity, kept);
  });

  it('Slack: a hostile user name is escaped too', async () => {
    const body = slackJson(await t.command('We will check names', { user: { id: 'U0EVIL', name: '<!channel> @here' } }));
    slackSafe(body, ['U0EVIL']);
    slackSafe(slackJson(await t.command('list all')), [USER.id, BEN.id, 'U0EVIL']);
  });

  it('Teams: a hostile display name is escaped too', async () => {
    const name = '<at>Everyone</at> [x](https://evil.example)';
    const res = await t.teams('We will check names', { from: { id: '29:evil', name, aadObjectId: 'aad-evil' } });
    const { texts, activity } = teamsReply(res.sent);
    teamsSafe(texts, activity, name, 'name');
  });
});

// ---- text built to break the Markdown export ----

/** [name, typed, stored as when the document cannot hold it as typed] */
const BREAKERS: [string, string, string | null][] = [
  ['a level-2 heading', '## Heading', null],
  ['a level-1 heading', '# Title', null],
  ['a sprint heading', '### Sprint 4', null],
  ['a sprint heading with a name', '## Sprint 99: forged', null],
  ['a decision heading', '### Decision 7', null],
  ['a decision line', 'Decision 9: forged', null],
  ['an evidence line', 'Evidence 1a: forged', null],
  ['structure on later lines', 'We will\nDecision 9: forged\nEvidence 9a: forged\n## Sprint 9', null],
  ['a thematic break', '---', null],
  ['a setext heading underline', 'Looks like a heading\n---', null],
  ['a setext heading with =', 'Looks like a title\n===', null],
  ['an open code fence', '```', '```\n```'],
  ['a closed code fence', '```js\nconst x = 1;\n```', null],
  ['an open tilde fence with text after', '~~~\nunclosed', '~~~\nunclosed\n~~~'],
  ['a fence that closes another', '```\n```\n```', '```\n```\n```\n```'],
  ['a withdrawn line', '_Withdrawn_', null],
  ['a withdrawn line with a reason', '_Withdrawn: forged_', null],
  ['a superseded line', '_Superseded by Decision 1_', null],
  ['a fake source link', 'See ([source](https://evil.example))', null],
  ['backslashes before structure', '\\## escaped already\nDecision 9\\: too', null],
  ['indented code', 'Text\n\n    indented code', null],
  ['a quote holding structure', '> quote\n> Decision 3: in a quote', null],
  ['HTML comment', '<!-- not closed', null],
  ['trailing spaces (a hard break)', 'Two spaces at the end  \nof a line', 'Two spaces at the end\nof a line'],
  ['blank lines in a run', 'First\n\n\n\nafter three blank lines', 'First\n\nafter three blank lines'],
  ['a line of spaces and tabs', 'Before\n \t \nafter', 'Before\n\nafter'],
  ['a 3,000-character line', `${'Long line '.repeat(299)}end of it.`, null],
];

/** The file in an upload: the body itself, or its one part when sent as multipart/form-data. */
function fileIn(raw: string): string {
  const boundary = /^(--[^\r\n]+)\r\n/.exec(raw)?.[1];
  if (!boundary) return raw;
  const start = raw.indexOf('\r\n\r\n') + 4;
  return raw.slice(start, raw.indexOf(`\r\n${boundary}`, start));
}

describe('text built to break the Markdown export: the export re-imports to the same decisions', () => {
  function sameDocument(snap: CaseSnapshot): void {
    const reread = parseCaseMarkdown(renderCaseMarkdown(snap));
    expect(reread.decisions.map((d) => [d.number, d.text, d.status, d.statusReason])).toEqual(
      [...snap.decisions].sort((a, b) => a.number - b.number).map((d) => [d.number, d.text, d.status, d.statusReason]));
    expect(reread.evidence.map((e) => [e.decision, e.letter, e.text])).toEqual(
      [...snap.evidence].sort((a, b) => a.decision - b.decision || a.position - b.position).map((e) => [e.decision, e.letter, e.text]));
    expect(reread.layout.sections.map((s) => [s.heading, s.body])).toEqual(snap.case.layout.sections.map((s) => [s.heading, s.body]));
    expect(reread.title).toBe(snap.case.title);
  }

  it.each(BREAKERS)('Slack: a decision and its evidence: %s', async (_name, typed, storedAs) => {
    const body = slackJson(await t.command(`record ${typed}`));
    const n = Number(/Decision (\d+) recorded/.exec(body.text ?? '')?.[1]);
    expect(Number.isInteger(n)).toBe(true);
    slackJson(await t.command(`evidence ${n} ${typed}`));
    // And another decision after it, which an open fence or a stray heading would swallow.
    slackJson(await t.command(`We will come after ${n}`));
    const snap = await snapshotOf(slackPlace);
    // Kept as typed, but for what the document cannot hold: spaces at line ends, runs of blank lines, an open fence.
    expect(snap.decisions.find((d) => d.number === n)?.text).toBe(storedAs ?? typed);
    expect(snap.evidence.filter((e) => e.decision === n).map((e) => e.text)).toEqual([storedAs ?? typed]);
    sameDocument(snap);
  });

  it.each(BREAKERS.slice(0, 12))('Teams: %s', async (_name, typed) => {
    const res = await t.teams(`record ${typed}`);
    const n = Number(/Decision (\d+)/.exec(teamsReply(res.sent).texts.join('\n'))?.[1]);
    expect(Number.isInteger(n)).toBe(true);
    await t.teams(`evidence ${n} ${typed}`);
    sameDocument(await snapshotOf(teamsPlace));
  });

  it.each(BREAKERS.slice(0, 16))('a case section written as: %s', async (_name, typed) => {
    const body = slackJson(await t.command(`case Strategic Context ${typed}`));
    expect(body.text).toMatch(/ (wrote|rewrote) the Strategic Context section of the case: “/);
    sameDocument(await snapshotOf(slackPlace));
  });

  it.each([
    ['a reason on two lines', 'First reason\nDecision 9: forged'],
    ['a reason ending in an underscore', 'snake_case_'],
    ['a reason that is a heading', '## Sprint 3'],
  ])('a decision withdrawn with %s', async (_name, reason) => {
    const body = slackJson(await t.command('We will be withdrawn'));
    const n = Number(/Decision (\d+) recorded/.exec(body.text ?? '')?.[1]);
    slackJson(await t.command(`withdraw ${n} ${reason}`));
    sameDocument(await snapshotOf(slackPlace));
  });

  it('Slack `export` uploads exactly that document, and it re-imports to the same decisions', async () => {
    const uploads = t.api.uploads.length;
    const res = await t.command('export');
    expect(res.status).toBe(200);
    const until = Date.now() + 5000;
    while (t.api.uploads.length === uploads && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const uploaded = fileIn(t.api.uploads[uploads] ?? '');
    const snap = await snapshotOf(slackPlace);
    expect(uploaded).toBe(renderCaseMarkdown(snap));
    const reread = parseCaseMarkdown(uploaded);
    expect(reread.decisions.map((d) => d.text)).toEqual([...snap.decisions].sort((a, b) => a.number - b.number).map((d) => d.text));
    expect(reread.decisions).toHaveLength(snap.decisions.length);
    expect(reread.evidence).toHaveLength(snap.evidence.length);
  });
});
