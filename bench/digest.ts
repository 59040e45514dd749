/**
 * Digest benchmark: one case of 10,000 decisions and 30,000 evidence items over 200 weekly
 * sprints, in a SQLite file written through our store. Times, median of 5 after a warm-up,
 * interleaved so drift hits all three alike:
 * - baseline: reading the same rows with better-sqlite3 alone (the case row, then every
 *   sprint, decision and evidence row of the case, with the store's own queries);
 * - `digest`: the `digest` command through the case service (store snapshot, changes,
 *   building the digest) and rendering its reply as Slack Block Kit;
 * - `export`: the `export` command through the case service (store snapshot, the whole
 *   case rendered as Markdown).
 *
 * Prints a JSON array of figures on stdout. Run: node dist/bench/digest.js (after a build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { newCase } from '../src/core/cases';
import { letterFor } from '../src/core/letters';
import type { CaseSnapshot, Decision, Evidence, Place, Sprint } from '../src/core/model';
import { createCaseService } from '../src/core/service';
import type { CommandContext } from '../src/core/service';
import { openSqliteStore } from '../src/store/sqlite';
import { renderReply } from '../adapters/slack/render/blocks';
import { atMost, entry, median } from './common';
import type { Entry } from './common';

export const SPRINTS = 200;
export const DECISIONS = 10_000;
/** Evidence per decision, by decision number mod 4: 0 + 3 + 4 + 5 = 12 per 4 decisions, 30,000 in all. */
const EVIDENCE_PER = [0, 3, 4, 5];
const RUNS = 5;
const TARGET = 3;

