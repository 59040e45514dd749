/**
 * `/decision import` end to end: signed requests through the real server, the Slack Web
 * API and the files' private download URLs stubbed at the fake Slack host. The form, the
 * preview, the confirmation, the announcement, undo, and the files Slack or core refuse.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ANA, BEN, BOT_TOKEN, CHANNEL, FakeSlack, SLACK_ORIGIN, TEAM, allStrings, blockAction, capturingLogger, nock, onlyLocalNetwork,
  slackPlace, startSlackApp, viewSubmission,
} from '../helpers';
import type { SlackTestApp } from '../helpers';
import { renderCaseFiles } from '../../../../src/core/markdown';
import type { CaseSnapshot } from '../../../../src/core/model';
import { runCli } from '../../../helpers/cli';

const ALPHAGOV = path.resolve(__dirname, '../../../fixtures/alphagov');
const DECISIONS_MD = fs.readFileSync(path.join(ALPHAGOV, 'key-decisions-and-evidence.md'));
const CASE_MD = fs.readFileSync(path.join(ALPHAGOV, 'prototype-case-joined-up-services.MD'));
const NYGARD = path.resolve(__dirname, '../../../fixtures/adr/nygard');

interface StubFile {
  name: string;
  body: Buffer;
  /** Whether the download says its length (Content-Length) or streams it; unset: as nock does. */
  lengthKnown?: boolean;
  /** How long the body takes after the headers. */
  delayBodyMs?: number;
  /** What files.info says the size is (default: the body's). */
  size?: number;
  contentType?: string;
  /** Where files.info says it downloads from (default: the fake Slack host). */
  url?: string;
  /** How long the download takes to answer. */
  delayMs?: number;
}

const FILES: Record<string, StubFile> = {
  F0DECISIONS: { name: 'key-decisions-and-evidence.md', body: DECISIONS_MD },
  F0CASE: { name: 'prototype-case-joined-up-services.MD', body: CASE_MD },
  F0ODD: { name: 'odd.md', body: Buffer.from('# Case\n\n## Sprint 0\n\nDecision 0: Go\n\nEvidence 0a: Seen\n\nEvidence 0a: Seen again\n') },
  F0PNG: { name: 'photo.md', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) },
  F0NUL: { name: 'notes.txt', body: Buffer.from('# Case\n\u0000\u0001binary') },
  F0BIG: { name: 'huge.md', body: Buffer.from('# Case\n'), size: 3 * 1024 * 1024 },
  F0LIAR: { name: 'liar.md', body: Buffer.concat([Buffer.from('# Case\n\n'), Buffer.alloc(1024 * 1024 + 10, 'a')]), size: 2000 },
  F0HTML: { name: 'case.md', body: Buffer.from('<!doctype html><title>Sign in</title>'), contentType: 'text/html; charset=utf-8' },
  F0AWAY: { name: 'case.md', body: DECISIONS_MD, url: 'https://evil.example/steal/case.md' },
  F0SLOW: { name: 'slow.md', body: DECISIONS_MD, delayMs: 3000 },
  F0PLAIN: { name: 'notes.txt', body: Buffer.from('Just some notes, no headings at all.\n') },
  F0HUGE: { name: 'huge-stream.md', body: Buffer.alloc(3 * 1024 * 1024, 'a'), size: 2000, lengthKnown: false },
  F0SAID: { name: 'huge-said.md', body: Buffer.alloc(3 * 1024 * 1024, 'a'), size: 2000, lengthKnown: true },
  F0STUCK: { name: 'stuck.md', body: DECISIONS_MD, delayBodyMs: 12_000 },
  F0ADR1: { name: '0001-record-architecture-decisions.md', body: fs.readFileSync(path.join(NYGARD, '0001-record-architecture-decisions.md')) },
  F0ADR3: { name: '0003-use-postgres-for-case-data.md', body: fs.readFileSync(path.join(NYGARD, '0003-use-postgres-for-case-data.md')) },
  F0ADR5: { name: '0005-use-managed-postgres.md', body: fs.readFileSync(path.join(NYGARD, '0005-use-managed-postgres.md')) },
  F0TEMPLATE: { name: 'template.md', body: fs.readFileSync(path.join(NYGARD, 'template.md')) },
  F0LOG: { name: 'sprint-m2-s5.md', body: fs.readFileSync(path.resolve(__dirname, '../../../fixtures/logs/sprint-m2-s5.md')) },
  ...Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`F0HEAVY${i}`, { name: `000${i}-heavy.md`, body: Buffer.from(`# ${i}. Heavy\n\n## Status\n\nAccepted\n`), size: 900 * 1024 }])),
};

