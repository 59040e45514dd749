/**
 * The case service: runs commands against a Store and answers with view models.
 * Every surface (Slack, Teams, console, CLI) goes through here.
 */
import type { Store } from '../store/store';
import { StoreConflict, StoreUnavailable } from '../store/store';
import type { Actor, Case, CaseFields, Change, ChangeSubject, Decision, Place, Section, Sprint, TemplateName, UndoStep } from './model';
import { newCase } from './cases';
import { checkText, normaliseText, parseCommand, WEEKDAY_NAMES } from './grammar';
import type { Command } from './grammar';
import { HELP } from './help';
import { decisionView, gist, lengthText, localDay, count } from './format';
import { missingSprints, sprintHeading, sprintOn } from './sprints';
import type { SprintWindow } from './sprints';
import { isEmptySection, sectionPrompt, templateSections, TEMPLATES, TO_BE_WRITTEN } from './templates';
import { closeOpenFence, readSprintHeading, renderCaseMarkdown } from './markdown';
import type { DecisionEvent, FormView, Reply, ReplyOf, SprintView } from './views';
import { buildDigest, digestSummary } from './digest';
import { buildRetroPrompt, retroSummary } from './retro';
import { previewWindow, zoneDate } from './schedule';
import type { DigestWindow } from './schedule';

export const UNDO_WINDOW_MINUTES = 15;

export interface Clock {
  now(): Date;
}

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  newId: () => string;
  /** Builds the share link of a case (its page). Absent: sharing is off. */
  shareUrl?: (c: Case) => string | null;
  /** Builds the share link of a case's Markdown download, for `export`. */
  shareMarkdownUrl?: (c: Case) => string | null;
  /** When sharing is off: the settings an operator still has to set (default: both). */
  shareMissing?: Array<'PUBLIC_URL' | 'SHARE_SECRET'>;
  /** Extra command handlers wired by other modules (digest preview, schedule settings). */
  extensions?: Partial<Record<Command['name'], (ctx: CommandContext, command: Command) => Promise<Reply>>>;
}

/** Who is asking, and where. */
export interface CommandContext {
  place: Place;
  actor: Actor;
}

export interface RecordInput {
  text: string;
  /** Evidence items to add with it, one per entry. */
  evidence?: string[];
  sprint?: number;
  sourceUrl?: string | null;
}

function error(message: string, field: ReplyOf<'error'>['field'] = null, suggestion: string | null = null): Reply {
  return { kind: 'error', visibility: 'caller', summary: message, message, suggestion, field };
}

function notice(summary: string, visibility: Reply['visibility'] = 'channel'): Reply {
  return { kind: 'notice', summary, visibility };
}

