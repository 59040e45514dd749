import type Database from 'better-sqlite3';

/**
 * The SQLite schema, as an ordered list of steps. `PRAGMA user_version` holds how many
 * have run. Never edit a step that has shipped: append a new one.
 *
 * JSON columns hold plain data the store never queries into (layout, schedule,
 * sprint length, publication, revisions, undo steps, actors). Dates are ISO 8601 UTC strings
 * (`toISOString()`), so they compare correctly as text.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE cases (
    id            TEXT PRIMARY KEY,
    platform      TEXT NOT NULL,
    workspace     TEXT NOT NULL,
    channel       TEXT NOT NULL,
    title         TEXT,
    template      TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    sprint_length TEXT NOT NULL, -- JSON SprintLength
    layout        TEXT NOT NULL, -- JSON DocumentLayout
    schedule      TEXT NOT NULL, -- JSON ScheduleSettings
    share_version INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (platform, workspace, channel)
  );
  CREATE INDEX cases_by_created ON cases (created_at, id);

  CREATE TABLE sprints (
    case_id   TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    suffix    TEXT NOT NULL,
    intro     TEXT NOT NULL,
    starts_on TEXT,
    PRIMARY KEY (case_id, number)
  );

  CREATE TABLE decisions (
    case_id       TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 0),
    sprint        INTEGER NOT NULL,
    text          TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    author_name   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'withdrawn', 'superseded')),
    status_reason TEXT,
    superseded_by INTEGER,
    source_url    TEXT,
    revisions     TEXT NOT NULL DEFAULT '[]', -- JSON Revision[]
    PRIMARY KEY (case_id, number)
  );
  CREATE INDEX decisions_by_sprint ON decisions (case_id, sprint, number);

  CREATE TABLE evidence (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    decision    INTEGER NOT NULL,
    letter      TEXT,          -- NULL for a back-reference ("See above")
    refers_to   TEXT,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    source_url  TEXT,
    UNIQUE (case_id, decision, letter),
    UNIQUE (case_id, decision, position),
    FOREIGN KEY (case_id, decision) REFERENCES decisions (case_id, number) ON DELETE CASCADE
  );

  CREATE TABLE changes (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    actor_id    TEXT NOT NULL,
    actor       TEXT NOT NULL, -- JSON Actor
    at          TEXT NOT NULL,
    description TEXT NOT NULL,
    undo        TEXT NOT NULL, -- JSON UndoStep[]
    undone_at   TEXT
  );
  CREATE INDEX changes_by_actor ON changes (case_id, actor_id, at);

  CREATE TABLE installations (
    key        TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE conversation_refs (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    reference  TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, workspace, channel)
  );

  CREATE TABLE claims (
    key         TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    done_at     TEXT
  );
  `,
  // 2: the weekly digest reads history by time, and scheduled work counts its attempts.
  `
  ALTER TABLE changes ADD COLUMN subject TEXT; -- JSON ChangeSubject, NULL when none
  CREATE INDEX changes_by_time ON changes (case_id, at);
  ALTER TABLE claims ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
  `,
  // 3: a case is the unit of consistency: every write advances its version, and a write
  // commits only if the version it read is still current. Changes say which version they
  // committed and what they touched, so undo compares versions, never clocks.
  `
  ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE changes ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE changes ADD COLUMN touches TEXT NOT NULL DEFAULT '[]'; -- JSON string[]
  CREATE INDEX changes_by_version ON changes (case_id, version);
  `,
  // 4: where each change was announced in chat, so an undo typed later can mark the
  // announcement; rows live only as long as the undo window.
  `
  CREATE TABLE announcements (
    change_id  TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX announcements_by_expiry ON announcements (expires_at);
  `,
  // 5: where a case is published on GitHub and what the bot last saw there; NULL when it
  // is not published.
  `
  ALTER TABLE cases ADD COLUMN publication TEXT; -- JSON Publication, NULL when none
  `,
  // 6: when each case's next scheduled work falls due, so a tick reads only the cases due
  // (NULL: nothing switched on). Existing cases, and cases written whole, start long past
  // due: the next tick looks at each once and sets its real time.
  `
  ALTER TABLE cases ADD COLUMN next_due_at TEXT DEFAULT '1970-01-01T00:00:00.000Z';
  CREATE INDEX cases_by_due ON cases (next_due_at, id);
  `,
  // 7: every command writes a change and most record a decision, while history is read
  // rarely (undo, the digest). Each index is one more page written and synced per commit,
  // so history keeps one, by version, which serves all its reads (reads.ts); decisions
  // were never read by sprint.
  `
  DROP INDEX IF EXISTS changes_by_actor;
  DROP INDEX IF EXISTS changes_by_time;
  DROP INDEX IF EXISTS decisions_by_sprint;
  `,
  // 8: decisions can be proposed (to be agreed) and rejected, and name who took them. SQLite
  // cannot change a CHECK constraint in place, so the decisions table is made again. Its
  // evidence is set aside first: dropping the old table would cascade-delete it. Foreign
  // keys stay on throughout, so the evidence put back is checked against its decisions.
  `
  CREATE TEMP TABLE decisions_before AS SELECT * FROM decisions;
  CREATE TEMP TABLE evidence_before AS SELECT * FROM evidence;
  DROP TABLE evidence;
  DROP TABLE decisions;
  CREATE TABLE decisions (
    case_id       TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 0),
    sprint        INTEGER NOT NULL,
    text          TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    author_name   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'proposed', 'rejected', 'withdrawn', 'superseded')),
    status_reason TEXT,
    superseded_by INTEGER,
    source_url    TEXT,
    revisions     TEXT NOT NULL DEFAULT '[]', -- JSON Revision[]
    deciders      TEXT NOT NULL DEFAULT '[]', -- JSON string[]: who took it, by name
    PRIMARY KEY (case_id, number)
  );
  INSERT INTO decisions (case_id, number, sprint, text, author_id, author_name, created_at, updated_at, status,
    status_reason, superseded_by, source_url, revisions)
  SELECT case_id, number, sprint, text, author_id, author_name, created_at, updated_at, status,
    status_reason, superseded_by, source_url, revisions FROM decisions_before;
  CREATE TABLE evidence (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    decision    INTEGER NOT NULL,
    letter      TEXT,          -- NULL for a back-reference ("See above")
    refers_to   TEXT,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    source_url  TEXT,
    UNIQUE (case_id, decision, letter),
    UNIQUE (case_id, decision, position),
    FOREIGN KEY (case_id, decision) REFERENCES decisions (case_id, number) ON DELETE CASCADE
  );
  INSERT INTO evidence SELECT * FROM evidence_before;
  DROP TABLE evidence_before;
  DROP TABLE decisions_before;
  `,
  // 9: what each case holds in its GitHub repository (a file, a branch namespace), one case
  // per key, so two channels never publish to the same file or branch.
  `
  CREATE TABLE publish_targets (
    key     TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE
  );
  CREATE INDEX publish_targets_by_case ON publish_targets (case_id);
  `,
  // 10: the GitHub App installations a person of each workspace tied to it.
  `
  CREATE TABLE github_links (
    workspace    TEXT NOT NULL,
    installation INTEGER NOT NULL,
    account      TEXT NOT NULL,
    linked_by    TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (workspace, installation)
  );
  `,
  // 11: phases start at sprints, and decisions and evidence carry points of the Service
  // Standard. Rows from before have no phase and no points.
  `
  ALTER TABLE sprints ADD COLUMN phase TEXT; -- JSON SprintPhase, NULL when no phase starts there
  ALTER TABLE decisions ADD COLUMN points TEXT NOT NULL DEFAULT '[]'; -- JSON number[]
  ALTER TABLE evidence ADD COLUMN points TEXT NOT NULL DEFAULT '[]'; -- JSON number[]
  `,
  // 12: the case kept in a Slack canvas (JSON CaseCanvas, NULL when it never was), and how far
  // the canvas has been brought up to date: bookkeeping beside the case, outside its version.
  // The next write of a canvas is claimed on the version it shows (owner and lease), so any
  // number of processes write it once per change; the canvases waiting for a change are read
  // through a partial index.
  `
  ALTER TABLE cases ADD COLUMN canvas TEXT;
  ALTER TABLE cases ADD COLUMN canvas_shown_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE cases ADD COLUMN canvas_written_at TEXT;
  ALTER TABLE cases ADD COLUMN canvas_due_since TEXT;
  ALTER TABLE cases ADD COLUMN canvas_owner TEXT;
  ALTER TABLE cases ADD COLUMN canvas_lease_until TEXT;
  CREATE INDEX cases_canvas_due ON cases (canvas_due_since, id) WHERE canvas_due_since IS NOT NULL;
  `,
];

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to date. Each step runs in its own BEGIN IMMEDIATE transaction
 * together with the bump of `user_version`, and re-reads the version once it holds the
 * write lock, so two processes opening a new file at once apply each step exactly once.
 * Returns the number of steps this call applied.
 */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS): number {
  const found = userVersion(db);
  if (found > migrations.length) {
    throw new Error(
      `The database ${db.name} has schema version ${found}, newer than this version of the bot knows (${migrations.length}). Upgrade the bot.`,
    );
  }
  let applied = 0;
  for (let version = found; version < migrations.length; version += 1) {
    const ran = db.transaction((): boolean => {
      if (userVersion(db) > version) return false; // another process got there first
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
      return true;
    }).immediate();
    if (ran) applied += 1;
  }
  return applied;
}