const downloadPath = (id: string): string => `/files-pri/${TEAM}-${id}/download/${FILES[id]?.name ?? 'x'}`;

let t: SlackTestApp;
let slack: FakeSlack;

beforeEach(async () => {
  onlyLocalNetwork();
  slack = new FakeSlack();
  slack.api('views.open');
  slack.api('views.update');
  slack.api('chat.update');
  slack.api('chat.postMessage', { ok: true, channel: CHANNEL, ts: '1700000100.000100' });
  slack.path('/commands/T0TEAMA/cmd', 'response_url:cmd');
  slack.path('/commands/T0TEAMA/button', 'response_url:button');
  slack.api('files.info', (call) => {
    const id = String(call.body.file);
    const f = FILES[id];
    if (!f) return { ok: false, error: 'file_not_found' };
    return { ok: true, file: { id, name: f.name, title: f.name, size: f.size ?? f.body.length, mimetype: 'text/plain', url_private_download: f.url ?? `${SLACK_ORIGIN}${downloadPath(id)}` } };
  });
  for (const [id, f] of Object.entries(FILES)) {
    if (!f.url) {
      slack.download(downloadPath(id), `download:${id}`, f.body, {
        ...(f.contentType ? { contentType: f.contentType } : {}), ...(f.delayMs ? { delayMs: f.delayMs } : {}),
        ...(f.delayBodyMs ? { delayBodyMs: f.delayBodyMs } : {}), ...(f.lengthKnown !== undefined ? { lengthKnown: f.lengthKnown } : {}),
      });
    }
  }
  t = await startSlackApp();
});

afterEach(async () => {
  await t.stop();
  nock.cleanAll();
});

interface View {
  callback_id: string;
  private_metadata: string;
  blocks: unknown[];
  submit?: { text: string };
}

async function openImport(user = ANA): Promise<View> {
  const before = slack.callsTo('views.open').length;
  const res = await t.command('import', { user });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
  const calls = await slack.waitFor('views.open', before + 1);
  return calls[calls.length - 1]?.body.view as View;
}

interface Answer {
  response_action?: string;
  view?: View;
  errors?: Record<string, string>;
}

async function submit(view: View, values: Record<string, Record<string, unknown>> = {}, user = ANA): Promise<Answer> {
  const res = await t.interact(viewSubmission({ view: { callback_id: view.callback_id, private_metadata: view.private_metadata }, values, user }));
  expect(res.status).toBe(200);
  const text = await res.text();
  return text === '' ? {} : JSON.parse(text) as Answer;
}

const chosen = (...ids: string[]) => ({ files: { value: { type: 'file_input', files: ids.map((id) => ({ id, name: FILES[id]?.name ?? id })) } } });

/** Opens the form, chooses the files, and returns Slack's answer (the preview, or errors). */
async function preview(ids: string[], user = ANA): Promise<Answer> {
  return submit(await openImport(user), chosen(...ids), user);
}

async function snapshot(): Promise<CaseSnapshot | null> {
  const c = await t.app.store.findCase(slackPlace());
  return c ? t.app.store.snapshot(c.id) : null;
}

const text = (view: View | undefined): string => allStrings(view?.blocks ?? []).join('\n');

async function listAll(user = ANA): Promise<string> {
  const res = await t.command('list all', { user });
  return allStrings(await res.json()).join('\n');
}

