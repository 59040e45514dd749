/**
 * A folder of ADRs as one case: one decision per ADR, numbered as the ADRs are (gaps and
 * duplicates said, a duplicate given the next free number), their statuses and the links
 * between them ("Superseded by [5. …](0005-….md)", "Supersedes …") read once the whole folder
 * is known, and sprints by the ADRs' dates, or one "Imported" sprint for those without one.
 * An ADR whose preamble says a phase starts ("_Phase: Alpha_") starts it at its sprint. The
 * folder's own page (a README that is no ADR), when there is one, is the case's title and
 * sections.
 */
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { letterFor } from './letters';
import { adrUnits, readAdr, type AdrLink, type AdrRead } from './markdown/adr';
import { IMPORTED_SPRINT } from './markdown/log';
import type { ParsedCase, ParsedDecision, ParsedEvidence } from './markdown';
import { captureSourceForm } from './markdown/source-form';
import type { AdrRecord, AdrStatusMeant, DocumentLayout, Sprint, SprintForm } from './model';
import { phaseLabel } from './phases';
import { daysBetween, plusDays, sprintHeading } from './sprints';

export interface AdrFolderInput {
  adrs: AdrRead[];
  /** The folder's own page, read as a case document, with no decisions of its own. */
  index: { path: string; parsed: ParsedCase } | null;
  /** Days in one sprint: ADRs are put in sprints of this length, from the earliest ADR's date. */
  sprintDays: number;
}

/** What one ADR became: for the import report. */
export interface AdrOutcome {
  path: string;
  decision: number;
  status: string;
  evidence: number;
}

export interface AdrFolderRead {
  parsed: ParsedCase;
  outcomes: AdrOutcome[];
}

interface Placed {
  adr: AdrRead;
  number: number;
}

/** Numbers as the ADRs give them; duplicates and unnumbered ones after the last, each said. */
function numberAdrs(adrs: AdrRead[], notes: string[]): Placed[] {
  const own = (a: AdrRead): number | null => a.fileNumber ?? a.titleNumber;
  const sorted = [...adrs].sort((a, b) => (own(a) ?? Infinity) - (own(b) ?? Infinity) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const used = new Map<number, AdrRead>();
  const later: Array<{ adr: AdrRead; like: AdrRead | null }> = [];
  for (const a of sorted) {
    const n = own(a);
    if (a.fileNumber !== null && a.titleNumber !== null && a.fileNumber !== a.titleNumber) {
      notes.push(`${a.path} is numbered ${a.fileNumber} in its file name and ${a.titleNumber} in its title; it is Decision ${a.fileNumber}.`);
    }
    if (n === null) later.push({ adr: a, like: null });
    else if (used.has(n)) later.push({ adr: a, like: used.get(n) ?? null });
    else used.set(n, a);
  }
  const numbers = [...used.keys()].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let i = 1; i < numbers.length; i++) {
    for (let n = (numbers[i - 1] ?? 0) + 1; n < (numbers[i] ?? 0) && missing.length <= 10; n++) missing.push(n);
  }
  if (missing.length > 0) {
    const list = missing.length > 10 ? `${missing.slice(0, 10).join(', ')} and more` : missing.join(', ');
    notes.push(`No ADR is numbered ${list}: the gaps are kept, so every ADR keeps its own number.`);
  }
  let next = (numbers[numbers.length - 1] ?? 0) + 1;
  const placed: Placed[] = [...used.entries()].map(([number, adr]) => ({ adr, number }));
  for (const { adr, like } of later) {
    placed.push({ adr, number: next });
    notes.push(like
      ? `${adr.path} has the number ${own(adr) ?? ''}, like ${like.path}: both files stay as they are, and it is Decision ${next} in this case.`
      : `${adr.path} has no number; it is Decision ${next} in this case.`);
    next += 1;
  }
  return placed.sort((a, b) => a.number - b.number);
}

/** A link's ADR: the file it points at, else one named the same in another folder, else its number when that is an ADR here. */
function resolver(placed: Placed[]): (link: AdrLink) => number | null {
  const byPath = new Map(placed.map((p) => [p.adr.path, p.number]));
  const byName = new Map<string, number | null>();
  for (const p of placed) {
    const name = p.adr.path.split('/').pop() ?? '';
    byName.set(name, byName.has(name) ? null : p.number);
  }
  const numbers = new Set(placed.map((p) => p.number));
  return (link) => {
    if (link.path !== null) {
      const exact = byPath.get(link.path);
      if (exact !== undefined) return exact;
      const named = byName.get(link.path.split('/').pop() ?? '');
      if (named !== undefined && named !== null) return named;
    }
    return link.number !== null && numbers.has(link.number) ? link.number : null;
  };
}

