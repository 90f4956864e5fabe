import type Database from 'better-sqlite3'
import { workbenchMigrations } from '../workbench/migrations'
import { knowledgeMigrations } from '../knowledge/migrations'
import { assistantMigrations } from '../assistant/migrations'
import { phoneMigrations } from '../phone/migrations'
import { trainingMigrations } from '../training/migrations'
import { recordingMigrations } from '../recordings/migrations'

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

const coreMigrations: Migration[] = [
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
  },
  {
    version: 2,
    name: 'outbox',
    up(db) {
      db.exec(`
        -- Every change for the platform, in the order it was made. A row lives until the
        -- platform has acknowledged it; its idempotency key makes a resend after a crash
        -- or a lost response harmless (the platform returns the first result).
        CREATE TABLE outbox (
          seq             INTEGER PRIMARY KEY AUTOINCREMENT,
          idempotency_key TEXT NOT NULL UNIQUE,
          operation       TEXT NOT NULL,            -- platform operationId, e.g. createTicket
          entity_key      TEXT,                     -- e.g. ticket:<local id>; later changes to it wait behind it
          payload         TEXT NOT NULL,            -- JSON: path params, body, expected version
          created_at      INTEGER NOT NULL,
          status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected', 'conflict')),
          attempts        INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL DEFAULT 0,
          last_error      TEXT,                     -- JSON: what the platform or network said
          actor           TEXT
        ) STRICT;
        CREATE INDEX outbox_status_seq ON outbox(status, seq);
        -- Acknowledged changes: what the platform answered, kept for the agent's history and for tests.
        CREATE TABLE outbox_done (
          idempotency_key TEXT PRIMARY KEY,
          operation       TEXT NOT NULL,
          entity_key      TEXT,
          response        TEXT,
          done_at         INTEGER NOT NULL
        ) STRICT;
      `)
    }
  }
]

/**
 * Each feature owns a range of version numbers (core 1–9, workbench 10–29,
 * knowledge 30–39, assistant 40–49, phone 50–59, training 60–69) so features land independently;
 * versions only ever increase, and a file is migrated through them in order.
 */
export const migrations: Migration[] = [...coreMigrations, ...workbenchMigrations, ...knowledgeMigrations, ...assistantMigrations, ...phoneMigrations, ...recordingMigrations, ...trainingMigrations].sort((a, b) => a.version - b.version)

export const LATEST_VERSION = migrations.at(-1)!.version
