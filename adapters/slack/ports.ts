/** What the Slack adapter keeps in the store: workspace installs. Each store implements it. */

/** A Slack workspace install (OAuth), token already encrypted by the caller. */
export interface Installation {
  /** Team id, or enterprise id for org-wide installs. */
  key: string;
  /** The installation as Bolt gives it, with tokens encrypted. */
  data: string;
  updatedAt: string;
}

/** Slack workspace installs (OAuth); the data is encrypted by the caller. */
export interface InstallationStore {
  saveInstallation(installation: Installation): Promise<void>;
  getInstallation(key: string): Promise<Installation | null>;
  deleteInstallation(key: string): Promise<void>;
  listInstallations(): Promise<Installation[]>;
}
