import { mayChangeConfidentiality, type TicketStatus } from '../../shared/api'
import { errors } from '../http/api-error'
import type { Handlers } from '../http/handler-types'
import { decodeCursor, pageFrom, whereOf } from '../http/cursor'
import { checkArea, checkCategory } from './reference-checks'
import { addTimeline, loadTicketRow, SUMMARY_COLUMNS, ticketNumber, toTicket, toTicketSummary, type TicketRow } from './ticket-records'
import { checkDeadline, checkVersion, emitUpdated, requireInPlace, ticketActionHandlers, touch, writeDispatch } from './ticket-workflow'

export const ticketHandlers = {
  createTicket: (args) => {
    const { ctx, body, user, now } = args
    const db = ctx.db
    checkCategory(db, body.categoryId)
    checkArea(db, body.area)
    if (body.dispatch) checkDeadline(now, body.dispatch.deadline, 'dispatch.deadline')
    const status: TicketStatus = body.submit ? 'submitted' : 'draft'
    const info = db
      .prepare(
        `INSERT INTO tickets (number, status, version, type, category_id, district, town, address, title, content, urgency, confidential, anonymous,
           citizen_name, citizen_phone, channel, handling_mode, call_id, knowledge_article_ids, created_by, created_at, updated_at)
         VALUES ('', @status, 1, @type, @categoryId, @district, @town, @address, @title, @content, @urgency, @confidential, @anonymous,
           @citizenName, @citizenPhone, @channel, @handlingMode, @callId, @articles, @createdBy, @now, @now)`
      )
      .run({
        status,
        type: body.type,
        categoryId: body.categoryId,
        district: body.area.district,
        town: body.area.town,
        address: body.address,
        title: body.title,
        content: body.content,
        urgency: body.urgency,
        confidential: body.confidential ? 1 : 0,
        anonymous: body.anonymous ? 1 : 0,
        citizenName: body.citizen.name,
        citizenPhone: body.citizen.phone,
        channel: body.channel,
        handlingMode: body.handlingMode,
        callId: body.callId,
        articles: JSON.stringify(body.knowledgeArticleIds),
        createdBy: user.id,
        now
      })
    const id = Number(info.lastInsertRowid)
    db.prepare('UPDATE tickets SET number = ? WHERE id = ?').run(ticketNumber(id, now), id)
    if (body.callId) db.prepare('UPDATE calls SET ticket_id = ? WHERE id = ? AND ticket_id IS NULL').run(id, body.callId)
    addTimeline(db, id, now, user.username, 'create', null, status, body.submit ? '受理' : '保存草稿')
    // Filing and its first step are one request (one outbox entry): the ticket keeps version 1.
    if (body.submit && body.handlingMode === 'direct_answer') {
      db.prepare("UPDATE tickets SET status = 'closed', reply = ?, closed_at = ? WHERE id = ?").run(body.reply, now, id)
      addTimeline(db, id, now, user.username, 'answer', 'submitted', 'closed', '直接答复，一次办结')
    } else if (body.submit && body.handlingMode === 'dispatch' && body.dispatch) {
      const note = writeDispatch(db, id, body.dispatch.departments.map((d) => ({ ...d })), body.dispatch.deadline)
      db.prepare("UPDATE tickets SET status = 'dispatched', deadline = ? WHERE id = ?").run(body.dispatch.deadline, id)
      addTimeline(db, id, now, user.username, 'dispatch', 'submitted', 'dispatched', [note, body.dispatch.note].filter(Boolean).join('。'))
    }
    const row = loadTicketRow(db, id)
    emitUpdated(args, row)
    return toTicket(db, row)
  },

  getTicket: ({ ctx, params }) => toTicket(ctx.db, loadTicketRow(ctx.db, params.id)),

  listTickets: ({ ctx, query, now }) => {
    const bind: Record<string, unknown> = { limit: query.limit + 1 }
    const where = whereOf(bind, [
      ['id < @after', 'after', decodeCursor(query.cursor, ['number'])?.[0]],
      ['status = @status', 'status', query.status],
      ['district = @district', 'district', query.district],
      ['created_by = @createdBy', 'createdBy', query.createdBy],
      ["deadline IS NOT NULL AND deadline < @now AND status IN ('dispatched', 'signed', 'returned')", 'now', query.overdue === 'true' ? now : undefined]
    ])
    const rows = ctx.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tickets ${where} ORDER BY id DESC LIMIT @limit`).all(bind) as TicketRow[]
    return pageFrom(rows, query.limit, toTicketSummary, (r) => [r.id])
  },

  updateTicket: (args) => {
    const { ctx, params, body, user } = args
    const row = loadTicketRow(ctx.db, params.id)
    checkVersion(row, body.version)
    requireInPlace(row, 'edit')
    if (body.categoryId) checkCategory(ctx.db, body.categoryId)
    if (body.area) checkArea(ctx.db, body.area)
    if (body.confidential !== undefined && body.confidential !== (row.confidential === 1) && !mayChangeConfidentiality(user, row.created_by))
      throw errors.confidentialityLocked()
    const columns: Record<string, unknown> = {
      type: body.type,
      category_id: body.categoryId,
      district: body.area?.district,
      town: body.area ? body.area.town : undefined,
      address: body.address,
      title: body.title,
      content: body.content,
      urgency: body.urgency,
      confidential: body.confidential === undefined ? undefined : body.confidential ? 1 : 0,
      anonymous: body.anonymous === undefined ? undefined : body.anonymous ? 1 : 0,
      citizen_name: body.citizen ? body.citizen.name : undefined,
      citizen_phone: body.citizen ? body.citizen.phone : undefined,
      handling_mode: body.handlingMode,
      knowledge_article_ids: body.knowledgeArticleIds ? JSON.stringify(body.knowledgeArticleIds) : undefined
    }
    const changed = Object.entries(columns).filter(([, v]) => v !== undefined)
    ctx.db.prepare(`UPDATE tickets SET ${changed.map(([k]) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...Object.fromEntries(changed), id: row.id })
    const updated = touch(args, row, 'edit', `修改：${changed.map(([k]) => k).join('、')}`)
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  ...ticketActionHandlers
} satisfies Partial<Handlers>
