/**
 * Interleavings: random sequences of commands from three people, fired in concurrent
 * batches through two service instances that share one SQLite file (two store handles),
 * checked after every batch against a model of what was acknowledged. An acknowledged
 * reply (anything but an error) is a promise: the checks say that no later command, racing
 * or not, quietly breaks it.
 *
 * INTERLEAVINGS_RUNS and INTERLEAVINGS_SEED (environment) run it longer or replay a failure.
 */
import path from 'node:path';
import fc from 'fast-check';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite';
import { createCaseService, type CaseService, type Clock } from '../../src/core/service';
import { renderCaseMarkdown } from '../../src/core/markdown';
import { importCase } from '../../src/core/import';
import { templateSections } from '../../src/core/templates';
import type { Actor, Change, CaseSnapshot, Decision, Place } from '../../src/core/model';
import type { Reply } from '../../src/core/views';
import { sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

const place: Place = { platform: 'console', workspace: 'local', channel: 'interleavings' };
const PEOPLE: Actor[] = [{ id: 'U1', name: 'Ana' }, { id: 'U2', name: 'Ben' }, { id: 'U3', name: 'Cy' }];
const HEADINGS = ['Benefits', 'Options'] as const;
type Heading = typeof HEADINGS[number];
const ALL_TIME = ['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'] as const;
const RUNS = Number(process.env.INTERLEAVINGS_RUNS ?? 25);
const SEED = process.env.INTERLEAVINGS_SEED === undefined ? undefined : Number(process.env.INTERLEAVINGS_SEED);

// ---------------------------------------------------------------------------------------
// Commands, as generated. A decision number is a fraction (0..999) of the range the case
// has when the batch starts, plus one past its end, so most commands hit real decisions.

type Frac = number;
type Cmd =
  | { op: 'record'; who: number; text: string }
  | { op: 'evidence'; who: number; n: Frac; text: string }
  | { op: 'edit'; who: number; n: Frac; text: string }
  | { op: 'withdraw'; who: number; n: Frac; reason: string | null }
  | { op: 'supersede'; who: number; n: Frac; by: Frac }
  | { op: 'section'; who: number; heading: Heading; text: string }
  | { op: 'undo'; who: number };
interface Batch { cmds: Cmd[]; firstVia: 0 | 1 }

const word = fc.constantFrom('go', 'stop', 'pay', 'form', 'ship', 'weekly', 'café', 'naïve', '日本', '🙂', 'Ω', 'x');
const tricky = fc.constantFrom('#', '- item', '1.', 'Decision 1:', 'Evidence 0a:', '_Withdrawn_', '**', '> q', 'Sprint 2', '\\', '[0]', '<b>');
const separator = fc.constantFrom(' ', ' ', ' ', ' ', '\n', '\r\n', ' \r\n', '  ', '\n\n');
const text = fc.tuple(
  fc.array(fc.tuple(fc.oneof({ weight: 8, arbitrary: word }, { weight: 1, arbitrary: tricky }), separator), { minLength: 1, maxLength: 5 }),
  fc.constantFrom('', '', '', ' ', '\r\n', '  '),
).map(([tokens, tail]) => tokens.map(([w, s], i) => (i < tokens.length - 1 ? w + s : w)).join('') + tail);
const pick = fc.integer({ min: 0, max: 999 });
const who = fc.integer({ min: 0, max: PEOPLE.length - 1 });

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('record' as const), who, text }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('evidence' as const), who, n: pick, text }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('edit' as const), who, n: pick, text }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('withdraw' as const), who, n: pick, reason: fc.option(text, { freq: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('supersede' as const), who, n: pick, by: pick }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('section' as const), who, heading: fc.constantFrom(...HEADINGS), text }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('undo' as const), who }) },
);

/**
 * At most one write per person per section in a batch, so each acknowledged section write
 * can be matched to its change in the log (a notice carries no change id). A duplicate
 * moves to the other section, or becomes a record.
 */
function oneWritePerSection(cmds: Cmd[]): Cmd[] {
  const seen = new Set<string>();
  return cmds.map((c): Cmd => {
    if (c.op !== 'section') return c;
    for (const heading of [c.heading, ...HEADINGS.filter((h) => h !== c.heading)]) {
      const key = `${c.who}/${heading}`;
      if (!seen.has(key)) {
        seen.add(key);
        return { ...c, heading };
      }
    }
    return { op: 'record', who: c.who, text: c.text };
  });
}

