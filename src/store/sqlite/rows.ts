/** Rows as SQLite returns them, and the domain records they hold. JSON columns hold plain data. */
import type { Actor, Case, Change, ChangeSubject, Decision, Evidence, Place, Sprint, SprintPhase, UndoStep } from '../../core/model';
import type { ConversationRef } from '../../../adapters/teams/ports';

export interface CaseRow {
  id: string;
  platform: Place['platform'];
  workspace: string;
  channel: string;
  title: string | null;
  template: Case['template'];
  time_zone: string;
  sprint_length: string;
  layout: string;
  schedule: string;
  share_version: number;
  publication: string | null;
  canvas: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SprintRow {
  number: number;
  suffix: string;
  intro: string;
  starts_on: string | null;
  phase: string | null;
}

export interface DecisionRow {
  number: number;
  sprint: number;
  text: string;
  author_id: string;
  author_name: string;
  created_at: string;
  updated_at: string;
  status: Decision['status'];
  status_reason: string | null;
  superseded_by: number | null;
  source_url: string | null;
  revisions: string;
  deciders: string;
  points: string;
}

export interface EvidenceRow {
  id: string;
  decision: number;
  letter: string | null;
  refers_to: string | null;
  position: number;
  text: string;
  author_id: string;
  author_name: string;
  created_at: string;
  source_url: string | null;
  points: string;
}

export interface ChangeRow {
  id: string;
  case_id: string;
  actor_id: string;
  actor: string;
  at: string;
  version: number;
  description: string;
  undo: string;
  touches: string;
  subject: string | null;
  undone_at: string | null;
}

export interface ConversationRefRow {
  platform: Place['platform'];
  workspace: string;
  channel: string;
  reference: string;
  updated_at: string;
}

export const CASE_COLUMNS = `id, platform, workspace, channel, title, template, time_zone, sprint_length, layout, schedule,
  share_version, version, created_at, updated_at, publication, canvas`;
export const DECISION_COLUMNS = `case_id, number, sprint, text, author_id, author_name, created_at, updated_at, status,
  status_reason, superseded_by, source_url, revisions, deciders, points`;
export const EVIDENCE_COLUMNS = `id, case_id, decision, letter, refers_to, position, text, author_id, author_name, created_at,
  source_url, points`;
export const CHANGE_COLUMNS = 'id, case_id, actor_id, actor, at, version, description, undo, touches, subject';

export function toCase(r: CaseRow): Case {
  return {
    id: r.id,
    place: { platform: r.platform, workspace: r.workspace, channel: r.channel },
    title: r.title,
    template: r.template,
    timeZone: r.time_zone,
    sprintLength: JSON.parse(r.sprint_length),
    layout: JSON.parse(r.layout),
    schedule: JSON.parse(r.schedule),
    shareVersion: r.share_version,
    publication: r.publication === null ? null : JSON.parse(r.publication),
    ...(r.canvas !== null ? { canvas: JSON.parse(r.canvas) } : {}),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function caseParams(c: Case): unknown[] {
  return [
    c.id, c.place.platform, c.place.workspace, c.place.channel, c.title, c.template, c.timeZone,
    JSON.stringify(c.sprintLength), JSON.stringify(c.layout), JSON.stringify(c.schedule), c.shareVersion, c.version,
    c.createdAt, c.updatedAt, c.publication === null ? null : JSON.stringify(c.publication), canvasJson(c),
  ];
}

/** A case's canvas as its column holds it: NULL when it never had one. */
export function canvasJson(c: Case): string | null {
  return c.canvas === undefined || c.canvas === null ? null : JSON.stringify(c.canvas);
}

export function toSprint(r: SprintRow): Sprint {
  const s: Sprint = { number: r.number, suffix: r.suffix, intro: r.intro, startsOn: r.starts_on };
  // Only a sprint a phase starts at has one (rows from before migration 11 have none).
  if (r.phase) s.phase = JSON.parse(r.phase) as SprintPhase;
  return s;
}

/** The sprint's phase column: JSON, or NULL when no phase starts there. */
export function sprintPhaseParam(s: Sprint): string | null {
  return s.phase ? JSON.stringify({ kind: s.phase.kind, name: s.phase.name }) : null;
}

export function toDecision(r: DecisionRow): Decision {
  return {
    number: r.number,
    sprint: r.sprint,
    text: r.text,
    author: { id: r.author_id, name: r.author_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    statusReason: r.status_reason,
    supersededBy: r.superseded_by,
    sourceUrl: r.source_url,
    revisions: JSON.parse(r.revisions),
    deciders: JSON.parse(r.deciders) as string[],
    points: JSON.parse(r.points) as number[],
  };
}

export function decisionParams(caseId: string, d: Decision): unknown[] {
  return [
    caseId, d.number, d.sprint, d.text, d.author.id, d.author.name, d.createdAt, d.updatedAt, d.status,
    d.statusReason, d.supersededBy, d.sourceUrl, JSON.stringify(d.revisions), JSON.stringify(d.deciders ?? []),
    JSON.stringify(d.points ?? []),
  ];
}

export function toEvidence(r: EvidenceRow): Evidence {
  return {
    id: r.id,
    decision: r.decision,
    letter: r.letter,
    refersTo: r.refers_to,
    position: r.position,
    text: r.text,
    author: { id: r.author_id, name: r.author_name },
    createdAt: r.created_at,
    sourceUrl: r.source_url,
    points: JSON.parse(r.points) as number[],
  };
}

export function evidenceParams(caseId: string, e: Evidence): unknown[] {
  return [
    e.id, caseId, e.decision, e.letter, e.refersTo, e.position, e.text, e.author.id, e.author.name, e.createdAt,
    e.sourceUrl, JSON.stringify(e.points ?? []),
  ];
}

export function toChange(r: ChangeRow): Change {
  return {
    id: r.id,
    caseId: r.case_id,
    actor: JSON.parse(r.actor) as Actor,
    at: r.at,
    version: r.version,
    description: r.description,
    undo: JSON.parse(r.undo) as UndoStep[],
    touches: JSON.parse(r.touches) as string[],
    ...(r.subject !== null ? { subject: JSON.parse(r.subject) as ChangeSubject } : {}),
    undoneAt: r.undone_at,
  };
}

export function changeParams(c: Change): unknown[] {
  return [
    c.id, c.caseId, c.actor.id, JSON.stringify(c.actor), c.at, c.version, c.description, JSON.stringify(c.undo),
    JSON.stringify(c.touches), c.subject ? JSON.stringify(c.subject) : null,
  ];
}

export function toConversationRef(row: ConversationRefRow): ConversationRef {
  return {
    place: { platform: row.platform, workspace: row.workspace, channel: row.channel },
    reference: row.reference,
    updatedAt: row.updated_at,
  };
}
