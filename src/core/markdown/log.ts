/**
 * Reads a decision log: decisions written as headings ("## Decision 4: Fix naming service
 * auth", "### Decision: Skill content loading approach") or as lines ("**Decision:** We
 * will …"), under headings that name a sprint or iteration in any words ("## Sprint M2-S5",
 * "## Iteration 3", "## Beta 1", or the title: "# Decisions Log — Sprint M2-S5: Naming"). A
 * decision's sub-sections are its evidence; "Evidence 4a: …" lines are too.
 *
 * Numbering: a decision keeps the number it is written with; one written without a number
 * takes the next one, and so does one numbered again from 1 (each sprint its own
 * "Decision 1"), its own number kept in the layout so export writes it as it was. A
 * sprint named other than "Sprint N" takes the next sprint number; chat shows its name.
 *
 * What comes before the first sprint or decision, and after the last, are the case's
 * sections; a heading between decisions that is none of these is kept as text, with a
 * warning, as in the other layouts.
 *
 * Phases and Service Standard points are the Sprint N layouts' lines: "_Phase: Alpha_" first
 * under a sprint's heading (or, for a sprint with no heading of its own, just before its
 * first decision), and "_Service Standard: 6 (…)_" as the last line of a decision's text (or
 * after who decided it, or its status) or of a piece of evidence. A points line with more of
 * the text after it is text.
 */
import type { DecisionLogLayout, LoggedDecision, Sprint, SprintForm } from '../model';
import { nextLetter } from '../letters';
import {
  closeOpenFence, readBoldDecisionLine, readDecidersLine, readEvidenceLine, readLogDecisionHeading, readPhaseLine, readSprintHeading, readSprintName,
  readStatusLine, splitSourceTail, unescapeUserText, type Heading,
} from './escape';
import { readSections, SECTION_MAX_LEVEL, type Line, type Problems, type SectionsRead } from './document-lines';
import { joinLines } from './lines';
import type { ParsedDecision, ParsedEvidence } from './parse';
import { readPointsLine } from '../service-standard';
import type { Span } from './source-form';
import { FIRST_UNNUMBERED, KEYS } from './units';

/** The name of the one sprint that holds decisions no sprint heading placed. */
export const IMPORTED_SPRINT = 'Imported';

export interface LogRead {
  top: SectionsRead;
  after: SectionsRead;
  sprints: Sprint[];
  decisions: ParsedDecision[];
  evidence: ParsedEvidence[];
  spans: Span[];
  log: DecisionLogLayout;
  sprintForms: Record<string, SprintForm>;
  /** The level new sprints are written at. */
  sprintLevel: number;
  notes: string[];
}

type Start =
  | { kind: 'decision'; style: 'heading'; level: number; label: number | null; title: string }
  | { kind: 'decision'; style: 'bold'; label: number | null; rest: string }
  | { kind: 'sprint'; level: number; text: string };

/**
 * A line that starts a decision, or a heading that names a sprint (at a section's level at
 * most), or null. A bare "Decision 4" heading is the Sprint N layout's (which reports it
 * where it is out of place), never a log's: a log's headings say "Decision 4: …".
 */
function startOf(line: Line): Start | null {
  if (line.fenced) return null;
  const h = line.heading;
  if (h) {
    const d = readLogDecisionHeading(h.text);
    if (d && !d.bare) return { kind: 'decision', style: 'heading', level: h.level, label: d.label, title: d.title };
    if (h.level <= SECTION_MAX_LEVEL && readSprintName(h.text)) return { kind: 'sprint', level: h.level, text: h.text };
    return null;
  }
  const b = readBoldDecisionLine(line.text);
  return b ? { kind: 'decision', style: 'bold', label: b.label, rest: b.rest } : null;
}

