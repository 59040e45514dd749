/**
 * What every command handler shares: its dependencies, the unit of work, and the small
 * rules more than one family uses (finding a decision that can still change, the keys a
 * change touches, replies in plain words).
 */
import type { CaseDraft } from '../case-draft';
import { catchUpSprints } from '../case-draft';
import { findCitations } from '../citations';
import { decisionView } from '../format';
import type { Command } from '../grammar';
import type { Actor, Case, Decision, Place } from '../model';
import type { CaseStore, Repositories } from '../ports';
import type { PublishAccess } from '../publishing/access';
import type { CanvasDeps } from '../canvas/keep';
import type { DocumentWork } from '../publishing/documents';
import type { SprintWindow } from '../sprints';
import { loadDraft, runWrite } from '../unit-of-work';
import type { DecisionEvent, Reply, ReplyOf } from '../views';
import { wordsOf, type Words } from '../said';

export interface Clock {
  now(): Date;
}

export interface ServiceDeps {
  store: CaseStore;
  clock: Clock;
  newId: () => string;
  /** Builds the share link of a case (its page). Absent: sharing is off. */
  shareUrl?: (c: Case) => string | null;
  /** Builds the share link of a case's Markdown download, for `export`: `file` (1, 2) for one of the files it is kept in. */
  shareMarkdownUrl?: (c: Case, file?: number) => string | null;
  /** Builds the share link of a case's assessment pack (`phase`: a phase's key, null for the whole case): its page, or its Markdown. */
  assessmentUrl?: (c: Case, phase: string | null, format: 'page' | 'markdown') => string | null;
  /** When sharing is off: the settings an operator still has to set (default: both). */
  shareMissing?: Array<'PUBLIC_URL' | 'SHARE_SECRET'>;
  /** Waits between attempts of a write that lost a race (tests make it immediate). */
  pause?: (attempt: number) => Promise<void>;
  /** The team's repositories on GitHub, to publish cases to. Absent: publishing is not set up. */
  repositories?: Repositories;
  /** Where publishing's heavy document work runs (a worker thread). Absent: on this thread. */
  documents?: DocumentWork;
  /** Who may publish where: allowed repositories, and the App installations each workspace tied to it. */
  publishAccess?: PublishAccess;
  /** Keeping cases in Slack canvases. Absent: `canvas on` says it cannot be done from here. */
  canvases?: CanvasDeps;
}

/** Who is asking, and where. */
export interface CommandContext {
  place: Place;
  actor: Actor;
}

export type CommandName = Command['name'];
export type CommandOf<K extends CommandName> = Extract<Command, { name: K }>;
export type Handler<K extends CommandName> = (ctx: CommandContext, command: CommandOf<K>) => Promise<Reply>;
/** One handler per command: the compiler finds a missing one. */
export type Handlers = { [K in CommandName]: Handler<K> };

export interface Kit {
  deps: ServiceDeps;
  now(): Date;
  nowIso(): string;
  /** Runs a change to the case of ctx's place as one unit of work; the draft's sprints are caught up first. */
  write(ctx: CommandContext, decide: (draft: CaseDraft, window: SprintWindow) => Reply | Promise<Reply>): Promise<Reply>;
  /** The case of ctx's place as it stands, sprints caught up in memory only. Never writes. */
  read(ctx: CommandContext): Promise<{ draft: CaseDraft; window: SprintWindow }>;
}

export function createKit(deps: ServiceDeps): Kit {
  const now = (): Date => deps.clock.now();
  const uow = { store: deps.store, now, newId: deps.newId, ...(deps.pause ? { pause: deps.pause } : {}) };
  return {
    deps,
    now,
    nowIso: () => now().toISOString(),
    write: (ctx, decide) => runWrite(uow, ctx.place, (draft) => decide(draft, catchUpSprints(draft, now()))),
    async read(ctx) {
      const draft = await loadDraft(uow, ctx.place);
      return { draft, window: catchUpSprints(draft, now()) };
    },
  };
}

/** The people a said text names, as a reply carries them (nothing when none). */
export function peopleOf(w: Words): Pick<Reply, 'people'> {
  const { people } = wordsOf(w);
  return people.length > 0 ? { people } : {};
}

/** A reply's summary and the people it names, from said words. */
export function saying(w: Words): { summary: string } & Pick<Reply, 'people'> {
  return { summary: wordsOf(w).text, ...peopleOf(w) };
}

export function error(message: Words, field: ReplyOf<'error'>['field'] = null, suggestion: string | null = null): Reply {
  const { text } = wordsOf(message);
  return { kind: 'error', visibility: 'caller', summary: text, message: text, suggestion, field, ...peopleOf(message) };
}

