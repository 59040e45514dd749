/**
 * Documents <-> domain. Domain -> document picks every field one by one, so nothing else
 * reaches the database; every value put in a filter is cast to its type here, so user
 * text is compared as a value and never read as a query operator.
 */
import mongoose from 'mongoose';
import {
  plainJson,
  type CaseDoc, type ChangeDoc, type ConversationRefDoc, type DecisionDoc, type EvidenceDoc, type InstallationDoc,
  type SprintDoc,
} from '../../../models';
import type { Case, CaseSnapshot, Change, Decision, Evidence, PhaseKind, Place, Sprint } from '../../core/model';
import type { ConversationRef } from '../../../adapters/teams/ports';
import type { Installation } from '../../../adapters/slack/ports';

// Filter values, cast to their type: whatever arrives, it is compared as a value.
export const str = (v: unknown): string => String(v);
export const int = (v: unknown): number => Number(v);
/** Marks the store's own operators, which `sanitizeFilter` would otherwise wrap in `$eq`. */
export const { trusted } = mongoose;

// Documents -> domain ----------------------------------------------------------------

export function toPlace(p: { platform: Place['platform']; workspace: string; channel: string }): Place {
  return { platform: p.platform, workspace: p.workspace, channel: p.channel };
}

export function toCase(d: CaseDoc): Case {
  return {
    id: d._id,
    place: toPlace(d.place),
    title: d.title ?? null,
    template: d.template,
    timeZone: d.timeZone,
    sprintLength: { count: d.sprintLength.count, unit: d.sprintLength.unit },
    layout: d.layout,
    schedule: {
      digestOn: d.schedule.digestOn,
      digestWeekday: d.schedule.digestWeekday,
      digestTime: d.schedule.digestTime,
      retroOn: d.schedule.retroOn,
      retroTime: d.schedule.retroTime,
      ...(d.schedule.holidays ? { holidays: d.schedule.holidays } : {}),
    },
    shareVersion: d.shareVersion,
    publication: d.publication ?? null,
    ...(d.canvas ? { canvas: d.canvas } : {}),
    // Cases written before versions existed have none: 0.
    version: d.version ?? 0,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function toSprint(d: SprintDoc): Sprint {
  const s: Sprint = { number: d.number, suffix: d.suffix, intro: d.intro, startsOn: d.startsOn ?? null };
  // Only a sprint a phase starts at has one (documents from before phases have none).
  if (d.phase) s.phase = { kind: d.phase.kind, name: d.phase.name ?? null };
  return s;
}

export function toDecision(d: DecisionDoc): Decision {
  return {
    number: d.number,
    sprint: d.sprint,
    text: d.text,
    author: { id: d.author.id, name: d.author.name },
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    status: d.status,
    statusReason: d.statusReason ?? null,
    supersededBy: d.supersededBy ?? null,
    sourceUrl: d.sourceUrl ?? null,
    revisions: (d.revisions ?? []).map((r) => ({
      text: r.text, editedBy: { id: r.editedBy.id, name: r.editedBy.name }, editedAt: r.editedAt,
    })),
    // Absent on documents written before deciders existed: nobody named.
    deciders: (d.deciders ?? []).map(String),
    // Absent on documents written before points existed: none.
    points: (d.points ?? []).map(Number),
  };
}

export function toEvidence(d: EvidenceDoc): Evidence {
  return {
    id: d._id,
    decision: d.decision,
    letter: d.letter ?? null,
    refersTo: d.refersTo ?? null,
    position: d.position,
    text: d.text,
    author: { id: d.author.id, name: d.author.name },
    createdAt: d.createdAt,
    sourceUrl: d.sourceUrl ?? null,
    points: (d.points ?? []).map(Number),
  };
}

/** A change as stored: `subject` only when it has one; `undoneAt`, `version` and `touches` always (old changes: null, 0, []). */
export function toChange(d: ChangeDoc): Change {
  return {
    id: d._id,
    caseId: d.caseId,
    actor: { id: d.actor.id, name: d.actor.name },
    at: d.at,
    version: d.version ?? 0,
    touches: [...(d.touches ?? [])],
    description: d.description,
    undo: d.undo,
    ...(d.subject != null ? { subject: d.subject } : {}),
    undoneAt: d.undoneAt ?? null,
  };
}

export function toInstallation(d: InstallationDoc): Installation {
  return { key: d._id, data: d.data, updatedAt: d.updatedAt };
}

export function toConversationRef(d: ConversationRefDoc): ConversationRef {
  return { place: toPlace(d.place), reference: d.reference, updatedAt: d.updatedAt };
}

export function toSnapshot(c: CaseDoc, sprints: SprintDoc[], decisions: DecisionDoc[], evidence: EvidenceDoc[]): CaseSnapshot {
  return {
    case: toCase(c),
    sprints: sprints.map(toSprint),
    decisions: decisions.map(toDecision),
    evidence: evidence.map(toEvidence),
  };
}

// Domain -> documents ------------------------------------------------------------------

export function placeFields(p: Place): Place {
  return { platform: str(p.platform) as Place['platform'], workspace: str(p.workspace), channel: str(p.channel) };
}

export function placeFilter(p: Place): Record<string, string> {
  return { 'place.platform': str(p.platform), 'place.workspace': str(p.workspace), 'place.channel': str(p.channel) };
}

/** The fields of a case a commit sets (everything but its id, place and creation time). */
export function caseFields(c: Case): Pick<CaseDoc,
  'title' | 'template' | 'timeZone' | 'sprintLength' | 'layout' | 'schedule' | 'shareVersion' | 'publication' | 'canvas' | 'updatedAt' | 'version'> {
  return {
    title: c.title,
    template: c.template,
    timeZone: c.timeZone,
    sprintLength: { count: c.sprintLength.count, unit: c.sprintLength.unit },
    layout: plainJson(c.layout),
    schedule: plainJson(c.schedule),
    shareVersion: c.shareVersion,
    publication: c.publication === null ? null : plainJson(c.publication),
    canvas: c.canvas === undefined || c.canvas === null ? null : plainJson(c.canvas),
    updatedAt: c.updatedAt,
    version: int(c.version),
  };
}

export function caseDoc(c: Case): Omit<CaseDoc, 'schemaVersion' | 'writing'> {
  return { _id: str(c.id), place: placeFields(c.place), ...caseFields(c), createdAt: c.createdAt };
}

export function sprintFields(s: Sprint): Pick<SprintDoc, 'suffix' | 'intro' | 'startsOn' | 'phase'> {
  return { suffix: s.suffix, intro: s.intro, startsOn: s.startsOn, phase: s.phase ? { kind: str(s.phase.kind) as PhaseKind, name: s.phase.name === null ? null : str(s.phase.name) } : null };
}

export function sprintDoc(caseId: string, s: Sprint): Omit<SprintDoc, 'schemaVersion'> {
  return { caseId: str(caseId), number: int(s.number), ...sprintFields(s) };
}

/** A decision's own fields, without its key (case, number): a commit sets them all. */
export function decisionFields(d: Decision): Omit<DecisionDoc, 'caseId' | 'number' | 'schemaVersion'> {
  return {
    sprint: d.sprint,
    text: d.text,
    author: { id: d.author.id, name: d.author.name },
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    status: d.status,
    statusReason: d.statusReason,
    supersededBy: d.supersededBy,
    sourceUrl: d.sourceUrl,
    revisions: d.revisions.map((r) => ({
      text: r.text, editedBy: { id: r.editedBy.id, name: r.editedBy.name }, editedAt: r.editedAt,
    })),
    deciders: (d.deciders ?? []).map((n) => str(n)),
    points: (d.points ?? []).map(int),
  };
}

export function decisionDoc(caseId: string, d: Decision): Omit<DecisionDoc, 'schemaVersion'> {
  return { caseId: str(caseId), number: int(d.number), ...decisionFields(d) };
}

export function evidenceDoc(caseId: string, e: Evidence): Omit<EvidenceDoc, 'schemaVersion'> {
  return {
    _id: str(e.id),
    caseId: str(caseId),
    decision: e.decision,
    letter: e.letter,
    refersTo: e.refersTo,
    position: e.position,
    text: e.text,
    author: { id: e.author.id, name: e.author.name },
    createdAt: e.createdAt,
    sourceUrl: e.sourceUrl,
    points: (e.points ?? []).map(int),
  };
}

/** A change as stored; undo steps and subject are opaque JSON to the store. */
export function changeDoc(caseId: string, c: Change): Omit<ChangeDoc, 'order' | 'schemaVersion'> {
  return {
    _id: str(c.id),
    caseId: str(caseId),
    actor: { id: c.actor.id, name: c.actor.name },
    at: c.at,
    version: int(c.version),
    touches: c.touches.map(str),
    description: c.description,
    undo: plainJson(c.undo),
    ...(c.subject ? { subject: plainJson(c.subject) } : {}),
    undoneAt: c.undoneAt ?? null,
  };
}
