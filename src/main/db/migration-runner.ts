import type Database from 'better-sqlite3'
import type { Migration } from './migrations'

/**
 * How a desk's database is brought up to date.
 *
 * A file records the id of every migration it has had in `schema_migrations`.
 * On open, every migration of the list that the file has not had runs, in the
 * list's order (core, then the features in FEATURE_ORDER, each feature's list in
 * its own order), each in its own transaction with the row that records it: a
 * crash leaves the file as it was after the previous one, and the next open goes
 * on from there. A file holding an id this build does not know was written by a
 * newer build and is refused untouched.
 *
 * Adding a migration: append `{ id: '<feature>/<next n>-<what it does>', up }`
 * to the end of the feature's list in its `migrations.ts`, and test it on a real
 * file. Never edit, rename, reorder or remove one that has shipped, and never give
 * a new one `legacy`. It may rely on the core, on its feature's earlier
 * migrations and on features earlier in FEATURE_ORDER; it may run on a file
 * where features later in the order already have their tables.
 *
 * Before this, `PRAGMA user_version` held a single number and each feature owned
 * a range of them, so a migration landing in a low range after a higher one had
 * shipped was skipped by every file already past it. Such a file is repaired on
 * its first open here: a migration from then whose objects (`legacy.creates`) are
 * all in the file's schema is recorded as found, the others run. `user_version`
 * is then set to APPLIED_IDS_SCHEME, above every number the old scheme used, so
 * an older build refuses the file rather than misread it.
 */

export const APPLIED_IDS_SCHEME = 1000
/** The highest `user_version` a build of the numbered scheme ever wrote (training's first migration). */
const LAST_NUMBERED_VERSION = 60

const userVersion = (db: Database.Database): number => db.pragma('user_version', { simple: true }) as number

function hasLedger(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined
}

function appliedIds(db: Database.Database): Set<string> {
  return new Set(hasLedger(db) ? (db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]) : [])
}

/**
 * What shows that a newer build wrote this file (unknown migration ids, or a
 * version number no build of ours wrote), or null. Only reads.
 */
export function newerThanThisApp(db: Database.Database, list: readonly Migration[]): string | null {
  const version = userVersion(db)
  if (version > APPLIED_IDS_SCHEME || (!hasLedger(db) && version > LAST_NUMBERED_VERSION)) return `user_version ${version}`
  const known = new Set(list.map((m) => m.id))
  const unknown = [...appliedIds(db)].filter((id) => !known.has(id))
  return unknown.length > 0 ? unknown.join(', ') : null
}

function hasObject(db: Database.Database, object: string): boolean {
  const [table, column] = object.split('.')
  if (column === undefined) return db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(table) !== undefined
  return db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined
}

/**
 * Whether a migration of the numbered scheme is already in the file, judged by
 * its objects. Some but not all of them means the file was changed by hand or by
 * a build we do not know: nothing is changed and the open fails naming them.
 */
function foundInSchema(db: Database.Database, m: Migration): boolean {
  if (!m.legacy) return false
  const present = m.legacy.creates.filter((o) => hasObject(db, o))
  if (present.length === 0) return false
  if (present.length === m.legacy.creates.length) return true
  const missing = m.legacy.creates.filter((o) => !present.includes(o))
  throw new Error(
    `数据库结构不完整：迁移 ${m.id} 只有一部分（缺少 ${missing.join(', ')}），文件未作改动。 (Migration ${m.id} is only partly in the database: it has ${present.join(', ')} but lacks ${missing.join(', ')}; the file was not changed.)`
  )
}

/**
 * Applies every migration of `list` the file has not had, in order, and returns
 * the ids it ran (not those it found already in a file of the numbered scheme).
 * The caller has refused a newer file first (newerThanThisApp).
 */
export function applyMissing(db: Database.Database, list: readonly Migration[], now: () => number = Date.now): string[] {
  const ids = list.map((m) => m.id)
  const twice = ids.find((id, i) => ids.indexOf(id) !== i)
  if (twice) throw new Error(`migration id ${twice} appears twice in the list`)
  const applied = appliedIds(db)
  const missing = list.filter((m) => !applied.has(m.id))
  if (missing.length === 0 && userVersion(db) === APPLIED_IDS_SCHEME) return []
  // Decided before anything is written, so a half-present migration changes nothing.
  const found = new Set(missing.filter((m) => foundInSchema(db, m)).map((m) => m.id))
  const record = (m: Migration, how: 'ran' | 'found') => db.prepare('INSERT INTO schema_migrations (id, applied_at, how) VALUES (?, ?, ?)').run(m.id, now(), how)
  db.transaction(() => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        id         TEXT PRIMARY KEY,
        applied_at INTEGER NOT NULL,
        how        TEXT NOT NULL CHECK (how IN ('ran', 'found'))  -- found: already in a file of the numbered scheme
      ) STRICT
    `)
    db.pragma(`user_version = ${APPLIED_IDS_SCHEME}`)
    for (const m of missing) if (found.has(m.id)) record(m, 'found')
  })()
  const ran: string[] = []
  for (const m of missing) {
    if (found.has(m.id)) continue
    db.transaction(() => {
      m.up(db)
      record(m, 'ran')
    })()
    ran.push(m.id)
  }
  return ran
}
