/** Tagging decisions and evidence with points of the Service Standard: `tag 8 1 5`, `tag 8a 5`, `untag 8 [5]`. */
import type { CaseDraft } from '../case-draft';
import type { TagTarget } from '../grammar';
import type { Decision, Evidence } from '../model';
import { pointList, sortPoints } from '../service-standard';
import { decisionReply, error, noSuchDecision, touch, type CommandContext, type Handlers, type Kit } from './kit';
import type { Reply } from '../views';

const points = (ps: readonly number[]): string => `${ps.length === 1 ? 'point' : 'points'} ${pointList(ps)}`;

/** The decision, or the piece of evidence, a tag names; or why there is none. */
function findTarget(draft: CaseDraft, target: TagTarget): { decision: Decision; evidence: Evidence | null } | Reply {
  const d = draft.decision(target.decision);
  if (!d) return error(noSuchDecision(draft, target.decision), 'decision');
  if (target.letters === null) return { decision: d, evidence: null };
  const under = draft.evidenceList({ decision: d.number });
  const e = under.find((x) => x.letter === target.letters);
  if (e) return { decision: d, evidence: e };
  const labels = under.filter((x) => x.letter !== null).map((x) => `${x.decision}${x.letter ?? ''}`);
  return error(`There is no Evidence ${d.number}${target.letters}. ${labels.length === 0 ? `Decision ${d.number} has no evidence of its own yet.` : `Decision ${d.number} has Evidence ${labels.join(', ')}.`}`, 'decision');
}

export function tagHandlers(kit: Kit): Pick<Handlers, 'tag' | 'untag'> {
  /** Sets the points of the target, as one change that undo can take back. */
  function retag(ctx: CommandContext, target: TagTarget, next: (before: number[]) => number[] | Reply, describe: (label: string, changed: number[]) => { change: string; summary: string }): Promise<Reply> {
    return kit.write(ctx, (draft) => {
      const found = findTarget(draft, target);
      if ('kind' in found) return found;
      const { decision: d, evidence: e } = found;
      const label = e ? `Evidence ${d.number}${e.letter ?? ''}` : `Decision ${d.number}`;
      const before = e ? e.points : d.points;
      const after = next(before);
      if (!Array.isArray(after)) return after;
      const changed = [...after.filter((p) => !before.includes(p)), ...before.filter((p) => !after.includes(p))];
      const words = describe(label, sortPoints(changed));
      const at = kit.nowIso();
      let id: string;
      if (e) {
        draft.putEvidence({ ...e, points: after });
        id = draft.addChange({ id: kit.deps.newId(), actor: ctx.actor, at, description: words.change, undo: [{ op: 'putEvidence', evidence: e }], touches: [touch.evidence(e.id)] }).id;
      } else {
        draft.putDecision({ ...d, points: after, updatedAt: at });
        id = draft.addChange({ id: kit.deps.newId(), actor: ctx.actor, at, description: words.change, undo: [{ op: 'putDecision', decision: d }], touches: [touch.decision(d.number)] }).id;
      }
      const shown = draft.decision(d.number) as Decision;
      return decisionReply(draft, shown, 'tagged', words.summary, e ? `${d.number}${e.letter ?? ''}` : null, id);
    });
  }

  return {
    tag(ctx, { target, points: adding }) {
      return retag(ctx, target, (before) => {
        const after = sortPoints([...before, ...adding]);
        if (after.length === before.length) return error(`${target.letters ? `Evidence ${target.decision}${target.letters}` : `Decision ${target.decision}`} already has ${points(adding)}. Nothing changed.`, 'points');
        return after;
      }, (label, changed) => ({
        change: `tagged ${label} with ${points(changed)} of the Service Standard`,
        summary: `${label} tagged with ${points(changed)} of the Service Standard by ${ctx.actor.name}.`,
      }));
    },

    untag(ctx, { target, points: removing }) {
      return retag(ctx, target, (before) => {
        const what = target.letters ? `Evidence ${target.decision}${target.letters}` : `Decision ${target.decision}`;
        if (before.length === 0) return error(`${what} has no points of the Service Standard to take off. Nothing changed.`, 'points');
        const after = removing === null ? [] : before.filter((p) => !removing.includes(p));
        if (after.length === before.length) return error(`${what} does not have ${points(removing ?? [])}: it has ${points(before)}. Nothing changed.`, 'points');
        return after;
      }, (label, changed) => ({
        change: `took ${points(changed)} of the Service Standard off ${label}`,
        summary: `${ctx.actor.name} took ${points(changed)} of the Service Standard off ${label}.`,
      }));
    },
  };
}
