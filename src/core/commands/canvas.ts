/**
 * The case in the channel's canvas: `canvas on` makes it (or picks it up again) and keeps it
 * current after every change, `canvas off` stops and leaves it as it stands, `canvas` says
 * how it is. Switching is a change like any other (history, undo); what the bot finds out
 * making the canvas is recorded beside it, and Slack's refusals are said in one line.
 */
import { CANVAS_GAP_MS, createCanvasKeeper, type CanvasKeeper, type CanvasOutcome } from '../canvas/keep';
import { localTime } from '../format';
import type { CaseCanvas, Place } from '../model';
import { said, type Words } from '../said';
import type { Reply } from '../views';
import { error, notice, touch, type CommandContext, type Handlers, type Kit } from './kit';

/** Where canvases are: Slack's. Elsewhere the case is shown another way. */
function notHere(place: Place): string | null {
  if (place.platform === 'slack') return null;
  if (place.platform === 'teams') return 'Canvases are Slack\'s. In Teams, show the case in a tab of the channel: + (Add a tab) → Decisions, and paste the link `share` gives you.';
  return 'Canvases are Slack\'s: in a Slack channel, `/decision canvas on` keeps the case in the channel\'s canvas.';
}

const NOT_SET_UP = 'Canvases cannot be kept from here: Slack is not set up in this process.';

/** Where the canvas is, in words: the channel's own, or one apart with its link. */
function whereWords(canvas: CaseCanvas): string {
  if (canvas.kind === 'channel') return 'this channel\'s canvas';
  return canvas.url ? `a canvas of its own, shared with this channel: ${canvas.url}` : 'a canvas of its own, shared with this channel (under the channel\'s canvases)';
}

function switchedOn(ctx: CommandContext, outcome: CanvasOutcome): Reply {
  const who = ctx.actor;
  const how = `It is brought up to date after every change (at most every ${CANVAS_GAP_MS / 1000} seconds); \`/decision canvas off\` stops.`;
  switch (outcome.kind) {
    case 'made':
      if (outcome.how === 'standalone') {
        return notice(said`This channel has a canvas of its own, which I never write over, so ${who} put the case in ${whereWords(outcome.canvas)}. ${how}`);
      }
      return notice(said`${who} put the case in ${whereWords(outcome.canvas)}. ${how}`);
    case 'written':
    case 'current':
      return notice(said`${who} switched keeping the case in the canvas back on; it is up to date. ${how}`);
    case 'later':
      if (outcome.why === 'retry') {
        return notice(said`${who} switched on keeping the case in the canvas, but Slack could not take it just now (${outcome.reason ?? 'unavailable'}): I will make it up to date as soon as Slack can.`);
      }
      return notice(said`${who} switched on keeping the case in the canvas; it will be up to date within ${CANVAS_GAP_MS / 1000} seconds. ${how}`);
    case 'refused':
      return error(outcome.words);
    case 'off':
      return notice('Keeping the case in the canvas was switched off again meanwhile.', 'caller');
  }
}

export function canvasHandlers(kit: Kit): Pick<Handlers, 'canvas' | 'canvas switch'> & { keeper: CanvasKeeper | null } {
  const deps = kit.deps.canvases;
  const keeper = deps ? createCanvasKeeper(kit, deps) : null;

  /** Switches keeping the canvas on or off, as one undoable change; null when it already was. */
  function flip(ctx: CommandContext, on: boolean, words: (before: CaseCanvas | null) => Words): Promise<Reply> {
    return kit.write(ctx, (draft) => {
      const before = draft.case.canvas ?? null;
      if ((before?.on ?? false) === on && (!on || before?.id !== null)) {
        return notice(on ? `The case is already kept in ${before ? whereWords(before) : 'the canvas'}.` : 'The case is not being kept in a canvas, so there is nothing to stop.', 'caller');
      }
      const canvas: CaseCanvas = { on, id: before?.id ?? null, kind: before?.kind ?? 'channel', url: before?.url ?? null, problem: on ? null : before?.problem ?? null };
      draft.setCase({ canvas });
      draft.addChange({
        id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(),
        description: on ? 'switched on keeping the case in the channel canvas' : 'stopped keeping the case in the channel canvas',
        undo: [{ op: 'switchCanvas', on: !on }], touches: [touch.caseField('canvas')],
      });
      return notice(words(before));
    });
  }

  return {
    keeper,

    async canvas(ctx) {
      const other = notHere(ctx.place);
      if (other) return notice(other, 'caller');
      const { draft } = await kit.read(ctx);
      const canvas = draft.case.canvas ?? null;
      if (canvas === null || (!canvas.on && canvas.id === null && canvas.problem === null)) {
        return notice('The case is not kept in this channel\'s canvas. `canvas on` puts it there and keeps it current after every change.', 'caller');
      }
      if (!canvas.on) {
        return notice(canvas.problem
          ? `The case is not kept in a canvas: ${canvas.problem}`
          : `Keeping the case in ${whereWords(canvas)} is switched off: it stays as it was left. \`canvas on\` keeps it current again.`, 'caller');
      }
      if (canvas.id === null) return notice('The case\'s canvas is being made. `canvas off` stops.', 'caller');
      const progress = draft.readVersion === null ? null : await deps?.store.canvasProgress(draft.case.id);
      const written = progress?.writtenAt ? ` It was last brought up to date ${localTime(progress.writtenAt, draft.case.timeZone)}${progress.shownVersion >= draft.case.version ? '' : ', and the latest changes are on their way'}.` : '';
      return notice(`The case is kept in ${whereWords(canvas)}, brought up to date after every change (at most every ${CANVAS_GAP_MS / 1000} seconds).${written} \`canvas off\` stops.`, 'caller');
    },

    async 'canvas switch'(ctx, { on }) {
      const other = notHere(ctx.place);
      if (other) return error(other);
      if (!on) {
        return flip(ctx, false, (before) => said`${ctx.actor} stopped keeping the case in ${before ? whereWords(before) : 'the canvas'}. The canvas stays as it is.`);
      }
      if (!keeper || !deps?.api(ctx.place.platform)) return error(NOT_SET_UP);
      const reply = await flip(ctx, true, () => 'switched on');
      if (reply.kind === 'error' || reply.visibility === 'caller') return reply;
      const found = await kit.deps.store.findCase(ctx.place);
      if (!found) return error('The case could not be read back just now; please try again.');
      return switchedOn(ctx, await keeper.sync(found.id, { waitOutRateLimits: false }));
    },
  };
}
