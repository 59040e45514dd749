/** Phases: `phase` shows them, `phase start alpha [name] [from sprint N]` starts one. */
import { checkText } from '../grammar';
import type { Case, Sprint, SprintPhase } from '../model';
import { said, type Words } from '../said';
import { MAX_PHASE_NAME, PHASE_LABELS, phaseAt, sprintWithPhase, phaseKey, phaseLabel, phaseSpans, spanText, withPhase } from '../phases';
import { sprintHeading, type SprintWindow } from '../sprints';
import type { PhaseView, Reply } from '../views';
import { error, saying, touch, type Handlers, type Kit } from './kit';

function phasesReply(sprints: Sprint[], decisionSprints: number[], window: SprintWindow, c: Pick<Case, 'id' | 'layout'>, words: Words, visibility: Reply['visibility'], undo: string | null): Reply {
  const spans = phaseSpans(sprints);
  const current = phaseAt(spans, window.number);
  const phases: PhaseView[] = spans.map((s) => ({
    kind: s.kind, label: s.label, from: s.from, to: s.to, span: spanText(s),
    decisions: decisionSprints.filter((n) => n >= s.from && (s.to === null || n <= s.to)).length,
    current: s === current,
  }));
  const heading = sprintHeading(sprints.find((s) => s.number === window.number) ?? { number: window.number, suffix: '' }, c.layout.sprintForms);
  return { kind: 'phases', visibility, caseId: c.id, ...saying(words), phases, sprint: { number: window.number, heading, phase: current?.label ?? null }, undo };
}

export function phaseHandlers(kit: Kit): Pick<Handlers, 'phase' | 'phase start'> {
  return {
    async phase(ctx) {
      const { draft, window } = await kit.read(ctx);
      const sprints = draft.sprintList();
      const spans = phaseSpans(sprints);
      const current = phaseAt(spans, window.number);
      const here = withPhase(sprintHeading(draft.sprint(window.number) ?? { number: window.number, suffix: '' }, draft.case.layout.sprintForms), current?.label ?? null);
      const summary = spans.length === 0
        ? `This case has no phases yet. \`phase start alpha\` starts Alpha at the current sprint, ${here}.`
        : `Phases of this case: ${spans.map((s) => `${s.label} (${spanText(s)})`).join(', ')}. Now: ${here}.`;
      return phasesReply(sprints, draft.decisionList().map((d) => d.sprint), window, draft.case, summary, 'caller', null);
    },

    async 'phase start'(ctx, { kind, label: typed, sprint: at }) {
      // One line with single spaces, as the document's phase line gives it back.
      const label = typed === null ? null : typed.replace(/\s+/g, ' ').trim();
      if (label !== null) {
        const p = checkText(label, 'A phase name', MAX_PHASE_NAME);
        if (p) return error(p);
        if (label.includes('\n')) return error('A phase name is one line.');
      }
      const name = label === null || label.toLowerCase() === PHASE_LABELS[kind].toLowerCase() ? null : label;
      const phase: SprintPhase = { kind, name };
      return kit.write(ctx, (draft, window) => {
        const n = at ?? window.number;
        if (n > window.number) return error(`Sprint ${n} has not started yet: the current sprint is ${window.number}. A phase starts at the current sprint or an earlier one. Nothing changed.`);
        const before = draft.sprint(n);
        if (!before) return error(`There is no Sprint ${n} in this case. Its sprints run from ${draft.sprintList()[0]?.number ?? 0} to ${window.number}. Nothing changed.`);
        const was = before.phase ?? null;
        if (was !== null && was.kind === phase.kind && was.name === phase.name) return error(`${phaseLabel(phase)} already starts at Sprint ${n}. Nothing changed.`);
        const ended = phaseAt(phaseSpans(draft.sprintList()), n - 1);
        draft.putSprint(sprintWithPhase(before, phase));
        const description = was === null ? `started ${phaseLabel(phase)} at Sprint ${n}` : `made Sprint ${n} start ${phaseLabel(phase)} instead of ${phaseLabel(was)}`;
        const change = draft.addChange({
          id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(), description,
          undo: [{ op: 'putSprint', sprint: before }], touches: [touch.sprint(n)], subject: { kind: 'phase', sprint: n },
        });
        const sprints = draft.sprintList();
        const span = phaseSpans(sprints).find((s) => s.from === n);
        const runs = span?.to === null || span === undefined ? `Sprint ${n} and the sprints after it belong to it until the next phase starts.` : `${spanText(span)} belong to it.`;
        const endedWords = ended && was === null ? ` ${ended.label} ended at Sprint ${n - 1}: \`assessment ${phaseKey(ended)}\` shows the decisions that shaped it.` : '';
        return phasesReply(sprints, draft.decisionList().map((d) => d.sprint), window, draft.case, said`${ctx.actor} ${description}. ${runs}${endedWords}`, 'channel', change.id);
      });
    },
  };
}
