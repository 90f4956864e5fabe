import { IN_PLACE_ACTIONS, mayChangeConfidentiality, targetsOf, TICKET_STATUS_LABELS, type TicketAction, type TicketStatus } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import type { Handlers, WriteScope } from '../http/handler-types'
import { decodeCursor, pageFrom, whereOf } from '../http/cursor'
import { createCallbackTask } from './callback-queue'
import { checkArea, checkCategory, checkDepartment } from './reference-checks'
import {
  addTimeline,
  departmentIdsOf,
  loadTicketRow,
  SUMMARY_COLUMNS,
  ticketNumber,
  toTicket,
  toTicketSummary,
  type TicketRow
} from './ticket-records'

type AnyArgs = WriteScope

function emitUpdated(args: AnyArgs, row: TicketRow): void {
  args.emit('ticket.updated', {
    id: row.id,
    number: row.number,
    status: row.status,
    version: row.version,
    departmentIds: departmentIdsOf(args.ctx.db, row.id),
    updatedAt: row.updated_at
  })
}

function checkVersion(row: TicketRow, version: number): void {
  if (row.version !== version) throw errors.conflict(row.version)
}

function refuse(row: TicketRow, action: string): never {
  const label = TICKET_STATUS_LABELS[row.status]
  throw errors.invalidTransition(row.status, row.version, `工单当前为“${label}”，不能${action}`, `a ${row.status} ticket does not allow ${action}`)
}

/** Moves a ticket along the lifecycle table: version check, legality, status, version+1, timeline. */
function move(args: AnyArgs, row: TicketRow, action: TicketAction, to: TicketStatus, note: string, extra: Record<string, unknown> = {}): TicketRow {
  if (!targetsOf(row.status, action).includes(to)) refuse(row, actionLabel[action])
  const closedAt = to === 'closed' ? args.now : row.closed_at
  const sets = Object.keys(extra).map((k) => `${k} = @${k}`)
  args.ctx.db
    .prepare(`UPDATE tickets SET status = @to, version = version + 1, updated_at = @now, closed_at = @closedAt${sets.length ? ', ' + sets.join(', ') : ''} WHERE id = @id`)
    .run({ ...extra, to, now: args.now, closedAt, id: row.id })
  addTimeline(args.ctx.db, row.id, args.now, args.user.username, action, row.status, to, note)
  return loadTicketRow(args.ctx.db, row.id)
}

/** A change that leaves the status as it is (extension, co-handler, a co-handler's step, edits). */
function touch(args: AnyArgs, row: TicketRow, action: string, note: string): TicketRow {
  args.ctx.db.prepare('UPDATE tickets SET version = version + 1, updated_at = ? WHERE id = ?').run(args.now, row.id)
  addTimeline(args.ctx.db, row.id, args.now, args.user.username, action, null, null, note)
  return loadTicketRow(args.ctx.db, row.id)
}

const actionLabel: Record<TicketAction | keyof typeof IN_PLACE_ACTIONS, string> = {
  submit: '提交',
  answer: '直接答复',
  dispatch: '交办',
  sign: '签收',
  return: '退回',
  handle: '办理',
  review: '审核',
  callback: '回访',
  close: '办结',
  extend: '延期',
  addCoHandler: '增加协办',
  edit: '修改'
}

function requireInPlace(row: TicketRow, action: keyof typeof IN_PLACE_ACTIONS): void {
  if (!(IN_PLACE_ACTIONS[action] as readonly TicketStatus[]).includes(row.status)) refuse(row, actionLabel[action])
}

