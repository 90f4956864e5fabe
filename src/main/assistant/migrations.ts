import { registerMigrations } from '../db/migrations'

/** The assistant feature's tables (the rule for adding one: db/migration-runner.ts). */
export const assistantMigrations = registerMigrations('assistant', [
  {
    // Agents' choices against suggestions, quality inspections.
    id: 'assistant/1-feedback-and-inspections',
    legacy: { version: 40, creates: ['assistant_feedback', 'assistant_feedback_at', 'assistant_inspections', 'assistant_inspections_agent', 'assistant_inspections_at'] },
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
])
