/**
 * Edits made on GitHub come back into the case, by a three-way comparison, part by part
 * (elements.ts). The common ancestor is the version of the file the bot knows (saw on the
 * base branch or wrote) that the file on GitHub is closest to. A part that differs from the
 * ancestor was edited on GitHub; it is taken into the case when the case still says what the
 * ancestor says, and when the case changed it too, the case's version is kept and the part
 * is reported, so nothing is overwritten silently. A part removed on GitHub is taken out only for sections: decisions,
 * evidence and sprints are numbered and cited, so they are withdrawn in chat, not deleted.
 *
 * Only a file that reads cleanly is taken in: nothing the importer would keep as text, and
 * reading it back gives the same bytes. Its own spelling then becomes the case's, so the next
 * export is the file itself wherever the case agrees with it.
 */
import type { CaseDraft } from '../case-draft';
import { importCase } from '../import';
import { parseCaseMarkdown, renderCaseMarkdown, type ParsedCase } from '../markdown';
import type { CaseContent } from '../markdown/units';
import type { Actor, ChangeSubject, Decision, Evidence, Section } from '../model';
import { touch } from '../commands/kit';
import { sprintWithPhase } from '../phases';
import { nextLetter } from '../letters';
import { elementsOf, sectionKey, type Element } from './elements';

/** What the comparison needs, all of it plain data, so it can run on another thread. */
export interface GitHubPlanInput {
  /** The file on the base branch now, already checked (incoming.ts). */
  incoming: string;
  /** Versions of the file the bot knows (saw or wrote), newest first, with the one it last saw on the base branch marked; at least one. */
  known: Array<{ text: string; seen: boolean }>;
  /** The file is a version the bot once knew (a revert): it is compared with the version last seen, not with itself. */
  revert: boolean;
  /** The case as it stands. */
  mine: CaseContent;
}

/** What changed on GitHub, part by part, and what the case says there: decided off the event loop, applied in the write. */
export type GitHubPlan =
  | { readable: false; problem: string }
  | { readable: true; parsed: ParsedCase; steps: PlanStep[] };

/** One part changed on GitHub: to take in, or changed here too; `added`: the case does not have it yet. */
export interface PlanStep {
  key: string;
  label: string;
  verdict: 'take' | 'differ';
  added: boolean;
}

/**
 * The most parts one publication adds to a case from GitHub. Each is a record written in one
 * commit on the event loop; a document that adds more (a whole other case pasted over the
 * file) is brought in with `import`, which shows what it would replace first.
 */
export const MAX_GITHUB_ADDITIONS = 500;

/** Who made the edits on GitHub and when, for the changes that record them. */
export interface GitHubEditBy {
  /** "GitHub: Alice Smith" */
  actor: Actor;
  link: string | null;
  at: string;
  newId: () => string;
}

export type GitHubEditResult =
  | { readable: false; problem: string }
  | {
    readable: true;
    /** Parts taken into the case, in plain words. */
    taken: string[];
    /** Parts changed both on GitHub and in chat since: the case's version was kept. */
    differ: string[];
    /** Parts removed on GitHub that the case keeps (decisions, evidence, sprints). */
    kept: string[];
    /** Parts changed on GitHub in a way the case cannot hold, each with why ("Decision 9, which would skip Decisions 6 to 8"). */
    refused: string[];
  };

/** The file read as a case when it reads cleanly; else why it cannot be taken in as it stands. */
export function readCleanly(markdown: string): { problem: string } | { parsed: ParsedCase } {
  let parsed: ParsedCase;
  try {
    parsed = parseCaseMarkdown(markdown);
  } catch (err) {
    return { problem: err instanceof Error ? err.message : 'it could not be read' };
  }
  const first = parsed.warnings[0];
  if (first) return { problem: first.message };
  const again = renderCaseMarkdown(importCase(markdown, { id: 'github', place: { platform: 'console', workspace: '', channel: '' }, now: new Date(0), newId: () => 'x' }).snapshot);
  if (again !== markdown) return { problem: 'reading it back does not give the same file' };
  return { parsed };
}

function contentOf(parsed: ParsedCase): CaseContent {
  return { title: parsed.title, layout: parsed.layout, sprints: parsed.sprints, decisions: parsed.decisions, evidence: parsed.evidence };
}

