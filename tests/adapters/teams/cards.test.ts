/**
 * Teams end to end: the Adaptive Card forms and buttons (Action.Submit data in
 * activity.value), the card update after a submit, and the "Record as decision"
 * message action (composeExtension fetchTask / submitAction).
 */
import {
  nock, ANN, CHANNEL,
  cardOf, connector, eventually, invoke, message, onlyLocalNetwork, place, post, startTeamsApp, submit, textsOf,
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

async function caseData() {
  const c = await t.app.store.findCase(place());
  if (!c) throw new Error('no case');
  return { decisions: await decisionsOf(t.app.store, c.id), evidence: await evidenceOf(t.app.store, c.id) };
}

/** Inputs and actions of a card, found anywhere in it (ShowCards included). */
function find(card: unknown, type: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === type) out.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('the decision form', () => {
  it('opens when the command has no text, and records on submit, replacing the form with the confirmation', async () => {
    await post(t, message(''));
    await eventually(() => expect(sent).toHaveLength(1));
    const form = cardOf(sent[0]);
    expect(find(form, 'Input.Text').map((i) => i.id)).toEqual(['text', 'evidence', 'decidedBy']);
    const sprint = find(form, 'Input.ChoiceSet')[0];
    expect(sprint?.id).toBe('sprint');
    const record = find(form, 'Action.Submit')[0];
    expect(record?.data).toMatchObject({ action: 'record' });

    // Teams posts the button's data merged with the inputs, replying to the form's message.
    const res = await post(t, submit({ ...(record?.data as object), text: 'We will publish weekly', sprint: String(sprint?.value), evidence: 'Two of five teams asked for it' }, 'form-message-1'));
    expect(res.status).toBe(200);
    await eventually(() => expect(sent).toHaveLength(2));
    const update = sent[1] as Sent;
    expect(update.method).toBe('PUT');
    expect(update.path).toMatch(/\/activities\/form-message-1$/);
    const texts = textsOf(cardOf(update)).join('\n');
    expect(texts).toContain('Decision 0');
    expect(texts).toContain('Evidence 0a');
    const { decisions, evidence } = await caseData();
    expect(decisions.map((d) => d.text)).toEqual(['We will publish weekly']);
    expect(evidence.map((e) => e.text)).toEqual(['Two of five teams asked for it']);
  });

  it('records one evidence item a line, blank lines skipped, as the Slack form does', async () => {
    await post(t, message(''));
    await eventually(() => expect(sent).toHaveLength(1));
    const form = cardOf(sent[0]);
    const field = find(form, 'Input.Text').find((i) => i.id === 'evidence');
    expect(field?.placeholder).toBe('One item a line: a finding, a quote, a figure or a link.');
    const record = find(form, 'Action.Submit')[0];
    await post(t, submit({ ...(record?.data as object), text: 'We will add a glossary', sprint: '0', evidence: 'Readers stumbled on three terms\r\n\r\n  Five of six asked for a glossary  \r\n' }, 'form-message-1'));
    await eventually(() => expect(sent).toHaveLength(2));
    expect(textsOf(cardOf(sent[1])).join('\n')).toContain('Evidence 0b');
    expect((await caseData()).evidence.map((e) => `${e.decision}${e.letter}: ${e.text}`)).toEqual(['0a: Readers stumbled on three terms', '0b: Five of six asked for a glossary']);
  });

  it('leaves the form as it was and answers in a new message when the submit is wrong', async () => {
    await post(t, submit({ action: 'record', text: '   ', sprint: '0' }, 'form-message-1'));
    await eventually(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.method).toBe('POST');
    expect(textsOf(cardOf(sent[0])).join('\n')).toContain('needs some text');
    await expect(t.app.store.findCase(place()).then(async (c) => (c ? decisionsOf(t.app.store, c.id) : []))).resolves.toHaveLength(0);
  });
});

describe('the confirmation card', () => {
  async function recorded(): Promise<Record<string, unknown>> {
    await post(t, message('We will publish weekly'));
    await eventually(() => expect(sent).toHaveLength(1));
    return cardOf(sent[0]);
  }

  it('has Add evidence, Edit and Undo', async () => {
    const card = await recorded();
    expect((card.actions as { title: string }[]).map((a) => a.title)).toEqual(['Add evidence', 'Edit', 'Undo']);
  });

  it('adds evidence from its Add evidence form and updates the card', async () => {
    const card = await recorded();
    const show = (card.actions as Record<string, unknown>[]).find((a) => a.title === 'Add evidence');
    const button = find(show, 'Action.Submit')[0];
    const input = find(show, 'Input.Text')[0];
    await post(t, submit({ ...(button?.data as object), [String(input?.id)]: 'Readers stumbled on three terms' }, 'confirmation-1'));
    await eventually(() => expect(sent).toHaveLength(2));
    expect(sent[1]?.method).toBe('PUT');
    expect(sent[1]?.path).toMatch(/\/activities\/confirmation-1$/);
    expect(textsOf(cardOf(sent[1])).join('\n')).toContain('Readers stumbled on three terms');
    expect((await caseData()).evidence.map((e) => `${e.decision}${e.letter}: ${e.text}`)).toEqual(['0a: Readers stumbled on three terms']);
  });

  it('edits the decision from its Edit form and updates the card', async () => {
    const card = await recorded();
    const show = (card.actions as Record<string, unknown>[]).find((a) => a.title === 'Edit');
    const input = find(show, 'Input.Text')[0];
    expect(input?.value).toBe('We will publish weekly');
    const button = find(show, 'Action.Submit')[0];
    await post(t, submit({ ...(button?.data as object), [String(input?.id)]: 'We will publish every Friday' }, 'confirmation-1'));
    await eventually(() => expect(sent).toHaveLength(2));
    expect(sent[1]?.method).toBe('PUT');
    expect(textsOf(cardOf(sent[1])).join('\n')).toContain('We will publish every Friday');
    const { decisions } = await caseData();
    expect(decisions[0]?.text).toBe('We will publish every Friday');
    expect(decisions[0]?.revisions.map((r) => r.text)).toEqual(['We will publish weekly']);
  });

  it('undoes with Undo and replaces the card with what was undone', async () => {
    const card = await recorded();
    const undo = (card.actions as Record<string, unknown>[]).find((a) => a.title === 'Undo');
    await post(t, submit(undo?.data as Record<string, unknown>, 'confirmation-1'));
    await eventually(() => expect(sent).toHaveLength(2));
    expect(sent[1]?.method).toBe('PUT');
    expect(textsOf(cardOf(sent[1])).join('\n')).toContain('undid: recorded Decision 0.');
    expect((await caseData()).decisions).toHaveLength(0);
  });

  it('answers a submit from a card it does not know with plain words', async () => {
    await post(t, submit({ action: 'explode' }));
    await eventually(() => expect(sent).toHaveLength(1));
    expect(textsOf(cardOf(sent[0])).join('\n')).toContain('no longer works');
  });
});

describe('the add-evidence form', () => {
  it('lists the decisions to choose from and adds evidence on submit', async () => {
    await post(t, message('We will publish weekly'));
    await post(t, message('We will drop the paper form'));
    await post(t, submit({ action: 'openEvidenceForm' }, 'retro-1'));
    await eventually(() => expect(sent).toHaveLength(3));
    const form = cardOf(sent[2]);
    const choice = find(form, 'Input.ChoiceSet')[0];
    expect((choice?.choices as { value: string }[]).map((c) => c.value)).toEqual(['1', '0']);
    const button = find(form, 'Action.Submit')[0];
    await post(t, submit({ ...(button?.data as object), decision: '0', evidenceText: 'Seen in round 1' }, 'evidence-form-1'));
    await eventually(() => expect(sent).toHaveLength(4));
    expect(sent[3]?.method).toBe('PUT');
    expect(sent[3]?.path).toMatch(/\/activities\/evidence-form-1$/);
    expect((await caseData()).evidence.map((e) => `${e.decision}${e.letter}`)).toEqual(['0a']);
  });

  it('opens the decision form from a button (the retro prompt\'s Record a decision)', async () => {
    await post(t, submit({ action: 'openForm' }, 'retro-1'));
    await eventually(() => expect(sent).toHaveLength(1));
    expect(find(cardOf(sent[0]), 'Input.Text').map((i) => i.id)).toEqual(['text', 'evidence', 'decidedBy']);
  });
});

describe('the "Record as decision" message action', () => {
  const link = 'https://teams.microsoft.com/l/message/19:general@thread.tacv2/1700000000999?groupId=g&tenantId=tenant-a';
  const messagePayload = {
    id: '1700000000999',
    linkToMessage: link,
    body: { contentType: 'html', content: '<p>We will <b>test</b> with &amp; for users<br>who repeat themselves</p>' },
    from: { user: { id: 'aad-ben', displayName: 'Ben Example' } },
  };

  it('opens the decision form filled with the message text (fetchTask)', async () => {
    const res = await post(t, invoke('composeExtension/fetchTask', { commandId: 'recordDecision', commandContext: 'message', messagePayload }));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { task: { type: string; value: { card: { content: unknown } } } };
    expect(body.task.type).toBe('continue');
    const text = find(body.task.value.card.content, 'Input.Text').find((i) => i.id === 'text');
    expect(text?.value).toBe('We will test with & for users\nwho repeat themselves');
    expect(sent).toHaveLength(0);
  });

  it('records the decision with the message link as its source (submitAction), and posts the confirmation', async () => {
    const fetched = await post(t, invoke('composeExtension/fetchTask', { commandId: 'recordDecision', commandContext: 'message', messagePayload }));
    const form = (JSON.parse(fetched.text) as { task: { value: { card: { content: unknown } } } }).task.value.card.content;
    const data = find(form, 'Action.Submit')[0]?.data as Record<string, unknown>;
    const res = await post(t, invoke('composeExtension/submitAction', {
      commandId: 'recordDecision', commandContext: 'message', messagePayload,
      data: { ...data, text: 'We will test with users who repeat themselves', sprint: '0', evidence: '' },
    }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text || '{}')).toEqual({});
    await eventually(() => expect(sent).toHaveLength(1));
    expect(JSON.stringify(sent[0]?.body)).toContain('Decision 0');
    // Under the message the action was on, not under the invoke.
    expect(sent[0]?.path).toMatch(/\/activities\/1700000000999$/);
    expect(sent[0]?.body.replyToId).toBe('1700000000999');
    const { decisions } = await caseData();
    expect(decisions.map((d) => [d.text, d.sourceUrl, d.author.id])).toEqual([['We will test with users who repeat themselves', link, ANN.aadObjectId]]);
  });

  it('shows the form again, with the problem, when the submitted text is empty', async () => {
    const res = await post(t, invoke('composeExtension/submitAction', {
      commandId: 'recordDecision', commandContext: 'message', messagePayload,
      data: { action: 'record', text: '', sprint: '0', sourceUrl: link },
    }));
    const body = JSON.parse(res.text) as { task: { type: string; value: { card: { content: unknown } } } };
    expect(body.task.type).toBe('continue');
    expect(textsOf(body.task.value.card.content).join('\n')).toContain('needs some text');
    expect(sent).toHaveLength(0);
  });

  it('says so for a command it does not have', async () => {
    const res = await post(t, invoke('composeExtension/fetchTask', { commandId: 'somethingElse', commandContext: 'message', messagePayload }));
    expect((JSON.parse(res.text) as { task: { type: string } }).task.type).toBe('message');
  });
});

describe('card content', () => {
  it('keeps every card version 1.5 and the channel of a thread reply', async () => {
    await post(t, message('We will publish weekly', { conversationId: `${CHANNEL};messageid=42` }));
    await eventually(() => expect(sent).toHaveLength(1));
    expect(cardOf(sent[0]).version).toBe('1.5');
    expect(cardOf(sent[0]).$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
  });
});
