import { decodeCursor, pageFrom, whereOf } from '../http/cursor'
import type { Handlers } from '../http/handler-types'

interface AuditRow {
  id: number
  at: string
  user_id: string
  username: string
  action: string
  entity: string
  entity_id: string
  detail: string
}

export const auditAndEventHandlers = {
  listAuditLog: ({ ctx, query }) => {
    // Reads are buffered for speed (see AuditLog); an auditor must see them all.
    ctx.audit.flush()
    const bind: Record<string, unknown> = { limit: query.limit + 1 }
    const where = whereOf(bind, [
      ['id < @after', 'after', decodeCursor(query.cursor, ['number'])?.[0]],
      ['entity = @entity', 'entity', query.entity],
      ['entity_id = @entityId', 'entityId', query.entityId],
      ['user_id = @userId', 'userId', query.userId]
    ])
    const rows = ctx.db.prepare(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT @limit`).all(bind) as AuditRow[]
    return pageFrom(
      rows,
      query.limit,
      (r) => ({ id: r.id, at: r.at, userId: r.user_id, username: r.username, action: r.action, entity: r.entity, entityId: r.entity_id, detail: r.detail }),
      (r) => [r.id]
    )
  },

  listEvents: ({ ctx, query }) => {
    const events = ctx.events.since(query.since, query.limit + 1)
    const hasMore = events.length > query.limit
    return { events: hasMore ? events.slice(0, query.limit) : events, latestRevision: ctx.events.latestRevision(), hasMore }
  }
} satisfies Partial<Handlers>