describe('the import form', () => {
  it('opens a modal with a file input for up to ten Markdown files, saying the channel has no case yet', async () => {
    const view = await openImport();
    expect(view.callback_id).toBe('import_modal');
    const input = (view.blocks as Array<{ type: string; block_id?: string; element?: Record<string, unknown> }>).find((b) => b.type === 'input');
    expect(input?.block_id).toBe('files');
    expect(input?.element).toMatchObject({ type: 'file_input', filetypes: ['md', 'markdown', 'txt'], max_files: 10 });
    expect(text(view)).toContain('This channel has no case yet');
    expect(await snapshot()).toBeNull();
  });

  it('previews the key decisions file: counts per sprint and nothing written, reading the file with the bot token', async () => {
    const answer = await preview(['F0DECISIONS']);
    expect(answer.response_action).toBe('update');
    expect(answer.view?.callback_id).toBe('import_preview');
    expect(answer.view?.submit?.text).toBe('Import');
    const shown = text(answer.view);
    expect(shown).toContain('Key decisions that shaped our prototype case');
    expect(shown).toContain('16 decisions, 26 pieces of evidence');
    expect(shown).toContain('• Sprint 1: 3 decisions, 6 pieces of evidence');
    expect(shown).toContain('• Sprint 3: 7 decisions, 11 pieces of evidence');
    expect(shown).toContain('the import becomes its case');
    const [info] = slack.callsTo('files.info');
    expect(info?.body.file).toBe('F0DECISIONS');
    expect(info?.token).toBe(BOT_TOKEN);
    expect(slack.callsTo('download:F0DECISIONS').map((c) => c.token)).toEqual([BOT_TOKEN]);
    expect(await snapshot()).toBeNull();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('shows what was kept as text, with its line number', async () => {
    const shown = text((await preview(['F0ODD'])).view);
    expect(shown).toContain('1 line was kept as text');
    expect(shown).toContain('Line 9: Evidence 0a appears twice under Decision 0');
  });

  it('replaces the channel\'s case when confirmed: announced with who imported what, and listed by `list all`', async () => {
    const answer = await preview(['F0DECISIONS']);
    const done = await submit(answer.view as View);
    expect(done).toEqual({});
    const [post] = await slack.waitFor('chat.postMessage');
    expect(post?.body.channel).toBe(CHANNEL);
    expect(String(post?.body.text)).toContain('Case imported: 16 decisions, 26 pieces of evidence, by <@U0ANA>: “Key decisions that shaped our prototype case” from key-decisions-and-evidence.md, 7 sprints.');
    expect(JSON.stringify(post?.body.blocks)).toContain('"action_id":"decision.undo"');
    const snap = await snapshot();
    expect(snap?.decisions).toHaveLength(16);
    const list = await listAll();
    expect(list).toContain('All decisions');
    expect(list).toContain('We decided to test prototyping a case for helping join up government services');
    expect(list).toContain('Decision 15');
  });

  it('imports the two alphagov files as one case, which exports back as both files byte for byte', async () => {
    const answer = await preview(['F0CASE', 'F0DECISIONS']);
    const shown = text(answer.view);
    expect(shown).toContain('[Prototype] Case for helping join up government services');
    expect(shown).toContain('From *prototype-case-joined-up-services.MD* and *key-decisions-and-evidence.md*');
    expect(await submit(answer.view as View)).toEqual({});
    await slack.waitFor('chat.postMessage');
    const snap = await snapshot() as CaseSnapshot;
    const files = renderCaseFiles(snap, 'fallback.md');
    expect(files.map((f) => f.name)).toEqual(['prototype-case-joined-up-services.MD', 'key-decisions-and-evidence.md']);
    expect(files[0]?.markdown).toBe(CASE_MD.toString('utf8'));
    expect(files[1]?.markdown).toBe(DECISIONS_MD.toString('utf8'));
  });
});

describe('a slow download', () => {
  it('answers within Slack\'s 3 seconds with a note in the modal, then puts the preview there', async () => {
    const started = Date.now();
    const answer = await preview(['F0SLOW']);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer.response_action).toBe('update');
    expect(text(answer.view)).toContain('Reading your files…');
    const [update] = await slack.waitFor('views.update', 1, 8000);
    expect(update?.body.view_id).toBe('V0VIEW');
    const view = update?.body.view as View;
    expect(view.callback_id).toBe('import_preview');
    expect(text(view)).toContain('• Sprint 1: 3 decisions, 6 pieces of evidence');
    expect(await snapshot()).toBeNull();
  });
});

describe('a download that stalls', () => {
  it('says Slack took too long, in the modal, and logs one warning without a stack', async () => {
    await t.stop();
    const log = capturingLogger('info');
    t = await startSlackApp({ logger: log.logger });
    const answer = await preview(['F0STUCK']);
    expect(text(answer.view)).toContain('Reading your files…');
    const [update] = await slack.waitFor('views.update', 1, 20_000);
    expect(text(update?.body.view as View)).toContain('Slack took too long to send stuck.md (10 s); try again. Nothing imported.');
    expect(text(update?.body.view as View)).not.toContain('Something went wrong');
    const lines = log.lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: unknown; stack?: unknown });
    const about = lines.filter((l) => /import file/.test(l.msg));
    expect(about).toEqual([expect.objectContaining({ level: 40, msg: 'Slack: an import file could not be read from Slack' })]);
    expect(log.text()).not.toMatch(/"stack"|\n\s+at /);
    expect(await snapshot()).toBeNull();
  }, 30_000);
});