/** The document read as a decision log from line `from` on, or null when it holds no decision in these forms. */
export function readDecisionLog(lines: Line[], from: number, problems: Problems): LogRead | null {
  const starts = lines.map((l, i) => (i >= from ? startOf(l) : null));
  const firstDecision = starts.findIndex((s) => s?.kind === 'decision');
  if (firstDecision < 0) return null;
  const sprintStart = firstSprintOf(lines, starts, from, firstDecision);
  const headless = sprintStart === firstDecision;
  const partStart = headless ? phaseLineBefore(lines, from, firstDecision) ?? firstDecision : sprintStart;
  const top = readSections(lines, from, partStart, true, problems, 0, false);
  let lastStart = -1;
  starts.forEach((s, i) => { if (s) lastStart = i; });
  const reader = new LogReader(problems, lastStart);
  const titleLine = lines.slice(from, partStart).find((l) => l.text !== '');
  if (headless) {
    const named = top.title === null ? null : readSprintName(top.title);
    reader.startHeadless(named ? named.phrase : IMPORTED_SPRINT, named?.number ?? null, titleLine?.heading?.level === 1 && top.title !== null ? 1 : 0);
  }
  const end = reader.read(lines, partStart, starts);
  const after = readSections(lines, end, lines.length, false, problems, top.sections.length, false);
  return {
    top, after, sprints: reader.sprints, decisions: reader.decisions, evidence: reader.evidence, spans: reader.spans,
    log: reader.layout(), sprintForms: reader.forms, sprintLevel: reader.sprintLevel(), notes: reader.notes,
  };
}

/**
 * Where the decisions part starts: the earliest sprint heading before the first decision with
 * only deeper headings, and sprint headings no higher, between them; else the first decision. The
 * H1 that opens the document is its title, even when it names a sprint.
 */
function firstSprintOf(lines: Line[], starts: Array<Start | null>, from: number, firstDecision: number): number {
  const first = lines.slice(from, firstDecision).find((l) => l.text !== '');
  const title = first?.heading?.level === 1 ? first.no - 1 : -1;
  let at = firstDecision;
  let shallowest = Infinity;
  let sprintLevel = Infinity;
  for (let i = firstDecision - 1; i > Math.max(from - 1, title); i--) {
    const h = lines[i]?.heading;
    if (!h) continue;
    if (starts[i]?.kind === 'sprint') {
      // A sprint holds what follows it: no later sprint above it, no other heading at its level or above.
      if (h.level < shallowest && h.level <= sprintLevel) at = i;
      sprintLevel = Math.min(sprintLevel, h.level);
    } else shallowest = Math.min(shallowest, h.level);
  }
  return at;
}

/**
 * A sprint with no heading of its own starts its phase with a "_Phase: …_" paragraph just
 * before its first decision (after the title or the last section before it): that line's index.
 */
function phaseLineBefore(lines: Line[], from: number, firstDecision: number): number | null {
  let k = firstDecision - 1;
  while (k >= from && lines[k]?.text === '') k -= 1;
  const line = lines[k];
  if (k < from || !line || line.fenced || line.heading || readPhaseLine(line.text) === null) return null;
  const before = lines[k - 1];
  return k === from || before === undefined || before.text === '' || before.heading !== null ? k : null;
}

type Block =
  | { kind: 'intro'; sprint: Sprint; lines: string[] }
  | { kind: 'decision'; decision: ParsedDecision; title: string; lines: string[] }
  | { kind: 'status'; decision: ParsedDecision; title: string; lines: string[] }
  /** After the line naming who decided: only a status line or evidence follows. */
  | { kind: 'decided'; decision: ParsedDecision; title: string; lines: string[] }
  | { kind: 'evidence'; evidence: ParsedEvidence; level: number | null; lines: string[] };

interface OpenSprint {
  sprint: Sprint;
  /** Headings deeper than this under a "**Decision:**" line are its evidence. */
  level: number;
}

interface OpenDecision {
  decision: ParsedDecision;
  form: LoggedDecision;
}

class LogReader {
  readonly sprints: Sprint[] = [];
  readonly decisions: ParsedDecision[] = [];
  readonly evidence: ParsedEvidence[] = [];
  readonly spans: Span[] = [];
  readonly forms: Record<string, SprintForm> = {};
  readonly notes: string[] = [];
  private readonly decisionForms: Record<string, LoggedDecision> = {};
  private readonly evidenceForms: Record<string, { level: number; heading: string }> = {};
  /** Each decision's evidence so far. */
  private readonly evidenceOf = new Map<number, ParsedEvidence[]>();
  private block: Block | null = null;
  private sprint: OpenSprint | null = null;
  private current: OpenDecision | null = null;
  private firstSprintLevel: number | null = null;
  private firstDecisionForm: LoggedDecision | null = null;
  /** Where in the open decision's or evidence's lines a points line stands with nothing but blank lines after it. */
  private pointsAt: number | null = null;

  constructor(private readonly problems: Problems, private readonly lastStart: number) {}

  layout(): DecisionLogLayout {
    const first = this.firstDecisionForm ?? { style: 'heading', level: 2, label: null };
    return { style: first.style, level: first.level, numbered: first.label !== null, decisions: this.decisionForms, evidence: this.evidenceForms };
  }