function writeDispatch(db: Db, ticketId: number, departments: { departmentId: string; role: 'lead' | 'co' }[], deadline: string): string {
  const names = departments.map((d, i) => checkDepartment(db, d.departmentId, `departments.${i}.departmentId`))
  if (new Set(departments.map((d) => d.departmentId)).size !== departments.length)
    throw errors.field('departments', '承办单位重复', 'a department is listed twice')
  // A redispatch replaces the previous assignment; the timeline keeps what it was.
  db.prepare('DELETE FROM ticket_departments WHERE ticket_id = ?').run(ticketId)
  const insert = db.prepare("INSERT INTO ticket_departments (ticket_id, department_id, role, status, deadline) VALUES (?, ?, ?, 'pending', ?)")
  for (const d of departments) insert.run(ticketId, d.departmentId, d.role, deadline)
  return names.map((n, i) => `${departments[i]!.role === 'lead' ? '主办' : '协办'}：${n}`).join('；')
}

function departmentRow(db: Db, row: TicketRow, departmentId: string) {
  const dept = db.prepare('SELECT role, status, deadline FROM ticket_departments WHERE ticket_id = ? AND department_id = ?').get(row.id, departmentId) as
    | { role: 'lead' | 'co'; status: string; deadline: string | null }
    | undefined
  if (!dept) throw errors.field('departmentId', '该单位不是本工单的承办单位', 'this department is not on the ticket')
  return dept
}

