/**
 * One architecture decision record (ADR), as adr-tools, MADR and log4brains write them:
 * a title ("# 1. Use a common cloud provider", "# ADR 001: …", or the number in the file
 * name), perhaps a "Date:" line, and sections: Status, Context, Decision, Consequences…
 *
 * An ADR is one decision: its text is the title and the Decision section; its status comes
 * from the Status section (or a "Status:" line); its Context and considered options are its
 * evidence. Every other part is kept as it was. Export writes the ADR back from those parts,
 * the status in the ADR's own words while the decision still has the status they meant, so
 * an ADR nobody changed comes back byte for byte (with its source form) and one changed in
 * chat is written in its own layout.
 *
 * Service Standard points are the last line of the Decision section (the decision's) or of an
 * evidence section (that evidence's): "_Service Standard: 6 (…)_", as the case document writes
 * them. A phase that starts with the ADR is a "_Phase: Alpha_" line of its preamble, beside
 * its Date; which ADR carries it is the folder's business (adr-phases.ts).
 */
import type { AdrRecord, AdrSection, AdrSectionRole, AdrStatusMeant, DecisionStatus, FrontMatter, SprintPhase } from '../model';
import { pointsLine, readPointsLine } from '../service-standard';
import { readDocumentLines, SECTION_MAX_LEVEL, type Line } from './document-lines';
import {
  closeOpenFence, escapeSourceLookalike, escapeUserText, fencedLines, joinNames, phaseLine, readPhaseLine, splitNames, splitSourceTail, unescapeSourceLookalike,
  unescapeUserText, withSourceTail,
} from './escape';
import { frontMatterTitle, withFrontMatterTitle } from './front-matter';
import { joinLines, normaliseBlock } from './lines';
import type { Span } from './source-form';
import type { Unit } from './units';

/** A link from one ADR to another: the file it points at (resolved against the folder), or just a number. */
export interface AdrLink {
  path: string | null;
  number: number | null;
}

/** What a status says, before the folder is read as a whole (links resolved, "Supersedes" applied). */
export interface AdrStatusRead {
  /** Its first line as written ("Accepted", "Superseded by [5. Use X](0005-use-x.md)"). */
  line: string;
  meaning: 'active' | 'proposed' | 'rejected' | 'superseded' | 'withdrawn' | 'unknown';
  reason: string | null;
  supersededBy: AdrLink | null;
  supersedes: AdrLink[];
}

export interface AdrRead {
  path: string;
  /** From the file name ("0007-use-postgres.md") or its folder's ("0007-use-postgres/index.md"). */
  fileNumber: number | null;
  /** From the title ("7. Use Postgres", "ADR 007: Use Postgres"). */
  titleNumber: number | null;
  /** YYYY-MM-DD: a "Date:" line, the front matter's date, or a date the file is named by (log4brains). */
  date: string | null;
  /** The title without its number. */
  title: string;
  record: Omit<AdrRecord, 'decision' | 'meant' | 'source'>;
  decisionBody: string;
  sourceUrl: string | null;
  /** The decision's Service Standard points: the Decision section's last line. */
  points: number[];
  evidence: Array<{ text: string; sourceUrl: string | null; points: number[] }>;
  /** The phase its preamble says starts with it, taken out of the preamble; null when none (or not asked for). */
  phase: SprintPhase | null;
  status: AdrStatusRead | null;
  spans: Span[];
  markdown: string;
}

const ROLES: ReadonlyArray<[AdrSectionRole, RegExp]> = [
  ['status', /^status$/],
  ['decision', /^(?:the )?decision(?: outcome| made)?$/],
  ['evidence', /^(?:context|context and problem statement|problem statement|background|considered options|options considered|options|alternatives(?: considered)?|evidence)$/],
];

/** "ADR 001: Use X", "ADR-7 Use X"; then "1. Use X", "12: Use X", "3) Use X". */
const PREFIXES = [/^(ADR[-_ ]?0*(\d{1,6})\s*[:.\-–—]?\s+)(\S.*)$/i, /^((\d{1,6})\s*[.:)]\s+)(\S.*)$/];
const STATUS_LINE = /^(\s*(?:[-*+]\s+)?(?:\*\*|__)?Status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)(\S.*)$/i;
const DECIDERS_LINE = /^(\s*(?:[-*+]\s+)?(?:\*\*|__)?Deciders(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)(.*)$/i;
export const DATE_LINE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?Date(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(\d{4}-\d{2}-\d{2})\b/im;

interface SectionRead {
  level: number;
  heading: string;
  lines: string[];
}

/** The lines before the first section, and each section's heading and lines; each section's start is pushed to `spans`. */
function splitSections(lines: readonly Line[], bodyStart: number, sectionLevel: number, spans: Span[]): { preambleLines: string[]; read: SectionRead[] } {
  const preambleLines: string[] = [];
  const read: SectionRead[] = [];
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.heading && line.heading.level <= sectionLevel) {
      spans.push({ key: ADR_KEYS.section(read.length), line: i });
      read.push({ level: line.heading.level, heading: line.heading.text, lines: [] });
    } else (read[read.length - 1]?.lines ?? preambleLines).push(line.text);
  }
  return { preambleLines, read };
}

