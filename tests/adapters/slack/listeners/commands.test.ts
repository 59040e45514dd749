/** `/decision` and `/evidence` end to end: signed slash commands through the real HTTP server. */
import { ANA, BEN, CHANNEL, FakeSlack, FORM, SLACK_ORIGIN, TEAM, allStrings, commandBody, nock, onlyLocalNetwork, responseUrl, slackPlace, startSlackApp } from '../helpers';
import type { SlackTestApp } from '../helpers';
import { decisionsOf, evidenceOf } from '../../../helpers/records';

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
  jest.restoreAllMocks();
});

interface CommandResponse {
  response_type: 'in_channel' | 'ephemeral';
  text: string;
  blocks: { type: string; elements?: { action_id?: string; value?: string }[] }[];
}

async function json(res: Response): Promise<CommandResponse> {
  expect(res.status).toBe(200);
  return (await res.json()) as CommandResponse;
}

describe('/decision', () => {
  it('records a decision and announces it in the channel, with its buttons', async () => {
    const body = await json(await t.command('We will publish weekly'));
    expect(body.response_type).toBe('in_channel');
    expect(body.text).toContain('Decision 0');
    expect(body.text).toContain(`by <@${ANA.id}>`);
    expect(body.text).toContain('We will publish weekly');
    const actions = body.blocks.find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => e.action_id)).toEqual(['decision.evidence', 'decision.edit', 'decision.undo']);
    // Add evidence and Edit name the decision; Undo names the change it announces.
    expect(actions?.elements?.slice(0, 2).map((e) => e.value)).toEqual(['0', '0']);
    const c = await t.app.store.findCase(slackPlace());
    expect(c).not.toBeNull();
    expect(actions?.elements?.[2]?.value).toBe((await t.app.store.lastChange(c?.id ?? '', ANA.id, ''))?.id);
    const decisions = await decisionsOf(t.app.store, c?.id ?? '');
    expect(decisions.map((d) => [d.number, d.text, d.author.id])).toEqual([[0, 'We will publish weekly', ANA.id]]);
  });

  it('keeps help, lists and errors to the caller', async () => {
    const help = await json(await t.command('help'));
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('Commands');

    await json(await t.command('We will publish weekly'));
    const list = await json(await t.command('list'));
    expect(list.response_type).toBe('ephemeral');
    expect(JSON.stringify(list.blocks)).toContain('We will publish weekly');

    const error = await json(await t.command('show 42'));
    expect(error.response_type).toBe('ephemeral');
    expect(error.text).toContain('There is no Decision 42');
    expect(allStrings(error.blocks).join('\n')).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  });

  it('a typo gets one suggestion, written as a Slack command', async () => {
    const typo = await json(await t.command('evidnce 0 typo'));
    const words = allStrings(typo.blocks).join('\n');
    expect(words).toContain('There is no command "evidnce".');
    expect(words.match(/Did you mean/g)).toHaveLength(1);
    expect(words).toContain('Did you mean `/decision evidence 0 typo`?');
    expect(words).not.toContain('record');
  });

  it('opens the decision modal when given no words', async () => {
    slack.api('views.open');
    const res = await t.command('');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const [call] = await slack.waitFor('views.open');
    expect(call?.token).toBe('xoxb-1111-2222-singleworkspacetoken');
    expect(call?.body.trigger_id).toBe('trigger-1');
    const view = call?.body.view as { callback_id: string; blocks: { block_id?: string }[]; private_metadata: string };
    expect(view.callback_id).toBe('decision_modal');
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['text', 'evidence', 'sprint', 'deciders', 'points']);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ c: CHANNEL, r: responseUrl('cmd') });
  });

  it('says so, to the caller only, when Slack will not open the modal', async () => {
    slack.api('views.open', { ok: false, error: 'expired_trigger_id' });
    slack.path('/commands/T0TEAMA/cmd', 'response_url');
    await t.command('');
    const [answer] = await slack.waitFor('response_url');
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toContain('took too long');
  });

  it('answers through the response URL when core is slower than Slack waits', async () => {
    const real = t.app.service.run.bind(t.app.service);
    jest.spyOn(t.app.service, 'run').mockImplementation(async (ctx, text) => {
      await new Promise((r) => setTimeout(r, 2800));
      return real(ctx, text);
    });
    slack.path('/commands/T0TEAMA/cmd', 'response_url');
    const started = Date.now();
    const res = await t.command('We will publish weekly');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2900);
    const [late] = await slack.waitFor('response_url');
    expect(late?.body).toMatchObject({ response_type: 'in_channel' });
    expect(String(late?.body.text)).toContain('Decision 0');
  });

  it('uploads the export to the channel and tells the caller', async () => {
    await json(await t.command('We will publish weekly'));
    slack.api('files.getUploadURLExternal', { ok: true, upload_url: `${SLACK_ORIGIN}/upload/v1/abc`, file_id: 'F0FILE' });
    slack.path('/upload/v1/abc', 'upload', { ok: true });
    slack.api('files.completeUploadExternal', { ok: true, files: [{ id: 'F0FILE' }] });
    slack.path('/commands/T0TEAMA/cmd', 'response_url');
    const res = await t.command('export');
    expect(res.status).toBe(200);
    const [done] = await slack.waitFor('response_url');
    expect(String(done?.body.text)).toContain('business-case.md');
    const [getUrl] = slack.callsTo('files.getUploadURLExternal');
    expect(getUrl?.body).toMatchObject({ filename: 'business-case.md' });
    const [upload] = slack.callsTo('upload');
    expect(upload?.raw).toContain('Decision 0: We will publish weekly');
    const [complete] = slack.callsTo('files.completeUploadExternal');
    expect(complete?.body).toMatchObject({ channel_id: CHANNEL });
  });

  it('says the upload failed when the bot is not in the channel', async () => {
    slack.api('files.getUploadURLExternal', { ok: true, upload_url: `${SLACK_ORIGIN}/upload/v1/abc`, file_id: 'F0FILE' });
    slack.path('/upload/v1/abc', 'upload', { ok: true });
    slack.api('files.completeUploadExternal', { ok: false, error: 'not_in_channel' });
    slack.path('/commands/T0TEAMA/cmd', 'response_url');
    await t.command('export');
    const [answer] = await slack.waitFor('response_url');
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toContain('could not upload');
    expect(String(answer?.body.text)).toContain('/invite @Decisions');
  });
});

