import type { Migration } from '../db/migrations'

/** The assistant feature's tables: versions 40–49 (see db/migrations.ts). */
export const assistantMigrations: Migration[] = [
  {
    version: 40,
    name: 'assistant: agents choices against suggestions, quality inspections',
    up(db) {
      db.exec(`
        -- One row per filed ticket: what the model suggested and what the agent chose (learning from agents).
        -- The record itself holds the citizen's words, so it is sealed with the data key; the plain columns
        -- are only what the accuracy view counts.
        CREATE TABLE assistant_feedback (
          ticket_id          TEXT PRIMARY KEY,
          at                 INTEGER NOT NULL,
          agent_id           TEXT NOT NULL,
          suggested_category TEXT,
          chosen_category    TEXT NOT NULL,
          is_override        INTEGER NOT NULL,
          sealed             TEXT NOT NULL
        ) STRICT;
        CREATE INDEX assistant_feedback_at ON assistant_feedback(at);
        -- Quality inspection (智能质检) of finished calls and tickets; findings describe rules, not citizen data.
        CREATE TABLE assistant_inspections (
          id              INTEGER PRIMARY KEY,
          ticket_id       TEXT,
          call_id         TEXT,
          agent_id        TEXT NOT NULL,
          at              INTEGER NOT NULL,
          service         INTEGER NOT NULL,
          accuracy        INTEGER NOT NULL,
          service_passed  INTEGER NOT NULL,
          accuracy_passed INTEGER NOT NULL,
          findings        TEXT NOT NULL
        ) STRICT;
        CREATE INDEX assistant_inspections_agent ON assistant_inspections(agent_id, at);
        CREATE INDEX assistant_inspections_at ON assistant_inspections(at);
      `)
    }
  }
]
