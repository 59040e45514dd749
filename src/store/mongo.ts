import type { Store } from './store';

/** Placeholder until the MongoDB store lands: says so clearly rather than failing obscurely. */
export async function openMongoStore(_uri: string): Promise<Store> {
  throw new Error('The MongoDB store is not available in this version; unset MONGODB_URI to use SQLite.');
}
