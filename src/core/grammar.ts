/**
 * One command grammar for every surface: the words after `/decision` in Slack,
 * after the @mention in Teams, or typed in the console.
 */
import type { ImportFile } from './import';
import type { HolidayRegion, PhaseKind, PublishMode, SprintUnit, TemplateName } from './model';
import { MAX_PHASE_NAME, PHASE_KINDS, phaseKind } from './phases';
import { readPoints, takeInlinePoints } from './service-standard';
import { trimLineEnd } from './markdown/lines';

export type Command =
  /** Opens the record form; a message action fills it with the message's text and link. */
  | { name: 'form'; text?: string; sourceUrl?: string | null }
  /**
   * Typed: text only. From a form: the evidence field as written (each line one piece of
   * evidence, on every surface), a sprint and the message it came from.
   */
  | {
    name: 'record'; text: string; evidence?: string; sprint?: number; sourceUrl?: string | null;
    /** Who took it, as typed ("@ana and @ben", "Ana Smith, Ben"): `record … by @ana`, or a form's field. */
    decidedBy?: string | null;
    /** `propose …`: recorded to be agreed, not yet taken. */
    proposed?: boolean;
    /** Points of the Service Standard as typed ("1, 5"): inline (`… [SS 1, 5]`) or a form's field. */
    points?: string | null;
  }
  | { name: 'evidence'; decision: number; text: string; sourceUrl?: string | null; points?: string | null }
  /** `tag 8 1 5`, `tag 8a 5`: adds points of the Service Standard to a decision or a piece of evidence. */
  | { name: 'tag'; target: TagTarget; points: number[] }
  /** `untag 8 5` takes points off; `untag 8` takes them all. */
  | { name: 'untag'; target: TagTarget; points: number[] | null }
  | { name: 'phase' }
  /** `phase start alpha [name] [from sprint N]`: the phase starts at sprint N, by default the current one. */
  | { name: 'phase start'; kind: PhaseKind; label: string | null; sprint: number | null }
  /** `phase`: the phase named (its kind or its own name), null for the current one. */
  | { name: 'assessment'; phase: string | null }
  | { name: 'assessment export'; phase: string | null }
  | { name: 'list'; scope: { kind: 'current' } | { kind: 'sprint'; sprint: number } | { kind: 'named'; name: string } | { kind: 'all' } }
  /**
   * `toChange`: a button is about to open a form to edit the decision or add evidence to it;
   * a decision that cannot take that change is refused as the typed command would be.
   */
  | { name: 'show'; decision: number; toChange?: 'edit' | 'evidence' }
  /** `page`: which twenty of the matches, from 1. */
  | { name: 'search'; words: string; page: number }
  | { name: 'edit'; decision: number; text: string }
  | { name: 'withdraw'; decision: number; reason: string | null }
  | { name: 'supersede'; decision: number; by: number }
  /** Settles a proposed decision: `accept 3 [by @ana]` takes it, `reject 3 [reason]` does not. */
  | { name: 'accept'; decision: number; decidedBy: string | null }
  | { name: 'reject'; decision: number; reason: string | null }
  /** `change`: the change an Undo button sits under; null for the caller's latest. */
  | { name: 'undo'; change: string | null }
  | { name: 'sprint' }
  | { name: 'sprint start'; label: string | null }
  | { name: 'sprint length'; count: number; unit: SprintUnit }
  | { name: 'case' }
  /** `typed`: the whole message as typed, for the `record` hint when no section fits. */
  | { name: 'case section'; text: string; typed?: string }
  | { name: 'case title'; text: string }
  | { name: 'case template'; template: TemplateName }
  | { name: 'digest' }
  | { name: 'digest switch'; on: boolean }
  | { name: 'digest time'; weekday: number; time: string }
  /** `retro` alone: the current setting. */
  | { name: 'retro' }
  | { name: 'retro switch'; on: boolean }
  | { name: 'retro time'; time: string }
  | { name: 'timezone'; timeZone: string | null }
  /** `region`: null shows the setting; 'default' goes back to the region the time zone implies. */
  | { name: 'holidays'; region: HolidayRegion | 'default' | null }
  | { name: 'share'; revoke: boolean }
  /** `canvas` alone: how the case's Slack canvas is kept. */
  | { name: 'canvas' }
  | { name: 'canvas switch'; on: boolean }
  | { name: 'export' }
  /**
   * Typed: no files (Slack then opens its form; elsewhere it says how). From the form or the
   * command line: the files' names and texts. Without `confirm` it only shows what would be
   * imported; with it, it replaces the case if the case is still at the version shown.
   * `fromCommandLine`: run by `decisions import`, whose person cannot undo it from chat.
   */
  | { name: 'import'; files: ImportFile[] | null; confirm: { version: number | null } | null; strict?: boolean; fromCommandLine?: boolean }
  | { name: 'publish' }
  /** `path` and `branch`: null for the defaults (business-case.md; the repository's default branch). */
  | { name: 'publish github'; owner: string; repo: string; path: string | null; branch: string | null }
  | { name: 'publish now' }
  | { name: 'publish off' }
  | { name: 'publish mode'; mode: PublishMode }
  /** `greeting`: a hello, or a lone word that is no command: answered with the welcome, never recorded. */
  | { name: 'help'; topic: string | null; greeting?: boolean };