/** The case in the draft as plain content, for planGitHubEdits. */
export function draftContent(draft: CaseDraft): CaseContent {
  return { title: draft.case.title, layout: draft.case.layout, sprints: draft.sprintList(), decisions: draft.decisionList(), evidence: draft.evidenceList() };
}

/** Section indexes by element key (a heading used twice is a second key, as elementsOf makes it). */
function sectionIndex(sections: readonly Section[]): Map<string, number> {
  const used = new Map<string, number>();
  const out = new Map<string, number>();
  sections.forEach((s, i) => {
    const key = sectionKey(s.heading);
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    out.set(n === 1 ? key : `${key}#${n}`, i);
  });
  return out;
}

/**
 * The version with the most parts the same as `theirs`: what it was edited from. Of equals,
 * the one last seen on the base branch (an edit there starts from it, not from a pull
 * request's branch), else the newest. A revert is compared with the version last seen.
 */
function ancestorOf(theirs: Map<string, Element>, versions: Array<{ elements: Map<string, Element>; seen: boolean }>, revert: boolean): Map<string, Element> {
  if (revert) {
    const seen = versions.find((v) => v.seen);
    if (seen) return seen.elements;
  }
  let best = new Map<string, Element>();
  let bestScore = -1;
  for (const v of versions) {
    let score = 0;
    for (const [key, e] of theirs) if (v.elements.get(key)?.text === e.text) score += 1;
    const weighed = score * 2 + (v.seen ? 1 : 0);
    if (weighed > bestScore) { best = v.elements; bestScore = weighed; }
  }
  return best;
}

/** Compares the file from GitHub with what it was edited from and with the case, part by part (the heavy half). */
export function planGitHubEdits(input: GitHubPlanInput): GitHubPlan {
  const read = readCleanly(input.incoming);
  if ('problem' in read) return { readable: false, problem: read.problem };
  const { parsed } = read;
  const theirs = elementsOf(contentOf(parsed));
  const before: Array<{ elements: Map<string, Element>; seen: boolean }> = [];
  for (const { text, seen } of input.known) {
    try {
      before.push({ elements: elementsOf(contentOf(parseCaseMarkdown(text))), seen });
    } catch {
      // A version the bot cannot read is simply not compared against.
    }
  }
  const mine = elementsOf(input.mine);
  const ancestor = ancestorOf(theirs, before, input.revert);
  const steps: PlanStep[] = [];
  for (const key of new Set([...theirs.keys(), ...ancestor.keys()])) {
    const now = theirs.get(key)?.text;
    const was = ancestor.get(key)?.text;
    if (now === was) continue; // not edited on GitHub
    const ours = mine.get(key)?.text;
    if (ours === now) continue; // the case already says it
    const label = (theirs.get(key) ?? mine.get(key) ?? ancestor.get(key))?.label ?? key;
    steps.push({ key, label, verdict: ours !== was ? 'differ' : 'take', added: ours === undefined && was === undefined });
  }
  // Only the records the steps name go back: the plan crosses threads, and a file has thousands.
  const named = new Set(steps.flatMap((step) => {
    const [kind = '', n = ''] = step.key.split(':');
    return kind === 'decision' || kind === 'evidence' ? [Number(n)] : [];
  }));
  const trimmed: ParsedCase = { ...parsed, decisions: parsed.decisions.filter((d) => named.has(d.number)), evidence: parsed.evidence.filter((e) => named.has(e.decision)) };
  return { readable: true, parsed: trimmed, steps };
}

/**
 * Sprints first, then decisions new on GitHub in number order, then the rest as the file
 * has them: so a part that points at a new decision finds it already there.
 */
function applyOrder(key: string, draft: CaseDraft): number {
  const [kind = '', a = ''] = key.split(':');
  if (kind === 'sprint') return 0;
  if (kind === 'decision' && !draft.decision(Number(a))) return 1;
  return 2;
}

