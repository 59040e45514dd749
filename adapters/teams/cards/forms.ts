/** The decision form and the add-evidence form, from core's FormView and pickable decisions. */
import { MAX_TEXT } from '../../../src/core/grammar';
import { DECIDERS_FIELD_HINT, EVIDENCE_FIELD_HINT, POINTS_FIELD_HINT } from '../../../src/core/commands/record';
import { SERVICE_STANDARD } from '../../../src/core/service-standard';
import type { FormView } from '../../../src/core/views';
import { card, choiceInput, md, multiChoiceInput, openUrl, submit, text, textInput } from './elements';
import type { AdaptiveCard, Element } from './elements';
import { firstLine } from './escape';

export interface FormValues {
  text?: string;
  evidence?: string;
  sprint?: number;
  decidedBy?: string;
  /** Points of the Service Standard chosen, as Teams sends them ("1,5"). */
  points?: string;
}

function problem(message: string | null): Element[] {
  return message ? [text(message, { color: 'Attention', weight: 'Bolder' })] : [];
}

/** Record a decision: its text, the sprint, optional evidence; a captured message's link rides along as the source. */
export function decisionFormCard(form: FormView, options: { error?: string | null; values?: FormValues } = {}): AdaptiveCard {
  const values = options.values ?? {};
  const sprint = values.sprint !== undefined && form.sprints.some((s) => s.number === values.sprint) ? values.sprint : form.current;
  const body: Element[] = [
    md('**Record a decision**', { size: 'Medium' }),
    ...problem(options.error ?? null),
    textInput('text', { label: 'Decision', value: values.text ?? form.text, placeholder: 'We will …', required: true, maxLength: MAX_TEXT, errorMessage: 'Write the decision.' }),
    choiceInput('sprint', 'Sprint', form.sprints.map((s) => ({ title: s.heading, value: String(s.number) })), String(sprint)),
    textInput('evidence', { label: 'Evidence (optional)', value: values.evidence, placeholder: EVIDENCE_FIELD_HINT, maxLength: MAX_TEXT }),
    textInput('decidedBy', { label: 'Decided by (optional)', value: values.decidedBy, placeholder: DECIDERS_FIELD_HINT, maxLength: 500 }),
    multiChoiceInput('points', `Service Standard points (optional). ${POINTS_FIELD_HINT}`, SERVICE_STANDARD.map((p) => ({ title: `${p.number}. ${p.title}`, value: String(p.number) })),
      (values.points ?? '').split(',').map((v) => v.trim()).filter((v) => /^\d{1,2}$/.test(v))),
  ];
  if (form.sourceUrl) body.push(md('The link to the message is kept as the source.', { isSubtle: true, size: 'Small' }));
  return card(body, [
    submit('Record', { action: 'record', sourceUrl: form.sourceUrl }, 'positive'),
    ...openUrl('Open the message', form.sourceUrl),
  ]);
}

/** Add evidence to a decision chosen from a list (the current sprint's first). */
export function evidenceFormCard(decisions: { number: number; text: string }[], options: { decision?: number; error?: string | null; text?: string } = {}): AdaptiveCard {
  if (decisions.length === 0) {
    return card([md('**Add evidence**'), md('There are no decisions to add evidence to yet.')], [submit('Record a decision', { action: 'openForm' })]);
  }
  const chosen = options.decision !== undefined && decisions.some((d) => d.number === options.decision) ? String(options.decision) : null;
  return card([
    md('**Add evidence**', { size: 'Medium' }),
    ...problem(options.error ?? null),
    choiceInput('decision', 'Decision', decisions.map((d) => ({ title: `Decision ${d.number}: ${firstLine(d.text, 80)}`, value: String(d.number) })), chosen),
    textInput('evidenceText', { label: 'Evidence', value: options.text, placeholder: 'A finding, a quote, a figure or a link', required: true, maxLength: MAX_TEXT, errorMessage: 'Write the evidence.' }),
  ], [submit('Add evidence', { action: 'evidence' }, 'positive')]);
}

/** The inputs of a card that adds evidence to one known decision (inside a ShowCard). */
export function evidenceInline(decision: number): AdaptiveCard {
  return card([
    textInput('evidenceText', { label: `Evidence for Decision ${decision}`, placeholder: 'A finding, a quote, a figure or a link', required: true, maxLength: MAX_TEXT, errorMessage: 'Write the evidence.' }),
  ], [submit('Add evidence', { action: 'evidence', decision }, 'positive')]);
}

/** Rewording one decision (inside a ShowCard), starting from its current text. */
export function editInline(decision: number, current: string): AdaptiveCard {
  return card([
    textInput('editText', { label: `New wording for Decision ${decision}`, value: current, required: true, maxLength: MAX_TEXT, errorMessage: 'Write the new wording.' }),
  ], [submit('Save', { action: 'edit', decision }, 'positive')]);
}
