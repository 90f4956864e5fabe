import type Database from 'better-sqlite3'
import { outboxOperations } from './outbox-operations'
import { workbenchOperations } from '../workbench/db-operations'
import { knowledgeOperations } from '../knowledge/db-operations'
import { assistantOperations } from '../assistant/db-operations'
import { phoneOperations } from '../phone/db-operations'
import { trainingOperations } from '../training/db-operations'
import { recordingOperations } from '../recordings/db-operations'

/**
 * The named queries the database worker runs. Main never sees SQL: it calls an
 * operation by name with plain arguments (pattern from Signal Desktop's typed
 * SQL channel). Later features add their operation modules to this table.
 */
export const operations = {
  ...outboxOperations,
  ...workbenchOperations,
  ...knowledgeOperations,
  ...assistantOperations,
  ...phoneOperations,
  ...trainingOperations,
  ...recordingOperations,
  /**
   * The sync indicator's counts: the outbox, and the work still to come from changes the platform has acknowledged
   * (sync/derived-changes.ts). One operation (the worker runs one at a time), so a change moving from one to the
   * other between two reads is never missed: 已同步 means neither holds anything.
   */
  'sync.counts': (db: Database.Database): { pending: number; rejected: number; conflict: number; derived: number } => ({
    ...outboxOperations['outbox.counts'](db),
    derived: workbenchOperations['wb.submission.outstanding'](db)
  }),
  'meta.get': (db: Database.Database, args: { key: string }): string | null => {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(args.key) as { value: string } | undefined
    return row?.value ?? null
  },
  'meta.set': (db: Database.Database, args: { key: string; value: string }): null => {
    db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(args.key, args.value)
    return null
  },
  'audit.append': (db: Database.Database, args: { at: number; actor: string | null; action: string; subject: string | null; detail: string | null }): number => {
    const info = db.prepare('INSERT INTO audit_log(at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)').run(args.at, args.actor, args.action, args.subject, args.detail)
    return Number(info.lastInsertRowid)
  },
  'audit.recent': (db: Database.Database, args: { limit: number }) =>
    db.prepare('SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?').all(args.limit) as {
      id: number
      at: number
      actor: string | null
      action: string
      subject: string | null
      detail: string | null
    }[],
  'db.pragmas': (db: Database.Database) => ({
    journalMode: db.pragma('journal_mode', { simple: true }) as string,
    synchronous: db.pragma('synchronous', { simple: true }) as number,
    foreignKeys: db.pragma('foreign_keys', { simple: true }) as number,
    userVersion: db.pragma('user_version', { simple: true }) as number
  })
} satisfies Record<string, (db: Database.Database, args: never) => unknown>

export type Operations = typeof operations
export type OpName = keyof Operations
export type OpArgs<K extends OpName> = Parameters<Operations[K]>[1]
export type OpResult<K extends OpName> = ReturnType<Operations[K]>
