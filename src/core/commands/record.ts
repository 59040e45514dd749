/** Recording a decision, and adding evidence to one. */
import { gist } from '../format';
import { checkText, normaliseText } from '../grammar';
import { letterFor, nextLetter } from '../letters';
import { closeOpenFence, joinNames, splitNames } from '../markdown';
import type { Decision, Evidence } from '../model';
import { sprintHeading } from '../sprints';
import { mergePoints, pointList, takeInlinePoints } from '../service-standard';
import { activeDecision, decisionReply, error, isReply, touch, warnCitations, type Handlers, type Kit } from './kit';

/** What a record form says under its evidence field, on every surface. */
export const EVIDENCE_FIELD_HINT = 'One item a line: a finding, a quote, a figure or a link.';

/** What a record form says under its "Decided by" field, on every surface. */
export const DECIDERS_FIELD_HINT = 'Who took the decision, if not you: names, separated by commas.';

/** What a record form says under its Service Standard field, on every surface. */
export const POINTS_FIELD_HINT = 'The points of the Service Standard this decision speaks to, if any.';

/** A form's evidence field: one piece of evidence a line, blank lines skipped. */
export function evidenceItems(field: string): string[] {
  return normaliseText(field).split('\n').map(normaliseText).filter((e) => e !== '');
}

/** " [points 1 and 5]" for a confirmation, or "". */
function pointsWords(points: readonly number[]): string {
  return points.length === 0 ? '' : ` [Service Standard ${pointList(points)}]`;
}

/** At most this many people named as taking one decision. */
export const MAX_DECIDERS = 10;

/**
 * Who took a decision, from what was typed after `by` or in a form's field ("@ana and @Ben
 * Jones", "Ana, Ben"): names, each checked, or what is wrong in plain words.
 */
export function readDeciders(typed: string | null | undefined): string[] | { problem: string } {
  if (typed === null || typed === undefined || typed.trim() === '') return [];
  const names = splitNames(typed.replace(/[\r\n]+/g, ', '));
  if (names.length === 0) return { problem: 'Name who took the decision, such as `by @ana`.' };
  if (names.length > MAX_DECIDERS) return { problem: `Name at most ${MAX_DECIDERS} people as taking one decision.` };
  for (const name of names) {
    const p = checkText(name, 'A name', 80);
    if (p) return { problem: p };
  }
  return names;
}

export function recordHandlers(kit: Kit): Pick<Handlers, 'record' | 'evidence'> {
  const { newId } = kit.deps;

  return {
    async record(ctx, command) {
      // "… [SS 1, 5]" closing the text names its points, typed or in a form's text field.
      const inline = takeInlinePoints(normaliseText(command.text));
      const typed = normaliseText(inline.text);
      const problem = checkText(typed, 'A decision');
      if (problem) return error(problem, 'text');
      const points = mergePoints(command.points, inline.points);
      if (!Array.isArray(points)) return error(points.problem, 'points');
      const text = closeOpenFence(typed);
      // Each line of a form's evidence field may close with its own points.
      const typedEvidence = evidenceItems(command.evidence ?? '').map(takeInlinePoints);
      const evidencePoints: number[][] = [];
      for (const e of typedEvidence) {
        const p = checkText(normaliseText(e.text), 'Evidence');
        if (p) return error(p, 'evidence');
        const ps = mergePoints(e.points);
        if (!Array.isArray(ps)) return error(ps.problem, 'evidence');
        evidencePoints.push(ps);
      }
      const evidenceTexts = typedEvidence.map((e) => closeOpenFence(normaliseText(e.text)));
      const deciders = readDeciders(command.decidedBy);
      if (!Array.isArray(deciders)) return error(deciders.problem, 'deciders');
      const proposed = command.proposed === true;
      return kit.write(ctx, (draft, window) => {
        const sprint = command.sprint ?? window.number;
        const found = draft.sprint(sprint);
        if (!found) return error(`There is no Sprint ${sprint} in this case. The current sprint is ${window.number}.`, 'sprint');
        const at = kit.nowIso();
        const last = draft.lastDecisionNumber();
        const decision: Decision = {
          number: last === null ? 0 : last + 1, sprint, text, author: ctx.actor, createdAt: at, updatedAt: at,
          status: proposed ? 'proposed' : 'active', statusReason: null, supersededBy: null, sourceUrl: command.sourceUrl ?? null, revisions: [],
          deciders, points,
        };
        draft.putDecision(decision);
        const evidence: Evidence[] = evidenceTexts.map((t, position) => ({
          id: newId(), decision: decision.number, letter: letterFor(position), refersTo: null, position, text: t,
          author: ctx.actor, createdAt: at, sourceUrl: null, points: evidencePoints[position] ?? [],
        }));
        for (const e of evidence) draft.putEvidence(e);
        const change = draft.addChange({
          id: newId(), actor: ctx.actor, at,
          description: `${proposed ? 'proposed' : 'recorded'} Decision ${decision.number}${evidence.length ? ' and its evidence' : ''}`,
          undo: [{ op: 'deleteDecision', number: decision.number }],
          touches: [touch.decision(decision.number), ...evidence.map((e) => touch.evidence(e.id))],
        });
        const cited = [text, ...evidenceTexts];
        if (proposed) {
          return warnCitations(decisionReply(draft, decision, 'proposed',
            `Decision ${decision.number} proposed in ${sprintHeading(found, draft.case.layout.sprintForms)} by ${ctx.actor.name}, to be agreed: ${gist(text)}${pointsWords(points)}`, null, change.id), draft, cited);
        }
        const takenBy = deciders.length > 0 ? ` (decided by ${joinNames(deciders)})` : '';
        return warnCitations(decisionReply(draft, decision, 'recorded',
          `Decision ${decision.number} recorded in ${sprintHeading(found, draft.case.layout.sprintForms)} by ${ctx.actor.name}${takenBy}: ${gist(text)}${pointsWords(points)}`, null, change.id), draft, cited);
      });
    },

    async evidence(ctx, command) {
      const inline = takeInlinePoints(normaliseText(command.text));
      const typed = normaliseText(inline.text);
      const problem = checkText(typed, 'Evidence');
      if (problem) return error(problem, 'text');
      const points = mergePoints(command.points, inline.points);
      if (!Array.isArray(points)) return error(points.problem, 'points');
      const text = closeOpenFence(typed);
      return kit.write(ctx, (draft) => {
        const d = activeDecision(draft, command.decision, 'add evidence to it', true);
        if (isReply(d)) return d;
        const under = draft.evidenceList({ decision: d.number });
        const at = kit.nowIso();
        const e: Evidence = {
          id: newId(), decision: d.number, letter: nextLetter(under.map((x) => x.letter)), refersTo: null,
          position: under.reduce((m, x) => Math.max(m, x.position + 1), 0), text, author: ctx.actor, createdAt: at,
          sourceUrl: command.sourceUrl ?? null, points,
        };
        draft.putEvidence(e);
        const label = `${e.decision}${e.letter ?? ''}`;
        const change = draft.addChange({
          id: newId(), actor: ctx.actor, at, description: `added Evidence ${label} to Decision ${d.number}`,
          undo: [{ op: 'deleteEvidence', id: e.id }], touches: [touch.evidence(e.id)],
        });
        return warnCitations(decisionReply(draft, d, 'evidence added', `Evidence ${label} added to Decision ${d.number} by ${ctx.actor.name}: ${gist(text)}${pointsWords(points)}`, label, change.id), draft, [text]);
      });
    },
  };
}
