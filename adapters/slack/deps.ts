/** What every Slack listener is given. */
import type { Logger } from '../../src/logger';
import type { CaseService } from '../../src/core/service';
import type { CaseStore } from '../../src/core/ports';
import type { SlackInstallationStore } from './installation-store';
import type { Announcements } from './announcements';
import type { People } from './people';

export interface SlackDeps {
  /** Core: every listener goes through it. */
  service: CaseService;
  /** Read-only use: the cases of a workspace for App Home. */
  store: Pick<CaseStore, 'listCases'>;
  logger: Logger;
  /** Present in OAuth mode: uninstall deletes from it. */
  installations: SlackInstallationStore | null;
  /** Where changes were announced, so an undo marks the announcement. */
  announcements: Announcements;
  /** People's names as Slack shows them. */
  people: People;
}