  /** New sprints are written like the first sprint heading; in a log with none, at the decisions' level. */
  sprintLevel(): number {
    if (this.firstSprintLevel !== null) return this.firstSprintLevel;
    const first = this.firstDecisionForm;
    return first === null ? 2 : first.style === 'heading' ? first.level : Math.max(first.level + 1, 2);
  }

  /** Returns the index of the line that ends the part (or the line count). */
  read(lines: Line[], start: number, starts: Array<Start | null>): number {
    for (let i = start; i < lines.length; i++) {
      const line = lines[i] as Line;
      const s = starts[i] ?? null;
      if (s === null && line.heading && i > this.lastStart && line.heading.level <= Math.min(this.containerLevel(), SECTION_MAX_LEVEL)) {
        this.finishBlock();
        return i;
      }
      this.readLine(line, s);
    }
    this.finishBlock();
    return lines.length;
  }

  /** Headings deeper than this belong to what is open: the decision's heading, or the sprint's. */
  private containerLevel(): number {
    const d = this.current;
    if (d && d.form.style === 'heading') return d.form.level;
    return this.sprint?.level ?? 0;
  }

  private readLine(line: Line, s: Start | null): void {
    if (line.fenced) return this.addText(line);
    const h = line.heading;
    if (s?.kind === 'decision') return this.startDecision(line, s);
    if (h && readLogDecisionHeading(h.text)?.bare) {
      // Not a log's decision, nor evidence: as a heading it would be the Sprint N layout's decision.
      return this.keep(line, `“${h.text}” is how the Sprint N layout writes a decision; in a log like this one, write “Decision ${readLogDecisionHeading(h.text)?.label ?? ''}: …” with its title.`);
    }
    if (h) {
      if (this.current && h.level > this.containerLevel()) {
        const open = this.block;
        if (open?.kind === 'evidence' && open.level !== null && h.level > open.level) return this.addText(line);
        return this.startEvidence(line, { level: h.level, heading: h.text }, '');
      }
      if (s?.kind === 'sprint') return this.startSprint(line, h);
      if (this.current === null && this.sprint && h.level > this.sprint.level) return this.addText(line);
      return this.keep(line, `The heading “${h.text.slice(0, 60)}” is between the decisions, where only sprint and decision headings start something new.`);
    }
    const evidence = readEvidenceLine(line.text);
    if (evidence) return this.evidenceLine(line, evidence.number, evidence.letters, evidence.rest);
    const status = readStatusLine(line.text);
    if (status) return this.setStatus(line, status);
    const deciders = readDecidersLine(line.text);
    if (deciders) return this.setDeciders(line, deciders);
    const points = readPointsLine(line.text);
    if (points) return this.setPoints(line, points);
    const phase = readPhaseLine(line.text);
    if (phase && this.startsPhase(line, phase)) return;
    this.addText(line);
  }

  /**
   * After who decided or the status, the decision's points; in its text or a piece of
   * evidence, text that is its points only if nothing but blank lines follows (`takePoints`).
   */
  private setPoints(line: Line, points: number[]): void {
    const block = this.block;
    if ((block?.kind === 'decided' || block?.kind === 'status') && block.decision.points.length === 0) {
      block.decision.points = points;
      return;
    }
    this.addText(line);
    if (block !== null && block === this.block && (block.kind === 'decision' || block.kind === 'evidence')) this.pointsAt = block.lines.length - 1;
  }

  /** The open decision's or evidence's points, when its last line of text is a points line. */
  private takePoints(): void {
    const block = this.block;
    const at = this.pointsAt;
    this.pointsAt = null;
    if (at === null || (block?.kind !== 'decision' && block?.kind !== 'evidence')) return;
    const target = block.kind === 'evidence' ? block.evidence : block.decision;
    target.points = readPointsLine(block.lines[at] ?? '') ?? [];
    block.lines.splice(at);
  }

  /** A phase line first under a sprint's heading, or before the first decision of a sprint with none. */
  private startsPhase(line: Line, phase: NonNullable<Sprint['phase']>): boolean {
    const sprint = this.sprint?.sprint;
    const block = this.block;
    if (!sprint || sprint.phase) return false;
    if (block === null && this.current === null) {
      this.spans.push({ key: KEYS.sprint(sprint.number), line: line.no - 1 });
    } else if (block?.kind !== 'intro' || block.lines.some((l) => l !== '')) return false;
    sprint.phase = phase;
    return true;
  }

