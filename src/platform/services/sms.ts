import { renderSmsTemplate, type SmsMessage } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import { decodeCursor, pageFrom, whereOf } from '../http/cursor'
import type { Handlers, PlatformContext } from '../http/handler-types'
import type { DeliveryStatus } from './sms-carrier'

interface SmsRow {
  id: number
  template_id: string
  phone: string
  text: string
  ticket_id: number | null
  status: SmsMessage['status']
  error: string | null
  created_at: string
  updated_at: string
}

const toMessage = (r: SmsRow): SmsMessage => ({
  id: r.id,
  templateId: r.template_id,
  phone: r.phone,
  text: r.text,
  ticketId: r.ticket_id,
  status: r.status,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at
})

function load(db: Db, id: number): SmsRow {
  const row = db.prepare('SELECT * FROM sms_messages WHERE id = ?').get(id) as SmsRow | undefined
  if (!row) throw errors.notFound('短信', 'SMS')
  return row
}

/** A carrier's delivery report: stored, and pushed as `sms.status`. Reports never move a message backwards. */
function applyDeliveryReport(ctx: PlatformContext, id: number, status: DeliveryStatus, error: string | null): void {
  const order = { queued: 0, sent: 1, delivered: 2, failed: 2 }
  const now = ctx.clock().toISOString()
  const events = ctx.db.transaction(() => {
    const row = ctx.db.prepare('SELECT status, ticket_id FROM sms_messages WHERE id = ?').get(id) as { status: SmsMessage['status']; ticket_id: number | null } | undefined
    if (!row || order[row.status] >= order[status]) return []
    ctx.db.prepare('UPDATE sms_messages SET status = ?, error = ?, updated_at = ? WHERE id = ?').run(status, error, now, id)
    return [ctx.events.append('sms.status', { id, status, ticketId: row.ticket_id }, now)]
  })()
  ctx.events.publish(events)
}

export const smsHandlers = {
  listSmsTemplates: ({ ctx }) => ({
    items: (ctx.db.prepare('SELECT * FROM sms_templates ORDER BY id').all() as { id: string; name: string; body: string; variables: string }[]).map((t) => ({
      id: t.id,
      name: t.name,
      body: t.body,
      variables: JSON.parse(t.variables) as string[]
    }))
  }),

  sendSms: (args) => {
    const { ctx, body, now } = args
    const template = ctx.db.prepare('SELECT body FROM sms_templates WHERE id = ?').get(body.templateId) as { body: string } | undefined
    if (!template) throw errors.field('templateId', `短信模板 ${body.templateId} 不存在`, `SMS template ${body.templateId} does not exist`)
    const { text, missing } = renderSmsTemplate(template.body, body.variables)
    if (missing.length) throw errors.field('variables', `模板变量未填写：${missing.join('、')}`, `template variables missing: ${missing.join(', ')}`)
    if (body.ticketId && !ctx.db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(body.ticketId))
      throw errors.field('ticketId', '关联的工单不存在', 'the linked ticket does not exist')
    const info = ctx.db
      .prepare("INSERT INTO sms_messages (template_id, phone, text, ticket_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)")
      .run(body.templateId, body.phone, text, body.ticketId, now, now)
    const row = load(ctx.db, Number(info.lastInsertRowid))
    args.emit('sms.status', { id: row.id, status: row.status, ticketId: row.ticket_id })
    // Only a committed message goes to the carrier: a rolled-back or replayed request never sends twice.
    args.afterCommit(() => ctx.sms.submit({ id: row.id, phone: row.phone, text: row.text }, (status, error) => applyDeliveryReport(ctx, row.id, status, error)))
    return toMessage(row)
  },

  getSmsMessage: ({ ctx, params }) => toMessage(load(ctx.db, params.id)),

  listSmsMessages: ({ ctx, query }) => {
    const bind: Record<string, unknown> = { limit: query.limit + 1 }
    const where = whereOf(bind, [
      ['id < @after', 'after', decodeCursor(query.cursor, ['number'])?.[0]],
      ['ticket_id = @ticket', 'ticket', query.ticketId]
    ])
    const rows = ctx.db.prepare(`SELECT * FROM sms_messages ${where} ORDER BY id DESC LIMIT @limit`).all(bind) as SmsRow[]
    return pageFrom(rows, query.limit, toMessage, (r) => [r.id])
  }
} satisfies Partial<Handlers>