/** Each ADR's status in the case's terms, "Supersedes" links applied to the ADRs they name. */
function statuses(placed: Placed[], notes: string[]): Map<number, AdrStatusMeant> {
  const resolve = resolver(placed);
  const out = new Map<number, AdrStatusMeant>();
  const own = new Map<number, string>();
  for (const { adr, number } of placed) {
    const s = adr.status;
    own.set(number, s?.meaning ?? 'none');
    if (s === null) {
      out.set(number, { status: 'active', statusReason: null, supersededBy: null });
      notes.push(`${adr.path} has no status; it is read as accepted.`);
    } else if (s.meaning === 'withdrawn' || s.meaning === 'rejected') {
      out.set(number, { status: s.meaning, statusReason: s.reason, supersededBy: null });
    } else if (s.meaning === 'superseded') {
      out.set(number, { status: 'superseded', statusReason: null, supersededBy: s.supersededBy === null ? null : resolve(s.supersededBy) });
    } else if (s.meaning === 'proposed') {
      // proposed: see issue 22 (the case's proposed decisions; the ADR's own word stays in its file)
      out.set(number, { status: 'proposed', statusReason: null, supersededBy: null });
    } else {
      out.set(number, { status: 'active', statusReason: null, supersededBy: null });
      if (s.meaning === 'unknown') notes.push(`${adr.path} has the status “${s.line.slice(0, 60)}”, which is not one the importer knows; it is read as accepted.`);
    }
  }
  // "Supersedes 2" in ADR 5: ADR 2 was superseded by 5, unless its own status says otherwise.
  for (const { adr, number } of placed) {
    for (const link of adr.status?.supersedes ?? []) {
      const target = resolve(link);
      if (target === null || target === number) continue;
      if (['active', 'proposed', 'unknown', 'none'].includes(own.get(target) ?? '')) {
        out.set(target, { status: 'superseded', statusReason: null, supersededBy: number });
      }
    }
  }
  return out;
}

/** Sprints of `days` from the earliest ADR date, numbered from 1 in date order (only those holding an ADR); 0 is "Imported". */
function sprintsByDate(placed: Placed[], days: number): { sprints: Sprint[]; forms: Record<string, SprintForm>; sprintOf: Map<number, number> } {
  const dated = placed.filter((p) => p.adr.date !== null);
  const dates = dated.map((p) => p.adr.date as string).sort();
  const anchor = dates[0];
  const windows = [...new Set(dated.map((p) => Math.floor(daysBetween(anchor as string, p.adr.date as string) / days)))].sort((a, b) => a - b);
  const numberOf = new Map(windows.map((w, i) => [w, i + 1]));
  const sprints: Sprint[] = [];
  const forms: Record<string, SprintForm> = {};
  const sprintOf = new Map<number, number>();
  if (dated.length < placed.length) {
    sprints.push({ number: 0, suffix: '', intro: '', startsOn: null });
    forms['0'] = { name: IMPORTED_SPRINT, heading: null, level: 0 };
  }
  for (const w of windows) {
    const startsOn = plusDays(anchor as string, w * days);
    sprints.push({ number: numberOf.get(w) ?? 0, suffix: ` (from ${format(parseISO(startsOn), 'd MMM yyyy')})`, intro: '', startsOn });
  }
  for (const p of placed) {
    sprintOf.set(p.number, p.adr.date === null ? 0 : numberOf.get(Math.floor(daysBetween(anchor as string, p.adr.date) / days)) ?? 0);
  }
  return { sprints, forms, sprintOf };
}

/**
 * Each phase an ADR says starts with it starts at the ADR's sprint, the lowest numbered ADR
 * first; another for the same sprint stays text of its ADR's preamble, and is said. Returns
 * the decisions whose ADR starts a phase.
 */
