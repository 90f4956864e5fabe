import type { Call, QueueStatus } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import { decodeCursor, pageFrom, whereOf } from '../http/cursor'
import type { Handlers, WriteScope } from '../http/handler-types'

export interface CallRow {
  id: number
  direction: Call['direction']
  caller_number: string
  dialled_number: string
  queue: string | null
  agent_id: string | null
  status: Call['status']
  queued_at: string
  answered_at: string | null
  ended_at: string | null
  result: Call['result']
  recording_id: number | null
  satisfaction: Call['satisfaction']
  ticket_id: number | null
}

export const CALL_COLUMNS = 'id, direction, caller_number, dialled_number, queue, agent_id, status, queued_at, answered_at, ended_at, result, recording_id, satisfaction, ticket_id'

export function toCall(r: CallRow): Call {
  return {
    id: r.id,
    direction: r.direction,
    callerNumber: r.caller_number,
    dialledNumber: r.dialled_number,
    queue: r.queue,
    agentId: r.agent_id,
    status: r.status,
    queuedAt: r.queued_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    result: r.result,
    recordingId: r.recording_id,
    satisfaction: r.satisfaction,
    ticketId: r.ticket_id
  }
}

function load(db: Db, id: number): CallRow {
  const row = db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE id = ?`).get(id) as CallRow | undefined
  if (!row) throw errors.notFound('通话', 'call')
  return row
}

/** Waiting calls per queue (calls in status `queued`) and ready agents whose seat serves it. */
export function queueStatuses(db: Db, now: string): QueueStatus[] {
  const groups = db.prepare('SELECT queue, min(name) AS name FROM skill_groups GROUP BY queue ORDER BY queue').all() as { queue: string; name: string }[]
  const waiting = db.prepare("SELECT count(*) AS n, min(queued_at) AS oldest FROM calls WHERE status = 'queued' AND queue = ?")
  const ready = db.prepare(
    `SELECT count(DISTINCT a.user_id) AS n FROM agent_states a JOIN seats s ON s.id = a.seat_id, json_each(s.skill_group_ids) g
     JOIN skill_groups sg ON sg.id = g.value WHERE a.state = 'ready' AND sg.queue = ?`
  )
  return groups.map((g) => {
    const w = waiting.get(g.queue) as { n: number; oldest: string | null }
    const r = ready.get(g.queue) as { n: number }
    return {
      queue: g.queue,
      name: g.name,
      waiting: w.n,
      longestWaitSeconds: w.oldest ? Math.max(0, Math.round((Date.parse(now) - Date.parse(w.oldest)) / 1000)) : 0,
      agentsReady: r.n
    }
  })
}

export function emitQueue(scope: WriteScope, queue: string | null): void {
  if (!queue) return
  const status = queueStatuses(scope.ctx.db, scope.now).find((q) => q.queue === queue)
  if (status) scope.emit('queue.changed', status)
}

export const callHandlers = {
  createCall: (args) => {
    const { ctx, body, now } = args
    // A listed malicious number is recorded as blocked and never queued (R1 拦截恶意号码).
    const blocked = body.direction === 'inbound' && ctx.db.prepare('SELECT 1 FROM malicious_numbers WHERE phone = ?').get(body.callerNumber) !== undefined
    const queuedAt = body.queuedAt ?? now
    const info = ctx.db
      .prepare(
        `INSERT INTO calls (direction, caller_number, dialled_number, queue, status, queued_at, ended_at, result, agent_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        body.direction,
        body.callerNumber,
        body.dialledNumber,
        body.queue,
        blocked ? 'ended' : body.direction === 'inbound' ? 'queued' : 'in_progress',
        queuedAt,
        blocked ? queuedAt : null,
        blocked ? 'blocked' : null,
        body.direction === 'outbound' ? args.user.id : null
      )
    const call = load(ctx.db, Number(info.lastInsertRowid))
    args.emit('call.updated', { id: call.id, status: call.status, queue: call.queue, agentId: call.agent_id })
    emitQueue(args, call.queue)
    return toCall(call)
  },

  updateCall: (args) => {
    const { ctx, params, body } = args
    const before = load(ctx.db, params.id)
    const columns: Record<string, unknown> = {
      status: body.status,
      agent_id: body.agentId,
      answered_at: body.answeredAt,
      ended_at: body.endedAt,
      result: body.result,
      recording_id: body.recordingId,
      satisfaction: body.satisfaction,
      ticket_id: body.ticketId
    }
    const changed = Object.entries(columns).filter(([, v]) => v !== undefined)
    if (changed.length === 0) throw errors.field('body', '没有要修改的字段', 'nothing to change')
    ctx.db.prepare(`UPDATE calls SET ${changed.map(([k]) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...Object.fromEntries(changed), id: before.id })
    const call = load(ctx.db, before.id)
    args.emit('call.updated', { id: call.id, status: call.status, queue: call.queue, agentId: call.agent_id })
    if (before.status !== call.status) emitQueue(args, call.queue)
    return toCall(call)
  },

  getCall: ({ ctx, params }) => toCall(load(ctx.db, params.id)),

  listCalls: ({ ctx, query }) => {
    const bind: Record<string, unknown> = { limit: query.limit + 1 }
    const where = whereOf(bind, [
      ['id < @after', 'after', decodeCursor(query.cursor, ['number'])?.[0]],
      ['caller_number = @caller', 'caller', query.callerNumber],
      ['agent_id = @agent', 'agent', query.agentId]
    ])
    const rows = ctx.db.prepare(`SELECT ${CALL_COLUMNS} FROM calls ${where} ORDER BY id DESC LIMIT @limit`).all(bind) as CallRow[]
    return pageFrom(rows, query.limit, toCall, (r) => [r.id])
  }
} satisfies Partial<Handlers>
