/**
 * Modals: record a decision, add evidence, edit a decision. What a modal needs after it is
 * submitted (the channel, the response URL, the source message) travels in its
 * private_metadata, which Slack hands back unchanged in the signed submission.
 */
import { DECIDERS_FIELD_HINT, EVIDENCE_FIELD_HINT, POINTS_FIELD_HINT } from '../../../src/core/commands/record';
import { SERVICE_STANDARD } from '../../../src/core/service-standard';
import type { types } from '@slack/bolt';
import type { FormView } from '../../../src/core/views';
import { LIMITS, firstLine, link, plain, quote } from './escape';
import type { Block } from './blocks';

export type ModalView = types.ModalView;

export const CALLBACKS = {
  decision: 'decision_modal',
  evidence: 'evidence_modal',
  edit: 'edit_modal',
} as const;

/** Block ids of the inputs; validation errors are keyed by these. */
export const FIELDS = { text: 'text', evidence: 'evidence', sprint: 'sprint', decision: 'decision', deciders: 'deciders', points: 'points' } as const;
export const VALUE = 'value';

const MAX_INPUT = 3000;

export interface ModalMeta {
  /** The channel whose case the modal writes to. */
  channel: string;
  /** Where to answer when the bot cannot post in the channel (from the command, button or shortcut). */
  responseUrl: string | null;
  /** Permalink of the message a shortcut captured. */
  sourceUrl: string | null;
  /** The decision an evidence or edit modal is about. */
  decision: number | null;
}

export function encodeMeta(meta: ModalMeta): string {
  const compact = { c: meta.channel, r: meta.responseUrl, s: meta.sourceUrl, d: meta.decision };
  let text = JSON.stringify(compact);
  if (text.length > LIMITS.privateMetadata) text = JSON.stringify({ ...compact, r: null });
  return text;
}

export function decodeMeta(text: string | undefined): ModalMeta | null {
  if (!text) return null;
  try {
    const raw = JSON.parse(text) as { c?: unknown; r?: unknown; s?: unknown; d?: unknown };
    if (typeof raw.c !== 'string' || raw.c === '') return null;
    return {
      channel: raw.c,
      responseUrl: typeof raw.r === 'string' ? raw.r : null,
      sourceUrl: typeof raw.s === 'string' ? raw.s : null,
      decision: typeof raw.d === 'number' && Number.isInteger(raw.d) ? raw.d : null,
    };
  } catch {
    return null;
  }
}

function title(text: string): types.PlainTextElement {
  return { type: 'plain_text', text: plain(text, LIMITS.modalTitle) };
}

/** Text a person may edit: given back as typed, so it is not escaped, only cut to the input's limit. */
function initial(text: string): string {
  return [...text].slice(0, MAX_INPUT).join('');
}

function textInput(label: string, opts: { initial?: string; optional?: boolean; hint?: string; placeholder?: string; blockId?: string } = {}): Block {
  const element: types.PlainTextInput = { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: MAX_INPUT };
  if (opts.initial) element.initial_value = initial(opts.initial);
  if (opts.placeholder) element.placeholder = { type: 'plain_text', text: opts.placeholder };
  const block: types.InputBlock = { type: 'input', block_id: opts.blockId ?? FIELDS.text, label: { type: 'plain_text', text: label }, element, optional: opts.optional ?? false };
  if (opts.hint) block.hint = { type: 'plain_text', text: opts.hint };
  return block;
}