/** Each section with the role its heading names; `rawOf`: its text as written, for the decision's and evidence's own text. */
function withRoles(read: SectionRead[]): { sections: AdrSection[]; rawOf: Map<AdrSection, string> } {
  const rawOf = new Map<AdrSection, string>();
  const taken = new Set<AdrSectionRole>();
  const sections = read.map((r) => {
    const raw = joinLines(r.lines);
    const body = unescapeUserText(raw, 'section');
    const name = r.heading.toLowerCase().replace(/[:.]+$/, '').replace(/\s+/g, ' ').trim();
    let role: AdrSectionRole = ROLES.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
    // One Status and one Decision; evidence only where there is some.
    if ((role === 'status' || role === 'decision') && taken.has(role)) role = 'other';
    if (role === 'evidence' && body === '') role = 'other';
    taken.add(role);
    const section: AdrSection = { level: r.level, heading: r.heading, role, body };
    rawOf.set(section, raw);
    return section;
  });
  return { sections, rawOf };
}

/** The status as a section, or as a "Status: …" line of the preamble (where it is, to write it back there). */
function statusOf(preamble: string, statusSection: AdrSection | undefined): { statusLine: AdrRecord['statusLine']; statusText: string | null } {
  if (statusSection) return { statusLine: null, statusText: statusSection.body };
  const lines = preamble.split('\n');
  const lineAt = lines.findIndex((l) => STATUS_LINE.test(l));
  if (lineAt < 0) return { statusLine: null, statusText: null };
  const m = STATUS_LINE.exec(lines[lineAt] ?? '');
  return { statusLine: { index: lineAt, prefix: m?.[1] ?? '' }, statusText: m?.[2] ?? '' };
}

/** A "Deciders: …" line of the preamble, where it is and the names it gives. */
function decidersOf(preamble: string): AdrRecord['deciders'] {
  const lines = preamble.split('\n');
  const at = lines.findIndex((l) => DECIDERS_LINE.test(l));
  const m = at < 0 ? null : DECIDERS_LINE.exec(lines[at] ?? '');
  return { line: m ? { index: at, prefix: m[1] ?? '' } : null, meant: splitNames(m?.[2] ?? '') };
}

/** The first preamble line (outside a code fence) that is a phase line: its index, or -1. */
function phaseLineIn(preambleLines: readonly string[]): number {
  const fenced = fencedLines(preambleLines);
  return preambleLines.findIndex((l, i) => !fenced[i] && readPhaseLine(l) !== null);
}

/**
 * The ADR in `markdown`, or null when it is not one: it needs a title, and a number or date
 * with a Status or Decision, or both. With `takePhase` false a phase line stays preamble text
 * (the folder found another phase for the ADR's sprint first).
 */