const batch: fc.Arbitrary<Batch> = fc.record({
  cmds: fc.array(cmd, { minLength: 2, maxLength: 4 }).map(oneWritePerSection),
  firstVia: fc.constantFrom(0 as const, 1 as const),
});
const script = fc.array(batch, { minLength: 8, maxLength: 18 });

// ---------------------------------------------------------------------------------------
// The model: what was acknowledged.

/** What the product promises to store for typed text: see normaliseText in the grammar. */
function stored(typed: string): string {
  return typed.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').replace(/[ \t]+(?=\n|$)/g, '').replace(/\n{3,}/g, '\n\n').trim();
}

type Ack =
  | { op: 'record' | 'edit'; batch: number; actor: Actor; change: string; n: number; wording: string }
  | { op: 'evidence'; batch: number; actor: Actor; change: string; n: number; label: string; wording: string }
  | { op: 'withdraw'; batch: number; actor: Actor; change: string; n: number; reason: string | null }
  | { op: 'supersede'; batch: number; actor: Actor; change: string; n: number; by: number; byIdentity: string | null }
  | { op: 'section'; batch: number; actor: Actor; heading: Heading; body: string }
  | { op: 'undo'; batch: number; actor: Actor; undid: string };

interface Model {
  acks: Ack[];
  /** Change id → the batch whose check first saw it in the log. */
  batchOf: Map<string, number>;
  /** The number of decisions at the last check: picks are made against it. */
  decisionCount: number;
  transcript: string[];
}

const identity = (d: Decision): string => `${d.createdAt}|${d.author.id}`;

/** A clock shared by both services; every reading is a millisecond later, so timestamps tell decisions apart. */
function tickingClock(start: string): Clock {
  let t = new Date(start).getTime();
  return { now: () => new Date(t++) };
}

function commandText(c: Cmd, count: number): string {
  const at = (p: Frac): number => Math.floor((p / 1000) * (count + 1));
  switch (c.op) {
    case 'record': return `record ${c.text}`;
    case 'evidence': return `evidence ${at(c.n)} ${c.text}`;
    case 'edit': return `edit ${at(c.n)} ${c.text}`;
    case 'withdraw': return `withdraw ${at(c.n)}${c.reason === null ? '' : ` ${c.reason}`}`;
    case 'supersede': {
      // Two picks that land on one number would only meet the parser's "cannot supersede itself".
      const n = at(c.n);
      const by = at(c.by) === n && count > 0 ? (n + 1) % (count + 1) : at(c.by);
      return `supersede ${n} with ${by}`;
    }
    case 'section': return `case ${c.heading} ${c.text}`;
    case 'undo': return 'undo';
  }
}

function fail(model: Model, message: string): never {
  throw new Error(`${message}\n--- transcript (batch: [service] person: command => reply) ---\n${model.transcript.join('\n')}`);
}

