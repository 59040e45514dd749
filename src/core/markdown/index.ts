/** Exact Markdown import and export of a whole business case. */
export { parseCaseMarkdown, MarkdownFormatError } from './parse';
export type { ImportWarning, ParseOptions, ParsedCase, ParsedDecision, ParsedEvidence, Recognised } from './parse';
export { normaliseMarkdown } from './lines';
export { renderCaseFiles, renderCaseMarkdown } from './render';
export type { CaseFile } from './render';
export { closeOpenFence, escapeUserText, joinNames, readSprintHeading, splitNames, unescapeUserText } from './escape';
export type { TextPlace } from './escape';
export { inlines, isWebUrl, shorten } from './inline';
export type { Inline } from './inline';