/** IANA zone names the runtime knows; checked by formatting a date in them. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

export type CaseService = ReturnType<typeof createCaseService>;

export function createCaseService(deps: ServiceDeps) {
  const { store, clock, newId } = deps;
  const nowIso = (): string => clock.now().toISOString();

  async function caseFor(place: Place): Promise<Case> {
    return store.ensureCase(place, () => newCase({ id: newId(), place, now: nowIso() }));
  }

  async function currentSprint(c: Case): Promise<{ window: SprintWindow; sprints: Sprint[] }> {
    const sprints = await store.listSprints(c.id);
    const window = sprintOn(sprints, c.sprintLength, zoneDate(clock.now(), c.timeZone));
    const missing = missingSprints(sprints, c.sprintLength, window);
    if (missing.length > 0) {
      if (sprints.length === 0) await giveDecisionsAHeading(c);
      await store.ensureSprints(c.id, missing);
      return { window, sprints: await store.listSprints(c.id) };
    }
    return { window, sprints };
  }

  /**
   * A case imported from a document with no sprints has no heading for its key decisions.
   * Before its first sprint, give it one (its own "Key decisions…" section if it has one,
   * else the template's) so the sprints do not land inside the last section of the case.
   */
  async function giveDecisionsAHeading(c: Case): Promise<void> {
    const { layout } = c;
    if (layout.decisionsHeading !== null || layout.sprintLevel <= 2) return;
    const level = layout.sprintLevel - 1;
    const own = layout.sections.findIndex((s, i) => s.level === level && /^key decisions\b/i.test(s.heading)
      && !(layout.sections[i + 1] && (layout.sections[i + 1] as Section).level > level));
    const found = own >= 0 ? layout.sections[own] : undefined;
    const sections = found ? layout.sections.filter((_, i) => i !== own) : layout.sections;
    const decisionsHeading = found
      ? { level, text: found.heading, intro: found.body }
      : { level, text: TEMPLATES[c.template].decisionsHeading, intro: '' };
    const decisionsAt = found ? own : sections.length;
    await store.updateCase(c.id, { layout: { ...layout, sections, decisionsHeading, decisionsAt } }, nowIso());
  }

  function change(c: Case, actor: Actor, description: string, undo: UndoStep[] = [], subject?: ChangeSubject): Change {
    return { id: newId(), caseId: c.id, actor, at: nowIso(), description, undo, ...(subject ? { subject } : {}) };
  }

  async function view(c: Case, d: Decision, sprints?: Sprint[]) {
    const [evidence, allSprints] = await Promise.all([store.listEvidence(c.id, { decision: d.number }), sprints ? Promise.resolve(sprints) : store.listSprints(c.id)]);
    return decisionView(d, evidence, allSprints, c.timeZone);
  }

  /** `sprints`: the case's sprints when the caller has just read them. */
  async function decisionReply(c: Case, d: Decision, event: DecisionEvent, summary: string, newEvidence: string | null = null, sprints?: Sprint[]): Promise<Reply> {
    return {
      kind: 'decision', event, summary, caseId: c.id,
      visibility: event === 'shown' ? 'caller' : 'channel',
      decision: await view(c, d, sprints), newEvidence, canUndo: event !== 'shown',
    };
  }

  /** A decision that must exist and, for changes, still be active. */
  async function activeDecision(c: Case, n: number, doing: string): Promise<Decision | Reply> {
    const d = await store.getDecision(c.id, n);
    if (!d) return error(await noSuchDecision(c, n), 'decision');
    if (d.status === 'withdrawn') return error(`Decision ${n} was withdrawn, so you cannot ${doing}.`, 'decision');
    if (d.status === 'superseded') return error(`Decision ${n} was superseded by Decision ${d.supersededBy ?? '?'}, so you cannot ${doing}.`, 'decision');
    return d;
  }

  async function noSuchDecision(c: Case, n: number): Promise<string> {
    const all = await store.listDecisions(c.id);
    if (all.length === 0) return `There is no Decision ${n}: this case has no decisions yet.`;
    const first = all[0]?.number ?? 0;
    const last = all[all.length - 1]?.number ?? 0;
    return `There is no Decision ${n}. Decisions here run from ${first} to ${last}.`;
  }

  function isReply(x: Decision | Reply): x is Reply {
    return (x as Reply).kind !== undefined;
  }

  // ---- decisions and evidence ----

  async function record(ctx: CommandContext, input: RecordInput): Promise<Reply> {
    const typed = normaliseText(input.text);
    const problem = checkText(typed, 'A decision');
    if (problem) return error(problem, 'text');
    const text = closeOpenFence(typed);
    const typedEvidence = (input.evidence ?? []).map(normaliseText).filter((e) => e !== '');
    for (const e of typedEvidence) {
      const p = checkText(e, 'Evidence');
      if (p) return error(p, 'evidence');
    }
    const evidence = typedEvidence.map(closeOpenFence);
    const c = await caseFor(ctx.place);
    const { window, sprints } = await currentSprint(c);
    const sprint = input.sprint ?? window.number;
    if (!sprints.some((s) => s.number === sprint)) return error(`There is no Sprint ${sprint} in this case. The current sprint is ${window.number}.`, 'sprint');
    const at = nowIso();
    const d = await store.recordDecision(c.id, { sprint, text, author: ctx.actor, at, sourceUrl: input.sourceUrl ?? null, evidence },
      { id: newId(), caseId: c.id, actor: ctx.actor, at, description: evidence.length ? 'recorded a decision and its evidence' : 'recorded a decision' });
    const heading = sprintHeading(sprints.find((s) => s.number === sprint) ?? { number: sprint, suffix: '' });
    return decisionReply(c, d, 'recorded', `Decision ${d.number} recorded in ${heading} by ${ctx.actor.name}: ${gist(text)}`, null, sprints);
  }

  async function addEvidence(ctx: CommandContext, input: { decision: number; text: string; sourceUrl?: string | null }): Promise<Reply> {
    const typed = normaliseText(input.text);
    const problem = checkText(typed, 'Evidence');
    if (problem) return error(problem, 'text');
    const text = closeOpenFence(typed);
    const c = await caseFor(ctx.place);
    const d = await activeDecision(c, input.decision, 'add evidence to it');
    if (isReply(d)) return d;
    const at = nowIso();
    const e = await store.addEvidence(c.id, { decision: d.number, text, author: ctx.actor, at, sourceUrl: input.sourceUrl ?? null },
      { id: newId(), caseId: c.id, actor: ctx.actor, at, description: `added evidence to Decision ${d.number}` });
    const label = `${e.decision}${e.letter ?? ''}`;
    return decisionReply(c, d, 'evidence added', `Evidence ${label} added to Decision ${d.number} by ${ctx.actor.name}: ${gist(text)}`, label);
  }

  async function edit(ctx: CommandContext, n: number, newText: string): Promise<Reply> {
    const typed = normaliseText(newText);
    const problem = checkText(typed, 'A decision');
    if (problem) return error(problem, 'text');
    const text = closeOpenFence(typed);
    const c = await caseFor(ctx.place);
    const d = await activeDecision(c, n, 'edit it');
    if (isReply(d)) return d;
    if (d.text === text) return error(`Decision ${n} already says that.`, 'text');
    const at = nowIso();
    const updated = await store.updateDecision(c.id, n, {
      text, updatedAt: at,
      revisions: [...d.revisions, { text: d.text, editedBy: ctx.actor, editedAt: at }],
    }, change(c, ctx.actor, `edited Decision ${n}`, [{ op: 'putDecision', decision: d }], { kind: 'decision', number: n, action: 'edited' }));
    return decisionReply(c, updated, 'edited', `Decision ${n} edited by ${ctx.actor.name}: ${gist(text)}`);
  }

  async function withdraw(ctx: CommandContext, n: number, typedReason: string | null): Promise<Reply> {
    if (typedReason !== null) {
      const problem = checkText(typedReason, 'A reason');
      if (problem) return error(problem);
    }
    // The document gives the reason one line ("_Withdrawn: …_"), so it is kept as one.
    const reason = typedReason === null ? null : typedReason.replace(/\s*[\r\n]+\s*/g, ' ');
    const c = await caseFor(ctx.place);
    const d = await activeDecision(c, n, 'withdraw it');
    if (isReply(d)) return d;
    const at = nowIso();
    const updated = await store.updateDecision(c.id, n, { status: 'withdrawn', statusReason: reason, updatedAt: at },
      change(c, ctx.actor, `withdrew Decision ${n}`, [{ op: 'putDecision', decision: d }], { kind: 'decision', number: n, action: 'withdrawn' }));
    return decisionReply(c, updated, 'withdrawn', `Decision ${n} withdrawn by ${ctx.actor.name}${reason ? `: ${gist(reason)}` : '.'}`);
  }

  async function supersede(ctx: CommandContext, n: number, by: number): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const d = await activeDecision(c, n, 'supersede it');
    if (isReply(d)) return d;
    const replacement = await activeDecision(c, by, 'use it to supersede another');
    if (isReply(replacement)) return replacement;
    const at = nowIso();
    const updated = await store.updateDecision(c.id, n, { status: 'superseded', supersededBy: by, updatedAt: at },
      change(c, ctx.actor, `marked Decision ${n} as superseded by Decision ${by}`, [{ op: 'putDecision', decision: d }], { kind: 'decision', number: n, action: 'superseded' }));
    return decisionReply(c, updated, 'superseded', `Decision ${n} superseded by Decision ${by} (${ctx.actor.name}).`);
  }

  async function undo(ctx: CommandContext): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const since = new Date(clock.now().getTime() - UNDO_WINDOW_MINUTES * 60_000).toISOString();
    const last = await store.lastChange(c.id, ctx.actor.id, since);
    if (!last) return error(`You have nothing to undo here from the last ${UNDO_WINDOW_MINUTES} minutes.`);
    const steps: UndoStep[] = [];
    for (const step of last.undo) {
      const checked = await checkUndoStep(c, step, last);
      if (typeof checked === 'string') return error(checked);
      steps.push(checked);
    }
    await store.revertChange({ ...last, undo: steps });
    return notice(`${ctx.actor.name} undid: ${last.description}.`);
  }

  /** An undo step made safe: never deletes someone else's later work. */
  async function checkUndoStep(c: Case, step: UndoStep, last: Change): Promise<UndoStep | string> {
    switch (step.op) {
      case 'deleteDecision': {
        const d = await store.getDecision(c.id, step.number);
        if (!d) return `Decision ${step.number} is already gone.`;
        const all = await store.listDecisions(c.id);
        const evidence = await store.listEvidence(c.id, { decision: step.number });
        const latest = all[all.length - 1]?.number === step.number;
        if (latest && evidence.every((e) => e.author.id === last.actor.id)) return step;
        // Later decisions or others' evidence depend on it: withdraw rather than leave a gap.
        return { op: 'putDecision', decision: { ...d, status: 'withdrawn', statusReason: 'Undone', updatedAt: nowIso() } };
      }
      case 'putDecision': {
        const now = await store.getDecision(c.id, step.decision.number);
        if (now && now.updatedAt > last.at) return `Decision ${step.decision.number} has changed since, so undoing would lose that change.`;
        return step;
      }
      case 'putCase': {
        const fresh = await store.getCase(c.id);
        if (fresh && fresh.updatedAt > last.at) return 'The case has changed since, so undoing would lose that change.';
        return step;
      }
      case 'deleteSprint': {
        const inSprint = await store.listDecisions(c.id, { sprint: step.number });
        if (inSprint.length > 0) return `Sprint ${step.number} already has decisions, so it cannot be undone.`;
        return step;
      }
      case 'deleteEvidence':
        return step;
    }
  }

  // ---- reading ----

  async function list(ctx: CommandContext, scope: Extract<Command, { name: 'list' }>['scope']): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const { window, sprints } = await currentSprint(c);
    const sprint = scope.kind === 'current' ? window.number : scope.kind === 'sprint' ? scope.sprint : undefined;
    if (sprint !== undefined && !sprints.some((s) => s.number === sprint)) {
      return error(`There is no Sprint ${sprint} in this case. Sprints here run from ${sprints[0]?.number ?? 0} to ${window.number}.`);
    }
    const [decisions, evidence] = await Promise.all([store.listDecisions(c.id, sprint === undefined ? {} : { sprint }), store.listEvidence(c.id)]);
    const heading = sprint === undefined ? 'All decisions' : `Decisions in ${sprintHeading(sprints.find((s) => s.number === sprint) ?? { number: sprint, suffix: '' })}`;
    return {
      kind: 'decisions', visibility: 'caller', caseId: c.id, heading,
      summary: `${heading}: ${decisions.length}`,
      decisions: decisions.map((d) => decisionView(d, evidence, sprints, c.timeZone)),
      emptyText: sprint === undefined ? 'No decisions yet. Record one with `/decision <text>`.' : `No decisions in Sprint ${sprint} yet.`,
    };
  }

  async function show(ctx: CommandContext, n: number): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const d = await store.getDecision(c.id, n);
    if (!d) return error(await noSuchDecision(c, n), 'decision');
    return decisionReply(c, d, 'shown', `Decision ${n}: ${gist(d.text)}`);
  }

  async function search(ctx: CommandContext, words: string): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const terms = words.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
    const [decisions, evidence, sprints] = await Promise.all([store.listDecisions(c.id), store.listEvidence(c.id), store.listSprints(c.id)]);
    const scored = decisions.map((d) => {
      const haystack = [d.text, ...evidence.filter((e) => e.decision === d.number).map((e) => e.text)].join('\n').toLowerCase();
      return { d, score: terms.filter((t) => haystack.includes(t)).length };
    }).filter((x) => x.score === terms.length).sort((a, b) => b.d.number - a.d.number);
    return {
      kind: 'decisions', visibility: 'caller', caseId: c.id,
      heading: `Decisions matching "${gist(words, 60)}"`,
      summary: `${scored.length} decision${scored.length === 1 ? '' : 's'} match "${gist(words, 60)}"`,
      decisions: scored.slice(0, 20).map((x) => decisionView(x.d, evidence, sprints, c.timeZone)),
      emptyText: `Nothing matches "${gist(words, 60)}".`,
    };
  }

  // ---- sprints ----

  function sprintView(c: Case, window: SprintWindow, sprints: Sprint[], decisionCount: number): SprintView {
    return {
      number: window.number,
      heading: sprintHeading(sprints.find((s) => s.number === window.number) ?? { number: window.number, suffix: '' }),
      startsOn: localDay(window.startsOn), endsOn: localDay(window.endsOn),
      length: lengthText(c.sprintLength), timeZone: c.timeZone, decisionCount,
    };
  }

  async function sprintInfo(ctx: CommandContext): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const { window, sprints } = await currentSprint(c);
    const count = (await store.listDecisions(c.id, { sprint: window.number })).length;
    const v = sprintView(c, window, sprints, count);
    return { kind: 'sprint', visibility: 'caller', caseId: c.id, sprint: v, summary: `${v.heading} runs from ${v.startsOn} to ${v.endsOn} (${v.length}); ${count} decision${count === 1 ? '' : 's'} so far.` };
  }

  async function sprintStart(ctx: CommandContext, label: string | null): Promise<Reply> {
    if (label !== null) {
      const p = checkText(label, 'A sprint name', 100);
      if (p) return error(p);
      if (label.includes('\n')) return error('A sprint name is one line.');
    }
    const c = await caseFor(ctx.place);
    const { window } = await currentSprint(c);
    const today = zoneDate(clock.now(), c.timeZone);
    const sprint: Sprint = { number: window.number + 1, suffix: label ? `: ${label}` : '', intro: '', startsOn: today };
    await store.addSprint(c.id, sprint, { id: newId(), caseId: c.id, actor: ctx.actor, at: nowIso(), description: `started ${sprintHeading(sprint)}` });
    const sprints = await store.listSprints(c.id);
    const next = sprintOn(sprints, c.sprintLength, today);
    return { kind: 'sprint', visibility: 'channel', caseId: c.id, sprint: sprintView(c, next, sprints, 0), summary: `${ctx.actor.name} started ${sprintHeading(sprint)}, ending ${localDay(next.endsOn)}. Sprint ${window.number} is over.` };
  }

  async function sprintLength(ctx: CommandContext, count: number, unit: 'days' | 'weeks'): Promise<Reply> {
    const c = await caseFor(ctx.place);
    // currentSprint stores the current sprint with its start date, so the new length
    // counts from there and earlier sprints keep their dates.
    const { sprints } = await currentSprint(c);
    const updated = await store.updateCase(c.id, { sprintLength: { count, unit } }, nowIso(),
      change(c, ctx.actor, `set the sprint length to ${lengthText({ count, unit })}`, [{ op: 'putCase', fields: { sprintLength: c.sprintLength } }]));
    const next = sprintOn(sprints, updated.sprintLength, zoneDate(clock.now(), c.timeZone));
    return notice(`${ctx.actor.name} set sprints to ${lengthText(updated.sprintLength)}. ${sprintHeading({ number: next.number, suffix: '' })} ends ${localDay(next.endsOn)}.`);
  }

  // ---- the business case ----

  async function caseOverview(ctx: CommandContext): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const [decisions, evidence, sprints] = await Promise.all([store.listDecisions(c.id), store.listEvidence(c.id), store.listSprints(c.id)]);
    const sections = c.layout.sections.map((s, i) => {
      const next = c.layout.sections[i + 1];
      const parent = next !== undefined && next.level > s.level && s.body.trim() === '';
      const empty = !parent && isEmptySection(s.body);
      return { heading: s.heading, level: s.level, empty, prompt: empty ? sectionPrompt(c.template, s.heading) : null };
    });
    const emptyCount = sections.filter((s) => s.empty).length;
    return {
      kind: 'case', visibility: 'caller', caseId: c.id, title: c.title, template: c.template, templateLabel: TEMPLATES[c.template].label,
      sections, decisionCount: decisions.length, evidenceCount: evidence.length, sprintCount: sprints.length,
      summary: `${c.title ?? 'Business case'}: ${count(sections.length, 'section')}, ${emptyCount} still to be written; ${count(decisions.length, 'decision')}, ${evidence.length} evidence.`,
    };
  }

  /** Finds the section a `case <section> <markdown>` command names: the longest heading it starts with. */
  function matchSection(c: Case, text: string): { index: number; rest: string } | null {
    const lower = text.toLowerCase();
    let best: { index: number; rest: string; len: number } | null = null;
    c.layout.sections.forEach((s, index) => {
      const h = s.heading.toLowerCase();
      if (lower.startsWith(h) && (lower.length === h.length || /[\s:]/.test(lower[h.length] ?? ''))) {
        if (!best || h.length > best.len) best = { index, rest: text.slice(h.length).replace(/^:?[ \t]*\n?/, ''), len: h.length };
      }
    });
    return best;
  }

  async function caseSection(ctx: CommandContext, text: string): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const found = matchSection(c, text);
    if (!found) {
      const names = c.layout.sections.map((s) => s.heading);
      const first = text.split(/\s+/).slice(0, 3).join(' ');
      const near = names.find((n) => n.toLowerCase().startsWith((text.split(/\s+/)[0] ?? '').toLowerCase().slice(0, 4)));
      return error(`There is no section "${gist(first, 40)}". Sections: ${names.join(', ') || 'none'}.${near ? ` Did you mean \`case ${near} …\`?` : ''}`, null, near ? `case ${near}` : null);
    }
    const section = c.layout.sections[found.index] as Section;
    // A code fence left open would run into the next section: close it, as export would.
    const markdown = closeOpenFence(found.rest.trim());
    if (markdown === '') {
      const empty = isEmptySection(section.body);
      return { kind: 'section', visibility: 'caller', caseId: c.id, heading: section.heading, body: section.body, empty, prompt: empty ? sectionPrompt(c.template, section.heading) : null, summary: `${section.heading}: ${empty ? TO_BE_WRITTEN : gist(section.body)}` };
    }
    const problem = checkText(markdown, `The ${section.heading} section`);
    if (problem) return error(problem, 'text');
    const sections = c.layout.sections.map((s, i) => (i === found.index ? { ...s, body: markdown } : s));
    await store.updateCase(c.id, { layout: { ...c.layout, sections } }, nowIso(),
      change(c, ctx.actor, `rewrote the ${section.heading} section`, [{ op: 'putCase', fields: { layout: c.layout } }], { kind: 'section', heading: section.heading }));
    return notice(`${ctx.actor.name} updated the ${section.heading} section of the case.`);
  }

  async function caseTitle(ctx: CommandContext, title: string): Promise<Reply> {
    const problem = checkText(title, 'A title', 200);
    if (problem) return error(problem, 'text');
    // "# Sprint 4" opens the decisions part of the document, so export could not be read back.
    if (readSprintHeading(title)) return error('A case title cannot start with "Sprint" and a number: the document would read it as a sprint. Try another wording.', 'text');
    const c = await caseFor(ctx.place);
    await store.updateCase(c.id, { title }, nowIso(), change(c, ctx.actor, 'renamed the case', [{ op: 'putCase', fields: { title: c.title } }]));
    return notice(`${ctx.actor.name} renamed the case: ${title}`);
  }

  async function caseTemplate(ctx: CommandContext, template: TemplateName): Promise<Reply> {
    const c = await caseFor(ctx.place);
    if (c.template === template) return error(`This case already uses the ${TEMPLATES[template].label} template.`);
    // New template's sections, keeping the text of any section both share and every written section the new one lacks.
    const fresh = templateSections(template);
    const byHeading = new Map(c.layout.sections.map((s) => [s.heading.toLowerCase(), s]));
    const sections: Section[] = fresh.map((s) => {
      const old = byHeading.get(s.heading.toLowerCase());
      return old ? { ...s, body: old.body } : s;
    });
    const kept = c.layout.sections.filter((s) => !fresh.some((f) => f.heading.toLowerCase() === s.heading.toLowerCase()) && !isEmptySection(s.body));
    const all = [...sections, ...kept];
    const layout = { ...c.layout, sections: all, decisionsAt: all.length };
    await store.updateCase(c.id, { template, layout }, nowIso(),
      change(c, ctx.actor, `switched the case to the ${TEMPLATES[template].label} template`, [{ op: 'putCase', fields: { template: c.template, layout: c.layout } }]));
    return notice(`${ctx.actor.name} switched the case to the ${TEMPLATES[template].label} template.${kept.length ? ` Kept ${kept.length} written section${kept.length === 1 ? '' : 's'} it does not have.` : ''}`);
  }

  // ---- settings ----

  async function setSchedule(ctx: CommandContext, fields: Partial<Case['schedule']>, description: string): Promise<Reply> {
    const c = await caseFor(ctx.place);
    await store.updateCase(c.id, { schedule: { ...c.schedule, ...fields } }, nowIso(),
      change(c, ctx.actor, description, [{ op: 'putCase', fields: { schedule: c.schedule } }]));
    return notice(`${ctx.actor.name} ${description}.`);
  }

  async function timezone(ctx: CommandContext, timeZone: string | null): Promise<Reply> {
    const c = await caseFor(ctx.place);
    if (timeZone === null) return notice(`This case runs on ${c.timeZone} time.`, 'caller');
    if (!isTimeZone(timeZone)) return error(`"${gist(timeZone, 60)}" is not a time zone name. Use a name such as Europe/London or America/New_York.`);
    const fields: CaseFields = { timeZone };
    await store.updateCase(c.id, fields, nowIso(), change(c, ctx.actor, `set the time zone to ${timeZone}`, [{ op: 'putCase', fields: { timeZone: c.timeZone } }]));
    return notice(`${ctx.actor.name} set the time zone to ${timeZone}.`);
  }

  // ---- digest and retro prompt ----

  /** The case's web page for the digest, when sharing is set up. */
  function caseLink(c: Case): string | null {
    return deps.shareUrl ? deps.shareUrl(c) : null;
  }

  /** The digest of a case over a window: scheduled (visibility channel) or a preview for the caller. */
  async function digestReply(c: Case, window: DigestWindow, options: { linkUrl: string | null; preview: boolean }): Promise<ReplyOf<'digest'>> {
    const [snap, changes] = await Promise.all([store.snapshot(c.id), store.listChanges(c.id, window.since, window.until)]);
    if (!snap) throw new StoreConflict(`There is no case ${c.id}.`);
    const digest = buildDigest(snap, changes, window, { linkUrl: options.linkUrl, preview: options.preview });
    return { kind: 'digest', visibility: options.preview ? 'caller' : 'channel', caseId: c.id, digest, summary: digestSummary(digest) };
  }

  /** The retro prompt for one sprint of a case. */
  async function retroReply(c: Case, sprint: number): Promise<ReplyOf<'retro'>> {
    const snap = await store.snapshot(c.id);
    if (!snap) throw new StoreConflict(`There is no case ${c.id}.`);
    const retro = buildRetroPrompt(snap, sprint);
    return { kind: 'retro', visibility: 'channel', caseId: c.id, retro, summary: retroSummary(retro) };
  }

  async function digestPreview(ctx: CommandContext): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const reply = await digestReply(c, previewWindow(c, clock.now()), { linkUrl: caseLink(c), preview: true });
    const when = `${WEEKDAY_NAMES[c.schedule.digestWeekday]}s at ${c.schedule.digestTime} (${c.timeZone})`;
    const status = c.schedule.digestOn ? `The digest posts here on ${when}.` : `The weekly digest is off here; \`digest on\` posts it on ${when}.`;
    return { ...reply, summary: `${reply.summary} ${status}` };
  }

  // ---- whole case ----

  async function exportCase(ctx: CommandContext): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const snap = await store.snapshot(c.id);
    if (!snap) return error('This case could not be read. Please try again.');
    const markdown = renderCaseMarkdown(snap);
    const filename = `${slug(c.title ?? 'business-case')}.md`;
    return { kind: 'export', visibility: 'caller', caseId: c.id, markdown, filename, url: deps.shareMarkdownUrl?.(c) ?? null, summary: `The business case as Markdown (${markdown.length.toLocaleString('en-GB')} characters).` };
  }

  async function share(ctx: CommandContext, revoke: boolean): Promise<Reply> {
    const c = await caseFor(ctx.place);
    if (!deps.shareUrl) return error(sharingOff(deps.shareMissing));
    if (revoke) {
      await store.updateCase(c.id, { shareVersion: c.shareVersion + 1 }, nowIso());
      return notice(`${ctx.actor.name} cancelled every earlier link to this case.`);
    }
    const url = deps.shareUrl(c);
    if (!url) return error(sharingOff(deps.shareMissing));
    return { kind: 'share', visibility: 'caller', caseId: c.id, url, summary: `Anyone with this link can read the case: ${url}` };
  }

  function help(topic: string | null): Reply {
    if (topic === null) return { kind: 'help', visibility: 'caller', topic: null, entries: HELP, summary: 'Commands: ' + HELP.map((h) => h.command).join(', ') };
    const entry = HELP.find((h) => h.command === topic || topic.startsWith(`${h.command} `));
    if (!entry) return error(`There is no command "${gist(topic, 40)}". Try \`help\` for the list.`);
    return { kind: 'help', visibility: 'caller', topic: entry.command, entries: [entry], summary: `${entry.usage}: ${entry.summary}` };
  }

  async function form(ctx: CommandContext, prefill: { text?: string; sourceUrl?: string | null } = {}): Promise<Reply> {
    const c = await caseFor(ctx.place);
    const { window, sprints } = await currentSprint(c);
    const f: FormView = {
      sprints: sprints.filter((s) => s.number <= window.number).sort((a, b) => b.number - a.number).map((s) => ({ number: s.number, heading: sprintHeading(s) })),
      current: window.number, text: prefill.text ?? '', sourceUrl: prefill.sourceUrl ?? null,
    };
    return { kind: 'form', visibility: 'caller', caseId: c.id, form: f, summary: 'Record a decision' };
  }

  /** Decisions to pick from when adding evidence: the current sprint's first, then the rest, newest first. */
  async function pickableDecisions(ctx: CommandContext): Promise<{ number: number; text: string; sprint: number }[]> {
    const c = await caseFor(ctx.place);
    const { window } = await currentSprint(c);
    const all = (await store.listDecisions(c.id)).filter((d) => d.status === 'active');
    const rank = (d: Decision) => (d.sprint === window.number ? 0 : 1);
    return all.sort((a, b) => rank(a) - rank(b) || b.number - a.number).map((d) => ({ number: d.number, text: d.text, sprint: d.sprint }));
  }

  async function runCommand(ctx: CommandContext, command: Command): Promise<Reply> {
    const extension = deps.extensions?.[command.name];
    if (extension) return extension(ctx, command);
    switch (command.name) {
      case 'form': return form(ctx);
      case 'record': return record(ctx, { text: command.text });
      case 'evidence': return addEvidence(ctx, { decision: command.decision, text: command.text });
      case 'list': return list(ctx, command.scope);
      case 'show': return show(ctx, command.decision);
      case 'search': return search(ctx, command.words);
      case 'edit': return edit(ctx, command.decision, command.text);
      case 'withdraw': return withdraw(ctx, command.decision, command.reason);
      case 'supersede': return supersede(ctx, command.decision, command.by);
      case 'undo': return undo(ctx);
      case 'sprint': return sprintInfo(ctx);
      case 'sprint start': return sprintStart(ctx, command.label);
      case 'sprint length': return sprintLength(ctx, command.count, command.unit);
      case 'case': return caseOverview(ctx);
      case 'case section': return caseSection(ctx, command.text);
      case 'case title': return caseTitle(ctx, command.text);
      case 'case template': return caseTemplate(ctx, command.template);
      case 'digest switch': return setSchedule(ctx, { digestOn: command.on }, `switched the weekly digest ${command.on ? 'on' : 'off'}`);
      case 'digest time': return setSchedule(ctx, { digestWeekday: command.weekday, digestTime: command.time }, `set the weekly digest for ${WEEKDAY_NAMES[command.weekday]} at ${command.time}`);
      case 'retro switch': return setSchedule(ctx, { retroOn: command.on }, `switched the end-of-sprint retro prompt ${command.on ? 'on' : 'off'}`);
      case 'retro time': return setSchedule(ctx, { retroTime: command.time }, `set the retro prompt for ${command.time} on the last working day of each sprint`);
      case 'timezone': return timezone(ctx, command.timeZone);
      case 'share': return share(ctx, command.revoke);
      case 'export': return exportCase(ctx);
      case 'help': return help(command.topic);
      case 'digest': return digestPreview(ctx);
    }
  }

  /** Runs the words a person typed. Never throws for bad input: errors come back as replies. */
  async function run(ctx: CommandContext, text: string): Promise<Reply> {
    const parsed = parseCommand(text);
    if (parsed.name === 'error') return { kind: 'error', visibility: 'caller', summary: parsed.message, message: parsed.message, suggestion: parsed.suggestion, field: null };
    try {
      return await runCommand(ctx, parsed);
    } catch (err) {
      if (err instanceof StoreConflict || err instanceof StoreUnavailable) return error(err.message);
      throw err;
    }
  }

  return {
    run, runCommand, record, addEvidence, edit, form, pickableDecisions, caseFor, currentSprint,
    digestReply, retroReply, caseLink,
    /** For adapters that show a case's state (App Home): its current sprint and last decision. */
    async summary(c: Case): Promise<{ sprint: string; lastDecision: { number: number; text: string } | null }> {
      const { window, sprints } = await currentSprint(c);
      const decisions = await store.listDecisions(c.id);
      const last = decisions[decisions.length - 1];
      return { sprint: sprintHeading(sprints.find((s) => s.number === window.number) ?? { number: window.number, suffix: '' }), lastDecision: last ? { number: last.number, text: last.text } : null };
    },
  };
}

const SHARE_SETTINGS = {
  PUBLIC_URL: 'PUBLIC_URL (the address people reach this bot at, such as https://decisions.example.org)',
  SHARE_SECRET: 'SHARE_SECRET (a random secret of at least 16 characters)',
} as const;

/** What `share` answers when links cannot be made: exactly which settings are missing. */
export function sharingOff(missing: Array<keyof typeof SHARE_SETTINGS> = ['PUBLIC_URL', 'SHARE_SECRET']): string {
  const names = (missing.length > 0 ? missing : (['PUBLIC_URL', 'SHARE_SECRET'] as const)).map((m) => SHARE_SETTINGS[m]);
  return `Sharing is not set up here. Ask whoever runs the bot to set ${names.join(' and ')}.`;
}

/** A file name from a title: lower case, hyphens, nothing else. */
export function slug(title: string): string {
  const s = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return s === '' ? 'business-case' : s;
}

