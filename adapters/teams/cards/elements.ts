/**
 * Adaptive Card 1.5 building blocks. Every text that can hold user words goes through
 * `text()` or `rich()`: a RichTextBlock of TextRuns, which Teams shows exactly as written
 * (no Markdown, no mentions), so nothing needs a backslash that Teams clients would show.
 * Only a text's own http(s) links become runs that open them, and its code spans a
 * monospaced run. `md()` is for Markdown this adapter writes itself, with no code spans
 * (Teams shows their backticks).
 */
import { inlines } from '../../../src/core/markdown/inline';
import type { NamedPerson } from '../../../src/core/said';

export type Element = Record<string, unknown> & { type: string };
export type Action = Record<string, unknown> & { type: string; title: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: Element[];
  actions?: Action[];
  msteams?: { width: 'Full' };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** What a card button sends back in `activity.value` (plus the inputs' values). */
export type SubmitData =
  | { action: 'record'; sourceUrl?: string | null }
  | { action: 'evidence'; decision?: number }
  | { action: 'edit'; decision: number }
  | { action: 'undo'; change: string }
  | { action: 'openForm' }
  | { action: 'openEvidenceForm'; decision?: number }
  | { action: 'run'; text: string };

export function card(body: Element[], actions: Action[] = []): AdaptiveCard {
  const c: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
  if (actions.length > 0) c.actions = actions;
  return c;
}

/** How a run of text looks. */
export type RunOptions = { weight?: 'Bolder'; size?: 'Small' | 'Medium' | 'Large'; isSubtle?: boolean; color?: 'Attention' | 'Good' | 'Warning' | 'Accent'; fontType?: 'Monospace'; italic?: boolean };
/** Where a block sits. */
type BlockOptions = { spacing?: 'None' | 'Small' | 'Medium' | 'Large'; separator?: boolean };
type TextOptions = RunOptions & BlockOptions;

/** `literal`: shown exactly as written, never read for links or code (people's names). */
export type Run = string | ({ text: string; literal?: boolean } & RunOptions);

/**
 * A text's runs as Teams shows them: its links (http(s) only) as runs that open them, its
 * code spans in a monospaced font, the rest exactly as written.
 */
function textRuns(text: string, look: RunOptions): Element[] {
  return inlines(text).map((part): Element => {
    if (part.kind === 'text') return { type: 'TextRun', ...look, text: part.text };
    if (part.kind === 'code') return { type: 'TextRun', ...look, text: part.text, fontType: 'Monospace' };
    return { type: 'TextRun', ...look, text: part.label === '' ? part.url : part.label, selectAction: { type: 'Action.OpenUrl', url: part.url } };
  });
}

/** Runs of text in one paragraph (bold labels, then user words): see `textRuns`. */
export function rich(runs: Run[], options: TextOptions = {}): Element {
  const { spacing, separator, ...look } = options;
  return {
    type: 'RichTextBlock',
    inlines: runs.flatMap((r) => {
      if (typeof r === 'string') return textRuns(r, look);
      const { text: value, literal, ...own } = r;
      return literal ? [{ type: 'TextRun', ...look, ...own, text: value }] : textRuns(value, { ...look, ...own });
    }),
    ...(spacing ? { spacing } : {}),
    ...(separator ? { separator } : {}),
  };
}

/** A name, shown exactly as it is: a display name is never a link. */
export function name(value: string): Run {
  return { text: value, literal: true };
}

/** Core's words with the people they name (a reply's summary and `people`): each name a literal run. */
export function saidRuns(text: string, people: readonly NamedPerson[] = []): Run[] {
  const runs: Run[] = [];
  let at = 0;
  for (const p of [...people].sort((a, b) => a.at - b.at)) {
    const end = p.at + p.actor.name.length;
    if (p.at < at || text.slice(p.at, end) !== p.actor.name) continue;
    if (p.at > at) runs.push(text.slice(at, p.at));
    runs.push(name(p.actor.name));
    at = end;
  }
  if (at < text.length) runs.push(text.slice(at));
  return runs;
}

/** User (or mixed) text: links as links, code spans monospaced, the rest exactly as written. */
export function text(value: string, options: TextOptions = {}): Element {
  return rich([value], options);
}

/** A TextBlock of Markdown this adapter wrote; any user parts must already be escaped. */
export function md(markdown: string, options: TextOptions = {}): Element {
  return { type: 'TextBlock', text: markdown, wrap: true, ...options };
}

export function heading(value: string): Element {
  return text(value, { weight: 'Bolder', size: 'Medium' });
}

export function container(items: Element[], options: { separator?: boolean; spacing?: 'None' | 'Small' | 'Medium' } = {}): Element {
  return { type: 'Container', items, ...options };
}

/** Text shown exactly as written: TextRun takes no Markdown, so nothing needs escaping. */
export function verbatim(value: string, options: { fontType?: 'Monospace'; size?: 'Small' } = {}): Element {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: value, ...options }] };
}

export function submit(title: string, data: SubmitData, style?: 'positive' | 'destructive'): Action {
  return { type: 'Action.Submit', title, data, ...(style ? { style } : {}) };
}

export function showCard(title: string, inner: AdaptiveCard): Action {
  return { type: 'Action.ShowCard', title, card: inner };
}

/** A link button, only for http(s) URLs. */
export function openUrl(title: string, url: string | null): Action[] {
  if (!url || !/^https?:\/\//i.test(url)) return [];
  return [{ type: 'Action.OpenUrl', title, url }];
}

export function textInput(id: string, options: { label: string; value?: string; placeholder?: string; multiline?: boolean; required?: boolean; maxLength?: number; errorMessage?: string }): Element {
  return {
    type: 'Input.Text', id, label: options.label,
    isMultiline: options.multiline ?? true,
    ...(options.value ? { value: options.value } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.maxLength ? { maxLength: options.maxLength } : {}),
    ...(options.required ? { isRequired: true, errorMessage: options.errorMessage ?? `${options.label} is needed.` } : {}),
  };
}

/** Several choices, optional: Teams sends back the values chosen, comma-separated. */
export function multiChoiceInput(id: string, label: string, choices: { title: string; value: string }[], values: string[]): Element {
  return {
    type: 'Input.ChoiceSet', id, label, style: 'expanded', isMultiSelect: true, isRequired: false,
    choices: choices.map((c) => ({ title: c.title, value: c.value })),
    ...(values.length > 0 ? { value: values.join(',') } : {}),
  };
}

export function choiceInput(id: string, label: string, choices: { title: string; value: string }[], value: string | null): Element {
  return {
    type: 'Input.ChoiceSet', id, label, style: 'compact', isRequired: true, errorMessage: `Choose a ${label.toLowerCase()}.`,
    choices: choices.map((c) => ({ title: c.title, value: c.value })),
    ...(value !== null ? { value } : {}),
  };
}
