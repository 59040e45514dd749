/**
 * Phases, points of the Service Standard and the assessment pack in Teams: real activities
 * posted to /api/messages. `phase start` answers with an Undo button that takes it back;
 * `tag`, `untag` and points inline; the record card's multi-select of the 14 points; the
 * assessment card with its summary, each point, and its link when sharing is on.
 */
import { LOCAL, SERVICE_ORIGIN, cardOf, connector, eventually, message, nock, onlyLocalNetwork, place, post, startTeamsApp, submit, textsOf } from './helpers';
import type { Sent, TeamsApp } from './helpers';

let t: TeamsApp;
let sent: Sent[];

beforeEach(async () => {
  onlyLocalNetwork();
  ({ sent } = connector());
  t = await startTeamsApp({ ...LOCAL, PUBLIC_URL: 'https://decisions.example', SHARE_SECRET: 'a-share-secret-long-enough' });
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

async function snapshot() {
  const c = await t.app.store.findCase(place());
  return c ? t.app.store.snapshot(c.id) : null;
}

async function say(text: string): Promise<string> {
  const before = sent.length;
  await post(t, message(text));
  await eventually(() => expect(sent.length).toBeGreaterThan(before));
  return textsOf(cardOf(sent[before])).join('\n');
}

/** Actions of the card at `i` with this title. */
function actions(i: number, title: string): Array<Record<string, unknown>> {
  const card = cardOf(sent[i]) as { actions?: Array<Record<string, unknown>> };
  return (card.actions ?? []).filter((a) => a.title === title);
}

it('phase start answers on a card with an Undo button that takes it back; phase, sprint and list say the phase', async () => {
  expect(await say('phase')).toContain('This case has no phases yet.');
  const started = await say('phase start beta Private beta');
  // The person is a run of their own (a mention); the words after it run on.
  expect(started.replace(/\n/g, '')).toContain('Ann Example started Private beta at Sprint 0.');
  const [undo] = actions(sent.length - 1, 'Undo');
  expect(undo).toMatchObject({ type: 'Action.Submit', data: { action: 'undo' } });
  expect(await say('sprint')).toMatch(/Sprint 0, Private beta runs from/);
  await say('We will publish weekly');
  expect(await say('list')).toContain('Sprint 0, Private beta');

  const before = sent.length;
  await post(t, submit(undo?.data as Record<string, unknown>));
  await eventually(() => expect(sent.length).toBeGreaterThan(before));
  expect(textsOf(cardOf(sent[before])).join('')).toContain('Ann Example undid: started Private beta at Sprint 0.');
  expect((await snapshot())?.sprints.some((s) => s.phase)).toBe(false);
});

it('tag, untag and points inline; a hostile phase name stays text, never Markdown', async () => {
  await say('We will test with screen reader users [SS 5]');
  await say('evidence 0 Two of five used one');
  expect(await say('tag 0 1 4')).toContain('Decision 0 tagged with points 1 and 4 of the Service Standard by Ann Example.');
  expect(await say('tag 0a 9')).toContain('Evidence 0a tagged with point 9 of the Service Standard by Ann Example.');
  expect(await say('untag 0 4')).toContain('Ann Example took point 4 of the Service Standard off Decision 0.');
  const shown = await say('show 0');
  expect(shown).toContain('Service Standard 1 (Understand users and their needs), 5 (Make sure everyone can use the service)');
  expect(shown).toContain('[Service Standard 9]');
  expect(await say('tag 0 99')).toContain('There is no point 99 of the Service Standard.');
  expect((await snapshot())?.decisions[0]?.points).toEqual([1, 5]);

  await say('phase start alpha [x](https://evil.example) **bold** <at>All</at>');
  const phases = cardOf(sent[sent.length - 1]);
  // The team's words go in text runs, which Teams shows as written: no TextBlock carries them.
  const blocks = JSON.stringify(phases).match(/"type":"TextBlock","text":"[^"]*"/g) ?? [];
  expect(blocks.some((b) => b.includes('evil.example'))).toBe(false);
  expect(textsOf(phases).join('')).toContain('**bold** @All');
  expect(JSON.stringify(phases)).not.toContain('evil.example)');
});

it('the record card has the 14 points to choose, and what is chosen tags the decision', async () => {
  await say('record');
  const form = JSON.stringify(cardOf(sent[0]));
  expect(form).toContain('"id":"points"');
  expect(form).toContain('"isMultiSelect":true');
  expect(form).toContain('"title":"14. Operate a reliable service","value":"14"');
  await post(t, submit({ action: 'record', text: 'We will put definitions inline', sprint: '0', evidence: 'Readers stumbled [SS 4]', decidedBy: '', points: '5,1' }));
  await eventually(() => expect(sent).toHaveLength(2));
  const snap = await snapshot();
  expect(snap?.decisions[0]).toMatchObject({ text: 'We will put definitions inline', points: [1, 5] });
  expect(snap?.evidence[0]?.points).toEqual([4]);
  // A forged value is refused in words, and nothing is recorded.
  await post(t, submit({ action: 'record', text: 'We will go', sprint: '0', evidence: '', decidedBy: '', points: '1,<at>All</at>' }));
  await eventually(() => expect(sent).toHaveLength(3));
  expect(textsOf(cardOf(sent[2])).join('\n')).toContain('is not a point of the Service Standard');
  expect((await snapshot())?.decisions).toHaveLength(1);
});

it('assessment answers with a card: the summary, each of the 14 points, the gaps, the page and the Markdown', async () => {
  await say('We will map the journey [SS 1]');
  await say('sprint start');
  await say('phase start alpha');
  await say('We will prototype the form [SS 4]');
  await say('propose We will build an app');
  const text = await say('assessment');
  expect(text).toContain('Alpha: 1 decision, 1 of 14 points covered; nothing yet for 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 14. 1 proposal not yet taken.');
  const card = JSON.stringify(cardOf(sent[sent.length - 1]));
  expect(card).toContain('"text":"4. Make the service simple to use"},{"type":"TextRun","text":": Decision 1"}');
  expect(card).toContain('"text":"1. Understand users and their needs"},{"type":"TextRun","text":": nothing yet"}');
  expect(text).toContain('1 proposal listed apart');
  const [open] = actions(sent.length - 1, 'Open the assessment pack');
  expect(String(open?.url)).toMatch(/^https:\/\/decisions\.example\/cases\/[^/]+\/assessment\?phase=alpha&token=[A-Za-z0-9_-]{43}$/);
  const [md] = actions(sent.length - 1, 'Get it as Markdown');
  expect(md).toMatchObject({ data: { action: 'run', text: 'assessment export alpha' } });

  // The Markdown: Teams cannot take a file here, so a card links to the download; that link
  // reads the case, so it goes to a one-to-one chat with the person who asked, as export's do.
  nock(SERVICE_ORIGIN).persist().post('/v3/conversations').reply(200, { id: 'a:1:private-ann' });
  await post(t, submit(md?.data as Record<string, unknown>));
  const privately = (): Sent | undefined => sent.find((x) => x.path.startsWith('/v3/conversations/a:1:private-ann/activities'));
  await eventually(() => expect(privately()).toBeDefined());
  const sentCard = cardOf(privately()) as { actions?: Array<Record<string, unknown>> };
  const [download] = (sentCard.actions ?? []).filter((a) => String(a.title).startsWith('Download'));
  const u = new URL(String(download?.url));
  expect(u.pathname).toMatch(/\/assessment\.md$/);
  const res = await fetch(`${t.url.replace('/api/messages', '')}${u.pathname}${u.search}`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('## 4. Make the service simple to use\n\n### Decision 1 (Sprint 1, Alpha)');
});
