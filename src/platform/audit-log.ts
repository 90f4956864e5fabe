import type { Db } from './db/open-database'
import type { SessionUser } from './auth'
import type { Lockout } from './login-throttle'

export interface AuditEntry {
  at: string
  userId: string
  username: string
  action: string
  entity: string
  entityId: string
  detail: string
}

const FLUSH_MS = 200
const FLUSH_AT = 200

/**
 * Who read or changed which citizen record (R10).
 *
 * Changes are written in the change's own transaction, so no change exists
 * without its audit row. Reads are batched and flushed every 200 ms: with
 * synchronous=FULL each commit is an fsync, and an fsync per screen pop would
 * blow the 5 ms caller-history budget. The price is that a hard crash can lose
 * the last 200 ms of read entries, never a change's.
 */
export class AuditLog {
  private pending: AuditEntry[] = []
  private timer: NodeJS.Timeout | null = null
  private readonly insert

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, detail) VALUES (@at, @userId, @username, @action, @entity, @entityId, @detail)'
    )
  }

  /** Inside the change's transaction. */
  change(user: SessionUser, entity: string, entityId: string, action: string, detail: string, at: string): void {
    this.insert.run({ at, userId: user.id, username: user.username, action, entity, entityId, detail })
  }

  /** A sign-in lockout, written at once: no session exists, so the entry names the account tried and the address. */
  lockout(lockout: Lockout, username: string, address: string, at: string): void {
    const detail = JSON.stringify({ kind: lockout.kind, address, failures: lockout.failures, until: lockout.until })
    this.insert.run({ at, userId: '', username, action: 'login.lockout', entity: lockout.kind, entityId: lockout.key, detail })
  }

  read(user: SessionUser, entity: string, entityId: string, action: string, detail: string, at: string): void {
    this.pending.push({ at, userId: user.id, username: user.username, action, entity, entityId, detail })
    if (this.pending.length >= FLUSH_AT) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS)
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.db.transaction(() => {
      for (const e of batch) this.insert.run(e)
    })()
  }
}