/** Takes the planned edits into the draft (the cheap half, inside the case's write). */
export function applyGitHubPlan(draft: CaseDraft, plan: GitHubPlan, by: GitHubEditBy): GitHubEditResult {
  if (!plan.readable) return { readable: false, problem: plan.problem };
  const result = { readable: true as const, taken: [] as string[], differ: [] as string[], kept: [] as string[], refused: [] as string[] };
  const steps = plan.steps.map((step, i) => ({ step, i, order: applyOrder(step.key, draft) }))
    .sort((x, y) => x.order - y.order || (x.order === 1 ? Number(x.step.key.split(':')[1]) - Number(y.step.key.split(':')[1]) : x.i - y.i));
  const willHave = new Set(draft.decisionList().map((d) => d.number));
  let next = (draft.lastDecisionNumber() ?? -1) + 1;
  for (const { step, order } of steps) {
    if (order === 1 && step.verdict === 'take' && Number(step.key.split(':')[1]) === next) willHave.add(next++);
  }
  const apply = new Applier(draft, plan.parsed, by, willHave);
  const outcomes = new Map<number, Outcome | 'differ' | 'too many'>();
  const additions = plan.steps.filter((step) => step.verdict === 'take' && step.added).length;
  for (const { step, i } of steps) {
    if (step.verdict === 'differ') outcomes.set(i, 'differ');
    else if (step.added && additions > MAX_GITHUB_ADDITIONS) outcomes.set(i, 'too many');
    else outcomes.set(i, apply.element(step.key));
  }
  if (additions > MAX_GITHUB_ADDITIONS) {
    const first = plan.steps.find((step) => step.verdict === 'take' && step.added);
    result.refused.push(`${additions.toLocaleString('en-GB')} parts added at once, from ${first?.label ?? 'the start'} on (at most ${MAX_GITHUB_ADDITIONS} come back in one publication; to bring in a document this size, use \`import\`)`);
  }
  // Said in the file's order, whatever order they were applied in.
  plan.steps.forEach((step, i) => {
    const outcome = outcomes.get(i);
    if (outcome === 'differ') result.differ.push(step.label);
    else if (outcome === true) result.taken.push(step.label);
    else if (outcome === false) result.kept.push(step.label);
    else if (outcome !== undefined && outcome !== 'too many') result.refused.push(outcome.refused);
  });
  apply.finish();
  // The file's own spelling, wherever the case agrees with it (source-form.ts checks each part).
  draft.setCase({ layout: { ...draft.case.layout, source: plan.parsed.layout.source ?? null } });
  return result;
}

/** Puts one element of the file from GitHub into the draft, with the change that records it. */
type Outcome = boolean | { refused: string };

class Applier {
  /** The next decision number the case gives. */
  private next: number;
  /** The case's evidence by decision, and every label it has: kept here so a file of thousands is read once. */
  private readonly evidenceOf = new Map<number, Evidence[]>();
  private readonly labels = new Set<string>();
  private readonly theirDecisions: Map<number, ParsedCase['decisions'][number]>;
  private readonly theirEvidence = new Map<number, ParsedCase['evidence']>();
  /** What was added (recorded, not edited), said in one change at the end. */
  private readonly added: Array<{ label: string; touch: string }> = [];

  constructor(
    private readonly draft: CaseDraft, private readonly parsed: ParsedCase, private readonly input: GitHubEditBy,
    /** The decision numbers the case will have: its own, and those new on GitHub that follow on from them. */
    private readonly willHave: ReadonlySet<number>,
  ) {
    this.next = (draft.lastDecisionNumber() ?? -1) + 1;
    for (const e of draft.evidenceList()) this.remember(e);
    this.theirDecisions = new Map(parsed.decisions.map((d) => [d.number, d]));
    for (const e of parsed.evidence) this.theirEvidence.set(e.decision, [...(this.theirEvidence.get(e.decision) ?? []), e]);
  }

  private remember(e: Evidence): void {
    const under = (this.evidenceOf.get(e.decision) ?? []).filter((x) => x.id !== e.id);
    this.evidenceOf.set(e.decision, [...under, e]);
    if (e.letter !== null) this.labels.add(`${e.decision}${e.letter}`);
  }

  private record(description: string, touches: string[], subject?: ChangeSubject): void {
    const where = this.input.link ? ` (${this.input.link})` : '';
    this.draft.addChange({
      id: this.input.newId(), actor: this.input.actor, at: this.input.at, description: `${description} on GitHub${where}`, touches,
      // Nobody in chat is the GitHub author, so undo never reaches this change: it is taken
      // back on GitHub, or by editing in chat.
      undo: [],
      ...(subject ? { subject } : {}),
    });
  }