function placePhases(placed: Placed[], sprints: Sprint[], forms: Record<string, SprintForm>, sprintOf: Map<number, number>, notes: string[]): Set<number> {
  const byNumber = new Map(sprints.map((s) => [s.number, s]));
  const saidBy = new Map<number, string>();
  const carriers = new Set<number>();
  for (const p of placed) {
    const phase = p.adr.phase;
    const sprint = byNumber.get(sprintOf.get(p.number) ?? 0);
    if (phase === null || !sprint) continue;
    const first = saidBy.get(sprint.number);
    if (first === undefined) {
      sprint.phase = phase;
      saidBy.set(sprint.number, p.adr.path);
      carriers.add(p.number);
      continue;
    }
    notes.push(`${p.adr.path} says ${phaseLabel(phase)} starts with it, but ${first} says ${phaseLabel(sprint.phase as NonNullable<Sprint['phase']>)} starts in the same sprint (${sprintHeading(sprint, forms)}); its line is kept as text.`);
    p.adr = readAdr(p.adr.path, p.adr.markdown, false) ?? p.adr;
  }
  return carriers;
}

export function readAdrFolder(input: AdrFolderInput): AdrFolderRead {
  const notes: string[] = [];
  const placed = numberAdrs(input.adrs, notes);
  const meant = statuses(placed, notes);
  const { sprints, forms, sprintOf } = sprintsByDate(placed, input.sprintDays);
  const carriers = placePhases(placed, sprints, forms, sprintOf, notes);
  const titles = new Map(placed.map((p) => [p.number, { path: p.adr.path, title: p.adr.title }]));
  const decisions: ParsedDecision[] = [];
  const evidence: ParsedEvidence[] = [];
  const records: AdrRecord[] = [];
  const outcomes: AdrOutcome[] = [];
  for (const { adr, number } of placed) {
    const status = meant.get(number) ?? { status: 'active', statusReason: null, supersededBy: null };
    const text = adr.decisionBody === '' ? adr.title : `${adr.title}\n\n${adr.decisionBody}`;
    decisions.push({ number, sprint: sprintOf.get(number) ?? 0, text, ...status, sourceUrl: adr.sourceUrl, deciders: adr.record.deciders.meant, points: adr.points });
    const items = adr.evidence;
    items.forEach((e, position) => evidence.push({ decision: number, letter: letterFor(position), refersTo: null, position, text: e.text, sourceUrl: e.sourceUrl, points: e.points }));
    const replaced = status.supersededBy === null ? null : titles.get(status.supersededBy);
    const starts = carriers.has(number);
    const record = { ...adr.record, decision: number, meant: status, ...(starts ? { startsPhase: true } : {}) };
    const units = adrUnits({
      record, text, sourceUrl: adr.sourceUrl, points: adr.points, status, evidence: items, deciders: adr.record.deciders.meant, phase: starts ? adr.phase : null,
      replacedBy: status.supersededBy === null ? null : { number: status.supersededBy, path: replaced?.path ?? null, title: replaced?.title ?? '' },
    });
    records.push({ ...record, source: captureSourceForm(adr.markdown, adr.spans, units) });
    outcomes.push({ path: adr.path, decision: number, status: describeStatus(status), evidence: items.length });
  }
  const index = input.index;
  const base: DocumentLayout = index
    ? { ...index.parsed.layout, decisionsAt: index.parsed.layout.sections.length }
    : { preamble: '', sections: [], decisionsAt: 0, decisionsHeading: null, sprintLevel: 3, decisionStyle: 'heading' };
  const layout: DocumentLayout = {
    ...base,
    // The whole case as one document (a single export, publishing) lists the ADRs under this heading.
    decisionsHeading: { level: 2, text: 'Architecture decisions', intro: '' },
    sprintLevel: 3,
    decisionStyle: 'heading',
    log: null,
    sprintForms: forms,
    source: null,
    adr: { index: index ? { path: index.path, source: index.parsed.layout.source ?? null } : null, records },
  };
  return {
    parsed: {
      title: index?.parsed.title ?? null, layout, sprints, decisions, evidence,
      warnings: index?.parsed.warnings ?? [], recognised: 'adr', notes, decisionsMentioned: null,
    },
    outcomes,
  };
}

function describeStatus(s: AdrStatusMeant): string {
  if (s.status === 'superseded') return s.supersededBy === null ? 'superseded' : `superseded by Decision ${s.supersededBy}`;
  return s.status === 'active' ? 'accepted' : s.status;
}
