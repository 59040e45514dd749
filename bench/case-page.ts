/**
 * Case page benchmark: a case of 2,000 decisions and about 6,000 pieces of evidence over
 * 100 sprints in four phases, with points of the Service Standard, in a SQLite file written
 * through our store. Times, median of 7 after a warm-up, interleaved so drift hits both alike:
 * - baseline: the case page without the timeline (the store's snapshot, then the page);
 * - ours: the same page with the timeline (its SVG picture and its table) as served.
 * Also, reported only: the assessment pack's page of one phase, against the same baseline.
 *
 * Prints a JSON array of figures on stdout. Run: node dist/bench/case-page.js (after a build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newCase } from '../src/core/cases';
import { assessmentOf } from '../src/core/assessment';
import { caseDocumentView } from '../src/core/document-view';
import { buildTimeline } from '../src/core/timeline';
import { letterFor } from '../src/core/letters';
import type { CaseSnapshot, Decision, Evidence, PhaseKind, Place, Sprint } from '../src/core/model';
import { openSqliteStore } from '../src/store/sqlite';
import { renderCasePage } from '../src/server/pages/render-case';
import { renderAssessmentPage } from '../src/server/pages/render-assessment';
import { atMost, entry, median, reportOnly } from './common';
import type { Entry } from './common';

export const SPRINTS = 100;
export const DECISIONS = 2_000;
const RUNS = 7;
const TARGET = 3;
const NOW = new Date('2026-11-26T15:00:00.000Z');
const DAY = 86_400_000;
const PLACE: Place = { platform: 'slack', workspace: 'T0BENCH', channel: 'C0PAGE' };
const PEOPLE = [{ id: 'U0ANA', name: 'ana' }, { id: 'U0BEN', name: 'ben' }, { id: 'U0CAT', name: 'cat' }];
/** Discovery, Alpha, Beta and Live start at these sprints. */
const PHASES: Array<[number, PhaseKind]> = [[0, 'discovery'], [10, 'alpha'], [40, 'beta'], [80, 'live']];

const iso = (ms: number) => new Date(ms).toISOString();

export function generateCase(): CaseSnapshot {
  const first = NOW.getTime() - SPRINTS * 14 * DAY;
  const c = { ...newCase({ id: 'case-bench-page', place: PLACE, now: iso(first), title: 'Apply for a fishing licence' }) };
  const sprints: Sprint[] = Array.from({ length: SPRINTS }, (_, s) => {
    const phase = PHASES.find(([at]) => at === s);
    return { number: s, suffix: '', intro: '', startsOn: iso(first + s * 14 * DAY).slice(0, 10), ...(phase ? { phase: { kind: phase[1], name: null } } : {}) };
  });
  const decisions: Decision[] = [];
  const evidence: Evidence[] = [];
  for (let i = 0; i < DECISIONS; i += 1) {
    const sprint = Math.floor(i / (DECISIONS / SPRINTS));
    const at = iso(first + sprint * 14 * DAY + (i % 20) * 3_600_000);
    const author = PEOPLE[i % PEOPLE.length] ?? { id: 'U0X', name: 'x' };
    const withdrawn = i % 25 === 24;
    const superseded = !withdrawn && i % 40 === 17;
    decisions.push({
      number: i, sprint, text: `We will ${i % 2 === 0 ? 'put **definitions** inline' : 'drop the [paper form](https://example.org/form)'} for journey ${i} (${Math.max(0, i - 3)}a)`,
      author, createdAt: at, updatedAt: at, status: withdrawn ? 'withdrawn' : superseded ? 'superseded' : 'active',
      statusReason: withdrawn ? 'Research showed nobody needed it' : null, supersededBy: superseded ? i + 1 : null,
      sourceUrl: null, revisions: [], deciders: i % 7 === 0 ? ['Ana Smith'] : [], points: i % 3 === 0 ? [1 + (i % 14)] : [],
    });
    for (let k = 0; k < i % 5 + 1; k += 1) {
      evidence.push({
        id: `ev-${i}-${k}`, decision: i, letter: letterFor(k), refersTo: null, position: k,
        text: `Four of six participants in round ${sprint} said the form was too long (session ${i}.${k})`,
        author, createdAt: at, sourceUrl: null, points: k === 0 && i % 5 === 0 ? [5] : [],
      });
    }
  }
  return { case: c, sprints, decisions, evidence };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-page-'));
  try {
    const generated = generateCase();
    const store = openSqliteStore(path.join(dir, 'decisions.sqlite'));
    try {
      await store.putSnapshot(generated, { replace: false });
      const id = generated.case.id;
      const links = { stylesheetHref: '/assets/case.css', markdownHref: `/cases/${id}.md?token=t`, assessmentHref: `/cases/${id}/assessment?token=t` };
      const read = async (): Promise<CaseSnapshot> => {
        const s = await store.snapshot(id);
        if (!s) throw new Error('no snapshot');
        return s;
      };
      const page = async (timeline: boolean): Promise<string> => {
        const snapshot = await read();
        return renderCasePage(caseDocumentView(snapshot), timeline ? buildTimeline(snapshot) : null, links);
      };
      const pack = async (): Promise<string> => {
        const view = assessmentOf(await read(), 'beta', NOW);
        if ('problem' in view) throw new Error(view.problem);
        return renderAssessmentPage(view, { stylesheetHref: '/assets/case.css', caseHref: '/cases/x', markdownHref: '/cases/x/assessment.md' });
      };
      const timed = async (fn: () => Promise<string>): Promise<{ ms: number; bytes: number }> => {
        const t0 = performance.now();
        const html = await fn();
        return { ms: performance.now() - t0, bytes: html.length };
      };
      // Warm-up: markdown-it and sanitize-html load with the first page, and the JIT settles.
      const without0 = await timed(() => page(false));
      const with0 = await timed(() => page(true));
      await timed(pack);
      if (!(await page(true)).includes('<svg class="timeline-svg"')) throw new Error('the page has no timeline');
      const times = { without: [] as number[], with: [] as number[], pack: [] as number[] };
      for (let r = 0; r < RUNS; r += 1) {
        times.without.push((await timed(() => page(false))).ms);
        times.with.push((await timed(() => page(true))).ms);
        times.pack.push((await timed(pack)).ms);
      }
      const base = median(times.without);
      const note = `${DECISIONS} decisions, ${generated.evidence.length} evidence, ${SPRINTS} sprints in 4 phases; the store's snapshot and the page, against the same page without the timeline; median of ${RUNS} after a warm-up`;
      const entries: Entry[] = [
        entry('case_page.with_timeline_ms', median(times.with), base, atMost(TARGET), { unit: 'ms', note: `the case page with the timeline (${with0.bytes.toLocaleString('en-GB')} characters, ${(with0.bytes - without0.bytes).toLocaleString('en-GB')} of them the timeline); ${note}` }),
        entry('case_page.assessment_page_ms', median(times.pack), base, reportOnly, { unit: 'ms', note: `the Beta assessment pack's page (the view built in core, and its page); ${note}` }),
      ];
      process.stderr.write(`case page: without ${times.without.map((t) => t.toFixed(1)).join(' ')} | with ${times.with.map((t) => t.toFixed(1)).join(' ')} | assessment ${times.pack.map((t) => t.toFixed(1)).join(' ')} ms\n`);
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    } finally {
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
