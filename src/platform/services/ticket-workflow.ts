import { IN_PLACE_ACTIONS, targetsOf, TICKET_STATUS_LABELS, type TicketAction, type TicketStatus } from '../../shared/api'
import type { BodyOut, OperationId, Operations, ParamsOut } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import type { Handler, HandlerArgs, Handlers, WriteScope } from '../http/handler-types'
import { createCallbackTask } from './callback-queue'
import { checkDepartment } from './reference-checks'
import { addTimeline, departmentIdsOf, loadTicketRow, toTicket, type TicketRow } from './ticket-records'

/**
 * How a ticket moves: the lifecycle's legality, version and timeline steps, and the table of the operations that
 * move or change a ticket. Creating, reading and editing tickets are in tickets.ts.
 */
type AnyArgs = WriteScope

export function emitUpdated(args: AnyArgs, row: TicketRow): void {
  args.emit('ticket.updated', {
    id: row.id,
    number: row.number,
    status: row.status,
    version: row.version,
    departmentIds: departmentIdsOf(args.ctx.db, row.id),
    updatedAt: row.updated_at
  })
}

export function checkVersion(row: TicketRow, version: number): void {
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
export function touch(args: AnyArgs, row: TicketRow, action: string, note: string): TicketRow {
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

export function requireInPlace(row: TicketRow, action: keyof typeof IN_PLACE_ACTIONS): void {
  if (!(IN_PLACE_ACTIONS[action] as readonly TicketStatus[]).includes(row.status)) refuse(row, actionLabel[action])
}

export function writeDispatch(db: Db, ticketId: number, departments: { departmentId: string; role: 'lead' | 'co' }[], deadline: string): string {
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

export function checkDeadline(now: string, deadline: string, path: string): void {
  if (Date.parse(deadline) <= Date.parse(now)) throw errors.field(path, '办理期限必须晚于当前时间', 'the deadline must be in the future')
}

/**
 * The operations that move a ticket along the lifecycle (shared/api/ticket-lifecycle.ts) or change it in place,
 * one row per action of that table. Each row names the operation that carries the action and does only what is
 * particular to it; `actionHandler` does the steps they share: load the ticket, check the version the client
 * saw, announce the change (ticket.updated) and answer the ticket as it now is. The `callback` transition is not
 * here: recording a reached callback makes it (callback-tasks.ts, through markTicketCalledBack).
 */
type TicketActionOperation = {
  [K in OperationId]: ParamsOut<Operations[K]> extends { id: number } ? (BodyOut<Operations[K]> extends { version: number } ? K : never) : never
}[OperationId]

interface ActionStep<K extends TicketActionOperation> {
  operation: K
  apply(args: HandlerArgs<K>, row: TicketRow): TicketRow
}

const step = <K extends TicketActionOperation>(operation: K, apply: (args: HandlerArgs<K>, row: TicketRow) => TicketRow): ActionStep<K> => ({ operation, apply })

export const TICKET_ACTION_STEPS = {
  submit: step('submitTicket', (args, row) => move(args, row, 'submit', 'submitted', '提交受理')),

  answer: step('answerTicket', (args, row) => move(args, row, 'answer', 'closed', '直接答复', { reply: args.body.reply })),

  dispatch: step('dispatchTicket', (args, row) => {
    const { ctx, body } = args
    if (!targetsOf(row.status, 'dispatch').length) refuse(row, actionLabel.dispatch)
    checkDeadline(args.now, body.deadline, 'deadline')
    const note = writeDispatch(ctx.db, row.id, body.departments, body.deadline)
    return move(args, row, 'dispatch', 'dispatched', [note, body.note].filter(Boolean).join('。'), { deadline: body.deadline })
  }),

  sign: step('signTicket', (args, row) => {
    const { ctx, body } = args
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.status !== 'pending') refuse(row, '重复签收')
    if (dept.role === 'co') requireInPlace(row, 'addCoHandler')
    ctx.db.prepare("UPDATE ticket_departments SET status = 'signed', signed_at = ? WHERE ticket_id = ? AND department_id = ?").run(args.now, row.id, body.departmentId)
    const note = `${body.departmentId} 签收`
    return dept.role === 'lead' ? move(args, row, 'sign', 'signed', note) : touch(args, row, 'sign', note)
  }),

  return: step('returnTicket', (args, row) => {
    const { ctx, body } = args
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.status === 'handled' || dept.status === 'returned') refuse(row, '退回')
    if (dept.role === 'co') requireInPlace(row, 'addCoHandler')
    ctx.db.prepare("UPDATE ticket_departments SET status = 'returned' WHERE ticket_id = ? AND department_id = ?").run(row.id, body.departmentId)
    const note = `${body.departmentId} 退回：${body.reason}`
    return dept.role === 'lead' ? move(args, row, 'return', 'returned', note) : touch(args, row, 'return', note)
  }),

  handle: step('handleTicket', (args, row) => {
    const { ctx, body } = args
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.status !== 'signed') refuse(row, '在签收前办理')
    ctx.db
      .prepare("UPDATE ticket_departments SET status = 'handled', handled_at = ?, reply = ? WHERE ticket_id = ? AND department_id = ?")
      .run(args.now, body.reply, row.id, body.departmentId)
    const note = `${body.departmentId} 办理答复`
    return dept.role === 'lead' ? move(args, row, 'handle', 'handled', note, { reply: body.reply }) : touch(args, row, 'handle', note)
  }),

  review: step('reviewTicket', (args, row) => {
    const { ctx, body } = args
    if (body.approved) {
      const updated = move(args, row, 'review', 'reviewed', ['审核通过', body.comment].filter(Boolean).join('：'))
      if (updated.anonymous === 0 && updated.citizen_phone) createCallbackTask(args, updated)
      return updated
    }
    const updated = move(args, row, 'review', 'signed', ['审核不通过，重办', body.comment].filter(Boolean).join('：'))
    ctx.db.prepare("UPDATE ticket_departments SET status = 'signed', handled_at = NULL WHERE ticket_id = ? AND role = 'lead'").run(row.id)
    return updated
  }),

  close: step('closeTicket', (args, row) => move(args, row, 'close', 'closed', args.body.comment || '办结')),

  extend: step('extendTicket', (args, row) => {
    const { ctx, body } = args
    requireInPlace(row, 'extend')
    const dept = departmentRow(ctx.db, row, body.departmentId)
    if (dept.deadline && Date.parse(body.newDeadline) <= Date.parse(dept.deadline))
      throw errors.field('newDeadline', '延期后的期限必须晚于原期限', 'the new deadline must be later than the current one')
    ctx.db.prepare('UPDATE ticket_departments SET deadline = ? WHERE ticket_id = ? AND department_id = ?').run(body.newDeadline, row.id, body.departmentId)
    if (dept.role === 'lead') ctx.db.prepare('UPDATE tickets SET deadline = ? WHERE id = ?').run(body.newDeadline, row.id)
    return touch(args, row, 'extend', `${body.departmentId} 延期至 ${body.newDeadline}：${body.reason}`)
  }),

  addCoHandler: step('addCoHandler', (args, row) => {
    const { ctx, body } = args
    requireInPlace(row, 'addCoHandler')
    const name = checkDepartment(ctx.db, body.departmentId, 'departmentId')
    if (ctx.db.prepare('SELECT 1 FROM ticket_departments WHERE ticket_id = ? AND department_id = ?').get(row.id, body.departmentId))
      throw errors.field('departmentId', '该单位已是本工单的承办单位', 'this department is already on the ticket')
    ctx.db.prepare("INSERT INTO ticket_departments (ticket_id, department_id, role, status, deadline) VALUES (?, ?, 'co', 'pending', ?)").run(row.id, body.departmentId, row.deadline)
    return touch(args, row, 'addCoHandler', [`协办：${name}`, body.note].filter(Boolean).join('。'))
  })
} satisfies Partial<Record<TicketAction | keyof typeof IN_PLACE_ACTIONS, ActionStep<TicketActionOperation>>>