  /** One change for everything added: a file of thousands of new decisions is one change, not thousands. */
  finish(): void {
    if (this.added.length === 0) return;
    const only = this.added.length === 1 ? this.added[0] : undefined;
    const shown = this.added.slice(0, 11).map((a) => a.label);
    const words = only ? only.label : `${shown.join(', ')}${this.added.length > shown.length ? ` and ${this.added.length - shown.length} more` : ''}`;
    this.record(`added ${words}`, this.added.map((a) => a.touch));
  }

  /** False when the case keeps the element as it is (removed on GitHub, but numbered); `refused` when the case cannot hold it, and why. */
  element(key: string): Outcome {
    const [kind = '', a = '', b = ''] = key.split(':');
    switch (kind) {
      case 'title':
        this.draft.setCase({ title: this.parsed.title });
        this.record('renamed the case', [touch.caseField('title')]);
        return true;
      case 'preamble':
        this.draft.setCase({ layout: { ...this.draft.case.layout, preamble: this.parsed.layout.preamble } });
        this.record('edited the text before the first section', [touch.caseField('layout.preamble')]);
        return true;
      case 'decisions': {
        const heading = this.parsed.layout.decisionsHeading;
        if (heading === null || this.draft.case.layout.decisionsHeading === null) return false;
        this.draft.setCase({ layout: { ...this.draft.case.layout, decisionsHeading: heading } });
        this.record('edited the key decisions heading', [touch.caseField('layout.decisions')]);
        return true;
      }
      case 'section':
        return this.section(key);
      case 'sprint':
        return this.sprint(Number(a));
      case 'decision':
        return this.decision(Number(a));
      case 'evidence':
        return this.evidence(Number(a), b);
      default:
        return false;
    }
  }

  private section(key: string): boolean {
    const { layout } = this.draft.case;
    const theirs = this.parsed.layout.sections;
    const at = sectionIndex(theirs).get(key);
    const mineAt = sectionIndex(layout.sections).get(key);
    if (at !== undefined && mineAt !== undefined) {
      const section = theirs[at] as Section;
      this.draft.setCase({ layout: { ...layout, sections: layout.sections.map((s, i) => (i === mineAt ? { ...section } : s)) } });
      this.record(`edited the ${section.heading} section`, [touch.section(section.heading)], { kind: 'section', heading: section.heading });
      return true;
    }
    if (at !== undefined) {
      // Added on GitHub: after the nearest section before it that the case has, on the same
      // side of the key decisions.
      const section = theirs[at] as Section;
      const mineIndex = sectionIndex(layout.sections);
      let pos = 0;
      for (let i = at - 1; i >= 0; i -= 1) {
        const found = mineIndex.get(sectionKey((theirs[i] as Section).heading));
        if (found !== undefined) { pos = found + 1; break; }
      }
      const beforeDecisions = at < this.parsed.layout.decisionsAt;
      pos = beforeDecisions ? Math.min(pos, layout.decisionsAt) : Math.max(pos, layout.decisionsAt);
      const sections = [...layout.sections.slice(0, pos), { ...section }, ...layout.sections.slice(pos)];
      this.draft.setCase({ layout: { ...layout, sections, decisionsAt: layout.decisionsAt + (beforeDecisions ? 1 : 0) } });
      this.record(`added the ${section.heading} section`, [touch.section(section.heading)], { kind: 'section', heading: section.heading });
      return true;
    }
    if (mineAt === undefined) return false;
    const gone = layout.sections[mineAt] as Section;
    this.draft.setCase({
      layout: { ...layout, sections: layout.sections.filter((_, i) => i !== mineAt), decisionsAt: layout.decisionsAt - (mineAt < layout.decisionsAt ? 1 : 0) },
    });
    this.record(`removed the ${gone.heading} section`, [touch.section(gone.heading)]);
    return true;
  }

  private sprint(n: number): boolean {
    const theirs = this.parsed.sprints.find((sp) => sp.number === n);
    if (!theirs) return false;
    const mine = this.draft.sprint(n);
    this.draft.putSprint(sprintWithPhase({ number: n, suffix: theirs.suffix, intro: theirs.intro, startsOn: mine?.startsOn ?? null }, theirs.phase ?? null));
    this.record(`${mine ? 'edited the heading of' : 'added'} Sprint ${n}`, [touch.sprint(n)]);
    return true;
  }

