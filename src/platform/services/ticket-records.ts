import type { ConfidentialityRule, Ticket, TicketStatus, TicketSummary } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'

/** A tickets row as stored. */
export interface TicketRow {
  id: number
  number: string
  status: TicketStatus
  version: number
  type: Ticket['type']
  category_id: string
  district: Ticket['area']['district']
  town: string | null
  address: string
  title: string
  content: string
  urgency: Ticket['urgency']
  confidential: number
  anonymous: number
  citizen_name: string | null
  citizen_phone: string | null
  channel: Ticket['channel']
  handling_mode: Ticket['handlingMode']
  call_id: number | null
  reply: string | null
  knowledge_article_ids: string
  deadline: string | null
  satisfaction: Ticket['satisfaction']
  created_by: string
  created_at: string
  updated_at: string
  closed_at: string | null
}

/** The 保密 rule of each ticket by id, for the masking of records that belong to a ticket (calls, SMS, callbacks). */
export function ticketConfidentiality(db: Db): (ticketId: number) => ConfidentialityRule | null {
  const stmt = db.prepare('SELECT confidential, created_by FROM tickets WHERE id = ?')
  return (ticketId) => {
    const row = stmt.get(ticketId) as { confidential: number; created_by: string } | undefined
    return row ? { confidential: row.confidential === 1, createdBy: row.created_by } : null
  }
}

export function loadTicketRow(db: Db, id: number): TicketRow {
  const row = db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as TicketRow | undefined
  if (!row) throw errors.notFound('工单', 'ticket')
  return row
}

/** 工单编号: YL + the filing date in Beijing time + the id, e.g. YL202503010000123. */
export function ticketNumber(id: number, createdAt: string): string {
  const beijing = new Date(new Date(createdAt).getTime() + 8 * 3600_000)
  return `YL${beijing.toISOString().slice(0, 10).replaceAll('-', '')}${String(id).padStart(7, '0')}`
}

export function categoryPath(db: Db, categoryId: string): string[] {
  const names: string[] = []
  let id: string | null = categoryId
  const stmt = db.prepare('SELECT name, parent_id FROM categories WHERE id = ?')
  while (id) {
    const row = stmt.get(id) as { name: string; parent_id: string | null } | undefined
    if (!row) break
    names.unshift(row.name)
    id = row.parent_id
  }
  return names
}

export function toTicketSummary(row: Pick<TicketRow, 'id' | 'number' | 'status' | 'version' | 'type' | 'category_id' | 'title' | 'district' | 'town' | 'urgency' | 'channel' | 'deadline' | 'created_at' | 'updated_at'>): TicketSummary {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    version: row.version,
    type: row.type,
    categoryId: row.category_id,
    title: row.title,
    area: { district: row.district, town: row.town },
    urgency: row.urgency,
    channel: row.channel,
    deadline: row.deadline,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

export const SUMMARY_COLUMNS = 'id, number, status, version, type, category_id, title, district, town, urgency, channel, deadline, created_at, updated_at'

/** The full ticket; the router masks its citizen data for the reader (shared/api/masking.ts). */
export function toTicket(db: Db, row: TicketRow): Ticket {
  const departments = db
    .prepare(
      `SELECT td.*, d.name AS department_name FROM ticket_departments td JOIN departments d ON d.id = td.department_id
       WHERE td.ticket_id = ? ORDER BY td.role DESC, d.name`
    )
    .all(row.id) as {
    department_id: string
    department_name: string
    role: 'lead' | 'co'
    status: 'pending' | 'signed' | 'handled' | 'returned'
    deadline: string | null
    signed_at: string | null
    handled_at: string | null
    reply: string | null
  }[]
  const timeline = db.prepare('SELECT at, actor, action, from_status, to_status, note FROM ticket_timeline WHERE ticket_id = ? ORDER BY id').all(row.id) as {
    at: string
    actor: string
    action: string
    from_status: TicketStatus | null
    to_status: TicketStatus | null
    note: string
  }[]
  return {
    ...toTicketSummary(row),
    categoryPath: categoryPath(db, row.category_id),
    address: row.address,
    content: row.content,
    confidential: row.confidential === 1,
    anonymous: row.anonymous === 1,
    citizen: { name: row.citizen_name, phone: row.citizen_phone, masked: false },
    handlingMode: row.handling_mode,
    callId: row.call_id,
    reply: row.reply,
    knowledgeArticleIds: JSON.parse(row.knowledge_article_ids) as number[],
    departments: departments.map((d) => ({
      departmentId: d.department_id,
      departmentName: d.department_name,
      role: d.role,
      status: d.status,
      deadline: d.deadline,
      signedAt: d.signed_at,
      handledAt: d.handled_at,
      reply: d.reply
    })),
    satisfaction: row.satisfaction,
    createdBy: row.created_by,
    closedAt: row.closed_at,
    timeline: timeline.map((e) => ({ at: e.at, actor: e.actor, action: e.action, fromStatus: e.from_status, toStatus: e.to_status, note: e.note }))
  }
}

export function addTimeline(db: Db, ticketId: number, at: string, actor: string, action: string, from: TicketStatus | null, to: TicketStatus | null, note = ''): void {
  db.prepare('INSERT INTO ticket_timeline (ticket_id, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)').run(ticketId, at, actor, action, from, to, note)
}

export function departmentIdsOf(db: Db, ticketId: number): string[] {
  return (db.prepare('SELECT department_id FROM ticket_departments WHERE ticket_id = ? ORDER BY department_id').all(ticketId) as { department_id: string }[]).map((r) => r.department_id)
}
