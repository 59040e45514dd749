/**
 * The mongoose models of the MongoDB store, registered on a given connection (never
 * the global default), so one process can hold several stores (tests, `decisions copy`).
 */
import type { Connection, Model, Schema } from 'mongoose';
import { announcementSchema, type AnnouncementDoc } from './announcement';
import { caseSchema, type CaseDoc } from './case';
import { changeSchema, type ChangeDoc } from './change';
import { claimSchema, type ClaimDoc } from './claim';
import { conversationRefSchema, type ConversationRefDoc } from './conversation-ref';
import { counterSchema, type CounterDoc } from './counter';
import { decisionSchema, type DecisionDoc } from './decision';
import { evidenceSchema, type EvidenceDoc } from './evidence';
import { githubLinkSchema, type GitHubLinkDoc } from './github-link';
import { installationSchema, type InstallationDoc } from './installation';
import { sprintSchema, type SprintDoc } from './sprint';

export * from './shared';
export type { AnnouncementDoc } from './announcement';
export type { CaseDoc } from './case';
export type { ChangeDoc } from './change';
export type { ClaimDoc } from './claim';
export type { ConversationRefDoc } from './conversation-ref';
export type { CounterDoc } from './counter';
export { legacyDecisionCounterId, SCHEMA_VERSION_ID } from './counter';
export type { DecisionDoc, RevisionDoc } from './decision';
export type { EvidenceDoc } from './evidence';
export type { GitHubLinkDoc } from './github-link';
export type { InstallationDoc } from './installation';
export type { SprintDoc } from './sprint';

export interface Models {
  Case: Model<CaseDoc>;
  Sprint: Model<SprintDoc>;
  Decision: Model<DecisionDoc>;
  Evidence: Model<EvidenceDoc>;
  Change: Model<ChangeDoc>;
  Counter: Model<CounterDoc>;
  Installation: Model<InstallationDoc>;
  ConversationRef: Model<ConversationRefDoc>;
  Claim: Model<ClaimDoc>;
  Announcement: Model<AnnouncementDoc>;
  GitHubLink: Model<GitHubLinkDoc>;
}

export const SCHEMAS = {
  Case: caseSchema,
  Sprint: sprintSchema,
  Decision: decisionSchema,
  Evidence: evidenceSchema,
  Change: changeSchema,
  Counter: counterSchema,
  Installation: installationSchema,
  ConversationRef: conversationRefSchema,
  Claim: claimSchema,
  Announcement: announcementSchema,
  GitHubLink: githubLinkSchema,
} as const;

function model<T>(conn: Connection, name: string, schema: Schema<T>): Model<T> {
  const existing = conn.models[name] as Model<T> | undefined;
  return existing ?? conn.model<T>(name, schema);
}

/**
 * Registers every model on `conn` (once; a second call returns the same models) and turns
 * on `sanitizeFilter` for it: any object in a filter with a key starting with `$` is
 * wrapped in `$eq`, so user text that arrives as `{ $ne: null }` cannot become a query
 * operator; it fails to cast instead. The store's own operators are marked with
 * `mongoose.trusted()`.
 */
export function registerModels(conn: Connection): Models {
  conn.set('sanitizeFilter', true);
  return {
    Case: model<CaseDoc>(conn, 'Case', SCHEMAS.Case),
    Sprint: model<SprintDoc>(conn, 'Sprint', SCHEMAS.Sprint),
    Decision: model<DecisionDoc>(conn, 'Decision', SCHEMAS.Decision),
    Evidence: model<EvidenceDoc>(conn, 'Evidence', SCHEMAS.Evidence),
    Change: model<ChangeDoc>(conn, 'Change', SCHEMAS.Change),
    Counter: model<CounterDoc>(conn, 'Counter', SCHEMAS.Counter),
    Installation: model<InstallationDoc>(conn, 'Installation', SCHEMAS.Installation),
    ConversationRef: model<ConversationRefDoc>(conn, 'ConversationRef', SCHEMAS.ConversationRef),
    Claim: model<ClaimDoc>(conn, 'Claim', SCHEMAS.Claim),
    Announcement: model<AnnouncementDoc>(conn, 'Announcement', SCHEMAS.Announcement),
    GitHubLink: model<GitHubLinkDoc>(conn, 'GitHubLink', SCHEMAS.GitHubLink),
  };
}
