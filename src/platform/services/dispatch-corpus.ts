import type { DispatchCorpusItem } from '../../shared/api'
import { decodeCursor, pageFrom, whereOf } from '../http/cursor'
import type { Handlers } from '../http/handler-types'

interface CorpusRow {
  id: number
  number: string
  category_id: string
  department_id: string | null
  content: string
  created_at: string
}

/**
 * The desktop's dispatch model trains on filed tickets: what the citizen said, where it was filed and which
 * department led. Drafts say nothing yet and confidential tickets stay out of every model.
 */
export const dispatchCorpusHandlers: Pick<Handlers, 'listDispatchCorpus'> = {
  listDispatchCorpus: ({ ctx, query }) => {
    const bind: Record<string, unknown> = { limit: query.limit + 1 }
    const where = whereOf(bind, [
      ['t.status <> @draft AND t.confidential = 0', 'draft', 'draft'],
      ['t.id < @after', 'after', decodeCursor(query.cursor, ['number'])?.[0]],
      ['t.created_at >= @since', 'since', query.since]
    ])
    const rows = ctx.db
      .prepare(
        `SELECT t.id, t.number, t.category_id, d.department_id, t.content, t.created_at
           FROM tickets t LEFT JOIN ticket_departments d ON d.ticket_id = t.id AND d.role = 'lead'
           ${where} ORDER BY t.id DESC LIMIT @limit`
      )
      .all(bind) as CorpusRow[]
    const toItem = (r: CorpusRow): DispatchCorpusItem => ({ id: r.id, number: r.number, categoryId: r.category_id, departmentId: r.department_id, content: r.content, createdAt: r.created_at })
    return pageFrom(rows, query.limit, toItem, (r) => [r.id])
  }
}