function checkDeadline(now: string, deadline: string, path: string): void {
  if (Date.parse(deadline) <= Date.parse(now)) throw errors.field(path, '办理期限必须晚于当前时间', 'the deadline must be in the future')
}

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

  submitTicket: (args) => {
    const row = loadTicketRow(args.ctx.db, args.params.id)
    checkVersion(row, args.body.version)
    const updated = move(args, row, 'submit', 'submitted', '提交受理')
    emitUpdated(args, updated)
    return toTicket(args.ctx.db, updated)
  },

  answerTicket: (args) => {
    const row = loadTicketRow(args.ctx.db, args.params.id)
    checkVersion(row, args.body.version)
    const updated = move(args, row, 'answer', 'closed', '直接答复', { reply: args.body.reply })
    emitUpdated(args, updated)
    return toTicket(args.ctx.db, updated)
  },

  dispatchTicket: (args) => {
    const { ctx, body } = args
    const row = loadTicketRow(ctx.db, args.params.id)
    checkVersion(row, body.version)
    if (!targetsOf(row.status, 'dispatch').length) refuse(row, actionLabel.dispatch)
    checkDeadline(args.now, body.deadline, 'deadline')
    const note = writeDispatch(ctx.db, row.id, body.departments, body.deadline)
    const updated = move(args, row, 'dispatch', 'dispatched', [note, body.note].filter(Boolean).join('。'), { deadline: body.deadline })
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  signTicket: (args) => {
    const { ctx, body } = args
    const row = loadTicketRow(ctx.db, args.params.id)
    checkVersion(row, body.version)
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.status !== 'pending') refuse(row, '重复签收')
    if (dept.role === 'co') requireInPlace(row, 'addCoHandler')
    ctx.db.prepare("UPDATE ticket_departments SET status = 'signed', signed_at = ? WHERE ticket_id = ? AND department_id = ?").run(args.now, row.id, body.departmentId)
    const note = `${body.departmentId} 签收`
    const updated = dept.role === 'lead' ? move(args, row, 'sign', 'signed', note) : touch(args, row, 'sign', note)
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  returnTicket: (args) => {
    const { ctx, body } = args
    const row = loadTicketRow(ctx.db, args.params.id)
    checkVersion(row, body.version)
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.status === 'handled' || dept.status === 'returned') refuse(row, '退回')
    if (dept.role === 'co') requireInPlace(row, 'addCoHandler')
    ctx.db.prepare("UPDATE ticket_departments SET status = 'returned' WHERE ticket_id = ? AND department_id = ?").run(row.id, body.departmentId)
    const note = `${body.departmentId} 退回：${body.reason}`
    const updated = dept.role === 'lead' ? move(args, row, 'return', 'returned', note) : touch(args, row, 'return', note)
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  handleTicket: (args) => {
    const { ctx, body } = args
    const row = loadTicketRow(ctx.db, args.params.id)
    checkVersion(row, body.version)
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.status !== 'signed') refuse(row, '在签收前办理')
    ctx.db
      .prepare("UPDATE ticket_departments SET status = 'handled', handled_at = ?, reply = ? WHERE ticket_id = ? AND department_id = ?")
      .run(args.now, body.reply, row.id, body.departmentId)
    const note = `${body.departmentId} 办理答复`
    const updated = dept.role === 'lead' ? move(args, row, 'handle', 'handled', note, { reply: body.reply }) : touch(args, row, 'handle', note)
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  extendTicket: (args) => {
    const { ctx, body } = args
    const row = loadTicketRow(ctx.db, args.params.id)
    checkVersion(row, body.version)
    requireInPlace(row, 'extend')
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.deadline && Date.parse(body.newDeadline) <= Date.parse(dept.deadline))
      throw errors.field('newDeadline', '延期后的期限必须晚于原期限', 'the new deadline must be later than the current one')
    ctx.db.prepare('UPDATE ticket_departments SET deadline = ? WHERE ticket_id = ? AND department_id = ?').run(body.newDeadline, row.id, body.departmentId)
    if (dept.role === 'lead') ctx.db.prepare('UPDATE tickets SET deadline = ? WHERE id = ?').run(body.newDeadline, row.id)
    const updated = touch(args, row, 'extend', `${body.departmentId} 延期至 ${body.newDeadline}：${body.reason}`)
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  addCoHandler: (args) => {
    const { ctx, body } = args
    const row = loadTicketRow(ctx.db, args.params.id)
    checkVersion(row, body.version)
    requireInPlace(row, 'addCoHandler')
    const name = checkDepartment(ctx.db, body.departmentId, 'departmentId')
    if (ctx.db.prepare('SELECT 1 FROM ticket_departments WHERE ticket_id = ? AND department_id = ?').get(row.id, body.departmentId))
      throw errors.field('departmentId', '该单位已是本工单的承办单位', 'this department is already on the ticket')
    ctx.db.prepare("INSERT INTO ticket_departments (ticket_id, department_id, role, status, deadline) VALUES (?, ?, 'co', 'pending', ?)").run(row.id, body.departmentId, row.deadline)
    const updated = touch(args, row, 'addCoHandler', [`协办：${name}`, body.note].filter(Boolean).join('。'))
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  reviewTicket: (args) => {
    const { ctx, body } = args
    const row = loadTicketRow(ctx.db, args.params.id)
    checkVersion(row, body.version)
    let updated: TicketRow
    if (body.approved) {
      updated = move(args, row, 'review', 'reviewed', ['审核通过', body.comment].filter(Boolean).join('：'))
      if (updated.anonymous === 0 && updated.citizen_phone) createCallbackTask(args, updated)
    } else {
      updated = move(args, row, 'review', 'signed', ['审核不通过，重办', body.comment].filter(Boolean).join('：'))
      ctx.db.prepare("UPDATE ticket_departments SET status = 'signed', handled_at = NULL WHERE ticket_id = ? AND role = 'lead'").run(row.id)
    }
    emitUpdated(args, updated)
    return toTicket(ctx.db, updated)
  },

  closeTicket: (args) => {
    const row = loadTicketRow(args.ctx.db, args.params.id)
    checkVersion(row, args.body.version)
    const updated = move(args, row, 'close', 'closed', args.body.comment || '办结')
    emitUpdated(args, updated)
    return toTicket(args.ctx.db, updated)
  }
} satisfies Partial<Handlers>

/** Used by callbacks: a reached callback moves a reviewed ticket to `callback`. */
export function markTicketCalledBack(args: AnyArgs, ticketId: number, satisfaction: string, note: string): void {
  const row = loadTicketRow(args.ctx.db, ticketId)
  if (row.status !== 'reviewed') return
  const updated = move(args, row, 'callback', 'callback', note, { satisfaction })
  emitUpdated(args, updated)
}
