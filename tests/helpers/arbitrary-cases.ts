/**
 * Whole cases for property tests: sprints with gaps, names of their own and intros; phases,
 * with or without a team's name (hostile ones too); decisions in every status, some in a
 * sprint the list lacks, with deciders, points, revisions and sources; evidence with letters
 * and back-references, some of it imported.
 */
import fc from 'fast-check';
import { newCase } from '../../src/core/cases';
import { IMPORTER } from '../../src/core/import';
import { letterFor } from '../../src/core/letters';
import type { CaseSnapshot, Decision, DecisionStatus, Evidence, PhaseKind, Place, Sprint, SprintPhase } from '../../src/core/model';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const NOW = '2026-11-26T10:00:00.000Z';

/** Phase names as a team might type them, and as an attacker would: one line each (chat and the import make them so). */
export const phaseName = fc.oneof(
  fc.constantFrom('Private beta', 'Public beta (invite only)', 'x)', '(y', 'a_b_', '_Phase: Alpha_', '## Sprint 9', 'Decision 3: no', '<script>alert(1)</script>', '<!channel> @here', '**bold** [x](javascript:alert(1))', '\\', ' ) _ '),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || ['\u2028', '\u2029', '\u0085'].includes(ch))),
).map((s) => s.trim()).filter((s) => s !== '');

export const phaseKind = fc.constantFrom<PhaseKind>('discovery', 'alpha', 'beta', 'live');
export const points = fc.uniqueArray(fc.integer({ min: 1, max: 14 }), { maxLength: 4 }).map((ps) => [...ps].sort((a, b) => a - b));

const phase: fc.Arbitrary<SprintPhase> = fc.record({ kind: phaseKind, name: fc.option(phaseName, { nil: null }) });
const TEXTS = ['We will publish weekly', 'Drop the **paper form** (0a, 3)', 'See [the notes](https://example.org/notes)', '<!channel> # not a heading', '- a list\n- of two', 'Line one\n\nLine two', '', '@here look'];
const text = fc.constantFrom(...TEXTS);
const STATUSES: DecisionStatus[] = ['active', 'active', 'proposed', 'rejected', 'withdrawn', 'superseded'];
const PEOPLE = [{ id: 'U1', name: 'Ana' }, { id: 'U2', name: 'Ben <@U1>' }, IMPORTER];
const SOURCES = [null, 'https://team.slack.com/archives/C1/p1', 'https://teams.microsoft.com/l/message/1', 'https://example.org/a', 'javascript:alert(1)'];

const sprintArb = fc.record({
  gap: fc.integer({ min: 1, max: 2 }),
  suffix: fc.constantFrom('', ': Alpha', ' (3 to 14 Feb)'),
  intro: fc.constantFrom('', 'What we looked at (1a).'),
  phase: fc.option(phase, { nil: null, freq: 3 }),
  named: fc.option(fc.constantFrom('Iteration', 'Beta'), { nil: null, freq: 4 }),
});

const decisionArb = fc.record({
  sprintPick: fc.nat(),
  /** Now and then a sprint the case's list lacks (the export still writes it). */
  stray: fc.boolean(),
  text,
  status: fc.constantFrom(...STATUSES),
  author: fc.constantFrom(...PEOPLE),
  deciders: fc.subarray(['Ana', 'Cy @channel']),
  points,
  revisions: fc.array(text, { maxLength: 2 }),
  source: fc.constantFrom(...SOURCES),
  evidence: fc.array(fc.record({ text, points, backRef: fc.option(fc.nat(), { nil: null, freq: 3 }), author: fc.constantFrom(...PEOPLE), source: fc.constantFrom(...SOURCES) }), { maxLength: 3 }),
});

type RawSprint = typeof sprintArb extends fc.Arbitrary<infer T> ? T : never;

function sprintsOf(raw: RawSprint[]): { sprints: Sprint[]; forms: Record<string, { name: string; heading: string | null; level: number }> } {
  let number = -1;
  const forms: Record<string, { name: string; heading: string | null; level: number }> = {};
  const sprints = raw.map((s): Sprint => {
    number += s.gap;
    if (s.named !== null) forms[String(number)] = { name: `${s.named} ${number}`, heading: `### ${s.named} ${number}`, level: 3 };
    return { number, suffix: s.suffix, intro: s.intro, startsOn: null, ...(s.phase ? { phase: s.phase } : {}) };
  });
  return { sprints, forms };
}

type RawDecision = typeof decisionArb extends fc.Arbitrary<infer T> ? T : never;

function decisionsOf(raw: RawDecision[], sprints: Sprint[]): { decisions: Decision[]; evidence: Evidence[] } {
  const last = sprints[sprints.length - 1]?.number ?? 0;
  // Sprint numbers never go down as decision numbers go up, as in a case kept in chat.
  const picks = raw.map((d) => (d.stray ? last + 1 + (d.sprintPick % 2) : sprints[d.sprintPick % Math.max(1, sprints.length)]?.number ?? 0)).sort((a, b) => a - b);
  const evidence: Evidence[] = [];
  const decisions = raw.map((d, n): Decision => {
    raw[n]?.evidence.forEach((e, k) => {
      const ref = e.backRef !== null && n > 0 ? `${e.backRef % n}a` : null;
      evidence.push({ id: `e-${n}-${k}`, decision: n, letter: ref === null ? letterFor(k) : null, refersTo: ref, position: k, text: e.text, author: e.author, createdAt: NOW, sourceUrl: e.source, points: e.points });
    });
    const superseded = d.status === 'superseded';
    return {
      number: n, sprint: picks[n] ?? 0, text: d.text, author: d.author, createdAt: NOW, updatedAt: NOW, status: d.status,
      statusReason: d.status === 'withdrawn' || d.status === 'rejected' ? 'Not now <!here>' : null,
      supersededBy: superseded && n + 1 < raw.length ? n + 1 : null, deciders: d.deciders, sourceUrl: d.source,
      revisions: d.revisions.map((t) => ({ text: t, editedBy: PEOPLE[0] as Decision['author'], editedAt: NOW })), points: d.points,
    };
  });
  return { decisions, evidence };
}

/** A case kept in chat or imported, with phases, points and every status. */
export const caseSnapshots: fc.Arbitrary<CaseSnapshot> = fc.record({
  sprints: fc.array(sprintArb, { maxLength: 8 }),
  decisions: fc.array(decisionArb, { maxLength: 10 }),
  heading: fc.boolean(),
  at: fc.nat(),
}).map(({ sprints: rawSprints, decisions: rawDecisions, heading, at }): CaseSnapshot => {
  const base = newCase({ id: 'case-arb', place, now: NOW, title: 'Apply for a fishing licence' });
  const { sprints, forms } = sprintsOf(rawSprints);
  const { decisions, evidence } = decisionsOf(rawDecisions, sprints);
  const layout = { ...base.layout, decisionsAt: at % (base.layout.sections.length + 1), sprintForms: Object.keys(forms).length > 0 ? forms : null };
  return {
    case: { ...base, layout: heading ? layout : { ...layout, decisionsHeading: null, sprintLevel: 2 } },
    sprints, decisions, evidence,
  };
});