describe('/evidence', () => {
  it('adds evidence to a decision: /evidence 0 text is /decision evidence 0 text', async () => {
    await json(await t.command('We will publish weekly'));
    const body = await json(await t.command('0 Five of six users asked for it', { command: '/evidence', user: BEN }));
    expect(body.response_type).toBe('in_channel');
    expect(body.text).toContain('Evidence 0a added to Decision 0');
    expect(body.text).toContain(`<@${BEN.id}>`);
    const c = await t.app.store.findCase(slackPlace());
    const evidence = await evidenceOf(t.app.store, c?.id ?? '');
    expect(evidence.map((e) => [e.decision, e.letter, e.text])).toEqual([[0, 'a', 'Five of six users asked for it']]);
  });

  it('answers a bad number to the caller only', async () => {
    const body = await json(await t.command('seven Something', { command: '/evidence' }));
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('is not a decision number');
  });

  it('with no words, opens a modal to pick the decision', async () => {
    await json(await t.command('We will publish weekly'));
    slack.api('views.open');
    await t.command('', { command: '/evidence' });
    const [call] = await slack.waitFor('views.open');
    const view = call?.body.view as { callback_id: string; blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] };
    expect(view.callback_id).toBe('evidence_modal');
    expect(view.blocks.find((b) => b.block_id === 'decision')?.element?.options?.map((o) => o.value)).toEqual(['0']);
  });
});

describe('cases', () => {
  it('keeps one case per channel, and two workspaces side by side never see each other', async () => {
    await json(await t.command('Team A decides', { team: TEAM }));
    await json(await t.command('Team B decides', { team: 'T0TEAMB' }));
    await json(await t.command('Another channel decides', { channel: 'C0OTHER' }));

    const listA = await json(await t.command('list all', { team: TEAM }));
    const listB = await json(await t.command('list all', { team: 'T0TEAMB' }));
    const a = JSON.stringify(listA.blocks);
    const b = JSON.stringify(listB.blocks);
    expect(a).toContain('Team A decides');
    expect(a).not.toContain('Team B decides');
    expect(a).not.toContain('Another channel decides');
    expect(b).toContain('Team B decides');
    expect(b).not.toContain('Team A decides');
    // Each case numbers from 0.
    const showB = await json(await t.command('show 0', { team: 'T0TEAMB' }));
    expect(showB.text).toContain('Team B decides');
    const cases = await t.app.store.listCases({ platform: 'slack' });
    expect(cases.map((c) => `${c.place.workspace}/${c.place.channel}`).sort()).toEqual([`${TEAM}/${CHANNEL}`, `${TEAM}/C0OTHER`, 'T0TEAMB/C0GENERAL']);
  });

  it('uses the enterprise id when a command has no team', async () => {
    const body = commandBody('Org decides').replace(`team_id=${TEAM}`, 'team_id=').concat('&enterprise_id=E0ORG');
    const res = await t.send(body, FORM);
    expect(res.status).toBe(200);
    expect(await t.app.store.findCase({ platform: 'slack', workspace: 'E0ORG', channel: CHANNEL })).not.toBeNull();
  });
});