export function readAdr(path: string, markdown: string, takePhase = true): AdrRead | null {
  const { lines, frontMatter, start } = readDocumentLines(markdown);
  const yaml = frontMatter === null ? null : joinLines(frontMatter);
  const first = lines.slice(start).find((l) => l.text !== '');
  const h1 = first?.heading?.level === 1 ? first : null;
  const titleText = h1?.heading?.text ?? (yaml === null ? null : frontMatterTitle(yaml));
  if (titleText === null || titleText === '') return null;
  const prefix = PREFIXES.map((p) => p.exec(titleText)).find((m) => m !== null) ?? null;
  const named = numberInName(path);
  const bodyStart = h1 ? h1.no : start;
  const firstHeading = lines.slice(bodyStart).find((l) => l.heading !== null)?.heading;
  const sectionLevel = Math.min(Math.max(firstHeading?.level ?? 2, 2), SECTION_MAX_LEVEL);

  const spans: Span[] = [];
  if (yaml !== null) spans.push({ key: ADR_KEYS.frontMatter, line: 0 });
  if (h1) spans.push({ key: ADR_KEYS.title, line: h1.no - 1 });
  spans.push({ key: ADR_KEYS.preamble, line: bodyStart });
  const { preambleLines, read } = splitSections(lines, bodyStart, sectionLevel, spans);
  const phaseAt = takePhase ? phaseLineIn(preambleLines) : -1;
  const phase = phaseAt < 0 ? null : readPhaseLine(preambleLines.splice(phaseAt, 1)[0] ?? '');
  const preamble = unescapeUserText(joinLines(preambleLines), 'section');
  const { sections, rawOf } = withRoles(read);
  const statusSection = sections.find((s) => s.role === 'status');
  const { statusLine, statusText } = statusOf(preamble, statusSection);
  const status = statusText === null ? null : readStatus(statusText, path);
  const deciders = decidersOf(preamble);
  const decisionSection = sections.find((s) => s.role === 'decision');
  const number = named.number ?? (prefix ? Number(prefix[2]) : null);
  if (!(statusSection || statusLine || decisionSection) || (number === null && named.date === null && !(status && decisionSection))) return null;

  const decision = readText(decisionSection ? rawOf.get(decisionSection) ?? '' : '');
  const fmDate = yaml === null ? null : /^date:\s*["']?(\d{4}-\d{2}-\d{2})/m.exec(yaml)?.[1] ?? null;
  const front: FrontMatter | null = yaml === null ? null : { yaml, title: h1 === null };
  return {
    path,
    fileNumber: named.number,
    titleNumber: prefix ? Number(prefix[2]) : null,
    date: DATE_LINE.exec(preamble)?.[1] ?? fmDate ?? named.date,
    title: prefix ? (prefix[3] ?? '') : titleText,
    record: { path, frontMatter: front, titlePrefix: prefix?.[1] ?? '', preamble, statusLine, deciders, sections },
    decisionBody: decision.text,
    sourceUrl: decision.sourceUrl,
    points: decision.points,
    evidence: sections.filter((s) => s.role === 'evidence').map((s) => readText(rawOf.get(s) ?? '')),
    phase,
    status,
    spans,
    markdown,
  };
}

/**
 * A decision's or evidence's text as written in its section: its points (the last line, when
 * that is a points line outside a code fence) and a source link at its end split off, then
 * unescaped. The exact inverse of `writeText`.
 */
function readText(section: string): { text: string; sourceUrl: string | null; points: number[] } {
  const lines = section.split('\n');
  const last = lines.length - 1;
  const points = fencedLines(lines)[last] ? null : readPointsLine(lines[last] ?? '');
  const raw = points ? joinLines(lines.slice(0, last)) : section;
  const { text, sourceUrl } = splitSourceTail(raw);
  return { text: unescapeUserText(unescapeSourceLookalike(text), 'section'), sourceUrl, points: points ?? [] };
}

/**
 * Text typed in chat, safe as a section's body: no line of it can start a section or read as
 * points, and no end of it reads as a source link; then its points, when it has some.
 */
function writeText(text: string, sourceUrl: string | null, points: readonly number[]): string {
  const written = withSourceTail(escapeSourceLookalike(escapeUserText(text, 'section')), sourceUrl);
  if (points.length === 0) return written;
  // After a code fence left open the line would be code: the fence is closed first.
  return written === '' ? pointsLine(points) : `${closeOpenFence(written)}\n\n${pointsLine(points)}`;
}

/** The number (or, for log4brains' "20200926-…", the date) a file or its folder is named with. */
function numberInName(path: string): { number: number | null; date: string | null } {
  const parts = path.split('/');
  let name = parts[parts.length - 1] ?? '';
  if (/^(?:index|readme)\.(?:md|markdown)$/i.test(name)) name = parts[parts.length - 2] ?? '';
  const m = /^(\d+)(?=[-_. ]|$)/.exec(name);
  if (!m) return { number: null, date: null };
  const digits = m[1] ?? '';
  const date = /^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.exec(digits);
  if (date) return { number: null, date: `${date[1]}-${date[2]}-${date[3]}` };
  return digits.length <= 6 ? { number: Number(digits), date: null } : { number: null, date: null };
}

const MEANINGS: ReadonlyArray<[AdrStatusRead['meaning'], RegExp]> = [
  ['superseded', /^(?:superseded|replaced)\b/],
  ['active', /^(?:accepted|approved|agreed|adopted|decided|done|implemented|active|completed?)\b/],
  ['proposed', /^(?:proposed|draft|open|pending|under review|in review|in progress|rfc|suggested)\b/],
  ['rejected', /^(?:rejected|declined)\b/],
  ['withdrawn', /^(?:deprecated|withdrawn|retired|obsolete|abandoned)\b/],
];

const LINK = /\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** What a status says: its first line's word, a reason after it, and the ADRs it names. */
export function readStatus(text: string, from: string): AdrStatusRead {
  const lines = text.split('\n');
  const line = lines.find((l) => l.trim() !== '') ?? '';
  const plain = line.replace(/^[\s*_`>]+/, '');
  const lower = plain.toLowerCase();
  const meaning = MEANINGS.find(([, pattern]) => pattern.test(lower))?.[0] ?? 'unknown';
  const reason = meaning === 'withdrawn' || meaning === 'rejected' ? plain.replace(/^\S+[\s:–—-]*/, '').replace(/[*_`]+$/, '').trim() || null : null;
  const supersedes = lines.filter((l) => /^\s*(?:[-*+]\s+)?(?:\*\*|__)?supersedes\b/i.test(l)).flatMap((l) => linksIn(l, from));
  return { line, meaning, reason, supersededBy: meaning === 'superseded' ? (linksIn(line, from)[0] ?? null) : null, supersedes };
}

/** The ADRs a line names: by link (its target resolved from `from`'s folder), else by number ("ADR 5", "5"). */
function linksIn(line: string, from: string): AdrLink[] {
  const out: AdrLink[] = [];
  for (const m of line.matchAll(LINK)) {
    const target = (m[2] ?? '').replace(/#.*$/, '');
    const number = /(?:ADR[-_ ]?)?0*(\d{1,6})\b/i.exec(m[1] ?? '')?.[1];
    out.push({ path: target === '' || /^[a-z]+:/i.test(target) ? null : joinPath(dirOf(from), safeDecode(target)), number: number === undefined ? null : Number(number) });
  }
  if (out.length === 0) {
    const bare = /\b(?:by|supersedes)\s+(?:ADR[-_ ]?)?0*(\d{1,6})\b/i.exec(line)?.[1];
    if (bare !== undefined) out.push({ path: null, number: Number(bare) });
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** "docs/adr/" for "docs/adr/0001-x.md"; "" at the top. */
export function dirOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at + 1);
}

/** `target` from folder `dir`, with "." and ".." worked out; null when it leaves the top. */
function joinPath(dir: string, target: string): string | null {
  const parts: string[] = [];
  for (const p of `${target.startsWith('/') ? '' : dir}${target}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

/** `to` as a link from the ADR at `from`. */
export function relativePath(from: string, to: string): string {
  const a = dirOf(from).split('/').filter((p) => p !== '');
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common += 1;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

// ---- Writing ---------------------------------------------------------------------------

export const ADR_KEYS = {
  frontMatter: 'front',
  title: 'title',
  preamble: 'preamble',
  section: (i: number) => `section:${i}`,
  added: (kind: string, i: number) => `added:${kind}:${i}`,
} as const;

/** What one ADR file is written from: its record, and its decision and evidence as the case holds them now. */
export interface AdrContent {
  record: Omit<AdrRecord, 'decision' | 'source'>;
  text: string;
  sourceUrl: string | null;
  points: readonly number[];
  status: AdrStatusMeant;
  deciders: readonly string[];
  evidence: ReadonlyArray<{ text: string; sourceUrl: string | null; points: readonly number[] }>;
  /** The phase that starts with this ADR (the folder chooses which ADR says so), or null. */
  phase: SprintPhase | null;
  /** The ADR that replaced this one, for its link: its path and title. */
  replacedBy: { number: number; path: string | null; title: string } | null;
}

function heading(level: number, text: string): string {
  return `${'#'.repeat(Math.min(Math.max(level, 1), 6))} ${text}`.trimEnd();
}

function unit(key: string, blocks: string[]): Unit | null {
  const text = normaliseBlock(blocks.filter((b) => b !== '').join('\n\n'));
  return text === '' ? null : { key, text };
}

/** A decision's text as an ADR's title (its first line) and its Decision section (the rest). */
export function splitTitle(text: string): { title: string; body: string } {
  const end = text.indexOf('\n');
  return end < 0 ? { title: text, body: '' } : { title: text.slice(0, end).trim(), body: text.slice(end).replace(/^\n+/, '') };
}

function sameStatus(a: AdrStatusMeant, b: AdrStatusMeant): boolean {
  return a.status === b.status && a.statusReason === b.statusReason && a.supersededBy === b.supersededBy;
}

/** The status's first line for a status set in chat, in the words ADR tools use. */
function statusWords(c: AdrContent, from: string): string {
  const s = c.status;
  const because = (word: string) => (s.statusReason === null ? word : `${word}: ${s.statusReason.replace(/\s*[\r\n]+\s*/g, ' ')}`);
  const words: Record<DecisionStatus, () => string> = {
    active: () => 'Accepted',
    proposed: () => 'Proposed',
    rejected: () => because('Rejected'),
    withdrawn: () => because('Deprecated'),
    superseded: () => {
      const by = c.replacedBy;
      if (by === null) return 'Superseded';
      return by.path === null ? `Superseded by ADR ${by.number}` : `Superseded by [${by.number}. ${by.title.replace(/[[\]]/g, '')}](${relativePath(from, by.path)})`;
    },
  };
  return words[s.status]();
}

/** The status text with its first line saying `words`, the lines after it kept. */
function withFirstLine(text: string, words: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() !== '');
  if (at < 0) return words;
  lines[at] = words;
  return lines.join('\n');
}

/** The preamble as written: the ADR's own, its status line and who decided saying what the case says now. */
function preambleText(c: AdrContent, words: string | null): string {
  const r = c.record;
  let preamble = r.preamble;
  if (words !== null && r.statusLine) {
    const lines = preamble.split('\n');
    lines[r.statusLine.index] = `${r.statusLine.prefix}${words}`;
    preamble = lines.join('\n');
  }
  // Who decided: the ADR's own line while the names are the same; else that line (or a new one) says the case's.
  if (joinNames(c.deciders) !== joinNames(r.deciders.meant)) {
    const lines = preamble === '' ? [] : preamble.split('\n');
    const line = r.deciders.line;
    if (line) lines[line.index] = `${line.prefix}${joinNames(c.deciders)}`;
    else lines.push(`Deciders: ${joinNames(c.deciders)}`);
    preamble = lines.join('\n');
  }
  return preamble;
}

/** The parts of one ADR file, keyed as `readAdr` found them, so the source form can match them. */
export function adrUnits(c: AdrContent): Unit[] {
  const r = c.record;
  const { title, body } = splitTitle(c.text);
  const changed = !sameStatus(c.status, r.meant);
  const words = changed ? statusWords(c, r.path) : null;
  const units: Array<Unit | null> = [];
  if (r.frontMatter) {
    const yaml = r.frontMatter.title ? withFrontMatterTitle(r.frontMatter.yaml, `${r.titlePrefix}${title}`) : r.frontMatter.yaml;
    units.push({ key: ADR_KEYS.frontMatter, text: `---\n${normaliseBlock(yaml)}${yaml.trim() === '' ? '' : '\n'}---` });
  }
  if (!r.frontMatter?.title) units.push(unit(ADR_KEYS.title, [heading(1, `${r.titlePrefix}${title}`)]));
  // The phase that starts here ends the preamble, a paragraph of its own.
  units.push(unit(ADR_KEYS.preamble, [escapeUserText(preambleText(c, words), 'section'), c.phase ? phaseLine(c.phase) : '']));
  const decisionText = writeText(body, c.sourceUrl, c.points);
  let evidenceAt = 0;
  let wroteDecision = false;
  let wroteStatus = r.statusLine !== null;
  r.sections.forEach((s, i) => {
    let text: string;
    switch (s.role) {
      case 'status':
        wroteStatus = true;
        text = escapeUserText(words === null ? s.body : withFirstLine(s.body, words), 'section');
        break;
      case 'decision':
        wroteDecision = true;
        text = decisionText;
        break;
      case 'evidence': {
        const e = c.evidence[evidenceAt];
        evidenceAt += 1;
        text = e ? writeText(e.text, e.sourceUrl, e.points) : '';
        break;
      }
      case 'other':
        text = escapeUserText(s.body, 'section');
        break;
    }
    units.push(unit(ADR_KEYS.section(i), [heading(s.level, s.heading), text]));
  });
  const level = r.sections[0]?.level ?? 2;
  if (!wroteStatus && words !== null) units.push(unit(ADR_KEYS.added('status', 0), [heading(level, 'Status'), escapeUserText(words, 'section')]));
  if (!wroteDecision && decisionText !== '') units.push(unit(ADR_KEYS.added('decision', 0), [heading(level, 'Decision'), decisionText]));
  // Evidence added in chat: a section of its own each, which reads back as evidence.
  c.evidence.slice(evidenceAt).forEach((e, i) => {
    units.push(unit(ADR_KEYS.added('evidence', i), [heading(level, 'Evidence'), writeText(e.text, e.sourceUrl, e.points)]));
  });
  return units.filter((u): u is Unit => u !== null);
}
