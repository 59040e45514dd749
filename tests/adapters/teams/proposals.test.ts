/**
 * Proposed decisions and who took them in Teams: real activities posted to /api/messages.
 * A person mentioned as who took a decision (<at>Ben Example</at>, with its mention entity)
 * is kept by name, and the record card's "Decided by" field names them too.
 */
import { ANN, BEN, cardOf, connector, eventually, message, nock, onlyLocalNetwork, place, post, startTeamsApp, submit, textsOf } from './helpers';
import type { Sent, TeamsApp } from './helpers';

let t: TeamsApp;
let sent: Sent[];

beforeEach(async () => {
  onlyLocalNetwork();
  ({ sent } = connector());
  t = await startTeamsApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

async function decisions() {
  const c = await t.app.store.findCase(place());
  return (c ? (await t.app.store.snapshot(c.id))?.decisions : null) ?? [];
}

/** A message that mentions the bot and Ben, as Teams sends one. */
function mentioning(text: string): Record<string, unknown> {
  const m = message(text);
  return { ...m, entities: [...(m.entities as unknown[]), { type: 'mention', mentioned: { id: BEN.id, name: BEN.name }, text: `<at>${BEN.name}</at>` }] };
}

it('record … by a mention keeps the person by name; propose, accept and reject answer on cards', async () => {
  await post(t, mentioning(`We will publish weekly by <at>${BEN.name}</at>`));
  await eventually(() => expect(sent).toHaveLength(1));
  expect(textsOf(cardOf(sent[0])).join('\n')).toContain(`decided by ${BEN.name}`);
  expect((await decisions())[0]).toMatchObject({ text: 'We will publish weekly', deciders: [BEN.name], author: { id: ANN.aadObjectId } });

  await post(t, message('propose We will drop the paper form'));
  await eventually(() => expect(sent).toHaveLength(2));
  // The card's lines, each a run of text and names.
  const proposal = textsOf(cardOf(sent[1])).join('');
  expect(proposal).toContain('Proposed in Sprint 0 by Ann Example, to be agreed');
  expect(proposal).toContain('We will drop the paper form');
  expect(proposal).toContain('(proposed, to be agreed)');

  await post(t, mentioning(`accept 1 by <at>${BEN.name}</at>`));
  await eventually(() => expect(sent).toHaveLength(3));
  expect(textsOf(cardOf(sent[2])).join('')).toContain(`Decision 1 accepted by Ann Example, decided by ${BEN.name}`);
  expect((await decisions())[1]).toMatchObject({ status: 'active', deciders: [BEN.name] });

  await post(t, message('propose We will build an app'));
  await post(t, message('reject 2 Too costly'));
  await eventually(() => expect(sent).toHaveLength(5));
  expect(textsOf(cardOf(sent[4])).join('')).toContain('Decision 2 rejected by Ann Example: Too costly');
});

it('the record card has a Decided by field, and what is typed there names who took it', async () => {
  await post(t, message('record'));
  await eventually(() => expect(sent).toHaveLength(1));
  expect(JSON.stringify(cardOf(sent[0]))).toContain('"id":"decidedBy"');
  await post(t, submit({ action: 'record', text: 'We will put definitions inline', sprint: '0', evidence: '', decidedBy: 'Ann Example, Ben Example' }));
  await eventually(() => expect(sent).toHaveLength(2));
  expect((await decisions())[0]).toMatchObject({ deciders: ['Ann Example', 'Ben Example'] });
});