describe('importing over a case that has decisions', () => {
  beforeEach(async () => {
    expect((await t.command('We will publish weekly', { user: BEN })).status).toBe(200);
    expect((await t.command('evidence 0 Five of six users asked for it', { user: BEN })).status).toBe(200);
    expect((await t.command('We will drop the paper form', { user: ANA })).status).toBe(200);
  });

  it('always asks first: the form and the preview say what it replaces', async () => {
    expect(text(await openImport())).toContain('This channel’s case “Business case” has *2 decisions and 1 piece of evidence*; importing replaces it');
    const answer = await preview(['F0DECISIONS']);
    expect(text(answer.view)).toContain(':warning: This channel’s case “Business case” has *2 decisions and 1 piece of evidence*; importing replaces it');
    expect(answer.view?.submit?.text).toBe('Replace the case');
    expect((await snapshot())?.decisions.map((d) => d.text)).toEqual(['We will publish weekly', 'We will drop the paper form']);
  });

  it('asks again when the case changed after the preview, and imports nothing', async () => {
    const answer = await preview(['F0DECISIONS']);
    expect((await t.command('We will meet on Mondays', { user: BEN })).status).toBe(200);
    const again = await submit(answer.view as View);
    expect(again.response_action).toBe('update');
    expect(again.view?.callback_id).toBe('import_preview');
    expect(text(again.view)).toContain('changed after you looked');
    expect(text(again.view)).toContain('has *3 decisions');
    expect((await snapshot())?.decisions).toHaveLength(3);
    // Confirming the new preview imports.
    expect(await submit(again.view as View)).toEqual({});
    await slack.waitFor('chat.postMessage');
    expect((await snapshot())?.decisions).toHaveLength(16);
  });

  it('can be undone by the importer only, putting the previous case back exactly', async () => {
    const before = await snapshot() as CaseSnapshot;
    await submit((await preview(['F0DECISIONS'])).view as View);
    const [post] = await slack.waitFor('chat.postMessage');
    expect(String(post?.body.text)).toContain('It replaced the case that had 2 decisions.');
    const changeId = /"action_id":"decision\.undo","value":"([^"]+)"/.exec(JSON.stringify(post?.body.blocks))?.[1];
    expect(changeId).toBeDefined();

    // Ben's Undo button on Ana's import: refused.
    await t.interact(blockAction({ actionId: 'decision.undo', value: changeId ?? '', user: BEN }));
    const refused = await slack.waitFor('response_url:button');
    expect(String(refused[0]?.body.text)).toContain('Only <@U0ANA> can undo that');
    // Ben's own earlier decision cannot be undone from under the import either.
    const benUndo = await t.command('undo', { user: BEN });
    expect(allStrings(await benUndo.json()).join(' ')).toContain('Since then <@U0ANA> imported “Key decisions that shaped our prototype case” (16 decisions), and undoing would lose that. Nothing changed.');
    expect((await snapshot())?.decisions).toHaveLength(16);

    // Ana's typed undo puts the case back as it was, and marks the announcement.
    const undo = await t.command('undo', { user: ANA });
    expect(allStrings(await undo.json()).join(' ')).toContain('<@U0ANA> undid: imported “Key decisions that shaped our prototype case” (16 decisions)');
    const after = await snapshot() as CaseSnapshot;
    const strip = (s: CaseSnapshot) => ({ ...s, case: { ...s.case, version: 0, updatedAt: '' } });
    expect(strip(after)).toEqual(strip(before));
    expect(after.case.version).toBeGreaterThan(before.case.version);
    const [marked] = await slack.waitFor('chat.update');
    expect(String(marked?.body.text)).toMatch(/^~Case imported: 16 decisions, 26 pieces of evidence, by <@U0ANA>/);
    expect(await listAll()).toContain('We will drop the paper form');
  });

  it('refuses to undo the import once someone has changed the case since', async () => {
    await submit((await preview(['F0DECISIONS'])).view as View);
    await slack.waitFor('chat.postMessage');
    expect((await t.command('evidence 3 A later finding', { user: BEN })).status).toBe(200);
    const undo = await t.command('undo', { user: ANA });
    expect(allStrings(await undo.json()).join(' ')).toContain('Since then <@U0BEN> added Evidence 3');
    expect((await snapshot())?.decisions).toHaveLength(16);
  });
});