  startHeadless(name: string, numbered: number | null, level: number): void {
    const number = numbered ?? 0;
    const sprint: Sprint = { number, suffix: '', intro: '', startsOn: null };
    this.sprints.push(sprint);
    this.forms[String(number)] = { name, heading: null, level };
    this.sprint = { sprint, level };
  }

  private startSprint(line: Line, h: Heading): void {
    const last = this.sprints[this.sprints.length - 1];
    const next = last === undefined ? 0 : last.number + 1;
    const numeric = readSprintHeading(h.text);
    const named = readSprintName(h.text);
    this.finishBlock();
    this.firstSprintLevel ??= h.level;
    let sprint: Sprint;
    if (numeric && (last === undefined || numeric.number > last.number)) {
      sprint = { number: numeric.number, suffix: numeric.suffix, intro: '', startsOn: null };
      // "Sprint 4" at the level new sprints are written at needs no form: it is written from its number.
      if (h.level !== this.firstSprintLevel) this.forms[String(sprint.number)] = { name: h.text, heading: h.text, level: h.level };
    } else {
      const own = named?.number ?? null;
      const number = own !== null && (last === undefined || own > last.number) ? own : next;
      sprint = { number, suffix: '', intro: '', startsOn: null };
      const name = named === null || named.at === 0 ? h.text : named.phrase;
      this.forms[String(number)] = { name, heading: h.text, level: h.level };
      if (numeric) this.notes.push(`Line ${line.no}: “${h.text.slice(0, 60)}” comes after Sprint ${last?.number ?? 0}; it is Sprint ${number} in this case.`);
    }
    this.sprints.push(sprint);
    this.sprint = { sprint, level: h.level };
    this.current = null;
    this.block = { kind: 'intro', sprint, lines: [] };
    this.spans.push({ key: KEYS.sprint(sprint.number), line: line.no - 1 });
  }

  private startDecision(line: Line, s: Extract<Start, { kind: 'decision' }>): void {
    const open = this.sprint as OpenSprint;
    const last = this.decisions[this.decisions.length - 1];
    let number: number;
    if (s.label === null) number = last === undefined ? FIRST_UNNUMBERED : last.number + 1;
    else if (last === undefined || s.label > last.number) number = s.label;
    else {
      number = last.number + 1;
      this.notes.push(`Line ${line.no}: Decision ${s.label} comes after Decision ${last.number}, so it is Decision ${number} in this case; the log still says Decision ${s.label}.`);
    }
    this.finishBlock();
    const form: LoggedDecision = s.style === 'heading'
      ? { style: 'heading', level: s.level, label: s.label }
      : { style: 'bold', level: open.level, label: s.label };
    this.firstDecisionForm ??= form;
    this.decisionForms[String(number)] = form;
    const decision: ParsedDecision = { number, sprint: open.sprint.number, text: '', status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, deciders: [], points: [] };
    this.decisions.push(decision);
    this.current = { decision, form };
    this.block = s.style === 'heading'
      ? { kind: 'decision', decision, title: s.title, lines: [] }
      : { kind: 'decision', decision, title: '', lines: [s.rest] };
    this.spans.push({ key: KEYS.decision(number), line: line.no - 1 });
  }

  /** "Evidence 4a: …" under Decision 4 (or under the decision the log calls 4). */
  private evidenceLine(line: Line, number: number, letters: string, rest: string): void {
    const d = this.current;
    if (d === null) return this.keep(line, `Evidence ${number}${letters} comes before any decision in ${this.sprintName()}.`);
    if (number !== d.decision.number && number !== d.form.label) {
      return this.keep(line, `Evidence ${number}${letters} is under Decision ${d.form.label ?? d.decision.number}, but names Decision ${number}.`);
    }
    if ((this.evidenceOf.get(d.decision.number) ?? []).some((e) => e.letter === letters)) {
      return this.keep(line, `Evidence ${number}${letters} appears twice under Decision ${d.form.label ?? d.decision.number}.`);
    }
    this.startEvidence(line, null, rest, letters);
  }