/** What `tag` names: Decision 8, or Evidence 8a (`letters` "a"). */
export interface TagTarget {
  decision: number;
  letters: string | null;
}

export interface ParseError {
  name: 'error';
  message: string;
  /** A corrected command to suggest; each surface says it its own way ("Did you mean `/decision …`?"). */
  suggestion: string | null;
}

export const MAX_TEXT = 3000;

/** The command words, in the order help lists them. */
export const COMMAND_WORDS = [
  'record', 'propose', 'accept', 'reject', 'evidence', 'list', 'show', 'search', 'edit', 'withdraw', 'supersede', 'tag', 'untag', 'undo',
  'sprint', 'phase', 'assessment', 'case', 'digest', 'retro', 'timezone', 'holidays', 'share', 'canvas', 'export', 'import', 'publish', 'help',
] as const;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function fail(message: string, suggestion: string | null = null): ParseError {
  return { name: 'error', message, suggestion };
}

/** Splits off the first word; the rest keeps its own spacing and line breaks. */
function firstWord(text: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  return m ? [m[1] ?? '', m[2] ?? ''] : ['', ''];
}

/** A decision number as people type it: 8, #8, D8. */
function parseNumber(word: string): number | null {
  const m = /^(?:#|d)?(\d{1,6})[:.,]?$/i.exec(word);
  return m ? Number(m[1]) : null;
}

/** Checks user text for a decision or evidence: empty, too long or with control characters. */
export function checkText(text: string, what: string, max: number = MAX_TEXT): string | null {
  if (text.trim() === '') return `${what} needs some text.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return `${what} contains control characters; please retype it as plain text.`;
  if ([...text].length > max) return `${what} is ${[...text].length.toLocaleString('en-GB')} characters long; the most is ${max.toLocaleString('en-GB')}.`;
  return null;
}

/**
 * Line endings from any client become \n; outer space goes. So do spaces at the end of a
 * line and runs of blank lines, which the case document cannot hold (its export drops
 * them): what is stored is then exactly what export and import give back.
 */
export function normaliseText(text: string): string {
  // Line by line (trimLineEnd): one expression over the whole text backtracked through long runs of spaces.
  return text.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').split('\n').map(trimLineEnd).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Edit distance counting a swap of two neighbouring letters as one edit (typos). */
function distance(a: string, b: string): number {
  // Callers only care about distances up to 2, and words whose lengths differ by more are
  // at least that far apart. Without this, one pasted word of 1 MB (inside the body limit)
  // built a table that held the server for seconds.
  if (Math.abs(a.length - b.length) > 2) return Math.abs(a.length - b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The command word closest to `word`, when it is near enough to be a typo. */
export function closestCommand(word: string): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of COMMAND_WORDS) {
    const d = distance(w, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  const allowed = w.length <= 4 ? 1 : 2;
  return bestD > 0 && bestD <= allowed ? best : null;
}

function parseTime(word: string): string | null {
  const m = /^([01]?\d|2[0-3])[:.]?([0-5]\d)$/.exec(word);
  return m ? `${(m[1] ?? '').padStart(2, '0')}:${m[2] ?? ''}` : null;
}

function parseWeekday(word: string): number | null {
  const w = word.toLowerCase();
  if (w.length < 3) return null;
  const i = WEEKDAYS.findIndex((d) => d.startsWith(w));
  return i >= 0 ? i : null;
}

function parseSwitch(word: string): boolean | null {
  const w = word.toLowerCase();
  if (w === 'on') return true;
  if (w === 'off') return false;
  return null;
}

function needNumber(command: string, word: string, usage: string): ParseError {
  return word === ''
    ? fail(`\`${command}\` needs a decision number: \`${usage}\`.`)
    : fail(`"${word}" is not a decision number. Use \`${usage}\`.`);
}

