/** Sprints: where the team is, starting the next one early, and how long they run. */
import { lengthText, localDay } from '../format';
import { checkText, WEEKDAY_NAMES } from '../grammar';
import { holidayRegion, workingDaysText } from '../holidays';
import type { Case, Sprint } from '../model';
import { zoneDate } from '../schedule';
import { lastWorkingDay, sprintHeading, sprintOn, type SprintWindow } from '../sprints';
import type { SprintView } from '../views';
import { phaseLabeller, withPhase } from '../phases';
import { said } from '../said';
import { error, notice, saying, touch, type Handlers, type Kit } from './kit';

function sprintView(c: Case, window: SprintWindow, sprints: Sprint[], decisionCount: number): SprintView {
  return {
    number: window.number,
    phase: phaseLabeller(sprints)(window.number),
    heading: sprintHeading(sprints.find((s) => s.number === window.number) ?? { number: window.number, suffix: '' }, c.layout.sprintForms),
    startsOn: localDay(window.startsOn), endsOn: localDay(window.endsOn),
    length: lengthText(c.sprintLength), timeZone: c.timeZone, decisionCount,
  };
}

/** When the sprint's retro prompt goes out, and what counts as a working day. */
function retroWords(c: Case, window: SprintWindow): string {
  const days = `Working days are ${workingDaysText(c)}.`;
  if (!c.schedule.retroOn) return `The retro prompt is off here. ${days}`;
  const day = lastWorkingDay(window, holidayRegion(c));
  return `Its retro prompt goes out on its last working day, ${WEEKDAY_NAMES[new Date(`${day}T12:00:00Z`).getUTCDay()]} ${localDay(day)}, at ${c.schedule.retroTime}. ${days}`;
}

export function sprintHandlers(kit: Kit): Pick<Handlers, 'sprint' | 'sprint start' | 'sprint length'> {
  return {
    async sprint(ctx) {
      const { draft, window } = await kit.read(ctx);
      const n = draft.decisionList({ sprint: window.number }).length;
      const v = sprintView(draft.case, window, draft.sprintList(), n);
      return { kind: 'sprint', visibility: 'caller', caseId: draft.case.id, sprint: v, summary: `${withPhase(v.heading, v.phase)} runs from ${v.startsOn} to ${v.endsOn} (${v.length}); ${n} decision${n === 1 ? '' : 's'} so far. ${retroWords(draft.case, window)}` };
    },

    async 'sprint start'(ctx, { label }) {
      if (label !== null) {
        const p = checkText(label, 'A sprint name', 100);
        if (p) return error(p);
        if (label.includes('\n')) return error('A sprint name is one line.');
      }
      return kit.write(ctx, (draft, window) => {
        const today = zoneDate(kit.now(), draft.case.timeZone);
        const sprint: Sprint = { number: window.number + 1, suffix: label ? `: ${label}` : '', intro: '', startsOn: today };
        draft.putSprint(sprint);
        draft.addChange({
          id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(), description: `started ${sprintHeading(sprint, draft.case.layout.sprintForms)}`,
          undo: [{ op: 'deleteSprint', number: sprint.number }], touches: [touch.sprint(sprint.number)],
        });
        const next = sprintOn(draft.sprintList(), draft.case.sprintLength, today);
        return { kind: 'sprint', visibility: 'channel', caseId: draft.case.id, sprint: sprintView(draft.case, next, draft.sprintList(), 0), ...saying(said`${ctx.actor} started ${withPhase(sprintHeading(sprint, draft.case.layout.sprintForms), phaseLabeller(draft.sprintList())(sprint.number))}, ending ${localDay(next.endsOn)}. Sprint ${window.number} is over.`) };
      });
    },

    async 'sprint length'(ctx, { count, unit }) {
      // The write stores the current sprint with its start date first (catching up), so the
      // new length counts from there and earlier sprints keep their dates.
      return kit.write(ctx, (draft) => {
        const before = draft.case.sprintLength;
        const length = { count, unit };
        draft.setCase({ sprintLength: length });
        draft.addChange({
          id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(), description: `set the sprint length to ${lengthText(length)}`,
          undo: [{ op: 'putCase', fields: { sprintLength: before } }], touches: [touch.caseField('sprintLength')],
        });
        const next = sprintOn(draft.sprintList(), length, zoneDate(kit.now(), draft.case.timeZone));
        return notice(said`${ctx.actor} set sprints to ${lengthText(length)}. ${sprintHeading({ number: next.number, suffix: '' }, draft.case.layout.sprintForms)} ends ${localDay(next.endsOn)}.`);
      });
    },
  };
}