describe('undoing an import into a channel that had no case', () => {
  it('leaves the channel with no decisions and no sections of the import', async () => {
    await submit((await preview(['F0CASE', 'F0DECISIONS'])).view as View);
    await slack.waitFor('chat.postMessage');
    const undo = await t.command('undo');
    expect(allStrings(await undo.json()).join(' ')).toContain('<@U0ANA> undid: imported');
    const snap = await snapshot() as CaseSnapshot;
    expect(snap.decisions).toHaveLength(0);
    expect(snap.evidence).toHaveLength(0);
    expect(snap.case.title).toBe('Business case');
    expect(snap.case.layout.files ?? null).toBeNull();
    expect(await listAll()).not.toContain('Decision 0');
  });
});

describe('files that are refused, in plain words on the file input', () => {
  const refusal = async (ids: string[]): Promise<string> => {
    const answer = await preview(ids);
    expect(answer.response_action).toBe('errors');
    expect(await snapshot()).toBeNull();
    return answer.errors?.files ?? '';
  };

  it('refuses a binary file', async () => {
    expect(await refusal(['F0PNG'])).toBe('photo.md is a PNG image, not a business case in Markdown. Nothing imported.');
    expect(await refusal(['F0NUL'])).toBe('notes.txt is a binary file (it has NUL bytes), not a business case in Markdown. Nothing imported.');
  });

  it('refuses a file too large, before downloading it, and one larger than Slack said, while downloading it', async () => {
    expect(await refusal(['F0BIG'])).toBe('huge.md is 3.0 MB; a business case in Markdown is far smaller (at most 1.0 MB). Nothing imported.');
    expect(slack.callsTo('download:F0BIG')).toHaveLength(0);
    expect(await refusal(['F0LIAR'])).toMatch(/^liar\.md is more than 1\.0 MB; a business case in Markdown is far smaller/);
  });

  it('gives a file\'s real size when the download says it, and "more than 1 MB" when it stops reading one that does not', async () => {
    expect(await refusal(['F0SAID'])).toBe('huge-said.md is 3.0 MB; a business case in Markdown is far smaller (at most 1.0 MB). Nothing imported.');
    expect(await refusal(['F0HUGE'])).toBe('huge-stream.md is more than 1.0 MB; a business case in Markdown is far smaller (at most 1.0 MB). Nothing imported.');
  });

  it('refuses a text file with no heading', async () => {
    expect(await refusal(['F0PLAIN'])).toMatch(/^notes\.txt has no Markdown heading/);
  });

  it('says what to do when Slack answers with its sign-in page (no files:read)', async () => {
    expect(await refusal(['F0HTML'])).toContain('Decisions may lack the files:read permission');
  });

  it('never sends the bot token anywhere but Slack', async () => {
    expect(await refusal(['F0AWAY'])).toContain('an address I will not send the bot\'s token to');
  });

  it('refuses two files that are not a case and its key decisions', async () => {
    expect(await refusal(['F0DECISIONS', 'F0ODD'])).toContain('Both key-decisions-and-evidence.md and odd.md have sprints');
  });
});

