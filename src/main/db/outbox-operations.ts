import type Database from 'better-sqlite3'

export interface OutboxEntry {
  seq: number
  idempotencyKey: string
  operation: string
  entityKey: string | null
  payload: unknown
  createdAt: number
  status: 'pending' | 'rejected' | 'conflict'
  attempts: number
  nextAttemptAt: number
  lastError: unknown
  actor: string | null
}

interface Row {
  seq: number
  idempotency_key: string
  operation: string
  entity_key: string | null
  payload: string
  created_at: number
  status: OutboxEntry['status']
  attempts: number
  next_attempt_at: number
  last_error: string | null
  actor: string | null
}

const toEntry = (r: Row): OutboxEntry => ({
  seq: r.seq,
  idempotencyKey: r.idempotency_key,
  operation: r.operation,
  entityKey: r.entity_key,
  payload: JSON.parse(r.payload),
  createdAt: r.created_at,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error ? JSON.parse(r.last_error) : null,
  actor: r.actor
})

/**
 * The outbox's queries. "Next" is the oldest pending entry whose entity has no
 * parked (rejected/conflicting) entry ahead of it: a ticket whose creation the
 * platform refused must not have its later edits sent before the agent fixes it,
 * while other tickets keep flowing.
 */
export const outboxOperations = {
  /**
   * Queues a change once per key, ever: a key still queued keeps its row, and a key already sent (or given up) is
   * not queued again. A change derived from another is queued again after a crash under the same key; this is
   * what keeps it from going out twice. Answers the row's seq, or null when the key is done.
   */
  'outbox.enqueue': (db: Database.Database, a: { idempotencyKey: string; operation: string; entityKey: string | null; payload: unknown; actor: string | null; at: number }): number | null => {
    const existing = db.prepare('SELECT seq FROM outbox WHERE idempotency_key = ?').get(a.idempotencyKey) as { seq: number } | undefined
    if (existing) return existing.seq
    if (db.prepare('SELECT 1 FROM outbox_done WHERE idempotency_key = ?').get(a.idempotencyKey)) return null
    return Number(
      db
        .prepare('INSERT INTO outbox(idempotency_key, operation, entity_key, payload, created_at, actor) VALUES (?, ?, ?, ?, ?, ?)')
        .run(a.idempotencyKey, a.operation, a.entityKey, JSON.stringify(a.payload), a.at, a.actor).lastInsertRowid
    )
  },
  'outbox.next': (db: Database.Database, a: { now: number }): OutboxEntry | null => {
    const row = db
      .prepare(
        `SELECT o.* FROM outbox o
          WHERE o.status = 'pending'
            AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.status != 'pending' AND p.entity_key = o.entity_key AND p.seq < o.seq)
          ORDER BY o.seq LIMIT 1`
      )
      .get() as Row | undefined
    if (!row) return null
    // In order: if the head is waiting for its backoff, everything behind it waits too.
    return row.next_attempt_at <= a.now ? toEntry(row) : { ...toEntry(row), nextAttemptAt: row.next_attempt_at }
  },
  'outbox.ack': (db: Database.Database, a: { seq: number; response: unknown; at: number }): null => {
    db.transaction(() => {
      const row = db.prepare('SELECT * FROM outbox WHERE seq = ?').get(a.seq) as Row | undefined
      if (!row) return
      db.prepare('INSERT OR REPLACE INTO outbox_done(idempotency_key, operation, entity_key, response, done_at) VALUES (?, ?, ?, ?, ?)').run(
        row.idempotency_key,
        row.operation,
        row.entity_key,
        JSON.stringify(a.response ?? null),
        a.at
      )
      db.prepare('DELETE FROM outbox WHERE seq = ?').run(a.seq)
    })()
    return null
  },
  'outbox.retryLater': (db: Database.Database, a: { seq: number; nextAttemptAt: number; error: unknown }): null => {
    db.prepare('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?').run(a.nextAttemptAt, JSON.stringify(a.error), a.seq)
    return null
  },
  'outbox.park': (db: Database.Database, a: { seq: number; status: 'rejected' | 'conflict'; error: unknown }): null => {
    db.prepare('UPDATE outbox SET attempts = attempts + 1, status = ?, last_error = ? WHERE seq = ?').run(a.status, JSON.stringify(a.error), a.seq)
    return null
  },
  /** The agent fixed a parked entry (new payload) or chose to resend it as is. */
  'outbox.requeue': (db: Database.Database, a: { seq: number; payload?: unknown }): null => {
    if (a.payload === undefined) db.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = 0 WHERE seq = ?").run(a.seq)
    else db.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = 0, payload = ? WHERE seq = ?").run(JSON.stringify(a.payload), a.seq)
    return null
  },
  'outbox.get': (db: Database.Database, a: { seq: number }): OutboxEntry | null => {
    const row = db.prepare('SELECT * FROM outbox WHERE seq = ?').get(a.seq) as Row | undefined
    return row ? toEntry(row) : null
  },
  'outbox.parked': (db: Database.Database, a: { limit: number }): OutboxEntry[] =>
    (db.prepare("SELECT * FROM outbox WHERE status != 'pending' ORDER BY seq LIMIT ?").all(a.limit) as Row[]).map(toEntry),
  /**
   * The agent gave up a parked change. It moves to outbox_done marked as
   * discarded, with its payload, so what the agent typed is never lost.
   */
  'outbox.discard': (db: Database.Database, a: { seq: number; at: number; note: unknown }): boolean =>
    db.transaction(() => {
      const row = db.prepare("SELECT * FROM outbox WHERE seq = ? AND status != 'pending'").get(a.seq) as Row | undefined
      if (!row) return false
      db.prepare('INSERT OR REPLACE INTO outbox_done(idempotency_key, operation, entity_key, response, done_at) VALUES (?, ?, ?, ?, ?)').run(
        row.idempotency_key,
        row.operation,
        row.entity_key,
        JSON.stringify({ discarded: true, payload: JSON.parse(row.payload) as unknown, note: a.note }),
        a.at
      )
      db.prepare('DELETE FROM outbox WHERE seq = ?').run(a.seq)
      return true
    })(),
  'outbox.list': (db: Database.Database, a: { limit: number }): OutboxEntry[] => (db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT ?').all(a.limit) as Row[]).map(toEntry),
  'outbox.counts': (db: Database.Database): { pending: number; rejected: number; conflict: number } => {
    const rows = db.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[]
    const out = { pending: 0, rejected: 0, conflict: 0 }
    for (const r of rows) out[r.status as keyof typeof out] = r.n
    return out
  },
  'outbox.done': (db: Database.Database, a: { idempotencyKey: string }): { response: unknown; doneAt: number } | null => {
    const row = db.prepare('SELECT response, done_at FROM outbox_done WHERE idempotency_key = ?').get(a.idempotencyKey) as { response: string | null; done_at: number } | undefined
    return row ? { response: row.response ? JSON.parse(row.response) : null, doneAt: row.done_at } : null
  }
} satisfies Record<string, (db: Database.Database, args: never) => unknown>