  private startEvidence(line: Line, section: { level: number; heading: string } | null, rest: string, letters?: string): void {
    const d = (this.current as OpenDecision).decision;
    this.finishBlock();
    const siblings = this.evidenceOf.get(d.number) ?? [];
    const letter = letters ?? nextLetter(siblings.map((e) => e.letter));
    const evidence: ParsedEvidence = { decision: d.number, letter, refersTo: null, position: siblings.length, text: '', sourceUrl: null, points: [] };
    this.evidence.push(evidence);
    this.evidenceOf.set(d.number, [...siblings, evidence]);
    if (section) this.evidenceForms[`${d.number}:${evidence.position}`] = section;
    this.block = { kind: 'evidence', evidence, level: section?.level ?? null, lines: section ? [] : [rest] };
    this.spans.push({ key: KEYS.evidence(d.number, evidence.position), line: line.no - 1 });
  }

  private setDeciders(line: Line, deciders: string[]): void {
    if (this.block?.kind === 'decision') this.takePoints();
    const block = this.block;
    if (block?.kind !== 'decision') {
      const d = this.current;
      return this.keep(line, d === null
        ? `“${line.text.slice(0, 40)}” comes before any decision in ${this.sprintName()}.`
        : block?.kind === 'decided'
          ? `Decision ${d.decision.number} already names who decided it.`
          : block?.kind === 'status'
            ? `Who decided Decision ${d.decision.number} must come before its status.`
            : `Who decided Decision ${d.decision.number} must come straight after its text, before its evidence.`);
    }
    block.decision.deciders = deciders;
    this.block = { kind: 'decided', decision: block.decision, title: block.title, lines: block.lines };
  }

  private setStatus(line: Line, status: NonNullable<ReturnType<typeof readStatusLine>>): void {
    if (this.block?.kind === 'decision') this.takePoints();
    const block = this.block;
    if (block?.kind !== 'decision' && block?.kind !== 'decided') {
      const d = this.current;
      return this.keep(line, d === null
        ? `“${line.text}” comes before any decision in ${this.sprintName()}.`
        : `The status of Decision ${d.decision.number} must come straight after its text, before its evidence.`);
    }
    const d = block.decision;
    switch (status.status) {
      case 'withdrawn':
      case 'rejected':
        d.status = status.status;
        d.statusReason = status.reason;
        break;
      case 'proposed':
        d.status = 'proposed';
        break;
      case 'superseded':
        d.status = 'superseded';
        d.supersededBy = status.by;
        break;
    }
    this.block = { kind: 'status', decision: d, title: block.title, lines: block.lines };
  }

  private sprintName(): string {
    const s = (this.sprint as OpenSprint).sprint;
    return this.forms[String(s.number)]?.name ?? `Sprint ${s.number}`;
  }

  private keep(line: Line, problem: string): void {
    this.problems.report(line, problem, this.describeBlock());
    this.pushLine(line.text);
  }

  /** Text with nowhere else to go (a headless sprint has no intro) joins the part before it. */
  private pushLine(text: string): void {
    if (this.block === null) {
      const sprint = (this.sprint as OpenSprint).sprint;
      this.block = { kind: 'intro', sprint, lines: [] };
    }
    this.block.lines.push(text);
    if (text !== '') this.pointsAt = null;
  }

  private describeBlock(): string {
    const block = this.block;
    if (block === null || block.kind === 'intro') return this.sprintName();
    if (block.kind === 'evidence') return `Evidence ${block.evidence.decision}${block.evidence.letter ?? ''}`;
    return `Decision ${block.decision.number}`;
  }

  private addText(line: Line): void {
    const block = this.block;
    if (block?.kind === 'status' && line.text !== '') {
      return this.keep(line, `Only evidence can follow the status of Decision ${block.decision.number}.`);
    }
    if (block?.kind === 'decided' && line.text !== '') {
      return this.keep(line, `Only its status or evidence can follow who decided Decision ${block.decision.number}.`);
    }
    if (block === null && line.text === '') return;
    this.pushLine(line.text);
  }

  private finishBlock(): void {
    this.takePoints();
    const block = this.block;
    this.block = null;
    if (block === null) return;
    const body = joinLines(block.lines);
    if (block.kind === 'intro') {
      block.sprint.intro = unescapeUserText(body, 'decision');
      return;
    }
    // A decision heading's title is the first line of the decision's text.
    const raw = block.kind === 'evidence' || block.title === '' ? body : body === '' ? block.title : `${block.title}\n\n${body}`;
    const { text, sourceUrl } = closeOpenFence(raw) === raw ? splitSourceTail(raw) : { text: raw, sourceUrl: null };
    const target = block.kind === 'evidence' ? block.evidence : block.decision;
    target.text = unescapeUserText(block.kind === 'status' || block.kind === 'decided' ? closeOpenFence(text) : text, 'decision');
    target.sourceUrl = sourceUrl;
  }
}
