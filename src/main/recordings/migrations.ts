import { registerMigrations } from '../db/migrations'

/**
 * Call recordings (the rule for adding a migration: db/migration-runner.ts).
 * The audio itself is in sealed files under `<dataDir>/recordings/`; this table
 * says which file belongs to which call, how far it is durable (next_seq), and
 * where its upload stands. The caller's number is inside `sealed_meta`.
 */
export const recordingMigrations = registerMigrations('recordings', [
  {
    id: 'recordings/1-recordings',
    legacy: { version: 56, creates: ['recordings', 'recordings_status', 'recordings_started'] },
    up(db) {
      db.exec(`
        CREATE TABLE recordings (
          id                    TEXT PRIMARY KEY,
          call_id               TEXT NOT NULL UNIQUE,
          file                  TEXT NOT NULL,
          mime                  TEXT NOT NULL,
          status                TEXT NOT NULL DEFAULT 'recording' CHECK (status IN ('recording', 'finalised', 'uploaded', 'rejected')),
          agent                 TEXT,
          started_at            INTEGER NOT NULL,
          ended_at              INTEGER,
          duration_ms           INTEGER,
          next_seq              INTEGER NOT NULL DEFAULT 0,
          bytes                 INTEGER NOT NULL DEFAULT 0,
          sealed_meta           TEXT,
          upload_key            TEXT UNIQUE,
          platform_call_id      INTEGER,
          platform_recording_id INTEGER,
          problem               TEXT,
          local_removed_at      INTEGER,
          deleted_at            INTEGER
        ) STRICT;
        CREATE INDEX recordings_status ON recordings(status);
        CREATE INDEX recordings_started ON recordings(started_at);
      `)
    }
  },
  {
    id: 'recordings/2-ticket-link',
    legacy: { version: 57, creates: ['recordings.ticket_id', 'recordings.ticket_number'] },
    up(db) {
      // The ticket the agent filed during or after the call (workbench 'ticket.submitted'), for QA to open both.
      db.exec(`
        ALTER TABLE recordings ADD COLUMN ticket_id INTEGER;
        ALTER TABLE recordings ADD COLUMN ticket_number TEXT;
      `)
    }
  },
  {
    id: 'recordings/3-consultation-legs',
    legacy: { version: 58, creates: ['recordings.parent_call_id', 'recordings_parent'] },
    up(db) {
      // The agent's consultation with another seat while the citizen held (attended transfer, three-way) is
      // recorded as its own leg, linked to the citizen's call: same ticket, listed under it, uploaded under it.
      db.exec(`
        ALTER TABLE recordings ADD COLUMN parent_call_id TEXT;
        CREATE INDEX recordings_parent ON recordings(parent_call_id);
      `)
    }
  }
])
