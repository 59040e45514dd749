/**
 * The storage under the SQLite file, watched so that its failures are said as they are: a
 * full disk, a read-only file, the file removed or replaced under the running server, a
 * damaged file. Each becomes StoreUnavailable with its own plain message, and `health()`
 * reports it to /healthz until it is over.
 *
 * Removed or replaced: SQLite keeps writing through its open descriptor into a file that
 * is no longer at the path, so every commit would be acknowledged and then lost on the
 * next start. The identity (device and inode) of the file, its WAL and WAL index is taken
 * at open and compared with the path's before every write; a stat costs microseconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StoreUnavailable, type StoreHealth } from '../../core/ports';
import { STORAGE_DAMAGED_MESSAGE, STORAGE_FULL_MESSAGE, STORAGE_IO_MESSAGE, STORAGE_READ_ONLY_MESSAGE, STORAGE_REPLACED_MESSAGE } from '../messages';

export type Trouble = 'full' | 'readOnly' | 'replaced' | 'damaged' | 'io';

export const TROUBLE_MESSAGES: Record<Trouble, string> = {
  full: STORAGE_FULL_MESSAGE,
  readOnly: STORAGE_READ_ONLY_MESSAGE,
  replaced: STORAGE_REPLACED_MESSAGE,
  damaged: STORAGE_DAMAGED_MESSAGE,
  io: STORAGE_IO_MESSAGE,
};

/** Free space below this counts as a disk still full (a commit appends a few pages to the WAL). */
const MIN_FREE_BYTES = 1024 * 1024;

interface Identity {
  dev: number;
  ino: number;
}

