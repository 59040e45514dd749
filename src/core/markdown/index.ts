/** Exact Markdown import and export of a whole business case. */
export { parseCaseMarkdown, normaliseMarkdown, MarkdownFormatError } from './parse';
export type { ParsedCase, ParsedDecision, ParsedEvidence } from './parse';
export { renderCaseMarkdown } from './render';
export { closeOpenFence, escapeUserText, readSprintHeading, unescapeUserText } from './escape';
export type { TextPlace } from './escape';
