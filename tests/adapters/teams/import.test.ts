/**
 * `import` typed in Teams: Teams cannot take the file, so the bot says where importing
 * works (Slack's form, or the command line with this conversation filled in) and changes
 * nothing.
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

it('says plainly that import works from Slack or the command line, naming this conversation, and changes nothing', async () => {
  expect((await post(t, message('import'))).status).toBe(200);
  await eventually(() => expect(sent).toHaveLength(1));
  // Card text is Markdown: its punctuation comes escaped, to be shown as typed.
  const said = textsOf(cardOf(sent[0])).join('\n').replace(/\\(.)/g, '$1');
  expect(said).toContain("Importing a business case works from Slack's `/decision import`, or from the command line where the bot runs:");
  expect(said).toContain(`decisions import case.md [key-decisions.md] --into teams:${TENANT_A}/${CHANNEL}`);
  expect(await t.app.store.findCase(place())).toBeNull();
});