describe('ADRs and decision logs from the form', () => {
  it('takes several ADRs chosen at once as one case, says what each file was read as, and writes each back byte for byte', async () => {
    const answer = await preview(['F0ADR1', 'F0ADR3', 'F0ADR5', 'F0TEMPLATE']);
    expect(answer.view?.callback_id).toBe('import_preview');
    const shown = text(answer.view);
    expect(shown).toContain('What each file was read as');
    expect(shown).toContain('0003-use-postgres-for-case-data.md: an ADR: Decision 3, superseded by Decision 5; 1 decision, 1 piece of evidence');
    expect(shown).toContain('template.md is a template, so it was left out.');
    expect(shown).toContain('No ADR is numbered 2, 4: the gaps are kept, so every ADR keeps its own number.');
    expect(await submit(answer.view as View)).toEqual({});
    const posted = await slack.waitFor('chat.postMessage');
    const told = allStrings(posted[0]?.body).join('\n');
    expect(told).toContain('Case imported: 3 decisions, 4 pieces of evidence');
    expect(told).toContain('from 0001-record-architecture-decisions.md, 0003-use-postgres-for-case-data.md and 0005-use-managed-postgres.md, 3 sprints.');
    const files = renderCaseFiles(await snapshot() as CaseSnapshot, 'x.md');
    expect(files).toEqual(['F0ADR1', 'F0ADR3', 'F0ADR5'].map((id) => ({ name: FILES[id]?.name, markdown: FILES[id]?.body.toString('utf8') })));
  });

  it('takes a business case and a decision log of another layout as one case', async () => {
    const answer = await preview(['F0CASE', 'F0LOG']);
    const shown = text(answer.view);
    expect(shown).toContain('sprint-m2-s5.md: its key decisions: a decision log: “Decision N: …” headings under the sprint its title names (Sprint M2-S5); 3 decisions, 4 pieces of evidence');
    expect(shown).toContain('Sprint M2-S5: 3 decisions, 4 pieces of evidence');
    expect(await submit(answer.view as View)).toEqual({});
    await slack.waitFor('chat.postMessage');
    expect(renderCaseFiles(await snapshot() as CaseSnapshot, 'x.md').map((f) => f.markdown)).toEqual([CASE_MD.toString('utf8'), FILES.F0LOG?.body.toString('utf8')]);
  });

  it('refuses files that come to more than an import reads in all, before downloading past the limit', async () => {
    const answer = await preview(['F0HEAVY1', 'F0HEAVY2', 'F0HEAVY3', 'F0HEAVY4', 'F0HEAVY5']);
    expect(answer.errors?.files).toBe('The files chosen come to more than 4 MB; an import reads at most that in all. Nothing imported.');
    expect(slack.callsTo('download:F0HEAVY5')).toHaveLength(0);
    expect(await snapshot()).toBeNull();
  });
});

