/** What every Teams handler is given. */
import type { CaseService, Clock } from '../../src/core/service';
import type { AnnouncementStore } from '../announcement-store';
import type { ConversationStore } from './ports';
import type { Logger } from '../../src/logger';

export interface TeamsDeps {
  /** Core: every handler goes through it. */
  service: CaseService;
  /** Conversation references for proactive posts, and where changes were announced. */
  store: ConversationStore & AnnouncementStore;
  clock: Clock;
  logger: Logger;
  /** MicrosoftAppId ('' in local mode): who opens a one-to-one chat (see private.ts). */
  appId: string;
}
