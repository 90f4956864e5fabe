import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyPragmas, DatabaseRefusedError, migrate, openDatabase } from './database'
import { APPLIED_IDS_SCHEME } from './migration-runner'
import { deskMigrations, FEATURE_ORDER, registeredFeatures, registerMigrations, type Migration } from './migrations'
// What the database worker loads: every feature's queries, and with them its migrations.
import './operations'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-mig-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

/**
 * The numbered migrations each build of main shipped, in the order they landed
 * (`git log -p -- src/main/db/migrations.ts 'src/main/*\/migrations.ts'`); none
 * was edited after it shipped, so today's `up` reproduces each of them.
 */
const NUMBERED_BUILDS: { commit: string; versions: number[] }[] = [
  { commit: '1196791', versions: [1] },
  { commit: '98486bb', versions: [1, 2] },
  { commit: '09e1c9c', versions: [1, 2, 10] },
  { commit: '8ffeadd', versions: [1, 2, 10, 30] },
  { commit: '3d267c4', versions: [1, 2, 10, 30, 40] },
  { commit: '50b1c78', versions: [1, 2, 10, 30, 40, 60] },
  { commit: '17bf995', versions: [1, 2, 10, 30, 31, 40, 60] },
  { commit: 'eafabda', versions: [1, 2, 10, 30, 31, 40, 56, 60] },
  { commit: 'ecd888a', versions: [1, 2, 10, 30, 31, 40, 56, 57, 60] },
  { commit: 'd8d0e0c', versions: [1, 2, 10, 30, 31, 40, 56, 57, 58, 60] }
]

const byNumber = new Map(deskMigrations().flatMap((m) => (m.legacy ? [[m.legacy.version, m] as const] : [])))

/** The old rule, as the numbered builds ran it: skip every migration at or below `user_version`. */
function stepNumbered(state: { applied: number[]; version: number }, versions: number[]) {
  const applied = [...state.applied]
  let version = state.version
  for (const v of versions) {
    if (v <= version) continue
    applied.push(v)
    version = v
  }
  return { applied, version }
}

/** Every state a file could be in under the numbered scheme: opened by any subsequence of the builds. */
function numberedStates() {
  const states = new Map<string, { applied: number[]; version: number; builds: string[] }>()
  const walk = (from: number, state: { applied: number[]; version: number }, builds: string[]) => {
    for (let i = from; i < NUMBERED_BUILDS.length; i++) {
      const build = NUMBERED_BUILDS[i]!
      const next = { ...stepNumbered(state, build.versions), builds: [...builds, build.commit] }
      const key = `${next.applied.join(',')}@${next.version}`
      if (!states.has(key)) states.set(key, next)
      walk(i + 1, next, next.builds)
    }
  }
  walk(0, { applied: [], version: 0 }, [])
  return [...states.values()]
}

/** A real file made by opening it with each of `builds` in turn, under the old rule. */
function numberedFile(file: string, builds: string[], extra: number[] = []): void {
  const db = new Database(file)
  applyPragmas(db)
  for (const commit of builds) {
    const versions = [...NUMBERED_BUILDS.find((b) => b.commit === commit)!.versions, ...extra].sort((a, b) => a - b)
    const current = db.pragma('user_version', { simple: true }) as number
    for (const v of versions) {
      if (v <= current) continue
      db.transaction(() => {
        byNumber.get(v)!.up(db)
        db.pragma(`user_version = ${v}`)
      })()
    }
  }
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('made by', ?)").run(builds.join(' '))
  db.close()
}

/** The schema as SQLite keeps it, order and spacing aside. */
function schemaOf(db: Database.Database): string[] {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all() as Record<string, string | null>[]
  return rows.map((r) => `${r.type} ${r.name} on ${r.tbl_name}: ${(r.sql ?? '').replace(/\s+/g, ' ').trim()}`)
}

const appliedIds = (db: Database.Database) => db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all() as string[]
const allIds = () => deskMigrations().map((m) => m.id).sort()

function freshSchema(list?: Migration[]): string[] {
  const { db } = openDatabase(path.join(dir, `fresh-${Math.random().toString(36).slice(2)}.sqlite`), list)
  const schema = schemaOf(db)
  db.close()
  return schema
}