describe('two processes on one data directory', () => {
  it('the command line sees a case imported in Slack at once, and Slack sees one imported from the command line', async () => {
    await submit((await preview(['F0DECISIONS'])).view as View);
    await slack.waitFor('chat.postMessage');
    const env = { DATA_DIR: t.dir };
    const exported = await runCli(['export', '--from', `slack:${TEAM}/${CHANNEL}`], { env });
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toBe(DECISIONS_MD.toString('utf8'));

    const file = path.join(t.dir, 'case.md');
    fs.writeFileSync(file, '# Another case\n\n## Sprint 0\n\nDecision 0: We will publish weekly\n');
    const refused = await runCli(['import', file, '--into', `slack:${TEAM}/${CHANNEL}`], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`slack:${TEAM}/${CHANNEL} already has a case (16 decisions); nothing imported. Add --replace to replace it.`);
    const imported = await runCli(['import', file, '--into', `slack:${TEAM}/${CHANNEL}`, '--replace'], { env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`Imported "Another case" as case slack:${TEAM}/${CHANNEL}: 1 decision`);
    const list = await listAll();
    expect(list).toContain('We will publish weekly');
    expect(list).not.toContain('We decided to test prototyping');
  });
});

describe('an import is one event', () => {
  it('the channel and the next digest say "Case imported: 16 decisions, 26 pieces of evidence" with a link, never the history as new; show says it was imported', async () => {
    await t.stop();
    t = await startSlackApp({ env: { PUBLIC_URL: 'https://decisions.example.org', SHARE_SECRET: 'a-share-secret-of-enough-length' } });
    const done = await submit((await preview(['F0DECISIONS'])).view as View);
    expect(done).toEqual({});
    const [announced] = await slack.waitFor('chat.postMessage');
    const said = allStrings(announced?.body.blocks).join('\n');
    expect(said).toContain('Case imported: 16 decisions, 26 pieces of evidence, by <@U0ANA>');
    expect(said).toMatch(/<https:\/\/decisions\.example\.org\/cases\/[^|>]+\?token=[^|>]+\|Read the case>/);

    // One decision recorded in chat the same week is the week's one new decision.
    await t.command('We will publish the prototype weekly');
    const items = await t.app.scheduler.tick(new Date('2026-11-30T09:01:00Z'));
    expect(items.map((i) => [i.kind, i.outcome])).toContainEqual(['digest', 'sent']);
    const posts = slack.callsTo('chat.postMessage');
    const digest = posts[posts.length - 1];
    const words = allStrings(digest?.body.blocks).join('\n');
    expect(words).toContain('*Case imported: 16 decisions, 26 pieces of evidence*');
    expect(words).toMatch(/Imported on 26 Nov 2026, 10:00\. <https:\/\/decisions\.example\.org\/cases\/[^|>]+\|Read the case>/);
    expect(words).toContain('*New decisions*\n• Decision 16: We will publish the prototype weekly');
    expect(words).not.toContain('Decision 0: We decided to test prototyping');
    expect(words).not.toContain('*New evidence*');
    expect(String(digest?.body.text)).toMatch(/^Weekly digest for .*: case imported: 16 decisions, 26 pieces of evidence, 1 new decision;/);

    // Finding 6: a decision that came with the import says so, in words.
    const shown = allStrings(await (await t.command('show 0')).json()).join('\n');
    expect(shown).toContain('Imported with the case on 26 Nov 2026, 10:00');
    expect(shown).not.toContain('Recorded by');
    expect(shown).not.toContain('Imported,');
  });
});

describe('export of a case kept in two files', () => {
  it('uploads the team\'s two files under their own names, byte for byte', async () => {
    await submit((await preview(['F0CASE', 'F0DECISIONS'])).view as View);
    slack.api('files.getUploadURLExternal', (call) => ({ ok: true, upload_url: `${SLACK_ORIGIN}/upload/v1/${String(call.body.filename)}`, file_id: `F0UP${slack.callsTo('files.getUploadURLExternal').length}` }));
    slack.path('/upload/v1/prototype-case-joined-up-services.MD', 'upload:case', { ok: true });
    slack.path('/upload/v1/key-decisions-and-evidence.md', 'upload:decisions', { ok: true });
    slack.api('files.completeUploadExternal', { ok: true, files: [{ id: 'F0UP1' }, { id: 'F0UP2' }] });
    const res = await t.command('export');
    expect(res.status).toBe(200);
    const [done] = await slack.waitFor('response_url:cmd');
    expect(String(done?.body.text)).toContain('as *prototype-case-joined-up-services.MD* and *key-decisions-and-evidence.md*');
    expect(slack.callsTo('files.getUploadURLExternal').map((c) => c.body.filename)).toEqual(['prototype-case-joined-up-services.MD', 'key-decisions-and-evidence.md']);
    expect(slack.callsTo('upload:case')[0]?.raw).toContain(CASE_MD.toString('utf8').slice(0, 200));
    expect(slack.callsTo('upload:decisions')[0]?.raw).toContain(DECISIONS_MD.toString('utf8').slice(0, 200));
  });
});
