import fs from 'node:fs';
import path from 'node:path';
import { newCase } from '../../../src/core/cases';
import type { Actor, CaseSnapshot, Decision, Evidence, Place, Sprint } from '../../../src/core/model';
import type { ParsedCase } from '../../../src/core/markdown';

export const place: Place = { platform: 'console', workspace: 'local', channel: 'team-a' };
export const ana: Actor = { id: 'U1', name: 'Ana' };
export const NOW = '2026-11-26T10:00:00.000Z';

export function fixture(name: string): string {
  return fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'markdown', name), 'utf8');
}

/** A document from lines, so a test can see which line number each one has. */
export function doc(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A whole case as the Store would hold it after importing `parsed`. */
export function snapshotOf(parsed: ParsedCase): CaseSnapshot {
  const base = newCase({ id: 'case-1', place, now: NOW, title: parsed.title });
  return {
    case: { ...base, layout: parsed.layout },
    sprints: parsed.sprints,
    decisions: parsed.decisions.map((d) => ({ ...d, author: ana, createdAt: NOW, updatedAt: NOW, revisions: [] })),
    evidence: parsed.evidence.map((e, i) => ({ ...e, id: `ev-${i}`, author: ana, createdAt: NOW })),
  };
}

export function sprint(number: number, suffix = '', intro = ''): Sprint {
  return { number, suffix, intro, startsOn: null };
}

export function decision(number: number, sprintNumber: number, text: string, extra: Partial<Decision> = {}): Decision {
  return {
    number, sprint: sprintNumber, text, author: ana, createdAt: NOW, updatedAt: NOW,
    status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [], ...extra,
  };
}

export function evidence(decisionNumber: number, letter: string | null, position: number, text: string, extra: Partial<Evidence> = {}): Evidence {
  return {
    id: `ev-${decisionNumber}-${position}`, decision: decisionNumber, letter, refersTo: null, position, text,
    author: ana, createdAt: NOW, sourceUrl: null, points: [], ...extra,
  };
}