/**
 * What every surface ignores before the command: a mention of the bot (`@Decisions`,
 * or a Slack `<@U123>` or Teams `<at>Decisions</at>` left as markup), then `/decision` or the word `decision`
 * (not "Decision 3", which is a label).
 */
export function withoutAddress(text: string): string {
  return text
    .replace(/^(?:<@[A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]*<\/at>|@decisions\b)[\s,:]*/i, '')
    .replace(/^\/?decision(?=[\s:]|$)(?!\s+\d)[\s,:]*/i, '')
    .trim();
}

/** "hi", "Hello there!", "thanks": a greeting is answered with the welcome, never recorded. */
const GREETING = /^(?:hi|hiya|hello|hey|heya|howdy|yo|greetings|hallo|good (?:morning|afternoon|evening|day)|morning|thanks|thank you|thx|cheers|ta)\b[\s\S]{0,40}$/i;

/**
 * How a message that starts with a command word is read: the one rule for every command
 * word (the README's "How a message is read" says it for people).
 * - It is that command when the words after the command word fit it: a word the command
 *   takes (`list all`, `sprint start`, `digest on`), a decision number, a time, a section
 *   of the case (`case Benefits …`), a command (`help evidence`).
 * - When they do not fit, and the message reads as a sentence (three words or more, and
 *   no number after the command word: a number means a command gone wrong, such as
 *   `digest funday 25:00`), nothing runs and the reply offers `record <the message>`. A
 *   near miss of a word the command takes is a typo (`sprint strat beta`), unless the
 *   message starts with a capital letter, as sentences do.
 * - `search` takes any words, so it is the one command a sentence can fit: a search that
 *   starts with a capital letter and has four words or more to look for ("Search for a
 *   supplier through G-Cloud 14") reads as a sentence too. `search paper form` searches.
 */
export function notAFit(typed: string, message: string, suggestion: string | null): ParseError {
  const words = typed.split(/\s+/).filter((w) => w !== '');
  // "phase start gamma" is a phase gone wrong, not a sentence.
  const sentence = words.length >= 3 && !/\d/.test(words.slice(1).join(' ')) && !/^record$/i.test(words[0] ?? '') && !/^phase\s+start\b/i.test(typed);
  if (sentence && (suggestion === null || startsWithCapital(typed))) return recordInstead(typed, message);
  return fail(message, suggestion);
}

/** The reply to a sentence that starts with a command word: how to record it, and the command that does. */
export function recordInstead(typed: string, message: string): ParseError {
  return fail(`${message} To record it as a decision, start with \`record\`.`, `record ${typed}`);
}

function startsWithCapital(text: string): boolean {
  return /^\p{Lu}/u.test(text);
}

/** Fewest words to look for in a search written like a sentence ("Search for a supplier …"). */
const PROSE_SEARCH_WORDS = 4;

/** Parses the words after `/decision` into a command, or a plain-words error. */
export function parseCommand(input: string): Command | ParseError {
  const text = withoutAddress(normaliseText(input));
  if (GREETING.test(text) && text.split(/\s+/).length <= 5) return { name: 'help', topic: null, greeting: true };
  const result = parseWords(text);
  if (result.name === 'error') return notAFit(text, result.message, result.suggestion);
  if (result.name === 'search' && startsWithCapital(text) && result.words.split(/\s+/).length >= PROSE_SEARCH_WORDS) {
    return recordInstead(text, 'That reads as a sentence, so I did not search for it (to search, give a few words: `search paper form`).');
  }
  if (result.name === 'case section') return { ...result, typed: text };
  return result;
}

