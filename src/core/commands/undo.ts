/**
 * Undo: takes back one identified change (the button's, or the caller's latest) and is
 * refused, with the reason, if anyone has touched what it would remove or restore since.
 * "Since" is decided by versions: a later change (a higher version, not itself undone)
 * whose touched keys overlap this one's. A decision number is freed only while it is the
 * latest and nothing refers to it; otherwise the person is told to withdraw it.
 */
import type { CaseDraft } from '../case-draft';
import { findCitations } from '../citations';
import type { Change, Section, UndoStep } from '../model';
import { restorePublication } from '../publishing/settings';
import { join, said, type Words } from '../said';
import { isReply, error, overlaps, saying, type Handlers, type Kit } from './kit';
import { StaleRead } from '../unit-of-work';
import type { Reply } from '../views';

export const UNDO_WINDOW_MINUTES = 15;

const WITHDRAW_INSTEAD = (n: number): string => `To take it back, use \`withdraw ${n}\`.`;

/** Applies one undo step to the draft, or says in plain words why it cannot. */
function applyStep(draft: CaseDraft, step: UndoStep, change: Change): Words | null {
  switch (step.op) {
    case 'deleteDecision': {
      const n = step.number;
      const d = draft.decision(n);
      if (!d) return `Decision ${n} is already gone.`;
      const later = draft.decisionList().find((x) => x.number > n);
      if (later) return `Decision ${later.number} was recorded after Decision ${n}, so its number cannot be freed. ${WITHDRAW_INSTEAD(n)}`;
      const others = draft.evidenceList({ decision: n }).filter((e) => !change.touches.includes(`evidence.${e.id}`));
      if (others.length > 0) {
        const e = others[0];
        return said`${e?.author ?? 'Someone'} added Evidence ${n}${e?.letter ?? ''} to Decision ${n} since. ${WITHDRAW_INSTEAD(n)}`;
      }
      const superseded = draft.decisionList().find((x) => x.supersededBy === n);
      if (superseded) return `Decision ${superseded.number} is marked as superseded by Decision ${n}. ${WITHDRAW_INSTEAD(n)}`;
      const citing = draft.case.layout.sections.find((s) => findCitations(s.body).some((c) => c.decision === n));
      if (citing) return `The ${citing.heading} section cites Decision ${n}. ${WITHDRAW_INSTEAD(n)}`;
      draft.deleteDecision(n);
      return null;
    }
    case 'putDecision':
      draft.putDecision(step.decision);
      return null;
    case 'putSprint':
      if (!draft.sprint(step.sprint.number)) return `Sprint ${step.sprint.number} is gone.`;
      draft.putSprint(step.sprint);
      return null;
    case 'putEvidence':
      if (!draft.evidenceList({ decision: step.evidence.decision }).some((e) => e.id === step.evidence.id)) return 'That evidence is gone.';
      draft.putEvidence(step.evidence);
      return null;
    case 'deleteEvidence': {
      const e = draft.evidenceList().find((x) => x.id === step.id);
      if (!e) return 'That evidence is already gone.';
      const label = `${e.decision}${e.letter ?? ''}`;
      const citing = draft.case.layout.sections.find((s) => findCitations(s.body).some((c) => c.label === label));
      if (citing) return `The ${citing.heading} section cites Evidence ${label}, so it cannot be undone.`;
      draft.deleteEvidence(step.id);
      return null;
    }
    case 'putCase':
      draft.setCase(step.fields);
      return null;
    case 'putSection': {
      const { layout } = draft.case;
      const index = layout.sections.findIndex((s) => s.heading.toLowerCase() === step.heading.toLowerCase());
      if (index < 0) return `The case has no ${step.heading} section any more.`;
      const sections = layout.sections.map((s, i): Section => (i === index ? { ...s, body: step.body } : s));
      draft.setCase({ layout: { ...layout, sections } });
      return null;
    }
    case 'putPublication':
      draft.setCase({ publication: restorePublication(draft.case.publication, step.publication) });
      return null;
    case 'deleteSprint': {
      if (draft.decisionList({ sprint: step.number }).length > 0) return `Sprint ${step.number} already has decisions, so it cannot be undone.`;
      if (draft.sprintList().some((s) => s.number > step.number)) return `Sprint ${step.number + 1} has started since, so Sprint ${step.number} cannot be undone.`;
      draft.deleteSprint(step.number);
      return null;
    }
    case 'switchCanvas': {
      const canvas = draft.case.canvas;
      if (!canvas) return 'The case is not kept in a canvas any more.';
      draft.setCase({ canvas: { ...canvas, on: step.on } });
      return null;
    }
    case 'restoreCase':
      // Nothing else can be in the way: the import touched the whole case, so any later
      // change at all has already refused this undo.
      draft.replaceWith(step.snapshot);
      return null;
  }
}

export function undoHandlers(kit: Kit): Pick<Handlers, 'undo'> {
  const { store } = kit.deps;

  /** The change to undo, or why there is none. */
  async function target(draft: CaseDraft, actorId: string, id: string | null, since: string): Promise<Change | Reply> {
    if (draft.readVersion === null) return error('You have nothing to undo here.');
    if (id === null) {
      const last = await store.lastChange(draft.case.id, actorId, since);
      return last ?? error(`You have nothing left to undo here from the last ${UNDO_WINDOW_MINUTES} minutes.`);
    }
    const found = await store.getChange(draft.case.id, id);
    if (!found) return error('That change is not in this case, so there is nothing to undo.');
    if (found.actor.id !== actorId) return error(said`Only ${found.actor} can undo that. To change it, use \`edit\` or \`withdraw\`.`);
    if (found.undoneAt) return error(`That was already undone: ${found.description}.`);
    if (found.at < since) return error(`That was more than ${UNDO_WINDOW_MINUTES} minutes ago, so it can no longer be undone. Use \`edit\` or \`withdraw\` instead.`);
    return found;
  }

  return {
    async undo(ctx, command) {
      return kit.write(ctx, async (draft) => {
        const since = new Date(kit.now().getTime() - UNDO_WINDOW_MINUTES * 60_000).toISOString();
        const change = await target(draft, ctx.actor.id, command.change, since);
        if (isReply(change)) return change;
        // The change was committed after this draft was read: decide again on fresh state.
        if (change.version > (draft.readVersion ?? 0)) throw new StaleRead();
        if (change.version === 0) return error('That change was made before this version of the bot, so it cannot be undone. Use `edit` or `withdraw` instead.');
        const later = (await store.changesAfter(draft.case.id, change.version))
          .filter((l) => !l.undoneAt && l.touches.some((k) => change.touches.some((t) => overlaps(k, t))));
        const first = later[0];
        if (first) {
          const who = first.actor.id === ctx.actor.id ? 'you' : first.actor;
          return error(said`Since then ${who} ${first.description}, and undoing would lose that. Nothing changed.`);
        }
        for (const step of change.undo) {
          const refused = applyStep(draft, step, change);
          if (refused) return error(join(refused, ' Nothing changed.'));
        }
        draft.markUndone(change.id, kit.nowIso());
        return { kind: 'notice', visibility: 'channel', ...saying(said`${ctx.actor} undid: ${change.description}.`), undid: change.id };
      });
    },
  };
}
