import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { MIGRATIONS } from './migrations'

export type Db = Database.Database

export const DATABASE_FILE = 'platform.sqlite'

/**
 * Opens (creating if needed) the platform's SQLite file in `dataDir`.
 * synchronous=FULL is set on every open because the library's build makes WAL
 * default to NORMAL, which can lose the last commits on power loss — and a
 * committed ticket must survive kill -9 and power loss (exactly-once sync).
 */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true })
  const db = new Database(path.join(dataDir, DATABASE_FILE))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0
  if (current > latest) {
    db.close()
    throw new Error(`数据库版本 ${current} 高于本程序支持的 ${latest}，请升级平台服务 (database schema ${current} is newer than this build's ${latest})`)
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