describe('the migration list', () => {
  it('has every feature of FEATURE_ORDER once the worker’s queries are loaded, ids unique and named after their feature', () => {
    expect(registeredFeatures()).toEqual([...FEATURE_ORDER])
    const ids = deskMigrations().map((m) => m.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^(core|[a-z]+)\/\d+-[a-z0-9-]+$/)
    expect(ids.slice(0, 2)).toEqual(['core/1-meta-and-audit-log', 'core/2-outbox'])
  })

  it('refuses a feature that is not in the order, one registered twice, and an id outside its feature', () => {
    expect(() => registerMigrations('reports' as never, [])).toThrow(/unknown feature "reports".*FEATURE_ORDER/)
    expect(() => registerMigrations('workbench', [{ id: 'recordings/9-elsewhere', up() {} }])).toThrow(/its id must start with "workbench\/"/)
    expect(() => registerMigrations('workbench', [])).toThrow(/"workbench" registered twice/)
  })

  it('says, for every migration of the numbered scheme, exactly the objects it creates (how an old file is recognised)', () => {
    const db = new Database(path.join(dir, 'objects.sqlite'))
    const objects = () =>
      new Set(
        (db.prepare("SELECT name, type FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").all() as { name: string; type: string }[]).flatMap((o) => [
          o.name,
          ...(o.type === 'table' ? (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(o.name) as string[]).map((c) => `${o.name}.${c}`) : [])
        ])
      )
    for (const m of deskMigrations().filter((m) => m.legacy)) {
      const before = objects()
      m.up(db)
      const created = [...objects()].filter((o) => !before.has(o))
      // A new table's columns come with it; FTS5's shadow tables with the virtual table.
      const expected = created.filter((o) => !(o.includes('.') && !before.has(o.split('.')[0]!) && created.includes(o.split('.')[0]!)) && !/^kb_fts_(data|idx|docsize|config|content)$/.test(o))
      expect(m.legacy!.creates.slice().sort(), m.id).toEqual(expected.sort())
    }
    db.close()
  })
})

describe('upgrading files of the numbered scheme', () => {
  it('brings a file from every state main could have left it in to exactly the schema of a fresh file', () => {
    const fresh = freshSchema()
    const states = numberedStates()
    // Files created after training's 60 and opened by later builds never got recordings' 56–58 or knowledge's 31.
    expect(states.some((s) => s.version === 60 && !s.applied.includes(56))).toBe(true)
    expect(states.some((s) => s.applied.includes(40) && !s.applied.includes(31))).toBe(true)
    let leftBehindByNumbers = 0
    for (const [i, state] of states.entries()) {
      const file = path.join(dir, `state-${i}.sqlite`)
      numberedFile(file, state.builds)
      // What today's main would have done under the old rule, on a copy.
      const copy = path.join(dir, `state-${i}-numbered.sqlite`)
      fs.copyFileSync(file, copy)
      numberedFile(copy, [NUMBERED_BUILDS.at(-1)!.commit])
      const numbered = new Database(copy)
      if (schemaOf(numbered).join('\n') !== fresh.filter((r) => !r.includes('schema_migrations')).join('\n')) leftBehindByNumbers++
      numbered.close()

      const { db } = openDatabase(file)
      const why = `created by ${state.builds.join(' → ')} (numbered ${state.applied.join(',')} at ${state.version})`
      expect(schemaOf(db), why).toEqual(fresh)
      expect(appliedIds(db), why).toEqual(allIds())
      expect(db.pragma('user_version', { simple: true }), why).toBe(APPLIED_IDS_SCHEME)
      // Found where the schema has them; run where it does not; the agent's data kept.
      const found = db.prepare("SELECT id FROM schema_migrations WHERE how = 'found'").pluck().all() as string[]
      expect(found.sort(), why).toEqual(state.applied.map((v) => byNumber.get(v)!.id).sort())
      expect(db.prepare("SELECT value FROM meta WHERE key = 'made by'").pluck().get(), why).toBe(state.builds.join(' '))
      db.close()
      // And opening again changes nothing.
      const again = openDatabase(file).db
      expect(migrate(again)).toEqual([])
      again.close()
    }
    expect(states.length).toBeGreaterThan(10)
    expect(leftBehindByNumbers).toBeGreaterThan(0)
  })

  it('fills in a knowledge index that missed its term counts from the articles already indexed', () => {
    const file = path.join(dir, 'skipped-31.sqlite')
    numberedFile(file, ['3d267c4'])
    const old = new Database(file)
    old.prepare("INSERT INTO kb_fts (rowid, title, keywords, body, chars) VALUES (1, '停水 通知', '', '停水 时间', '停 水')").run()
    old.close()
    numberedFile(file, ['d8d0e0c'])
    const { db } = openDatabase(file)
    expect(db.prepare("SELECT df FROM kb_terms WHERE term = '停水'").pluck().get()).toBe(1)
    expect(db.prepare("SELECT how FROM schema_migrations WHERE id = 'knowledge/2-term-document-counts'").pluck().get()).toBe('ran')
    db.close()
  })

  it('refuses, changing nothing, a file where a migration of the numbered scheme is only partly present', () => {
    const file = path.join(dir, 'hand-made.sqlite')
    numberedFile(file, ['d8d0e0c'])
    const hand = new Database(file)
    hand.exec('DROP INDEX recordings_parent')
    hand.close()
    const before = fs.readFileSync(file)
    expect(() => openDatabase(file)).toThrow(/recordings\/3-consultation-legs.*recordings_parent/)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })
})