/** Thursday of the last sprint's week, 15:00 in London: the digest preview covers Monday 09:00 until now. */
const NOW = new Date('2026-11-26T15:00:00.000Z');
const LAST_SPRINT_STARTS = Date.parse('2026-11-23T00:00:00.000Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

const PEOPLE = [{ id: 'U0ANA', name: 'ana' }, { id: 'U0BEN', name: 'ben' }, { id: 'U0CAT', name: 'cat' }, { id: 'U0DEV', name: 'dev' }];
const PLACE: Place = { platform: 'slack', workspace: 'T0BENCH', channel: 'C0DIGEST' };

const iso = (ms: number) => new Date(ms).toISOString();
const dateOf = (ms: number) => iso(ms).slice(0, 10);

function paragraph(k: number): string {
  // Citations point at decisions 0 to 999 (one to three digits) and their evidence; one in ten names nothing.
  const d = (k * 37) % 1000;
  const cites = k % 10 === 9 ? `(${d}z)` : `(${d - (d % 4) + 1}a, ${d})`;
  return `Finding ${k}: people repeated themselves at step ${k % 7} of the journey, so we tried a shorter form ${cites}. ` +
    `The **next round** tests it with [research participants](https://example.org/research/${k}) in ${k % 3 === 0 ? 'Leeds' : 'Bristol'}.`;
}

/** The generated case: a prototype template with written sections, citations and gaps. */
export function generateCase(): CaseSnapshot {
  const made = newCase({ id: 'case-bench-digest', place: PLACE, now: iso(LAST_SPRINT_STARTS - (SPRINTS - 1) * 7 * DAY), title: 'Apply for a fishing licence' });
  const sections = made.layout.sections.map((s) => {
    if (s.heading === 'Strategic Context') return { ...s, body: Array.from({ length: 60 }, (_, k) => paragraph(k)).join('\n\n') };
    if (s.heading === 'Strategic Objectives') return { ...s, body: Array.from({ length: 20 }, (_, k) => `- Objective ${k}: ${paragraph(100 + k)}`).join('\n') };
    if (s.heading === 'Critical Success Factors') return { ...s, body: Array.from({ length: 20 }, (_, k) => paragraph(200 + k)).join('\n\n') };
    return s; // Benefits and Options stay "To be written."
  });
  const c = { ...made, sprintLength: { count: 1, unit: 'weeks' as const }, layout: { ...made.layout, sections } };

  const sprints: Sprint[] = [];
  for (let s = 0; s < SPRINTS; s += 1) {
    const starts = LAST_SPRINT_STARTS - (SPRINTS - 1 - s) * 7 * DAY;
    sprints.push({ number: s, suffix: s % 10 === 0 ? `: Phase ${s / 10}` : '', intro: s % 25 === 0 ? `Sprint ${s} opened with a show and tell.` : '', startsOn: dateOf(starts) });
  }

  const perSprint = DECISIONS / SPRINTS;
  const decisions: Decision[] = [];
  const evidence: Evidence[] = [];
  for (let i = 0; i < DECISIONS; i += 1) {
    const sprint = Math.floor(i / perSprint);
    // Monday 08:00 UTC, then one every 90 minutes: the last sprint's fall on Monday to Thursday morning.
    const created = LAST_SPRINT_STARTS - (SPRINTS - 1 - sprint) * 7 * DAY + 8 * HOUR + (i % perSprint) * 1.5 * HOUR;
    const author = PEOPLE[i % PEOPLE.length] ?? { id: 'U0X', name: 'x' };
    const withdrawn = i % 25 === 24;
    const superseded = !withdrawn && i % 40 === 17 && i + 1 < DECISIONS;
    decisions.push({
      number: i, sprint,
      text: `We will ${i % 3 === 0 ? 'put definitions inline' : i % 3 === 1 ? 'drop the paper form' : 'publish the service standard report'} for journey ${i} (round ${sprint})`,
      author, createdAt: iso(created), updatedAt: iso(created + (i % 10 === 3 ? DAY : 0)),
      status: withdrawn ? 'withdrawn' : superseded ? 'superseded' : 'active',
      statusReason: withdrawn ? 'Research showed nobody needed it' : null,
      supersededBy: superseded ? i + 1 : null,
      sourceUrl: i % 5 === 0 ? `https://example.slack.com/archives/C0DIGEST/p${1700000000000 + i}` : null,
      revisions: i % 10 === 3 ? [{ text: `We might ${i}`, editedBy: author, editedAt: iso(created + DAY) }] : [],
      deciders: [],
      points: [],
    });
    const count = EVIDENCE_PER[i % 4] ?? 0;
    for (let k = 0; k < count; k += 1) {
      // A few point back at earlier evidence ("Evidence 1a: see above") instead of having a letter.
      const backReference = k === count - 1 && i % 100 === 3 && i >= 2;
      evidence.push({
        id: `ev-${i}-${k}`, decision: i, letter: backReference ? null : letterFor(k), refersTo: backReference ? `${i - 2}a` : null, position: k,
        text: `${k === 0 ? 'Four of six' : k === 1 ? 'Two of five' : 'Most'} participants in round ${sprint} said ${i % 2 === 0 ? 'they did not understand the term' : 'the form was too long'} (session ${i}.${k})`,
        author: PEOPLE[(i + k) % PEOPLE.length] ?? author, createdAt: iso(created + (k + 1) * 10 * 60_000),
        sourceUrl: k === 2 ? `https://example.org/research/${i}/${k}` : null,
        points: [],
      });
    }
  }
  return { case: c, sprints, decisions, evidence };
}

function time<T>(fn: () => T): { ms: number; result: T } {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-digest-'));
  const file = path.join(dir, 'decisions.sqlite');
  try {
    const snapshot = generateCase();
    const store = openSqliteStore(file);
    const raw = new Database(file, { readonly: true });
    try {
      await store.putSnapshot(snapshot, { replace: false });
      const caseId = snapshot.case.id;
      const service = createCaseService({ store, clock: { now: () => NOW }, newId: randomUUID });
      const ctx: CommandContext = { place: PLACE, actor: PEOPLE[0] ?? { id: 'U0ANA', name: 'ana' } };

      // The baseline: the same rows, read with the same queries, with nothing else done to them.
      const q = {
        case: raw.prepare('SELECT * FROM cases WHERE id = ?'),
        sprints: raw.prepare('SELECT * FROM sprints WHERE case_id = ? ORDER BY number'),
        decisions: raw.prepare('SELECT * FROM decisions WHERE case_id = ? ORDER BY number'),
        evidence: raw.prepare('SELECT * FROM evidence WHERE case_id = ? ORDER BY decision, position'),
      };
      const readRaw = () => raw.transaction(() => {
        q.case.get(caseId);
        return q.sprints.all(caseId).length + q.decisions.all(caseId).length + q.evidence.all(caseId).length;
      }).deferred();
      const digest = async () => {
        const reply = await service.run(ctx, 'digest');
        if (reply.kind !== 'digest') throw new Error(`digest answered ${reply.kind}: ${reply.summary}`);
        return renderReply(reply);
      };
      const exportCase = async () => {
        const reply = await service.run(ctx, 'export');
        if (reply.kind !== 'export') throw new Error(`export answered ${reply.kind}: ${reply.summary}`);
        return reply.markdown;
      };

      const rows = readRaw();
      if (rows !== SPRINTS + DECISIONS + snapshot.evidence.length) throw new Error(`read ${rows} rows`);
      const warm = await digest();
      const markdown = await exportCase();
      const times = { raw: [] as number[], digest: [] as number[], export: [] as number[] };
      for (let r = 0; r < RUNS; r += 1) {
        times.raw.push(time(readRaw).ms);
        times.digest.push((await timeAsync(digest)).ms);
        times.export.push((await timeAsync(exportCase)).ms);
      }
      const base = median(times.raw);
      const note = `against ${rows} rows read with better-sqlite3 alone; ${DECISIONS} decisions, ${snapshot.evidence.length} evidence, ${SPRINTS} sprints; median of ${RUNS} after a warm-up`;
      const entries: Entry[] = [
        entry('digest.build_render_ms', median(times.digest), base, atMost(TARGET), { unit: 'ms', note: `the digest command (snapshot, build) and its Slack rendering (${warm.blocks.length} blocks); ${note}` }),
        entry('digest.export_markdown_ms', median(times.export), base, atMost(TARGET), { unit: 'ms', note: `the export command: snapshot and the whole case as Markdown (${markdown.length} characters); ${note}` }),
      ];
      process.stderr.write(`digest: raw ${times.raw.map((t) => t.toFixed(1)).join(' ')} | digest ${times.digest.map((t) => t.toFixed(1)).join(' ')} | export ${times.export.map((t) => t.toFixed(1)).join(' ')} ms\n`);
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    } finally {
      raw.close();
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