/** Turns one reply into an acknowledgement, checking that the reply says what was asked. */
function acknowledge(model: Model, b: number, c: Cmd, typed: string, reply: Reply, reader: SqliteStore, caseId: () => Promise<string | null>): Promise<void> | void {
  const actor = PEOPLE[c.who] as Actor;
  if (reply.kind === 'error') return;
  const expectKind = (kind: Reply['kind']): void => {
    if (reply.kind !== kind) fail(model, `"${typed}" by ${actor.name} answered ${reply.kind}, expected ${kind}: ${reply.summary}`);
  };
  switch (c.op) {
    case 'record':
    case 'edit': {
      expectKind('decision');
      if (reply.kind !== 'decision' || reply.undo === null) return fail(model, `"${typed}" acknowledged without a change id`);
      const wording = stored(c.text);
      if (reply.decision.text !== wording) fail(model, `"${typed}" acknowledged with text ${JSON.stringify(reply.decision.text)}, expected ${JSON.stringify(wording)}`);
      model.acks.push({ op: c.op, batch: b, actor, change: reply.undo, n: reply.decision.number, wording });
      return;
    }
    case 'evidence': {
      expectKind('decision');
      if (reply.kind !== 'decision' || reply.undo === null || reply.newEvidence === null) return fail(model, `"${typed}" acknowledged without a change id or label`);
      model.acks.push({ op: 'evidence', batch: b, actor, change: reply.undo, n: reply.decision.number, label: reply.newEvidence, wording: stored(c.text) });
      return;
    }
    case 'withdraw': {
      expectKind('decision');
      if (reply.kind !== 'decision' || reply.undo === null) return fail(model, `"${typed}" acknowledged without a change id`);
      model.acks.push({ op: 'withdraw', batch: b, actor, change: reply.undo, n: reply.decision.number, reason: reply.decision.statusReason });
      return;
    }
    case 'supersede': {
      expectKind('decision');
      if (reply.kind !== 'decision' || reply.undo === null || reply.decision.supersededBy === null) return fail(model, `"${typed}" acknowledged without a change id or replacement`);
      const ack: Ack = { op: 'supersede', batch: b, actor, change: reply.undo, n: reply.decision.number, by: reply.decision.supersededBy, byIdentity: null };
      model.acks.push(ack);
      // The replacement as it stands right after the acknowledgement: checked for the rest of the run.
      return (async () => {
        const id = await caseId();
        const snap = id === null ? null : await reader.snapshot(id);
        const by = snap?.decisions.find((d) => d.number === ack.by);
        if (!by) fail(model, `"${typed}" acknowledged, but Decision ${ack.by} is not in the store right after`);
        ack.byIdentity = identity(by);
      })();
    }
    case 'section': {
      expectKind('notice');
      model.acks.push({ op: 'section', batch: b, actor, heading: c.heading, body: stored(c.text) });
      return;
    }
    case 'undo': {
      expectKind('notice');
      if (reply.kind !== 'notice' || reply.undid === undefined) return fail(model, `"undo" acknowledged without saying which change it undid`);
      model.acks.push({ op: 'undo', batch: b, actor, undid: reply.undid });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------
// The checks, on a fresh read of the store after every batch.

async function check(model: Model, reader: SqliteStore, b: number): Promise<void> {
  const found = await reader.findCase(place);
  const writes = model.acks.filter((a) => a.op !== 'undo');
  if (!found) {
    if (writes.length > 0) fail(model, `${writes.length} writes acknowledged but the case is not in the store`);
    return;
  }
  const snap = await reader.snapshot(found.id) as CaseSnapshot;
  const log: Change[] = await reader.listChanges(found.id, ...ALL_TIME);
  const byId = new Map(log.map((c) => [c.id, c]));
  for (const c of log) if (!model.batchOf.has(c.id)) model.batchOf.set(c.id, b);
  const decisions = new Map(snap.decisions.map((d) => [d.number, d]));
  const undone = new Map<string, Ack & { op: 'undo' }>();
  for (const a of model.acks) {
    if (a.op !== 'undo') continue;
    if (undone.has(a.undid)) fail(model, `change ${a.undid} was acknowledged as undone twice`);
    undone.set(a.undid, a);
  }
  const live = (a: { change: string }): boolean => !undone.has(a.change);

  // The log holds exactly the acknowledged writes, and exactly the acknowledged undos are marked.
  const changeIds = new Set<string>();
  for (const a of writes) {
    if (a.op === 'section') continue;
    const c = byId.get(a.change);
    if (!c) fail(model, `acknowledged ${a.op} (change ${a.change}) is not in the change log`);
    if (c.actor.id !== a.actor.id) fail(model, `change ${a.change} is logged as ${c.actor.name}'s, acknowledged to ${a.actor.name}`);
    changeIds.add(a.change);
  }
  const sectionChanges = log.filter((c) => c.subject?.kind === 'section');
  const sectionAcks = writes.filter((a): a is Ack & { op: 'section' } => a.op === 'section');
  const sectionBody = new Map<string, string>();
  for (const c of sectionChanges) {
    const heading = c.subject?.kind === 'section' ? c.subject.heading : '';
    const matches = sectionAcks.filter((a) => a.batch === model.batchOf.get(c.id) && a.actor.id === c.actor.id && a.heading === heading);
    if (matches.length !== 1) fail(model, `section change ${c.id} (${c.actor.name}, ${heading}, batch ${model.batchOf.get(c.id)}) matches ${matches.length} acknowledged writes`);
    sectionBody.set(c.id, (matches[0] as Ack & { op: 'section' }).body);
    changeIds.add(c.id);
  }
  if (sectionChanges.length !== sectionAcks.length) fail(model, `${sectionAcks.length} section writes acknowledged, ${sectionChanges.length} in the log`);
  const unacknowledged = log.filter((c) => !changeIds.has(c.id));
  if (unacknowledged.length > 0) fail(model, `changes in the log that no reply acknowledged: ${unacknowledged.map((c) => `${c.actor.name} ${c.description}`).join('; ')}`);
  for (const c of log) {
    const u = undone.get(c.id);
    if (u && !c.undoneAt) fail(model, `change ${c.id} (${c.description}) was acknowledged as undone but is not marked undone`);
    if (!u && c.undoneAt) fail(model, `change ${c.id} (${c.description}) is marked undone but no undo of it was acknowledged`);
    if (u && u.actor.id !== c.actor.id) fail(model, `${u.actor.name} undid ${c.actor.name}'s change ${c.id}`);
  }
  for (const id of undone.keys()) if (!byId.has(id)) fail(model, `an undo acknowledged undoing ${id}, which is not in the log`);

  // 1. Every live acknowledged wording is the decision's text or in its revisions.
  for (const a of model.acks) {
    if ((a.op !== 'record' && a.op !== 'edit') || !live(a)) continue;
    const d = decisions.get(a.n);
    if (!d) fail(model, `Decision ${a.n} (acknowledged ${a.op} ${JSON.stringify(a.wording)} by ${a.actor.name}) is missing`);
    if (d.text !== a.wording && !d.revisions.some((r) => r.text === a.wording)) {
      fail(model, `Decision ${a.n} lost acknowledged ${a.op} wording ${JSON.stringify(a.wording)} by ${a.actor.name}: text ${JSON.stringify(d.text)}, revisions ${JSON.stringify(d.revisions.map((r) => r.text))}`);
    }
    if (a.op === 'record' && d.author.id !== a.actor.id) fail(model, `Decision ${a.n} was recorded by ${a.actor.name} but is now ${d.author.name}'s`);
  }

  // 2. Superseded decisions point at the decision named when acknowledged, never a reused number;
  //    and (with withdraw) every status is the one the live acknowledgements say.
  for (const d of snap.decisions) {
    const marks = model.acks.filter((a): a is Ack & { op: 'withdraw' | 'supersede' } => (a.op === 'withdraw' || a.op === 'supersede') && a.n === d.number && live(a));
    if (marks.length > 1) fail(model, `Decision ${d.number} has ${marks.length} live status changes acknowledged`);
    const mark = marks[0];
    const expected = mark === undefined ? 'active' : mark.op === 'withdraw' ? 'withdrawn' : 'superseded';
    if (d.status !== expected) fail(model, `Decision ${d.number} is ${d.status}; the acknowledged changes say ${expected}`);
    if (mark?.op === 'supersede') {
      if (d.supersededBy !== mark.by) fail(model, `Decision ${d.number} is superseded by ${d.supersededBy}, acknowledged as superseded by ${mark.by}`);
      const by = decisions.get(mark.by);
      if (!by) fail(model, `Decision ${d.number} is superseded by Decision ${mark.by}, which is gone`);
      if (mark.byIdentity !== null && identity(by) !== mark.byIdentity) {
        fail(model, `Decision ${mark.by}, which supersedes Decision ${d.number}, is not the decision it was when acknowledged (${mark.byIdentity} → ${identity(by)})`);
      }
    }
    if (mark?.op === 'withdraw' && d.statusReason !== mark.reason) fail(model, `Decision ${d.number} has reason ${JSON.stringify(d.statusReason)}, acknowledged ${JSON.stringify(mark.reason)}`);
    if (d.status !== 'superseded' && d.supersededBy !== null) fail(model, `Decision ${d.number} is ${d.status} but points at ${d.supersededBy}`);
  }

  // 3. Decision numbers run from 0 with no gap and no repeat.
  const numbers = snap.decisions.map((d) => d.number).sort((x, y) => x - y);
  if (!numbers.every((n, i) => n === i)) fail(model, `decision numbers are ${JSON.stringify(numbers)}`);

  // Live acknowledged evidence is there, under its decision, with its label and wording.
  for (const a of model.acks) {
    if (a.op !== 'evidence' || !live(a)) continue;
    const e = snap.evidence.filter((x) => x.decision === a.n && `${x.decision}${x.letter ?? ''}` === a.label);
    if (e.length !== 1 || e[0]?.text !== a.wording) fail(model, `Evidence ${a.label} (${JSON.stringify(a.wording)} by ${a.actor.name}) is ${JSON.stringify(e.map((x) => x.text))}`);
  }

  // 4. Export, import and export again gives the same document and the same decisions.
  const markdown = renderCaseMarkdown(snap);
  let again: CaseSnapshot;
  try {
    again = importCase(markdown, { id: 'reimported', place, now: new Date('2026-11-27T10:00:00Z'), newId: sequentialIds('import') }).snapshot;
  } catch (err) {
    return fail(model, `the exported Markdown does not import: ${(err as Error).message}\n${markdown}`);
  }
  const markdownAgain = renderCaseMarkdown(again);
  if (markdownAgain !== markdown) fail(model, `the Markdown round trip changed the document:\n--- exported\n${markdown}\n--- after import\n${markdownAgain}`);
  const summary = (ds: Decision[]): string => JSON.stringify(ds.map((d) => [d.number, d.text, d.status, d.supersededBy, d.statusReason]));
  if (summary(again.decisions) !== summary(snap.decisions)) fail(model, `re-imported decisions differ:\n${summary(snap.decisions)}\n${summary(again.decisions)}`);

  // 5. Each section holds the last live acknowledged write to it (in commit order), or its template text.
  const original = new Map(templateSections('prototype').map((s) => [s.heading, s.body]));
  for (const heading of HEADINGS) {
    const lastLive = sectionChanges.filter((c) => c.subject?.kind === 'section' && c.subject.heading === heading && !c.undoneAt).at(-1);
    const expected = lastLive === undefined ? original.get(heading) : sectionBody.get(lastLive.id);
    const section = snap.case.layout.sections.find((s) => s.heading === heading);
    if (section?.body !== expected) fail(model, `the ${heading} section reads ${JSON.stringify(section?.body)}, expected ${JSON.stringify(expected)}`);
  }

  model.decisionCount = snap.decisions.length;
}

// ---------------------------------------------------------------------------------------

async function runScript(batches: Batch[]): Promise<void> {
  const t = tempDir('interleavings-');
  const file = path.join(t.dir, 'decisions.sqlite');
  const stores = [openSqliteStore(file), openSqliteStore(file)];
  const reader = openSqliteStore(file);
  const clock = tickingClock('2026-11-26T10:00:00Z');
  const services: CaseService[] = stores.map((store, i) => createCaseService({
    store, clock, newId: sequentialIds(`s${i}`), pause: async () => undefined,
  }));
  const model: Model = { acks: [], batchOf: new Map(), decisionCount: 0, transcript: [] };
  const caseId = async (): Promise<string | null> => (await reader.findCase(place))?.id ?? null;
  try {
    for (const [b, { cmds, firstVia }] of batches.entries()) {
      const count = model.decisionCount;
      const lines: string[] = [];
      await Promise.all(cmds.map(async (c, i) => {
        const via = (firstVia + i) % 2;
        const typed = commandText(c, count);
        const actor = PEOPLE[c.who] as Actor;
        const reply = await (services[via] as CaseService).run({ place, actor }, typed);
        stats.push(`${c.op}:${reply.kind}${reply.kind === 'error' ? `:${reply.message.replace(/\d+/g, 'N').slice(0, 70)}` : ''}`);
        lines[i] = `${b}: [${via}] ${actor.name}: ${JSON.stringify(typed)} => ${reply.kind}: ${reply.summary}`;
        await acknowledge(model, b, c, typed, reply, reader, caseId);
      }));
      model.transcript.push(...lines);
      await check(model, reader, b);
    }
  } finally {
    for (const s of [...stores, reader]) await s.close();
    t.cleanup();
  }
}

const stats: string[] = [];
afterAll(() => {
  if (process.env.INTERLEAVINGS_STATS === undefined) return;
  const counts = new Map<string, number>();
  for (const s of stats) counts.set(s, (counts.get(s) ?? 0) + 1);
  console.log([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v}\t${k}`).join('\n'));
});

describe('commands racing through two services on one SQLite file', () => {
  it('keep every acknowledged change, number decisions densely and export what they hold', async () => {
    await fc.assert(fc.asyncProperty(script, runScript), {
      numRuns: RUNS,
      ...(SEED === undefined ? {} : { seed: SEED }),
      // Shrinking replays whole scripts; keep it bounded so a failure reports in time.
      interruptAfterTimeLimit: 120_000,
      markInterruptAsFailure: false,
    });
  }, 180_000);
});
