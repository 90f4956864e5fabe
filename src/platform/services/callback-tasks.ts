import { CALLBACK_MAX_ATTEMPTS, type CallbackTask } from '../../shared/api'
import type { Db } from '../db/open-database'
import { decodeCursor, pageFrom, whereOf } from '../http/cursor'
import { errors } from '../http/api-error'
import type { Handlers } from '../http/handler-types'
import { markTicketCalledBack } from './ticket-workflow'

const RETRY_AFTER_MS = 2 * 3600_000

interface CallbackRow {
  id: number
  ticket_id: number
  ticket_number: string
  phone: string
  status: CallbackTask['status']
  due_at: string
  attempts: number
  result: CallbackTask['result']
  satisfaction: CallbackTask['satisfaction']
  dissatisfaction_reason: string | null
  note: string
  updated_at: string
}

const SELECT = 'SELECT c.*, t.number AS ticket_number FROM callback_tasks c JOIN tickets t ON t.id = c.ticket_id'

function toTask(r: CallbackRow): CallbackTask {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    phone: r.phone,
    status: r.status,
    dueAt: r.due_at,
    attempts: r.attempts,
    result: r.result,
    satisfaction: r.satisfaction,
    dissatisfactionReason: r.dissatisfaction_reason,
    note: r.note,
    updatedAt: r.updated_at
  }
}

function load(db: Db, id: number): CallbackRow {
  const row = db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CallbackRow | undefined
  if (!row) throw errors.notFound('回访任务', 'callback task')
  return row
}

export const callbackHandlers = {
  listCallbacks: ({ ctx, query }) => {
    const after = decodeCursor(query.cursor, ['string', 'number'])
    const bind: Record<string, unknown> = { limit: query.limit + 1, afterId: after?.[1] }
    const where = whereOf(bind, [
      ['c.status = @status', 'status', query.status],
      ['c.due_at < @dueBefore', 'dueBefore', query.dueBefore],
      ['(c.due_at, c.id) > (@afterDue, @afterId)', 'afterDue', after?.[0]]
    ])
    if (!after) delete bind.afterId
    const rows = ctx.db.prepare(`${SELECT} ${where} ORDER BY c.due_at, c.id LIMIT @limit`).all(bind) as CallbackRow[]
    return pageFrom(rows, query.limit, toTask, (r) => [r.due_at, r.id])
  },

  recordCallbackResult: (args) => {
    const { ctx, params, body, now } = args
    const task = load(ctx.db, params.id)
    if (task.status !== 'pending')
      throw errors.invalidTransition(task.status, 0, '该回访任务已结束', 'this callback task is already finished')
    const attempts = task.attempts + 1
    let status: CallbackTask['status'] = 'done'
    let dueAt = task.due_at
    if (body.result === 'no_answer') {
      status = attempts >= CALLBACK_MAX_ATTEMPTS ? 'failed' : 'pending'
      dueAt = new Date(Date.parse(now) + RETRY_AFTER_MS).toISOString()
    }
    ctx.db
      .prepare(
        `UPDATE callback_tasks SET status = ?, attempts = ?, due_at = ?, result = ?, satisfaction = ?, dissatisfaction_reason = ?, note = ?, updated_at = ? WHERE id = ?`
      )
      .run(status, attempts, dueAt, body.result, body.satisfaction, body.dissatisfactionReason, body.note, now, task.id)
    if (body.result === 'reached' && body.satisfaction) {
      const why = body.dissatisfactionReason ? `，原因：${body.dissatisfactionReason}` : ''
      markTicketCalledBack(args, task.ticket_id, body.satisfaction, `回访：${body.satisfaction}${why}`)
    }
    args.emit('callback.updated', { id: task.id, ticketId: task.ticket_id, status })
    return toTask(load(ctx.db, task.id))
  }
} satisfies Partial<Handlers>
