import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyPragmas, DatabaseRefusedError, migrate, openDatabase } from './database'
import { APPLIED_IDS_SCHEME } from './migration-runner'
import { deskMigrations } from './migrations'

const migrations = deskMigrations()
const appliedIds = (db: Database.Database) => db.prepare('SELECT id FROM schema_migrations ORDER BY rowid').pluck().all()

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-db-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('openDatabase', () => {
  it('sets WAL, synchronous=FULL and foreign keys on every open (the build defaults WAL to NORMAL)', () => {
    const file = path.join(dir, 'desk.sqlite')
    for (let i = 0; i < 2; i++) {
      const { db } = openDatabase(file)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('synchronous', { simple: true })).toBe(2) // 2 = FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      db.close()
    }
    // A plain connection without our pragmas shows what we guard against.
    const raw = new Database(file)
    expect(raw.pragma('synchronous', { simple: true })).toBe(1) // NORMAL: the library's WAL default
    raw.close()
  })

  it('gives a new file every migration, in order', () => {
    const { db } = openDatabase(path.join(dir, 'desk.sqlite'))
    expect(appliedIds(db)).toEqual(migrations.map((m) => m.id))
    expect(db.pragma('user_version', { simple: true })).toBe(APPLIED_IDS_SCHEME)
    db.close()
  })

  it('refuses a database from a newer version and leaves it untouched', () => {
    const file = path.join(dir, 'desk.sqlite')
    const future = new Database(file)
    future.pragma(`user_version = ${APPLIED_IDS_SCHEME + 5}`)
    future.exec('CREATE TABLE precious(x)')
    future.close()
    const before = fs.readFileSync(file)
    expect(() => openDatabase(file)).toThrow(DatabaseRefusedError)
    expect(() => openDatabase(file)).toThrow(/高于本程序支持|newer than this app supports/)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })

  it('keeps a safe copy of a corrupt file, creates a fresh database and says so', () => {
    const file = path.join(dir, 'desk.sqlite')
    const garbage = Buffer.from('这不是数据库 this is not a database '.repeat(200))
    fs.writeFileSync(file, garbage)
    const { db, notices } = openDatabase(file)
    expect(appliedIds(db)).toEqual(migrations.map((m) => m.id))
    db.close()
    const copies = fs.readdirSync(dir).filter((f) => f.startsWith('desk.sqlite.corrupt-'))
    expect(copies).toHaveLength(1)
    expect(fs.readFileSync(path.join(dir, copies[0]!)).equals(garbage)).toBe(true)
    expect(notices).toEqual([{ key: 'notice.databaseCorrupt', params: { copy: expect.stringContaining(copies[0]!) } }])
  })

  it('tells the agent when a database that existed has gone missing', () => {
    const file = path.join(dir, 'desk.sqlite')
    openDatabase(file).db.close()
    expect(openDatabase(file).notices).toEqual([])
    for (const f of fs.readdirSync(dir)) if (!f.endsWith('.created')) fs.rmSync(path.join(dir, f))
    const { db, notices } = openDatabase(file)
    db.close()
    expect(notices).toEqual([{ key: 'notice.databaseMissing', params: { file } }])
  })
})

describe('migrations', () => {
  it('start with the core, each with its own id', () => {
    expect(migrations[0]!.id).toBe('core/1-meta-and-audit-log')
    expect(new Set(migrations.map((m) => m.id)).size).toBe(migrations.length)
  })

  it('migration 1 creates meta and an append-only audit log on a real file', () => {
    const file = path.join(dir, 'm1.sqlite')
    const db = new Database(file)
    applyPragmas(db)
    expect(migrate(db, migrations.slice(0, 1))).toEqual(['core/1-meta-and-audit-log'])
    db.prepare("INSERT INTO meta(key, value) VALUES ('k', 'v')").run()
    db.prepare("INSERT INTO audit_log(at, actor, action) VALUES (1, 'agent01', 'session.login')").run()
    expect(() => db.prepare("INSERT INTO audit_log(at, action) VALUES ('not a number', 'x')").run()).toThrow() // STRICT table
    db.close()
  })

  it('migration 2 creates the outbox: unique idempotency keys, known statuses only', () => {
    const file = path.join(dir, 'm2.sqlite')
    const db = new Database(file)
    applyPragmas(db)
    migrate(db, migrations.slice(0, 1))
    expect(migrate(db, migrations.slice(0, 2))).toEqual(['core/2-outbox']) // upgrading a file that has only the first
    const insert = db.prepare('INSERT INTO outbox(idempotency_key, operation, payload, created_at) VALUES (?, ?, ?, ?)')
    insert.run('k1', 'createTicket', '{}', 1)
    expect(() => insert.run('k1', 'createTicket', '{}', 2)).toThrow(/UNIQUE/)
    expect(() => db.prepare("UPDATE outbox SET status = 'lost' WHERE idempotency_key = 'k1'").run()).toThrow(/CHECK/)
    db.close()
  })

  it('a failing migration leaves the file as after the previous one', () => {
    const file = path.join(dir, 'fail.sqlite')
    const db = new Database(file)
    applyPragmas(db)
    const broken = [...migrations, { id: 'training/99-broken', up: (d: Database.Database) => d.exec('CREATE TABLE half(x); SELECT * FROM nowhere') }]
    expect(() => migrate(db, broken)).toThrow()
    expect(appliedIds(db)).toEqual(migrations.map((m) => m.id))
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 })
    db.close()
  })
})
