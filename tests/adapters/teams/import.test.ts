/**
 * `import` typed in Teams: Teams cannot take the file, so the bot says what works for a
 * Teams user (the command line, with this conversation filled in) and changes nothing.
 */
import { nock, CHANNEL, TENANT_A, cardOf, connector, eventually, message, onlyLocalNetwork, place, post, startTeamsApp, textsOf } from './helpers';
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

it('says plainly what works from Teams (the command line, naming this conversation), not Slack\'s form, and changes nothing', async () => {
  expect((await post(t, message('import'))).status).toBe(200);
  await eventually(() => expect(sent).toHaveLength(1));
  const said = textsOf(cardOf(sent[0])).join('');
  expect(said).toContain('I cannot take a file here, so a business case is imported from the command line where the bot runs (ask whoever runs it): ');
  expect(said).not.toContain('Slack');
  expect(said).not.toContain('`');
  // The command in a monospaced run of its own.
  const runs = JSON.stringify(cardOf(sent[0]));
  expect(runs).toContain(`{"type":"TextRun","text":"decisions import case.md [key-decisions.md] --into teams:${TENANT_A}/${CHANNEL}","fontType":"Monospace"}`);
  expect(await t.app.store.findCase(place())).toBeNull();
});
