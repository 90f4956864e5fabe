import type Database from 'better-sqlite3'

/**
 * Forward-only, numbered migrations. `PRAGMA user_version` holds the number of
 * the last one applied. Never edit a migration that has shipped: add the next.
 * Each has its own test on a real file (migrations.test.ts).
 */
export interface Migration {
  version: number
  name: string
  up(db: Database.Database): void
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'meta and audit log',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
        -- Who viewed or changed what (R10). Append-only: no UPDATE or DELETE path exists.
        CREATE TABLE audit_log (
          id      INTEGER PRIMARY KEY,
          at      INTEGER NOT NULL,
          actor   TEXT,
          action  TEXT NOT NULL,
          subject TEXT,
          detail  TEXT
        ) STRICT;
        CREATE INDEX audit_log_at ON audit_log(at);
      `)
    }
  }
]

export const LATEST_VERSION = migrations.at(-1)!.version