/** Wraps an action's own step in the steps every ticket action shares. */
export function actionHandler<K extends TicketActionOperation>(s: ActionStep<K>): Handler<K> {
  return ((args: HandlerArgs<K>) => {
    const { params, body } = args as unknown as { params: { id: number }; body: { version: number } }
    const row = loadTicketRow(args.ctx.db, params.id)
    checkVersion(row, body.version)
    const updated = s.apply(args, row)
    emitUpdated(args, updated)
    return toTicket(args.ctx.db, updated)
  }) as Handler<K>
}

type Steps = typeof TICKET_ACTION_STEPS
type StepOperation = Steps[keyof Steps]['operation']

/** One handler per action operation, built from the table. */
export const ticketActionHandlers = Object.fromEntries(
  Object.values(TICKET_ACTION_STEPS).map((s) => [s.operation, actionHandler(s as ActionStep<TicketActionOperation>)])
) as unknown as Pick<Handlers, StepOperation>

/** Used by callbacks: a reached callback moves a reviewed ticket to `callback`. */
export function markTicketCalledBack(args: AnyArgs, ticketId: number, satisfaction: string, note: string): void {
  const row = loadTicketRow(args.ctx.db, ticketId)
  if (row.status !== 'reviewed') return
  const updated = move(args, row, 'callback', 'callback', note, { satisfaction })
  emitUpdated(args, updated)
}
