import type Database from 'better-sqlite3'

/**
 * The desk's schema, as a list of migrations a file receives each exactly once
 * (the runner, migration-runner.ts, says how and holds the rule for adding one).
 * The core's own migrations are here; each feature registers its list from its
 * own `migrations.ts`, so this module imports no feature.
 */
export interface Migration {
  /**
   * `<feature>/<n>-<what>`, e.g. `recordings/2-ticket-link`: what a file records as
   * applied. Never rename or edit a migration that has shipped: add the next.
   */
  id: string
  up(db: Database.Database): void
  /**
   * Only for migrations shipped while `PRAGMA user_version` numbered them: that
   * number and every object the migration created (`name` for a table or index,
   * `table.column` for a column), by which a file from then is recognised.
   */
  legacy?: { version: number; creates: string[] }
}

const coreMigrations: Migration[] = [
  {
    id: 'core/1-meta-and-audit-log',
    legacy: { version: 1, creates: ['meta', 'audit_log', 'audit_log_at'] },
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
    id: 'core/2-outbox',
    legacy: { version: 2, creates: ['outbox', 'outbox_status_seq', 'outbox_done'] },
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
 * The order features migrate in, after the core: a feature's migration may rely
 * on the core, on its own earlier ones and on features listed before it. A new
 * feature is added at the end.
 */
export const FEATURE_ORDER = ['workbench', 'knowledge', 'assistant', 'phone', 'recordings', 'training'] as const
export type FeatureName = (typeof FEATURE_ORDER)[number]

const registered = new Map<FeatureName, readonly Migration[]>()

/**
 * A feature's migrations, in the order it wrote them; called once, at load, by
 * the feature's `migrations.ts` (imported by its db-operations, so whatever runs
 * a feature's queries has its tables).
 */
export function registerMigrations(feature: FeatureName, list: Migration[]): Migration[] {
  if (!FEATURE_ORDER.includes(feature)) throw new Error(`migrations for unknown feature "${feature}": add it to FEATURE_ORDER in db/migrations.ts`)
  const stray = list.find((m) => !m.id.startsWith(`${feature}/`))
  if (stray) throw new Error(`migration "${stray.id}" is registered by "${feature}": its id must start with "${feature}/"`)
  if (registered.has(feature)) throw new Error(`migrations for "${feature}" registered twice`)
  registered.set(feature, list)
  return list
}

/** Core first, then every registered feature in FEATURE_ORDER, each in its own order. */
export function deskMigrations(): Migration[] {
  return [...coreMigrations, ...FEATURE_ORDER.flatMap((f) => registered.get(f) ?? [])]
}

/** The features that have registered their migrations in this process. */
export function registeredFeatures(): FeatureName[] {
  return FEATURE_ORDER.filter((f) => registered.has(f))
}
