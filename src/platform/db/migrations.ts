/**
 * Forward-only numbered migrations; `PRAGMA user_version` holds the last one
 * applied. Never edit a released migration: add the next number. One sequence
 * for the whole platform, never a range per service: a number landing below one
 * already shipped would be skipped by every file past it (migrations.test.ts).
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'core schema',
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  roles TEXT NOT NULL,                 -- JSON array of role ids
  seat_id TEXT,
  password_hash TEXT NOT NULL,
  sandbox INTEGER NOT NULL DEFAULT 0,  -- sandbox accounts are refused by the production profile
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,         -- sha256 of the bearer token; the token itself is never stored
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE skill_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL, queue TEXT NOT NULL, description TEXT NOT NULL DEFAULT '');
CREATE TABLE seats (id TEXT PRIMARY KEY, name TEXT NOT NULL, extension TEXT NOT NULL, skill_group_ids TEXT NOT NULL DEFAULT '[]');
CREATE TABLE agent_states (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  state TEXT NOT NULL, reason TEXT, seat_id TEXT, since TEXT NOT NULL
);

CREATE TABLE districts (name TEXT PRIMARY KEY, sort INTEGER NOT NULL);
CREATE TABLE towns (
  district TEXT NOT NULL REFERENCES districts(name), name TEXT NOT NULL, kind TEXT NOT NULL, sort INTEGER NOT NULL,
  PRIMARY KEY (district, name)
);
CREATE TABLE departments (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '', office_hours TEXT NOT NULL DEFAULT ''
);
CREATE TABLE duty_clauses (
  id INTEGER PRIMARY KEY, department_id TEXT NOT NULL REFERENCES departments(id), text TEXT NOT NULL, keywords TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX duty_clauses_department ON duty_clauses(department_id);
CREATE TABLE categories (
  id TEXT PRIMARY KEY, parent_id TEXT REFERENCES categories(id), level INTEGER NOT NULL, name TEXT NOT NULL,
  default_department_id TEXT REFERENCES departments(id), sort INTEGER NOT NULL
);

CREATE TABLE calls (
  id INTEGER PRIMARY KEY,
  direction TEXT NOT NULL, caller_number TEXT NOT NULL, dialled_number TEXT NOT NULL, queue TEXT,
  agent_id TEXT, status TEXT NOT NULL, queued_at TEXT NOT NULL, answered_at TEXT, ended_at TEXT,
  result TEXT, recording_id INTEGER, satisfaction TEXT, ticket_id INTEGER
);
-- Screen pop: a number's calls, newest first (rowid order = creation order).
CREATE INDEX calls_by_caller ON calls(caller_number, queued_at);
CREATE INDEX calls_by_status ON calls(status, queue);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL, version INTEGER NOT NULL,
  type TEXT NOT NULL, category_id TEXT NOT NULL REFERENCES categories(id),
  district TEXT NOT NULL, town TEXT, address TEXT NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL,
  urgency TEXT NOT NULL, confidential INTEGER NOT NULL, anonymous INTEGER NOT NULL,
  citizen_name TEXT, citizen_phone TEXT,
  channel TEXT NOT NULL, handling_mode TEXT NOT NULL, call_id INTEGER, reply TEXT,
  knowledge_article_ids TEXT NOT NULL DEFAULT '[]',
  deadline TEXT, satisfaction TEXT,
  created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT
);
-- Screen pop at 1M tickets: (phone, status) covers the open-ticket count, and
-- the implicit rowid tail gives "newest first" without touching the table.
CREATE INDEX tickets_by_phone ON tickets(citizen_phone, status);
CREATE INDEX tickets_by_status ON tickets(status);
CREATE INDEX tickets_by_created ON tickets(created_at);
CREATE TABLE ticket_departments (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id), department_id TEXT NOT NULL REFERENCES departments(id),
  role TEXT NOT NULL, status TEXT NOT NULL, deadline TEXT, signed_at TEXT, handled_at TEXT, reply TEXT,
  PRIMARY KEY (ticket_id, department_id)
);
CREATE INDEX ticket_departments_by_department ON ticket_departments(department_id, status);
CREATE TABLE ticket_timeline (
  id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id), at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, from_status TEXT, to_status TEXT, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_timeline_by_ticket ON ticket_timeline(ticket_id);

CREATE TABLE recordings (
  id INTEGER PRIMARY KEY, call_id INTEGER NOT NULL REFERENCES calls(id), content_type TEXT NOT NULL,
  bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB, created_at TEXT NOT NULL, created_by TEXT NOT NULL, deleted_at TEXT
);

CREATE TABLE knowledge_articles (
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, category_id TEXT REFERENCES categories(id), body TEXT NOT NULL,
  keywords TEXT NOT NULL DEFAULT '[]', version INTEGER NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
);
CREATE INDEX knowledge_articles_by_updated ON knowledge_articles(updated_at, id);
CREATE TABLE knowledge_versions (
  article_id INTEGER NOT NULL REFERENCES knowledge_articles(id), version INTEGER NOT NULL,
  title TEXT NOT NULL, body TEXT NOT NULL, keywords TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  PRIMARY KEY (article_id, version)
);
-- Trigram tokenizer: substring search that works for Chinese without a word segmenter (3+ characters).
CREATE VIRTUAL TABLE knowledge_fts USING fts5(title, body, keywords, tokenize = 'trigram');
CREATE TABLE reply_templates (id INTEGER PRIMARY KEY, title TEXT NOT NULL, category_id TEXT REFERENCES categories(id), body TEXT NOT NULL);

CREATE TABLE callback_tasks (
  id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id), phone TEXT NOT NULL,
  status TEXT NOT NULL, due_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  result TEXT, satisfaction TEXT, dissatisfaction_reason TEXT, note TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL
);
CREATE INDEX callback_tasks_due ON callback_tasks(status, due_at);

CREATE TABLE sms_templates (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL, variables TEXT NOT NULL);
CREATE TABLE sms_messages (
  id INTEGER PRIMARY KEY, template_id TEXT NOT NULL REFERENCES sms_templates(id), phone TEXT NOT NULL, text TEXT NOT NULL,
  ticket_id INTEGER, status TEXT NOT NULL, error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX sms_messages_by_ticket ON sms_messages(ticket_id);

CREATE TABLE malicious_numbers (phone TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL);

CREATE TABLE events (revision INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL);

-- Stored answers of mutating calls, per user and key: the same key returns the
-- same answer and never a second record, across restarts.
CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL, key TEXT NOT NULL, operation_id TEXT NOT NULL, request_hash TEXT NOT NULL,
  status INTEGER NOT NULL, response TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL,
  action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_by_user ON audit_log(user_id);
`
  }
]
