import type { PushEvent, PushEventType } from '../../shared/api'
import type { Db } from '../db/open-database'

type PayloadOf<K extends PushEventType> = Extract<PushEvent, { type: K }>['payload']

/**
 * The ordered log behind the push channel. Events are inserted in the same
 * transaction as the change they describe (so a revision exists iff the change
 * committed) and handed to live subscribers only after the commit.
 */
export class EventLog {
  private readonly subscribers = new Set<(e: PushEvent) => void>()

  constructor(private readonly db: Db) {}

  /** Call inside the write transaction; returns the event to publish once it commits. */
  append<K extends PushEventType>(type: K, payload: PayloadOf<K>, at: string): PushEvent {
    const info = this.db.prepare('INSERT INTO events (type, payload, at) VALUES (?, ?, ?)').run(type, JSON.stringify(payload), at)
    return { revision: Number(info.lastInsertRowid), type, payload, at } as PushEvent
  }

  publish(events: readonly PushEvent[]): void {
    for (const e of events) for (const fn of this.subscribers) fn(e)
  }

  subscribe(fn: (e: PushEvent) => void): () => void {
    this.subscribers.add(fn)
    return () => this.subscribers.delete(fn)
  }

  latestRevision(): number {
    const row = this.db.prepare('SELECT max(revision) AS r FROM events').get() as { r: number | null }
    return row.r ?? 0
  }

  since(revision: number, limit: number): PushEvent[] {
    const rows = this.db.prepare('SELECT revision, type, payload, at FROM events WHERE revision > ? ORDER BY revision LIMIT ?').all(revision, limit) as {
      revision: number
      type: PushEventType
      payload: string
      at: string
    }[]
    return rows.map((r) => ({ revision: r.revision, type: r.type, payload: JSON.parse(r.payload) as unknown, at: r.at }) as PushEvent)
  }
}
