/** Chooses the store from configuration: MongoDB when MONGODB_URI is set, else the embedded SQLite file. */
import path from 'node:path';
import type { Store } from './store';
import { openSqliteStore } from './sqlite';
import { isMongoUri, redactUri } from './uri';

export { redactUri } from './uri';

export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'decisions.sqlite');
}

export async function openStore(config: { dataDir: string; mongodbUri: string | null }): Promise<{ store: Store; description: string }> {
  if (config.mongodbUri) {
    const { openMongoStore } = await import('./mongodb');
    const store = await openMongoStore(config.mongodbUri);
    const mode = store.transactions
      ? 'replica set: multi-document writes in transactions'
      : 'standalone server: no transactions; run a replica set before starting several instances';
    return { store, description: `MongoDB at ${redactUri(config.mongodbUri)} (${mode})` };
  }
  const file = sqliteFile(config.dataDir);
  return { store: openSqliteStore(file), description: `SQLite at ${file}` };
}

/** A store named on the command line: `sqlite:<path>` or a mongodb:// URI. */
export async function openNamedStore(name: string): Promise<Store> {
  if (isMongoUri(name)) {
    const { openMongoStore } = await import('./mongodb');
    return openMongoStore(name);
  }
  if (name.startsWith('sqlite:')) return openSqliteStore(path.resolve(name.slice('sqlite:'.length)));
  throw new Error(`"${redactUri(name)}" is not a store: use sqlite:<path> or a mongodb:// URI.`);
}