describe('migrations added later', () => {
  it('runs a migration added to a low-ordered feature on a file that already has every later feature', () => {
    const file = path.join(dir, 'desk.sqlite')
    openDatabase(file).db.close()
    const later: Migration = { id: 'workbench/2-later', up: (d) => d.exec('CREATE TABLE wb_later (x INTEGER) STRICT') }
    const list = deskMigrations()
    list.splice(list.findLastIndex((m) => m.id.startsWith('workbench/')) + 1, 0, later)
    const { db } = openDatabase(file, list)
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'wb_later'").pluck().get()).toBe('wb_later')
    expect(appliedIds(db)).toContain('workbench/2-later')
    expect(schemaOf(db)).toEqual(freshSchema(list))
    db.close()
  })

  it('leaves the file as after the previous migration when one fails mid-way, and the next open finishes', () => {
    const file = path.join(dir, 'desk.sqlite')
    numberedFile(file, ['50b1c78']) // recordings still to come
    let powerCut = true
    const failing: Migration = {
      id: 'recordings/4-once-interrupted',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER) STRICT')
        if (powerCut) throw new Error('power cut')
      }
    }
    const list = [...deskMigrations()]
    list.splice(list.findIndex((m) => m.id === 'training/1-attempts'), 0, failing)
    expect(() => openDatabase(file, list)).toThrow(/power cut/)
    const after = new Database(file)
    expect(after.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined()
    expect(appliedIds(after)).toEqual(allIds()) // recordings 1–3 ran, training found; the failing one not recorded
    after.close()
    powerCut = false
    const { db } = openDatabase(file, list)
    expect(appliedIds(db)).toContain('recordings/4-once-interrupted')
    expect(schemaOf(db)).toEqual(freshSchema(list))
    db.close()
  })
})

describe('a file from a newer app', () => {
  it('is refused untouched when it has a migration this app does not know, naming it', () => {
    const file = path.join(dir, 'desk.sqlite')
    openDatabase(file).db.close()
    const newer = new Database(file)
    newer.prepare("INSERT INTO schema_migrations (id, applied_at, how) VALUES ('workbench/9-from-a-newer-app', 1, 'ran')").run()
    newer.close()
    const before = fs.readFileSync(file)
    expect(() => openDatabase(file)).toThrow(DatabaseRefusedError)
    expect(() => openDatabase(file)).toThrow(/高于本程序支持.*workbench\/9-from-a-newer-app.*newer than this app supports/)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })

  it('is refused untouched when its version is above any this app or the numbered scheme wrote', () => {
    for (const version of [61, APPLIED_IDS_SCHEME + 1]) {
      const file = path.join(dir, `v${version}.sqlite`)
      const future = new Database(file)
      future.pragma(`user_version = ${version}`)
      future.exec('CREATE TABLE precious(x)')
      future.close()
      const before = fs.readFileSync(file)
      expect(() => openDatabase(file)).toThrow(new RegExp(`user_version ${version}`))
      expect(fs.readFileSync(file).equals(before)).toBe(true)
    }
  })
})
