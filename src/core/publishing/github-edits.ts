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
import { elementsOf, sectionKey, type Element } from './elements';

export interface GitHubEditInput {
  /** The file on the base branch now. */
  incoming: string;
  /** Versions of the file the bot knows (saw or wrote), newest first, with the one it last saw on the base branch marked; at least one. */
  known: Array<{ text: string; seen: boolean }>;
  /** Who edited it on GitHub ("GitHub: Alice Smith") and the commit's page. */
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

function draftContent(draft: CaseDraft): CaseContent {
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
 * request's branch), else the newest.
 */
function closest(theirs: Map<string, Element>, versions: Array<{ elements: Map<string, Element>; seen: boolean }>): Map<string, Element> {
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

/** Takes the edits made on GitHub into the draft (see the file's comment). */
export function takeGitHubEdits(draft: CaseDraft, input: GitHubEditInput): GitHubEditResult {
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
  const mine = elementsOf(draftContent(draft));
  const ancestor = closest(theirs, before);
  const keys = [...new Set([...theirs.keys(), ...ancestor.keys()])];

  const result = { readable: true as const, taken: [] as string[], differ: [] as string[], kept: [] as string[] };
  const apply = new Applier(draft, parsed, input);
  for (const key of keys) {
    const now = theirs.get(key)?.text;
    const was = ancestor.get(key)?.text;
    if (now === was) continue; // not edited on GitHub
    const ours = mine.get(key)?.text;
    if (ours === now) continue; // the case already says it
    const label = (theirs.get(key) ?? mine.get(key) ?? ancestor.get(key))?.label ?? key;
    if (ours !== was) {
      result.differ.push(label);
      continue;
    }
    if (apply.element(key)) result.taken.push(label);
    else result.kept.push(label);
  }
  // The file's own spelling, wherever the case agrees with it (source-form.ts checks each part).
  draft.setCase({ layout: { ...draft.case.layout, source: parsed.layout.source ?? null } });
  return result;
}

/** Puts one element of the file from GitHub into the draft, with the change that records it. */
class Applier {
  constructor(private readonly draft: CaseDraft, private readonly parsed: ParsedCase, private readonly input: GitHubEditInput) {}

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

  /** False when the case keeps the element as it is (removed on GitHub, but numbered). */
  element(key: string): boolean {
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
    const theirs = this.parsed.sprints.find((s) => s.number === n);
    if (!theirs) return false;
    const mine = this.draft.sprint(n);
    this.draft.putSprint({ number: n, suffix: theirs.suffix, intro: theirs.intro, startsOn: mine?.startsOn ?? null });
    this.record(`${mine ? 'edited the heading of' : 'added'} Sprint ${n}`, [touch.sprint(n)]);
    return true;
  }

  private decision(n: number): boolean {
    const theirs = this.parsed.decisions.find((d) => d.number === n);
    if (!theirs) return false;
    const { at, actor } = this.input;
    if (!this.draft.sprint(theirs.sprint)) {
      const sprint = this.parsed.sprints.find((s) => s.number === theirs.sprint);
      this.draft.putSprint({ number: theirs.sprint, suffix: sprint?.suffix ?? '', intro: sprint?.intro ?? '', startsOn: null });
    }
    const mine = this.draft.decision(n);
    if (!mine) {
      const made: Decision = { ...theirs, author: actor, createdAt: at, updatedAt: at, revisions: [] };
      this.draft.putDecision(made);
      this.record(`recorded Decision ${n}`, [touch.decision(n)]);
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

  private evidence(decision: number, tag: string): boolean {
    const bare = tag.replace(/#\d+$/, '');
    const matches = (e: { letter: string | null; refersTo: string | null }): boolean => (bare.startsWith('^') ? e.letter === null && e.refersTo === bare.slice(1) : e.letter === bare);
    const theirs = this.parsed.evidence.find((e) => e.decision === decision && matches(e));
    if (!theirs || !this.draft.decision(decision)) return false;
    const mine = this.draft.evidenceList({ decision }).find(matches);
    const label = theirs.letter !== null ? `Evidence ${decision}${theirs.letter}` : `the pointer to Evidence ${theirs.refersTo ?? '?'} under Decision ${decision}`;
    if (mine) {
      this.draft.putEvidence({ ...mine, text: theirs.text, sourceUrl: theirs.sourceUrl });
      this.record(`edited ${label}`, [touch.evidence(mine.id)]);
      return true;
    }
    const under = this.draft.evidenceList({ decision });
    const made: Evidence = {
      id: this.input.newId(), decision, letter: theirs.letter, refersTo: theirs.refersTo,
      position: under.reduce((max, e) => Math.max(max, e.position + 1), 0), text: theirs.text,
      author: this.input.actor, createdAt: this.input.at, sourceUrl: theirs.sourceUrl,
    };
    this.draft.putEvidence(made);
    this.record(`added ${label}`, [touch.evidence(made.id)]);
    return true;
  }
}