  private decision(n: number): Outcome {
    const theirs = this.theirDecisions.get(n);
    if (!theirs) return false;
    const { at, actor } = this.input;
    const next = this.next;
    if (!this.draft.decision(n) && n !== next) {
      const skipped = n > next ? `, which would skip ${n - 1 === next ? `Decision ${next}` : `Decisions ${next} to ${n - 1}`}` : '';
      return { refused: `Decision ${n}${skipped} (the next decision here is Decision ${next}, and numbers never skip)` };
    }
    if (theirs.status === 'superseded') {
      const by = theirs.supersededBy;
      if (by === null || by === n || !this.willHave.has(by)) {
        return { refused: `Decision ${n}, marked as superseded by ${by === null ? 'nothing' : `Decision ${by}`}, which ${by === n ? 'is itself' : 'the case does not have'}` };
      }
    }
    if (!this.draft.sprint(theirs.sprint)) {
      const sprint = this.parsed.sprints.find((s) => s.number === theirs.sprint);
      this.draft.putSprint(sprintWithPhase({ number: theirs.sprint, suffix: sprint?.suffix ?? '', intro: sprint?.intro ?? '', startsOn: null }, sprint?.phase ?? null));
    }
    const mine = this.draft.decision(n);
    if (!mine) {
      const made: Decision = { ...theirs, author: actor, createdAt: at, updatedAt: at, revisions: [] };
      this.draft.putDecision(made);
      this.next = n + 1;
      this.added.push({ label: `Decision ${n}`, touch: touch.decision(n) });
      return true;
    }
    const edited = mine.text !== theirs.text;
    const updated: Decision = {
      ...mine, ...theirs, author: mine.author, createdAt: mine.createdAt, updatedAt: at,
      revisions: edited ? [...mine.revisions, { text: mine.text, editedBy: actor, editedAt: at }] : mine.revisions,
    };
    this.draft.putDecision(updated);
    const moved = theirs.status !== mine.status;
    const action: Extract<ChangeSubject, { kind: 'decision' }>['action'] = !moved || theirs.status === 'proposed' ? 'edited'
      : theirs.status === 'active' ? (mine.status === 'proposed' ? 'accepted' : 'edited') : theirs.status;
    const words = { edited: 'edited', withdrawn: 'withdrew', superseded: 'marked as superseded', accepted: 'accepted', rejected: 'rejected' }[action];
    this.record(`${words} Decision ${n}`, [touch.decision(n)], { kind: 'decision', number: n, action });
    return true;
  }

  private evidence(decision: number, tag: string): Outcome {
    const bare = tag.replace(/#\d+$/, '');
    const matches = (e: { letter: string | null; refersTo: string | null }): boolean => (bare.startsWith('^') ? e.letter === null && e.refersTo === bare.slice(1) : e.letter === bare);
    const theirs = this.theirEvidence.get(decision)?.find(matches);
    if (!theirs) return false;
    const label = theirs.letter !== null ? `Evidence ${decision}${theirs.letter}` : `the pointer to Evidence ${theirs.refersTo ?? '?'} under Decision ${decision}`;
    if (!this.draft.decision(decision)) return { refused: `${label}, under Decision ${decision}, which the case does not have` };
    const under = this.evidenceOf.get(decision) ?? [];
    const mine = under.find(matches);
    if (theirs.refersTo !== null && !this.labels.has(theirs.refersTo)) {
      return { refused: `${label}, which points at Evidence ${theirs.refersTo}, which the case does not have` };
    }
    if (!mine && theirs.letter !== null) {
      const next = nextLetter(under.map((e) => e.letter));
      if (theirs.letter !== next) return { refused: `${label} (the next letter under Decision ${decision} is ${next}, and letters never skip)` };
    }
    if (mine) {
      const edited = { ...mine, text: theirs.text, sourceUrl: theirs.sourceUrl, points: theirs.points };
      this.draft.putEvidence(edited);
      this.remember(edited);
      this.record(`edited ${label}`, [touch.evidence(mine.id)]);
      return true;
    }
    const made: Evidence = {
      id: this.input.newId(), decision, letter: theirs.letter, refersTo: theirs.refersTo,
      position: under.reduce((max, e) => Math.max(max, e.position + 1), 0), text: theirs.text,
      author: this.input.actor, createdAt: this.input.at, sourceUrl: theirs.sourceUrl, points: theirs.points,
    };
    this.draft.putEvidence(made);
    this.remember(made);
    this.added.push({ label, touch: touch.evidence(made.id) });
    return true;
  }
}
