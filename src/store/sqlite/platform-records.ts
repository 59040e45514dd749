/** What the chat adapters keep: Slack installations and Teams conversation references. */
import type { Place } from '../../core/model';
import type { ConversationRef } from '../../../adapters/teams/ports';
import type { Installation } from '../../../adapters/slack/ports';
import type { Db } from './connection';
import { toConversationRef, type ConversationRefRow } from './rows';

interface InstallationRow {
  key: string;
  data: string;
  updated_at: string;
}

const toInstallation = (row: InstallationRow): Installation => ({ key: row.key, data: row.data, updatedAt: row.updated_at });

export function saveInstallation(d: Db, installation: Installation): Promise<void> {
  return d.write(() => {
    d.sql(
      `INSERT INTO installations (key, data, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
    ).run(installation.key, installation.data, installation.updatedAt);
  });
}

export function getInstallation(d: Db, key: string): Promise<Installation | null> {
  return d.read(() => {
    const row = d.sql(`SELECT * FROM installations WHERE key = ?`).get(key) as InstallationRow | undefined;
    return row ? toInstallation(row) : null;
  });
}

export function deleteInstallation(d: Db, key: string): Promise<void> {
  return d.write(() => {
    d.sql(`DELETE FROM installations WHERE key = ?`).run(key);
  });
}

export function listInstallations(d: Db): Promise<Installation[]> {
  return d.read(() => (d.sql(`SELECT * FROM installations ORDER BY key`).all() as InstallationRow[]).map(toInstallation));
}

export function saveConversationRef(d: Db, ref: ConversationRef): Promise<void> {
  return d.write(() => {
    d.sql(
      `INSERT INTO conversation_refs (platform, workspace, channel, reference, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (platform, workspace, channel) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`,
    ).run(ref.place.platform, ref.place.workspace, ref.place.channel, ref.reference, ref.updatedAt);
  });
}

export function getConversationRef(d: Db, place: Place): Promise<ConversationRef | null> {
  return d.read(() => {
    const row = d.sql(`SELECT * FROM conversation_refs WHERE platform = ? AND workspace = ? AND channel = ?`)
      .get(place.platform, place.workspace, place.channel) as ConversationRefRow | undefined;
    return row ? toConversationRef(row) : null;
  });
}

export function listConversationRefs(d: Db): Promise<ConversationRef[]> {
  return d.read(() => (d.sql(`SELECT * FROM conversation_refs ORDER BY platform, workspace, channel`).all() as ConversationRefRow[])
    .map(toConversationRef));
}