function identityOf(file: string): Identity | null {
  try {
    const s = fs.statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

const same = (a: Identity | null, b: Identity | null): boolean => a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;

const writable = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch (err) {
    // A file that is not there (no WAL yet) is not a read-only one.
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
};

/** The SQLite result code of a better-sqlite3 error (extended codes, e.g. SQLITE_READONLY_DBMOVED). */
export function sqliteCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

export const isBusy = (err: unknown): boolean => sqliteCode(err)?.startsWith('SQLITE_BUSY') ?? false;

/** How full the database may grow, in pages (PRAGMA max_page_count; the default is far beyond any disk). */
export interface PageCounts {
  count: number;
  max: number;
}

/** What the storage needs of the connection. */
export interface Connection {
  pages(): PageCounts;
  /** Copies every commit in the WAL into the file the connection has open; true when all were copied. */
  checkpoint(): boolean;
}

/** The WAL and its index: the file's companions at `<file>-wal` and `<file>-shm`, known by identity. */
class Companion {
  private id: Identity | null;

  constructor(readonly path: string) {
    this.id = identityOf(path);
  }

  /** Whether the file at the path is another one than this connection's (or is gone). */
  changed(): boolean {
    if (this.id === null) {
      // Not there at open (made on first use): the first one seen is ours.
      this.id = identityOf(this.path);
      return false;
    }
    return !same(identityOf(this.path), this.id);
  }

  /** Removes the file at the path if it is this connection's. */
  removeIfOurs(): void {
    if (!same(identityOf(this.path), this.id)) return;
    try {
      fs.unlinkSync(this.path);
    } catch {
      // Gone already.
    }
  }
}

export class Storage {
  private readonly path: string;
  private readonly dir: string;
  private readonly file: Identity | null;
  private readonly companions: Companion[];
  /** SQLite opens a file it may not write read-only without saying so: nothing can be written until a restart. */
  private readonly openedReadOnly: boolean;
  /** The last failure a statement met; cleared by the next write that commits. */
  private last: Trouble | null;
  /** The file was removed or replaced: final, until a restart opens what is at the path now. */
  private gone = false;
  private cleanedUp = false;

  /** `file` null: an in-memory database, with no storage to watch. */
  constructor(file: string | null, private readonly connection: Connection) {
    this.path = file ?? '';
    this.dir = file ? path.dirname(file) : '';
    this.file = file ? identityOf(file) : null;
    this.companions = file ? [new Companion(`${file}-wal`), new Companion(`${file}-shm`)] : [];
    this.openedReadOnly = file !== null && !writable(file);
    this.last = this.openedReadOnly ? 'readOnly' : null;
  }

  /** Throws StoreUnavailable when the file at the path is no longer the one this connection writes. */
  checkBeforeWrite(): void {
    if (this.replaced()) throw new StoreUnavailable(STORAGE_REPLACED_MESSAGE);
  }

  /** A write committed: whatever failed before is over. */
  committed(): void {
    this.last = this.openedReadOnly ? 'readOnly' : null;
  }

  /**
   * What a driver error means for the storage, as StoreUnavailable with its message; the
   * error unchanged when it is none of these (a bug, a constraint). Remembered for health.
   */
  failure(err: unknown): unknown {
    const trouble = this.troubleOf(err);
    if (trouble === null) return err;
    this.last = trouble;
    return new StoreUnavailable(TROUBLE_MESSAGES[trouble], { cause: err });
  }

  /**
   * Whether writes can be taken now. Never waits and writes no record; a file found
   * replaced is cleaned up here too (see `replaced`), so even a server nobody writes to
   * leaves nothing behind for a restart to misapply.
   */
  health(): StoreHealth {
    if (this.replaced()) return { ok: false, reason: STORAGE_REPLACED_MESSAGE };
    const trouble = this.last === null ? null : this.stillTrouble(this.last);
    this.last = trouble;
    return trouble === null ? { ok: true } : { ok: false, reason: TROUBLE_MESSAGES[trouble] };
  }

  private troubleOf(err: unknown): Trouble | null {
    const code = sqliteCode(err);
    if (code === null) return null;
    if (code === 'SQLITE_FULL') return 'full';
    if (code === 'SQLITE_READONLY_DBMOVED') {
      this.gone = true;
      return 'replaced';
    }
    if (code.startsWith('SQLITE_READONLY')) return 'readOnly';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
      // SQLite says "disk I/O error" for EROFS, EPERM and ENOSPC alike: look at the storage.
      if (this.replaced()) return 'replaced';
      if (this.readOnlyNow()) return 'readOnly';
      if (this.fullNow()) return 'full';
      return 'io';
    }
    return null;
  }

  /** Re-checks a remembered failure: a disk with room again, a file writable again, is over. */
  private stillTrouble(trouble: Trouble): Trouble | null {
    switch (trouble) {
      case 'full': return this.fullNow() ? 'full' : null;
      case 'readOnly': return this.openedReadOnly || this.readOnlyNow() ? 'readOnly' : null;
      // A disk error or damage cannot be seen without writing: only a commit clears them.
      default: return trouble;
    }
  }

  /**
   * Whether the file (or its WAL or WAL index) at the path is no longer the one this
   * connection has open. Once it is, the WAL is emptied into the file this connection has
   * (wherever it went) and the WAL and index left at the path are removed: a restart must
   * not apply this file's commits to whatever file is at the path now.
   */
  private replaced(): boolean {
    if (this.file === null) return false;
    if (!this.gone) {
      this.gone = !same(identityOf(this.path), this.file) || this.companions.some((c) => c.changed());
    }
    if (this.gone) this.cleanUp();
    return this.gone;
  }

  private cleanUp(): void {
    if (this.cleanedUp) return;
    try {
      if (!this.connection.checkpoint()) return; // a reader still needs the WAL: next time
    } catch {
      return;
    }
    for (const c of this.companions) c.removeIfOurs();
    this.cleanedUp = true;
  }

  /** Before the connection closes: SQLite leaves the WAL of a moved file behind, so clean up first. */
  beforeClose(): void {
    this.replaced();
  }

  private readOnlyNow(): boolean {
    return this.file !== null && (!writable(this.path) || !this.companions.every((c) => writable(c.path)));
  }

  private fullNow(): boolean {
    const { count, max } = this.connection.pages();
    if (count >= max) return true;
    if (this.file === null) return false;
    try {
      const s = fs.statfsSync(this.dir);
      // root may write into the blocks reserved for it; everyone else only into bavail.
      const blocks = process.getuid?.() === 0 ? s.bfree : s.bavail;
      return blocks * s.bsize < MIN_FREE_BYTES;
    } catch {
      return false;
    }
  }
}