function sourceContext(sourceUrl: string | null): Block[] {
  return sourceUrl ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Source: ${link(sourceUrl, 'the message this came from')}` }] }] : [];
}

/** Who took the decision, when not the person recording it: names, one line. */
function decidersInput(): Block {
  return {
    type: 'input', block_id: FIELDS.deciders, optional: true, label: { type: 'plain_text', text: 'Decided by (optional)' },
    hint: { type: 'plain_text', text: DECIDERS_FIELD_HINT },
    element: { type: 'plain_text_input', action_id: VALUE, multiline: false, max_length: 500, placeholder: { type: 'plain_text', text: 'Ana Smith, Ben Jones' } },
  };
}

/** The points of the Service Standard the decision speaks to: any of the 14, none by default. */
function pointsInput(): Block {
  return {
    type: 'input', block_id: FIELDS.points, optional: true, label: { type: 'plain_text', text: 'Service Standard points (optional)' },
    hint: { type: 'plain_text', text: POINTS_FIELD_HINT },
    element: {
      type: 'multi_static_select', action_id: VALUE, placeholder: { type: 'plain_text', text: 'Choose points' },
      options: SERVICE_STANDARD.map((p) => ({ text: { type: 'plain_text', text: plain(`${p.number}. ${p.title}`, LIMITS.optionText) }, value: String(p.number) })),
    },
  };
}

/** The decision modal: text, evidence (one item a line), sprint, who decided, its points of the Service Standard. */
export function decisionModal(form: FormView, meta: ModalMeta): ModalView {
  const options: types.PlainTextOption[] = form.sprints.slice(0, LIMITS.options).map((s) => ({
    text: { type: 'plain_text', text: plain(s.number === form.current ? `${s.heading} (current)` : s.heading, LIMITS.optionText) },
    value: String(s.number),
  }));
  const current = options.find((o) => o.value === String(form.current));
  const select: types.StaticSelect = { type: 'static_select', action_id: VALUE, options };
  if (current) select.initial_option = current;
  return {
    type: 'modal',
    callback_id: CALLBACKS.decision,
    title: title('Record a decision'),
    submit: title('Record'),
    close: title('Cancel'),
    private_metadata: encodeMeta(meta),
    blocks: [
      textInput('Decision', { initial: form.text, placeholder: 'We will …' }),
      textInput('Evidence (optional)', { blockId: FIELDS.evidence, optional: true, hint: EVIDENCE_FIELD_HINT }),
      { type: 'input', block_id: FIELDS.sprint, label: { type: 'plain_text', text: 'Sprint' }, element: select },
      decidersInput(),
      pointsInput(),
      ...sourceContext(meta.sourceUrl),
    ],
  };
}

export interface PickableDecision {
  number: number;
  text: string;
}

/**
 * The evidence modal. With `decision` it adds to that decision; with `choices` it asks
 * which one (in the order given: the current sprint's first).
 */
export function evidenceModal(input: { decision?: PickableDecision; choices?: PickableDecision[]; text?: string }, meta: ModalMeta): ModalView {
  const blocks: Block[] = [];
  if (input.decision) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Decision ${input.decision.number}*\n${quote(firstLine(input.decision.text, 2500))}` } });
  } else {
    const options: types.PlainTextOption[] = (input.choices ?? []).slice(0, LIMITS.options).map((d) => ({
      text: { type: 'plain_text', text: plain(`${d.number}: ${firstLine(d.text, 70)}`, LIMITS.optionText) },
      value: String(d.number),
    }));
    blocks.push({ type: 'input', block_id: FIELDS.decision, label: { type: 'plain_text', text: 'Decision' }, element: { type: 'static_select', action_id: VALUE, options, placeholder: { type: 'plain_text', text: 'Choose a decision' } } });
  }
  blocks.push(textInput('Evidence', { initial: input.text, placeholder: 'What we saw, heard or measured' }));
  blocks.push(...sourceContext(meta.sourceUrl));
  return {
    type: 'modal',
    callback_id: CALLBACKS.evidence,
    title: title('Add evidence'),
    submit: title('Add'),
    close: title('Cancel'),
    private_metadata: encodeMeta({ ...meta, decision: input.decision?.number ?? null }),
    blocks,
  };
}

export function editModal(decision: PickableDecision, meta: ModalMeta): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.edit,
    title: title(`Edit Decision ${decision.number}`),
    submit: title('Save'),
    close: title('Cancel'),
    private_metadata: encodeMeta({ ...meta, decision: decision.number }),
    blocks: [
      textInput('Decision', { initial: decision.text }),
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'The old wording is kept in the decision’s history.' }] },
    ],
  };
}

/** A modal that only says something (nothing to submit). */
export function messageModal(heading: string, mrkdwn: string): ModalView {
  return {
    type: 'modal',
    title: title(heading),
    close: title('Close'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn.slice(0, LIMITS.sectionText) } }],
  };
}
