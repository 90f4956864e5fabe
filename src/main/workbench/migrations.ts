import { registerMigrations } from '../db/migrations'

/** The workbench feature's tables (the rule for adding one: db/migration-runner.ts). */
export const workbenchMigrations = registerMigrations('workbench', [
  {
    id: 'workbench/1-drafts-caller-cache-submissions',
    legacy: {
      version: 10,
      creates: ['wb_drafts', 'wb_drafts_owner', 'wb_drafts_call', 'wb_caller_tickets', 'wb_caller_tickets_ix', 'wb_caller_calls', 'wb_caller_calls_ix', 'wb_callers', 'wb_submissions', 'wb_submissions_owner', 'wb_submissions_unresolved']
    },
    up(db) {
      db.exec(`
        -- The ticket being typed, saved on every change (R2). The fields are one sealed
        -- (AES-GCM) JSON value: a citizen's words never sit in plain text on disk.
        CREATE TABLE wb_drafts (
          id             TEXT PRIMARY KEY,          -- chosen by the window, so the first save needs no round trip
          owner          TEXT NOT NULL,             -- username; only the owner reads it back
          call_id        TEXT,                      -- the call it was typed for (null: typed without a call)
          rev            INTEGER NOT NULL,          -- monotonic; an older save arriving late is ignored
          sealed         TEXT NOT NULL,
          status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'discarded')),
          created_at     INTEGER NOT NULL,
          updated_at     INTEGER NOT NULL,
          submission_key TEXT
        ) STRICT;
        CREATE INDEX wb_drafts_owner ON wb_drafts(owner, status, updated_at DESC);
        CREATE INDEX wb_drafts_call ON wb_drafts(owner, call_id, updated_at DESC);

        -- Screen pop from the local cache while the platform is asked (R2). Rows are found
        -- by a blind index of the caller's number (HMAC), never by the number itself.
        CREATE TABLE wb_caller_tickets (
          ticket_id  INTEGER PRIMARY KEY,
          phone_ix   TEXT NOT NULL,
          sealed     TEXT NOT NULL
        ) STRICT;
        CREATE INDEX wb_caller_tickets_ix ON wb_caller_tickets(phone_ix, ticket_id DESC);
        CREATE TABLE wb_caller_calls (
          call_id    INTEGER PRIMARY KEY,
          phone_ix   TEXT NOT NULL,
          queued_at  TEXT NOT NULL,
          sealed     TEXT NOT NULL
        ) STRICT;
        CREATE INDEX wb_caller_calls_ix ON wb_caller_calls(phone_ix, queued_at DESC);
        CREATE TABLE wb_callers (
          phone_ix     TEXT PRIMARY KEY,
          sealed       TEXT NOT NULL,               -- totals, flags, area guess
          refreshed_at INTEGER NOT NULL
        ) STRICT;

        -- Tickets submitted from this desk, until the platform has numbered them (the
        -- outbox may hold them for a while when the network is down).
        CREATE TABLE wb_submissions (
          idempotency_key TEXT PRIMARY KEY,
          owner           TEXT NOT NULL,
          draft_id        TEXT NOT NULL,
          call_id         TEXT,
          sealed          TEXT NOT NULL,            -- a summary for the work list
          submitted_at    INTEGER NOT NULL,
          ticket_id       INTEGER,
          ticket_number   TEXT,
          announced       INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX wb_submissions_owner ON wb_submissions(owner, submitted_at DESC);
        CREATE INDEX wb_submissions_unresolved ON wb_submissions(announced) WHERE announced = 0;
      `)
    }
  }
])
