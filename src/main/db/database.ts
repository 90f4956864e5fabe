import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { deskMigrations, type Migration } from './migrations'
import { applyMissing, newerThanThisApp } from './migration-runner'
import { msg, type UiMessage } from '../../shared/messages'
import { makePrivateDir, preparePrivateDatabase, tightenFile } from '../private-files'

/** A database we must not open: the message is for the agent and the log. */
export class DatabaseRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseRefusedError'
  }
}

export interface OpenResult {
  db: Database.Database
  /** Things the agent must be told (a quarantined file, a recreated database). */
  notices: UiMessage[]
}

/**
 * Settings for every connection. `synchronous=FULL` must be set on every open:
 * better-sqlite3's build defaults WAL to NORMAL, which can lose the last
 * transactions on power loss, and a draft typed during a call is exactly that.
 */
export function applyPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
}

function refuseNewer(db: Database.Database, list: Migration[]): void {
  const newer = newerThanThisApp(db, list)
  if (newer) {
    throw new DatabaseRefusedError(
      `数据库由更高版本的客户端写入（${newer}），高于本程序支持的版本，请升级客户端后再打开；文件未作任何改动。` +
        ` (The database was written by a newer version of the app (${newer}), newer than this app supports; upgrade the app. The file was not changed.)`
    )
  }
}

/**
 * Brings the file up to date with every migration it has not had (see
 * migration-runner.ts) and returns the ids that ran.
 */
export function migrate(db: Database.Database, list: Migration[] = deskMigrations()): string[] {
  refuseNewer(db, list)
  return applyMissing(db, list)
}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: string }).code
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CORRUPT_VTAB'
}

/** Moves the broken file (and its WAL/SHM) aside, never deleting a byte. */
function quarantine(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const target = `${file}.corrupt-${stamp}`
  fs.renameSync(file, target)
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix)
  return target
}

/**
 * Opens (or creates) the local database. A corrupt file is kept as a safe copy
 * and a fresh database is created, with a notice; a database from a newer
 * version is refused untouched. A marker file tells a first start from a
 * database that went missing, so that loss is never silent either.
 */
export function openDatabase(file: string, list: Migration[] = deskMigrations()): OpenResult {
  makePrivateDir(path.dirname(file))
  const notices: UiMessage[] = []
  const marker = `${file}.created`
  if (!fs.existsSync(file) && fs.existsSync(marker)) {
    notices.push(msg('notice.databaseMissing', { file }))
  }
  const writeMarker = () => {
    fs.writeFileSync(marker, new Date().toISOString(), { mode: 0o600 })
    tightenFile(marker)
  }
  const open = (): OpenResult => {
    // 0600 before SQLite opens it (its -wal and -shm take the file's mode); an older version's files are tightened.
    preparePrivateDatabase(file)
    const db = new Database(file)
    try {
      // Reading the schema touches the header and the first pages: enough to
      // catch a file that is not a database or is damaged at its start without
      // a full integrity scan (seconds on a cache of a million tickets).
      db.prepare('SELECT count(*) FROM sqlite_master').get()
      // Refuse a newer database before any pragma writes to it (WAL mode changes the header).
      refuseNewer(db, list)
      applyPragmas(db)
      migrate(db, list)
      return { db, notices }
    } catch (err) {
      db.close()
      throw err
    }
  }
  try {
    const result = open()
    writeMarker()
    return result
  } catch (err) {
    if (!isCorruption(err)) throw err
    const safe = quarantine(file)
    notices.push(msg('notice.databaseCorrupt', { copy: safe }))
    const result = open()
    writeMarker()
    return result
  }
}
