/**
 * Phases of a service (Discovery, Alpha, Beta, Live): each starts at a sprint, and the
 * sprints after it belong to it until the next phase starts. Sprints before the first
 * phase belong to none. Worked out from the sprints alone, so a case's phases are what its
 * sprints say, in chat, in the store and in the document.
 */
import type { PhaseKind, Sprint, SprintPhase } from './model';

export const PHASE_KINDS: readonly PhaseKind[] = ['discovery', 'alpha', 'beta', 'live'];

export const PHASE_LABELS: Readonly<Record<PhaseKind, string>> = {
  discovery: 'Discovery', alpha: 'Alpha', beta: 'Beta', live: 'Live',
};

/** The most characters a phase's own name may have. */
export const MAX_PHASE_NAME = 60;

/** A sprint with its phase set, or without one: no `phase: null` is ever kept. */
export function sprintWithPhase(s: Sprint, phase: SprintPhase | null): Sprint {
  const { phase: _old, ...rest } = s;
  return phase === null ? rest : { ...rest, phase };
}

/** "Alpha", or the team's own name for it ("Private beta"). */
export function phaseLabel(p: SprintPhase): string {
  return p.name ?? PHASE_LABELS[p.kind];
}

/** The kind a word names ("alpha", "Beta"), or null. */
export function phaseKind(word: string): PhaseKind | null {
  const w = word.trim().toLowerCase();
  return (PHASE_KINDS as readonly string[]).includes(w) ? (w as PhaseKind) : null;
}

/** One phase as it runs: from its first sprint to its last (null: still running, up to the latest sprint). */
export interface PhaseSpan {
  kind: PhaseKind;
  name: string | null;
  label: string;
  from: number;
  /** The last sprint in it; null while no later phase has started. */
  to: number | null;
}

/** The case's phases in order. */
export function phaseSpans(sprints: readonly Sprint[]): PhaseSpan[] {
  const starts = [...sprints].filter((s) => s.phase).sort((a, b) => a.number - b.number);
  return starts.map((s, i) => {
    const p = s.phase as SprintPhase;
    const next = starts[i + 1];
    return { kind: p.kind, name: p.name, label: phaseLabel(p), from: s.number, to: next ? next.number - 1 : null };
  });
}

/** The phase a sprint belongs to, or null before the first phase. */
export function phaseAt(spans: readonly PhaseSpan[], sprint: number): PhaseSpan | null {
  let found: PhaseSpan | null = null;
  for (const span of spans) if (span.from <= sprint) found = span;
  return found;
}

/** A function giving each sprint's phase label (null before the first phase), worked out once. */
export function phaseLabeller(sprints: readonly Sprint[]): (sprint: number) => string | null {
  const spans = phaseSpans(sprints);
  if (spans.length === 0) return () => null;
  return (sprint) => phaseAt(spans, sprint)?.label ?? null;
}

/** "Sprint 7, Alpha": where a sprint stands, as every surface says it. */
export function withPhase(sprintHeading: string, phase: string | null): string {
  return phase === null ? sprintHeading : `${sprintHeading}, ${phase}`;
}

/** "Sprint 2 to Sprint 6", "Sprint 2 onwards". */
export function spanText(span: Pick<PhaseSpan, 'from' | 'to'>): string {
  if (span.to === null) return `from Sprint ${span.from}`;
  return span.to === span.from ? `Sprint ${span.from}` : `Sprints ${span.from} to ${span.to}`;
}

/** A phase's key in a web address and a command: its kind, or its own name in lower case with hyphens. */
export function phaseKey(p: Pick<PhaseSpan, 'kind' | 'name'>): string {
  if (p.name === null) return p.kind;
  const k = p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return k === '' ? p.kind : k;
}

/** What an assessment covers: the phases it names (one, or every phase of a kind), or the whole case. */
export type PhaseScope =
  | { kind: 'phase'; label: string; key: string; spans: PhaseSpan[] }
  | { kind: 'case' };

/**
 * The phase a person named ("alpha", "private beta", "private-beta"), or the current one
 * when they named none (the whole case when it has no phases); a problem in plain words
 * when the case has no such phase.
 */
export function resolvePhase(sprints: readonly Sprint[], currentSprint: number, wanted: string | null): PhaseScope | { problem: string } {
  const spans = phaseSpans(sprints);
  const known = (): string => (spans.length === 0
    ? 'This case has no phases yet: `phase start alpha` starts one at the current sprint.'
    : `Its phases: ${spans.map((s) => `${s.label} (${spanText(s)})`).join(', ')}.`);
  if (wanted === null || wanted.trim() === '') {
    if (spans.length === 0) return { kind: 'case' };
    const current = phaseAt(spans, currentSprint) ?? spans[spans.length - 1];
    if (!current) return { kind: 'case' };
    return { kind: 'phase', label: current.label, key: phaseKey(current), spans: [current] };
  }
  const norm = (t: string): string => t.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  const w = norm(wanted);
  if (w === 'all' || w === 'case' || w === 'whole case') return { kind: 'case' };
  const named = spans.filter((s) => s.name !== null && (norm(s.name) === w || phaseKey(s) === w.replace(/ /g, '-')));
  if (named.length > 0) return { kind: 'phase', label: named[0]?.label ?? w, key: phaseKey(named[0] as PhaseSpan), spans: named };
  const kind = phaseKind(w);
  const ofKind = kind === null ? [] : spans.filter((s) => s.kind === kind);
  if (kind !== null && ofKind.length > 0) return { kind: 'phase', label: PHASE_LABELS[kind], key: kind, spans: ofKind };
  const shown = [...wanted.trim()].slice(0, 40).join('');
  return { problem: kind === null ? `"${shown}" is not a phase of this case. ${known()}` : `This case has no ${PHASE_LABELS[kind]} phase. ${known()}` };
}

/** Whether a sprint falls in the scope. */
export function inScope(scope: PhaseScope, sprint: number): boolean {
  if (scope.kind === 'case') return true;
  return scope.spans.some((s) => sprint >= s.from && (s.to === null || sprint <= s.to));
}

/** "Alpha (Sprints 2 to 6)", "the whole case". */
export function scopeText(scope: PhaseScope): string {
  if (scope.kind === 'case') return 'the whole case';
  return `${scope.label} (${scope.spans.map(spanText).join('; ')})`;
}
