import { registerMigrations } from '../db/migrations'

/** The training sandbox's attempts at simulated calls (the rule for adding a migration: db/migration-runner.ts). */
export const trainingMigrations = registerMigrations('training', [
  {
    id: 'training/1-attempts',
    legacy: { version: 60, creates: ['training_attempt', 'training_attempt_trainee'] },
    up(db) {
      db.exec(`
        -- One row per simulated call a trainee took. No citizen data: the callers are scenarios.
        CREATE TABLE training_attempt (
          id            TEXT PRIMARY KEY,
          scenario_id   TEXT NOT NULL,
          trainee       TEXT NOT NULL,
          started_at    INTEGER NOT NULL,
          ringing_at    INTEGER,
          answered_at   INTEGER,
          ended_at      INTEGER,
          ended_by      TEXT CHECK (ended_by IN ('agent', 'citizen', 'rejected', 'failed')),
          sip_call_id   TEXT,
          call_id       TEXT,            -- the phone's id for the call, to match the ticket submitted for it
          lines_spoken  INTEGER NOT NULL DEFAULT 0,
          ticket_id     TEXT,
          ticket_category   TEXT,
          ticket_department TEXT,
          score         TEXT             -- JSON AttemptScore once the call ended
        ) STRICT;
        CREATE INDEX training_attempt_trainee ON training_attempt(trainee, started_at);
      `)
    }
  }
])
