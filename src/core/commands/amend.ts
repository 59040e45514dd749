/** Changing a recorded decision: edit its wording, withdraw it, supersede it by another. */
import { gist } from '../format';
import { checkText, normaliseText } from '../grammar';
import { closeOpenFence } from '../markdown';
import type { Decision } from '../model';
import type { CaseDraft } from '../case-draft';
import type { ChangeSubject } from '../model';
import { said } from '../said';
import type { Reply } from '../views';
import { activeDecision, decisionReply, error, isReply, noSuchDecision, touch, warnCitations, type CommandContext, type Handler, type Handlers, type Kit } from './kit';
import { readDeciders } from './record';
import { joinNames } from '../markdown';

/** A decision still proposed, to accept or reject; otherwise why not, in plain words. */
function proposal(draft: CaseDraft, n: number, doing: 'accept' | 'reject'): Decision | ReturnType<typeof error> {
  const d = draft.decision(n);
  if (!d) return error(noSuchDecision(draft, n), 'decision');
  if (d.status === 'proposed') return d;
  const now = d.status === 'active' ? 'already taken' : d.status === 'superseded' ? `superseded by Decision ${d.supersededBy ?? '?'}` : d.status;
  return error(`Decision ${n} is not a proposal: it was ${now}, so there is nothing to ${doing}. Only decisions recorded with \`propose\` are accepted or rejected. Nothing changed.`, 'decision');
}

/** Puts the changed decision and the change that can put the old one back. */
function amend(kit: Kit, draft: CaseDraft, ctx: CommandContext, before: Decision, after: Decision, description: string, action: Extract<ChangeSubject, { kind: 'decision' }>['action']): string {
  draft.putDecision(after);
  return draft.addChange({
    id: kit.deps.newId(), actor: ctx.actor, at: after.updatedAt, description,
    undo: [{ op: 'putDecision', decision: before }], touches: [touch.decision(before.number)],
    subject: { kind: 'decision', number: before.number, action },
  }).id;
}

function edit(kit: Kit): Handler<'edit'> {
  return async (ctx, { decision: n, text: newText }) => {
    const typed = normaliseText(newText);
    const problem = checkText(typed, 'A decision');
    if (problem) return error(problem, 'text');
    const text = closeOpenFence(typed);
    return kit.write(ctx, (draft) => {
      const d = activeDecision(draft, n, 'edit it', true);
      if (isReply(d)) return d;
      if (d.text === text) return error(`Decision ${n} already says that.`, 'text');
      const at = kit.nowIso();
      const updated: Decision = { ...d, text, updatedAt: at, revisions: [...d.revisions, { text: d.text, editedBy: ctx.actor, editedAt: at }] };
      const id = amend(kit, draft, ctx, d, updated, `edited Decision ${n}`, 'edited');
      return warnCitations(decisionReply(draft, updated, 'edited', said`Decision ${n} edited by ${ctx.actor}: ${gist(text)}`, null, id), draft, [text]);
    });
  };
}

/**
 * A withdrawal's or rejection's reason, checked; the document gives it one line
 * ("_Withdrawn: …_", "_Rejected: …_"), so it is kept as one. An error reply when it cannot be kept.
 */
function oneLineReason(typed: string | null): string | null | Reply {
  if (typed === null) return null;
  const problem = checkText(typed, 'A reason');
  if (problem) return error(problem);
  return typed.replace(/\s*[\r\n]+\s*/g, ' ');
}

function withdraw(kit: Kit): Handler<'withdraw'> {
  return async (ctx, { decision: n, reason: typedReason }) => {
    const reason = oneLineReason(typedReason);
    if (typeof reason === 'object' && reason !== null) return reason;
    return kit.write(ctx, (draft) => {
      const d = activeDecision(draft, n, 'withdraw it');
      if (isReply(d)) return d;
      const updated: Decision = { ...d, status: 'withdrawn', statusReason: reason, updatedAt: kit.nowIso() };
      const id = amend(kit, draft, ctx, d, updated, `withdrew Decision ${n}`, 'withdrawn');
      return decisionReply(draft, updated, 'withdrawn', said`Decision ${n} withdrawn by ${ctx.actor}${reason ? `: ${gist(reason)}` : '.'}`, null, id);
    });
  };
}

function accept(kit: Kit): Handler<'accept'> {
  return async (ctx, { decision: n, decidedBy }) => {
    const deciders = readDeciders(decidedBy);
    if (!Array.isArray(deciders)) return error(deciders.problem, 'deciders');
    return kit.write(ctx, (draft) => {
      const d = proposal(draft, n, 'accept');
      if (isReply(d)) return d;
      const updated: Decision = { ...d, status: 'active', deciders: deciders.length > 0 ? deciders : d.deciders, updatedAt: kit.nowIso() };
      const id = amend(kit, draft, ctx, d, updated, `accepted Decision ${n}`, 'accepted');
      const takenBy = updated.deciders.length > 0 ? `, decided by ${joinNames(updated.deciders)}` : '';
      return decisionReply(draft, updated, 'accepted', `Decision ${n} accepted by ${ctx.actor.name}${takenBy}: ${gist(d.text)}`, null, id);
    });
  };
}

function reject(kit: Kit): Handler<'reject'> {
  return async (ctx, { decision: n, reason: typedReason }) => {
    const reason = oneLineReason(typedReason);
    if (typeof reason === 'object' && reason !== null) return reason;
    return kit.write(ctx, (draft) => {
      const d = proposal(draft, n, 'reject');
      if (isReply(d)) return d;
      const updated: Decision = { ...d, status: 'rejected', statusReason: reason, updatedAt: kit.nowIso() };
      const id = amend(kit, draft, ctx, d, updated, `rejected Decision ${n}`, 'rejected');
      return decisionReply(draft, updated, 'rejected', `Decision ${n} rejected by ${ctx.actor.name}${reason ? `: ${gist(reason)}` : '.'}`, null, id);
    });
  };
}

function supersede(kit: Kit): Handler<'supersede'> {
  return async (ctx, { decision: n, by }) => {
    if (n === by) return error(`Decision ${n} cannot supersede itself.`, 'decision');
    return kit.write(ctx, (draft) => {
      const d = activeDecision(draft, n, 'supersede it');
      if (isReply(d)) return d;
      const replacement = activeDecision(draft, by, 'use it to supersede another');
      if (isReply(replacement)) return replacement;
      const updated: Decision = { ...d, status: 'superseded', supersededBy: by, updatedAt: kit.nowIso() };
      const id = amend(kit, draft, ctx, d, updated, `marked Decision ${n} as superseded by Decision ${by}`, 'superseded');
      return decisionReply(draft, updated, 'superseded', said`Decision ${n} superseded by Decision ${by}, by ${ctx.actor}.`, null, id);
    });
  };
}

export function amendHandlers(kit: Kit): Pick<Handlers, 'edit' | 'withdraw' | 'supersede' | 'accept' | 'reject'> {
  return { edit: edit(kit), withdraw: withdraw(kit), accept: accept(kit), reject: reject(kit), supersede: supersede(kit) };
}
