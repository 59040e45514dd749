/** A whole store, as the composition root opens it: core's ports and the adapters' records. */
import type { AnnouncementStore } from '../../adapters/announcement-store';
import type { InstallationStore } from '../../adapters/slack/ports';
import type { ConversationStore } from '../../adapters/teams/ports';
import type { CanvasStore, CaseStore, ClaimStore, GitHubLinkStore, StoreHealth } from '../core/ports';

export interface Store extends CaseStore, ClaimStore, CanvasStore, InstallationStore, ConversationStore, AnnouncementStore, GitHubLinkStore {
  readonly kind: 'sqlite' | 'mongodb';
  /** Cheap enough to call on every /healthz: it never waits long and changes no record. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