export function notice(summary: Words, visibility: Reply['visibility'] = 'channel'): Reply {
  return { kind: 'notice', summary: wordsOf(summary).text, visibility, ...peopleOf(summary) };
}

export function isReply(x: object): x is Reply {
  return (x as Reply).kind !== undefined;
}

/** The keys a change touches (see Change.touches): nested keys sit under their parent. */
export const touch = {
  decision: (n: number) => `decision.${n}`,
  evidence: (id: string) => `evidence.${id}`,
  sprint: (n: number) => `sprint.${n}`,
  caseField: (field: string) => `case.${field}`,
  section: (heading: string) => `case.layout.section.${heading.toLowerCase()}`,
  /** Everything in the case at once (an import replaces it whole): overlaps every key. */
  wholeCase: () => WHOLE_CASE,
};

const WHOLE_CASE = '*';

/** Whether two touched keys overlap: the same, one inside the other, or either the whole case. */
export function overlaps(a: string, b: string): boolean {
  return a === b || a === WHOLE_CASE || b === WHOLE_CASE || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

export function decisionReply(draft: CaseDraft, d: Decision, event: DecisionEvent, summary: Words, newEvidence: string | null, undo: string | null): Reply {
  return {
    kind: 'decision', event, summary: wordsOf(summary).text, ...peopleOf(summary), caseId: draft.case.id,
    visibility: event === 'shown' ? 'caller' : 'channel',
    decision: decisionView(d, draft.evidenceList({ decision: d.number }), draft.sprintList(), draft.case),
    newEvidence, undo,
  };
}

/**
 * The warning for typed text whose citations point at nothing in the case as it now stands
 * ("(2a, 9z)" with no Evidence 2a or 9z): the text is kept as written, and the person told.
 */
export function citationWarning(draft: CaseDraft, texts: readonly string[]): string | null {
  const decisions = new Set(draft.decisionList().map((d) => d.number));
  const evidence = new Set(draft.evidenceList().filter((e) => e.letter !== null).map((e) => `${e.decision}${e.letter ?? ''}`));
  const missing = [...new Set(texts.flatMap((t) => findCitations(t))
    .filter((c) => (c.letters === null ? !decisions.has(c.decision) : !evidence.has(`${c.decision}${c.letters}`)))
    .map((c) => c.label))];
  if (missing.length === 0) return null;
  const names = missing.map((l) => (/^\d+$/.test(l) ? `Decision ${l}` : `Evidence ${l}`));
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `${missing.length === 1 ? 'A citation points' : 'Citations point'} at nothing: this case has no ${listed}. Kept as written; correct ${missing.length === 1 ? 'it' : 'them'}, or add what ${missing.length === 1 ? 'it cites' : 'they cite'}.`;
}

/** The reply, with the citation warning for the texts it kept (see citationWarning). */
export function warnCitations(reply: Reply, draft: CaseDraft, texts: readonly string[]): Reply {
  if (reply.kind === 'error') return reply;
  const warning = citationWarning(draft, texts);
  return warning === null ? reply : { ...reply, warning };
}

export function noSuchDecision(draft: CaseDraft, n: number): string {
  const all = draft.decisionList();
  if (all.length === 0) return `There is no Decision ${n}: this case has no decisions yet.`;
  const first = all[0]?.number ?? 0;
  const last = all[all.length - 1]?.number ?? 0;
  return first === last ? `There is no Decision ${n}: the only decision here is Decision ${first}.` : `There is no Decision ${n}. Decisions here run from ${first} to ${last}.`;
}

/**
 * A decision that must exist and still be open for `doing`: active, or with `proposals`
 * also one only proposed (it can be reworded and given evidence while it waits).
 */
export function activeDecision(draft: CaseDraft, n: number, doing: string, proposals = false): Decision | Reply {
  const d = draft.decision(n);
  if (!d) return error(noSuchDecision(draft, n), 'decision');
  if (d.status === 'proposed' && !proposals) return error(`Decision ${n} is only proposed, so you cannot ${doing}: \`accept ${n}\` or \`reject ${n}\` settles it first. Nothing changed.`, 'decision');
  if (d.status === 'rejected') return error(`Decision ${n} was rejected, so you cannot ${doing}. Nothing changed.`, 'decision');
  if (d.status === 'withdrawn') return error(`Decision ${n} was withdrawn, so you cannot ${doing}. Nothing changed.`, 'decision');
  if (d.status === 'superseded') return error(`Decision ${n} was superseded by Decision ${d.supersededBy ?? '?'}, so you cannot ${doing}. Nothing changed.`, 'decision');
  return d;
}
