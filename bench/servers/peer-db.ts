/**
 * The store both peer baselines share, as a competent developer would write it for a bot
 * that keeps decisions: better-sqlite3, WAL, `synchronous=FULL`, one table, and the next
 * number per channel taken in the same transaction as the insert.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface Recorded { number: number; createdAt: string }

export function openPeerDb(dataDir: string): { record(channel: string, author: string, text: string): Recorded; close(): void } {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'peer.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS decisions (
    channel TEXT NOT NULL, number INTEGER NOT NULL, text TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (channel, number))`);
  const next = db.prepare('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM decisions WHERE channel = ?');
  const insert = db.prepare('INSERT INTO decisions (channel, number, text, author, created_at) VALUES (?, ?, ?, ?, ?)');
  const record = db.transaction((channel: string, author: string, text: string): Recorded => {
    const { n } = next.get(channel) as { n: number };
    const createdAt = new Date().toISOString();
    insert.run(channel, n, text, author, createdAt);
    return { number: n, createdAt };
  });
  return { record: (channel, author, text) => record.immediate(channel, author, text), close: () => db.close() };
}
