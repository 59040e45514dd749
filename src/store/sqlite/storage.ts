/**
 * The storage under the SQLite file, watched so that its failures are said as they are: a
 * full disk, a read-only file, the file removed or replaced under the running server, a
 * damaged file. Each becomes StoreUnavailable with its own plain message, and `health()`
 * reports it to /healthz until it is over.
 *
 * Removed or replaced: SQLite keeps writing through its open descriptor into a file that
 * is no longer at the path, so every commit would be acknowledged and then lost on the
 * next start. The file's identity (device and inode) is taken at open and compared with
 * the path's before every write; a stat costs microseconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  STORAGE_DAMAGED_MESSAGE, STORAGE_FULL_MESSAGE, STORAGE_IO_MESSAGE, STORAGE_READ_ONLY_MESSAGE, STORAGE_REPLACED_MESSAGE,
  StoreUnavailable, type StoreHealth,
} from '../../core/ports';

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

export class Storage {
  private readonly path: string;
  private readonly dir: string;
  private readonly wal: string;
  private readonly file: Identity | null;
  private walFile: Identity | null;
  /** SQLite opens a file it may not write read-only without saying so: nothing can be written until a restart. */
  private readonly openedReadOnly: boolean;
  /** The last failure a statement met; cleared by the next write that commits. */
  private last: Trouble | null;

  /** `file` null: an in-memory database, with no storage to watch. */
  constructor(file: string | null, private readonly pages: () => PageCounts) {
    this.path = file ?? '';
    this.dir = file ? path.dirname(file) : '';
    this.wal = file ? `${file}-wal` : '';
    this.file = file ? identityOf(file) : null;
    this.walFile = file ? identityOf(this.wal) : null;
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

  /** Whether writes can be taken now; never writes, never waits. */
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
    if (code === 'SQLITE_READONLY_DBMOVED') return 'replaced';
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

  private replaced(): boolean {
    if (this.file === null) return false;
    const now = identityOf(this.path);
    if (!now || now.dev !== this.file.dev || now.ino !== this.file.ino) return true;
    // The WAL holds the commits not yet copied into the file: it must be the one we write too.
    const wal = identityOf(this.wal);
    if (this.walFile === null) {
      this.walFile = wal;
      return false;
    }
    return !wal || wal.dev !== this.walFile.dev || wal.ino !== this.walFile.ino;
  }

  private readOnlyNow(): boolean {
    return this.file !== null && (!writable(this.path) || !writable(this.wal));
  }

  private fullNow(): boolean {
    const { count, max } = this.pages();
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
