/**
 * The end-of-sprint retro prompt, as a view model: the sprint's decisions (withdrawn and
 * rejected ones left out, proposals listed apart), those still without evidence, every
 * proposal still awaiting a decision, and the question. Adapters add the actions
 * (record a decision, add evidence).
 */
import type { CaseSnapshot } from './model';
import type { RetroPromptView } from './digest-views';
import { decisionView } from './format';
import { sprintHeading } from './sprints';
import { phaseLabeller, withPhase } from './phases';

export const RETRO_QUESTION = 'What did you decide this sprint, and what showed you?';

export function buildRetroPrompt(snapshot: CaseSnapshot, sprint: number): RetroPromptView {
  const { case: c, sprints, decisions, evidence } = snapshot;
  const stored = sprints.find((s) => s.number === sprint) ?? { number: sprint, suffix: '' };
  const phaseOf = phaseLabeller(sprints);
  const views = decisions
    .filter((d) => d.sprint === sprint && (d.status === 'active' || d.status === 'superseded'))
    .sort((a, b) => a.number - b.number)
    .map((d) => decisionView(d, evidence, sprints, c, phaseOf));
  return {
    caseTitle: c.title,
    sprint: { number: sprint, heading: withPhase(sprintHeading(stored, c.layout.sprintForms), phaseOf(sprint)) },
    question: RETRO_QUESTION,
    decisions: views,
    withoutEvidence: views.filter((d) => d.status === 'active' && d.evidence.length === 0),
    proposals: decisions.filter((d) => d.status === 'proposed').sort((a, b) => a.number - b.number).map((d) => decisionView(d, evidence, sprints, c, phaseOf)),
  };
}

/** One line for notifications and logs. */
export function retroSummary(r: RetroPromptView): string {
  const n = r.decisions.length;
  const without = r.withoutEvidence.length;
  const counts = n === 0 ? 'No decisions recorded yet.' : `${n} decision${n === 1 ? '' : 's'}${without > 0 ? `, ${without} without evidence` : ''}.`;
  const waiting = r.proposals.length === 0 ? '' : ` ${r.proposals.length} proposal${r.proposals.length === 1 ? '' : 's'} awaiting a decision.`;
  return `Retro for ${r.sprint.heading}: ${r.question} ${counts}${waiting}`;
}