function parseWords(input: string): Command | ParseError {
  const text = normaliseText(input);
  if (text === '') return { name: 'form' };
  const [word, rest] = firstWord(text);
  const verb = word.toLowerCase();
  const args = rest.trim();

  switch (verb) {
    case 'record':
      return args === '' ? { name: 'form' } : recordCommand(args, false);
    case 'propose':
      if (args === '') return fail('`propose` needs the decision to agree: `propose We will publish weekly`.');
      return recordCommand(args, true);
    case 'accept': {
      const m = /^(\S+)(?:\s+by\s+([^\n]+))?$/i.exec(args);
      const decision = m ? parseNumber(m[1] ?? '') : null;
      if (decision === null) return needNumber('accept', args.split(/\s+/)[0] ?? '', 'accept 3 by @ana');
      return { name: 'accept', decision, decidedBy: m?.[2]?.trim() ?? null };
    }
    case 'reject': {
      const [n, body] = firstWord(args);
      const decision = parseNumber(n);
      if (decision === null) return needNumber('reject', n, 'reject 3 Too costly for now');
      return { name: 'reject', decision, reason: body.trim() === '' ? null : body.trim() };
    }
    case 'evidence': {
      const [n, body] = firstWord(args);
      const decision = parseNumber(n);
      if (decision === null) return needNumber('evidence', n, 'evidence 3 What we saw');
      if (body.trim() === '') return fail(`Evidence for Decision ${decision} needs some text: \`evidence ${decision} What we saw\`.`);
      const inline = takeInlinePoints(body.trim());
      if (inline.points === null) return { name: 'evidence', decision, text: body.trim() };
      return { name: 'evidence', decision, text: inline.text, points: inline.points };
    }
    case 'tag':
    case 'untag':
      return parseTag(verb, args);
    case 'phase':
    case 'phases':
      return parsePhase(args);
    case 'assessment':
      return parseAssessment(args);
    case 'list': {
      if (args === '') return { name: 'list', scope: { kind: 'current' } };
      if (/^all$/i.test(args)) return { name: 'list', scope: { kind: 'all' } };
      const m = /^sprint\s+(\d{1,4})$/i.exec(args) ?? /^(\d{1,4})$/.exec(args);
      if (m) return { name: 'list', scope: { kind: 'sprint', sprint: Number(m[1]) } };
      // A sprint a document named ("list Iteration 3", "list sprint M2-S5"): the case knows its names.
      // A sprint's name has a number in it ("Beta 1"), or is the one "Imported" sprint.
      // A bare number out of range ("sprint 999999", "sprint -1") is a number gone wrong, not a name.
      const number = /^(?:sprint\s+)?[-+]?\d+$/i.test(args);
      if (!number && args.length <= 100 && !args.includes('\n') && (/\d/.test(args) || /^(?:sprint\s+\S+|imported)$/i.test(args))) {
        return { name: 'list', scope: { kind: 'named', name: args } };
      }
      return fail('`list` takes nothing, `sprint <N>`, a sprint\'s name or `all`.');
    }
    case 'show': {
      const decision = parseNumber(args);
      if (decision === null) return needNumber('show', args, 'show 3');
      return { name: 'show', decision };
    }
    case 'search':
    {
      if (args === '') return fail('`search` needs some words to look for: `search paper form`.');
      const paged = /^(.*\S)\s+page\s+(\d{1,4})$/i.exec(args);
      if (paged && Number(paged[2]) >= 1) return { name: 'search', words: paged[1] ?? args, page: Number(paged[2]) };
      return { name: 'search', words: args, page: 1 };
    }
    case 'edit': {
      const [n, body] = firstWord(args);
      const decision = parseNumber(n);
      if (decision === null) return needNumber('edit', n, 'edit 3 The new wording');
      if (body.trim() === '') return fail(`\`edit ${decision}\` needs the new wording: \`edit ${decision} The new wording\`.`);
      return { name: 'edit', decision, text: body.trim() };
    }
    case 'withdraw': {
      const [n, body] = firstWord(args);
      const decision = parseNumber(n);
      if (decision === null) return needNumber('withdraw', n, 'withdraw 3 No longer needed');
      return { name: 'withdraw', decision, reason: body.trim() === '' ? null : body.trim() };
    }
    case 'supersede': {
      const m = /^(\S+)\s+(?:with|by)\s+(\S+)$/i.exec(args);
      const decision = m ? parseNumber(m[1] ?? '') : null;
      const by = m ? parseNumber(m[2] ?? '') : null;
      if (decision === null || by === null) return fail('`supersede` needs two decision numbers: `supersede 3 with 7`.');
      if (decision === by) return fail(`Decision ${decision} cannot supersede itself.`);
      return { name: 'supersede', decision, by };
    }
    case 'undo':
      if (args !== '') return fail('`undo` takes no words: it undoes your own last change.');
      return { name: 'undo', change: null };
    case 'sprint':
      return parseSprint(args);
    case 'case':
      return parseCase(args);
    case 'digest':
      return parseDigest(args);
    case 'retro':
      return parseRetro(args);
    case 'timezone':
    case 'tz':
      if (args === '') return { name: 'timezone', timeZone: null };
      if (/\s/.test(args)) return fail('`timezone` takes one name, such as `timezone Europe/London`.');
      return { name: 'timezone', timeZone: args };
    case 'holidays':
    case 'holiday':
      return parseHolidays(args);
    case 'share':
      if (args === '') return { name: 'share', revoke: false };
      if (/^revoke$/i.test(args)) return { name: 'share', revoke: true };
      return fail('`share` takes nothing, or `revoke` to cancel every earlier link.');
    case 'canvas': {
      if (args === '') return { name: 'canvas' };
      const on = parseSwitch(args);
      if (on !== null) return { name: 'canvas switch', on };
      return fail('`canvas` takes nothing, `on` (keep the case in this channel\'s canvas) or `off`.', closestCommandIn(args, ['on', 'off']) ? `canvas ${closestCommandIn(args, ['on', 'off']) ?? ''}` : null);
    }
    case 'export':
      if (args !== '') return fail('`export` takes no words.');
      return { name: 'export' };
    case 'import':
      if (args !== '') return fail('`import` takes no words: type `import` alone to bring in an existing business case.');
      return { name: 'import', files: null, confirm: null };
    case 'publish':
      return parsePublish(args);
    case 'help': {
      if (args === '') return { name: 'help', topic: null };
      // Help is on a command: anything else after `help` does not fit it ("Help desk staff will …").
      const [topic] = firstWord(args);
      if ((COMMAND_WORDS as readonly string[]).includes(topic.toLowerCase())) return { name: 'help', topic: args.toLowerCase() };
      const near = closestCommand(topic);
      return fail(`There is no command "${[...topic].slice(0, 40).join('')}". Try \`help\` for the list.`, near ? `help ${near}` : null);
    }
    default: {
      // A near-miss of a command word with little after it is a typo, not a decision.
      // (Only then is the edit distance worth working out: most decisions are many words long.)
      const looksLikeCommand = args === '' || /^#?\d/.test(args) || args.split(/\s+/).length <= 1;
      const near = looksLikeCommand ? closestCommand(verb) : null;
      if (near !== null) {
        return fail(`There is no command "${word}".`, `${near}${args ? ` ${args}` : ''}`);
      }
      // One short word that is no command ("test", "ok") is not a decision anyone meant: say
      // what the bot does. (Only a word of Latin letters: a sentence in Chinese has no spaces.)
      if (args === '' && /^[a-z][a-z'’-]{0,19}[.!?]*$/i.test(word)) return { name: 'help', topic: null, greeting: true };
      return recordCommand(text, false);
    }
  }
}

/**
 * A decision typed out, with who took it named at the end ("… by @ana", "… by @Ana Smith and
 * @ben"): the names start with @, as a mention does, so "We will ship by Friday" is all text.
 */
function recordCommand(typed: string, proposed: boolean): Command | ParseError {
  // Points may close it, before or after who decided: "… by @ana [SS 1]", "… [SS 1] by @ana".
  const last = takeInlinePoints(typed);
  const m = /^([\s\S]*\S)\s+by\s+(@[^\n]*\S)$/i.exec(last.text);
  if (m && proposed) return fail('A proposal is taken when it is accepted: `propose` the decision, then `accept <N> by @ana` names who took it.');
  const inner = m && last.points === null ? takeInlinePoints(m[1] ?? '') : { text: m?.[1] ?? last.text, points: null };
  const points = last.points ?? inner.points;
  const text = m ? inner.text : last.text;
  const command: Command = m ? { name: 'record', text, decidedBy: m[2] ?? null } : { name: 'record', text };
  const withPoints: Command = points === null ? command : { ...command, points };
  return proposed ? { ...withPoints, proposed: true } : withPoints;
}

/** "8" or "8a" (as people type them: #8, D8, 8A): the decision and, for evidence, its letters. */
function parseTarget(word: string): TagTarget | null {
  const m = /^(?:#|d)?(\d{1,6})([a-z]*)[:.,]?$/i.exec(word);
  return m ? { decision: Number(m[1]), letters: m[2] === '' || m[2] === undefined ? null : m[2].toLowerCase() } : null;
}

function parseTag(verb: 'tag' | 'untag', args: string): Command | ParseError {
  const usage = verb === 'tag' ? 'tag 8 1 5' : 'untag 8 5';
  const [n, rest] = firstWord(args);
  const target = parseTarget(n);
  if (target === null) {
    return n === ''
      ? fail(`\`${verb}\` needs a decision number or an evidence label, then the points of the Service Standard: \`${usage}\` or \`${verb} 8a 5\`.`)
      : fail(`"${[...n].slice(0, 30).join('')}" is not a decision number or an evidence label. Use \`${usage}\` or \`${verb} 8a 5\`.`);
  }
  if (rest.trim() === '') {
    if (verb === 'untag') return { name: 'untag', target, points: null };
    return fail(`\`tag ${n}\` needs the points of the Service Standard it speaks to, 1 to 14: \`tag ${n} 1 5\`. \`help tag\` lists them.`);
  }
  const points = readPoints(rest);
  if (!Array.isArray(points)) return fail(points.problem);
  return verb === 'tag' ? { name: 'tag', target, points } : { name: 'untag', target, points };
}

function parseAssessment(args: string): Command | ParseError {
  const [sub, rest] = firstWord(args);
  const exporting = sub.toLowerCase() === 'export';
  const phase = (exporting ? rest : args).trim();
  // A phase is a word or a short name; a sentence ("Assessment of the options showed…") is not one.
  // A name of several words says which phase it is ("Private beta"); else it reads as a sentence.
  const words = phase === '' ? 0 : phase.split(/\s+/).length;
  const phaseLike = words <= 1 || /\b(?:discovery|alpha|beta|live|all)\b/i.test(phase);
  if (phase.length > MAX_PHASE_NAME || words > 4 || phase.includes('\n') || !phaseLike) {
    return fail('`assessment` takes nothing (the current phase), a phase such as `assessment alpha`, or `export` for the pack as Markdown.');
  }
  const named = phase === '' ? null : phase;
  return exporting ? { name: 'assessment export', phase: named } : { name: 'assessment', phase: named };
}

const PHASE_USAGE = '`phase` shows the phases; `phase start alpha|beta|live|discovery [name] [from sprint N]` starts one.';

function parsePhase(args: string): Command | ParseError {
  if (args === '') return { name: 'phase' };
  const [sub, rest] = firstWord(args);
  if (sub.toLowerCase() !== 'start') {
    const kind = phaseKind(sub);
    const near = kind ? 'start' : closestCommandIn(sub, ['start']);
    return fail(PHASE_USAGE, kind ? `phase start ${args}` : near ? `phase start ${rest}`.trim() : null);
  }
  const [word, more] = firstWord(rest);
  const kind = phaseKind(word);
  if (kind === null) {
    const near = word === '' ? null : closestCommandIn(word, [...PHASE_KINDS]);
    const what = word === '' ? '`phase start` needs the phase' : `"${[...word].slice(0, 30).join('')}" is not a phase`;
    return fail(`${what}: discovery, alpha, beta or live, such as \`phase start alpha\` or \`phase start beta Private beta\`.`, near ? `phase start ${near} ${more}`.trim() : null);
  }
  // "… from sprint 2" closes it: looked for in the last few characters only, so a long name costs one pass.
  const all = more.trim();
  const tail = all.slice(-40);
  const at = /(?:^|\s)(?:(?:from|at|in)\s+)?sprint\s+(\d{1,4})$/i.exec(tail);
  const label = (at ? all.slice(0, all.length - tail.length + at.index) : all).trim();
  return { name: 'phase start', kind, label: label === '' ? null : label, sprint: at ? Number(at[1]) : null };
}

function parseSprint(args: string): Command | ParseError {
  if (args === '') return { name: 'sprint' };
  const [sub, rest] = firstWord(args);
  switch (sub.toLowerCase()) {
    case 'start':
    case 'new':
      return { name: 'sprint start', label: rest.trim() === '' ? null : rest.trim() };
    case 'length': {
      const m = /^(\d{1,3})\s*(d|days?|w|weeks?)$/i.exec(rest.trim());
      if (!m) return fail('`sprint length` needs a number and a unit: `sprint length 2 weeks` or `sprint length 10 days`.');
      const count = Number(m[1]);
      const unit: SprintUnit = (m[2] ?? '').toLowerCase().startsWith('w') ? 'weeks' : 'days';
      const days = unit === 'weeks' ? count * 7 : count;
      if (days < 1 || days > 91) return fail('A sprint can be from 1 day to 13 weeks long.');
      return { name: 'sprint length', count, unit };
    }
    default: {
      const near = closestCommandIn(sub, ['start', 'length']);
      return fail('`sprint` takes nothing, `start [name]` or `length <N> days|weeks`.', near ? `sprint ${near} ${rest}`.trim() : null);
    }
  }
}

/** The word of `words` nearest to `word`, when within two edits (a typo); also the command line's. */
export function closestCommandIn(word: string, words: string[]): string | null {
  const w = word.toLowerCase();
  const found = words.map((c) => ({ c, d: distance(w, c) })).sort((a, b) => a.d - b.d)[0];
  return found && found.d <= (w.length <= 4 ? 1 : 2) ? found.c : null;
}

function parseCase(args: string): Command | ParseError {
  if (args === '') return { name: 'case' };
  const [sub, rest] = firstWord(args);
  const lower = sub.toLowerCase();
  if (lower === 'title') {
    if (rest.trim() === '') return fail('`case title` needs the new title: `case title Apply for a fishing licence`.');
    if (rest.includes('\n')) return fail('A case title is one line.');
    return { name: 'case title', text: rest.trim() };
  }
  if (lower === 'template') {
    const t = rest.trim().toLowerCase();
    if (t === 'prototype') return { name: 'case template', template: 'prototype' };
    if (t === 'five-case' || t === 'fivecase' || t === 'five case' || t === 'green book' || t === 'greenbook') return { name: 'case template', template: 'five-case' };
    return fail('`case template` takes `prototype` or `five-case`.');
  }
  // `case <section> <markdown>`: a section name may be several words, so the service
  // splits it where the case's own headings say; here the whole remainder goes on.
  return { name: 'case section', text: args };
}

const HOLIDAY_WORDS: Record<string, HolidayRegion | 'default'> = {
  'england and wales': 'england-and-wales', 'england-and-wales': 'england-and-wales', england: 'england-and-wales', wales: 'england-and-wales',
  scotland: 'scotland', 'northern ireland': 'northern-ireland', 'northern-ireland': 'northern-ireland', ni: 'northern-ireland',
  none: 'none', off: 'none', default: 'default', auto: 'default',
};

function parseHolidays(args: string): Command | ParseError {
  if (args === '') return { name: 'holidays', region: null };
  const region = HOLIDAY_WORDS[args.toLowerCase().replace(/\s+/g, ' ')];
  if (region) return { name: 'holidays', region };
  return fail('`holidays` takes `england and wales`, `scotland`, `northern ireland`, `none` (weekdays only) or `default` (from the time zone).');
}

function parseDigest(args: string): Command | ParseError {
  if (args === '') return { name: 'digest' };
  const on = parseSwitch(args);
  if (on !== null) return { name: 'digest switch', on };
  const m = /^(\S+)\s+(\S+)$/.exec(args);
  const weekday = m ? parseWeekday(m[1] ?? '') : null;
  const time = m ? parseTime(m[2] ?? '') : null;
  if (weekday === null || time === null) return fail('`digest` takes `on`, `off`, or a day and a time: `digest monday 09:00`.');
  return { name: 'digest time', weekday, time };
}

function parseRetro(args: string): Command | ParseError {
  if (args === '') return { name: 'retro' };
  const on = parseSwitch(args);
  if (on !== null) return { name: 'retro switch', on };
  const time = parseTime(args);
  if (time === null) return fail(`"${args}" is not a time. Use 24-hour time: \`retro 14:00\`.`);
  return { name: 'retro time', time };
}

const PUBLISH_USAGE = '`publish` takes nothing, `github <owner>/<repo> [path] [branch]`, `now`, `mode pr|commit` or `off`.';

function parsePublish(args: string): Command | ParseError {
  if (args === '') return { name: 'publish' };
  const [sub, rest] = firstWord(args);
  const more = rest.trim();
  switch (sub.toLowerCase()) {
    case 'github':
      return parsePublishGithub(more);
    case 'now':
      return more === '' ? { name: 'publish now' } : fail('`publish now` takes no words.');
    case 'off':
      return more === '' ? { name: 'publish off' } : fail('`publish off` takes no words.');
    case 'mode': {
      const mode = more.toLowerCase();
      if (mode === 'pr' || mode === 'pull request' || mode === 'pull-request') return { name: 'publish mode', mode: 'pr' };
      if (mode === 'commit') return { name: 'publish mode', mode: 'commit' };
      return fail('`publish mode` takes `pr` (a pull request each week, the default) or `commit` (straight to the branch).');
    }
    default: {
      // The surface offers the suggestion its own way ("Did you mean …?", a button).
      const near = closestCommandIn(sub, ['github', 'now', 'mode', 'off']);
      return fail(PUBLISH_USAGE, near ? `publish ${near} ${more}`.trim() : null);
    }
  }
}

const GITHUB_USAGE = '`publish github acme/business-case docs/business-case.md`';

/**
 * `publish github <owner>/<repo> [path] [branch]`. The repository may be pasted as its web
 * address. The path must be a Markdown file, so a lone branch name is not taken for one.
 */
function parsePublishGithub(args: string): Command | ParseError {
  const words = args.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return fail(`\`publish github\` needs the repository as owner/name: ${GITHUB_USAGE}.`);
  if (words.length > 3) return fail(`\`publish github\` takes a repository, a file path and a branch, in that order: ${GITHUB_USAGE} main.`);
  const [where = '', path = null, branch = null] = words;
  const m = /^(?:(?:https?:\/\/)?[^/\s]+\/)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?\/?$/.exec(where);
  const repo = m?.[2] ?? '';
  if (!m || repo === '.' || repo === '..') return fail(`"${where.slice(0, 80)}" is not a GitHub repository. Give it as owner/name: ${GITHUB_USAGE}.`);
  if (path !== null) {
    const problem = checkRepoPath(path);
    if (problem) return fail(problem);
  }
  if (branch !== null && !isBranchName(branch)) return fail(`"${branch.slice(0, 80)}" is not a branch name.`);
  return { name: 'publish github', owner: m[1] ?? '', repo, path, branch };
}

/** A path in a repository the case can be written to: relative, plain segments, a Markdown file. */
export function checkRepoPath(path: string): string | null {
  const shown = path.slice(0, 80);
  if (!/\.(md|markdown)$/i.test(path)) return `"${shown}" is not a Markdown file path: give one ending in .md, such as docs/business-case.md (a branch name goes after the path).`;
  // eslint-disable-next-line no-control-regex
  if (path.length > 255 || path.startsWith('/') || path.includes('\\') || /[\u0000-\u001f\u007f]/.test(path)
    || path.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')) {
    return `"${shown}" is not a file path in the repository: use a path such as docs/business-case.md, without .. or a leading /.`;
  }
  return null;
}

/** Git's rules for a branch name, the ones people can break by typing. */
function isBranchName(name: string): boolean {
  return /^[A-Za-z0-9._/-]{1,200}$/.test(name) && !/^[-/.]|\/$|\.$|\.lock$|\.\.|\/\/|\/\./.test(name);
}

export const WEEKDAY_NAMES = WEEKDAYS.map((d) => d[0]?.toUpperCase() + d.slice(1));
