import { CreateTicketRequest, type CreateTicketRequest as CreateTicketBody } from '../api/tickets'
import { DistrictSchema } from '../api/areas'
import { toValidationIssues } from '../api/validation-messages'
import { deadlineFor } from './deadline'
import type { DraftFields } from './draft'

/** A problem with one form field, worded for the agent (Chinese first). */
export interface FieldIssue {
  field: keyof DraftFields
  zh: string
  en: string
}

/** The platform's field paths → the form field the agent must fix. */
function fieldOf(path: string): keyof DraftFields {
  if (path.startsWith('type')) return 'ticketType'
  if (path.startsWith('categoryId')) return 'categoryPath'
  if (path.startsWith('area')) return 'areaPath'
  if (path.startsWith('citizen.phone')) return 'callerNumber'
  if (path.startsWith('citizen.name')) return 'contactName'
  if (path.startsWith('dispatch')) return 'leadDepartment'
  if (path.startsWith('reply')) return 'reply'
  if (path.startsWith('address')) return 'address'
  return 'content'
}

const issue = (field: keyof DraftFields, zh: string, en: string): FieldIssue => ({ field, zh, en })

/**
 * Turns a draft into the platform's createTicket request, or says exactly which
 * fields stop it. The form's own checks come first (they speak of the form's
 * labels); the platform's schema then catches anything else, mapped back onto
 * the form's fields. One request files the whole intake, handling included, so
 * an offline outbox entry is a single exactly-once change.
 */
export function draftToTicketRequest(d: DraftFields, now: number): { ok: true; body: CreateTicketBody } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = []
  const number = d.callerNumber.replace(/[\s-]/g, '')
  if (!d.ticketType) issues.push(issue('ticketType', '请选择诉求类型', 'choose the request type'))
  if (d.categoryPath.length !== 3) issues.push(issue('categoryPath', '请选择到第三级归口分类', 'choose a level-3 category'))
  if (!DistrictSchema.safeParse(d.areaPath[0]).success) issues.push(issue('areaPath', '请选择所属区域（县区）', 'choose the district'))
  if (d.content.trim().length < 5) issues.push(issue('content', '诉求内容至少 5 个字', 'the request needs at least 5 characters'))
  if (number && !/^\+?\d{3,20}$/.test(number)) issues.push(issue('callerNumber', '来电号码只能包含 3 到 20 位数字', 'the caller number is 3 to 20 digits'))
  if (!d.anonymous && !number) issues.push(issue('callerNumber', '非匿名来电必须登记来电号码', 'a non-anonymous ticket needs the caller number'))
  if (d.handling === 'direct_answer' && !d.reply.trim()) issues.push(issue('reply', '直接答复必须填写答复内容', 'a direct answer needs a reply'))
  if (d.handling === 'dispatch' && !d.leadDepartment) issues.push(issue('leadDepartment', '交办部门必须选择主办单位', 'dispatching needs a lead department'))
  if (d.handling === 'dispatch' && d.leadDepartment && d.coDepartments.includes(d.leadDepartment))
    issues.push(issue('coDepartments', '协办单位不能与主办单位相同', 'a co-handling department cannot also be the lead'))
  if (issues.length) return { ok: false, issues }

  const oneLine = d.content.replace(/\s+/g, ' ').trim()
  const body = {
    type: d.ticketType!,
    categoryId: d.categoryPath[2]!,
    area: { district: d.areaPath[0] as (typeof DistrictSchema.options)[number], town: d.areaPath[1] ?? null },
    address: d.address,
    title: [...oneLine].slice(0, 30).join(''),
    content: d.content,
    urgency: d.urgency,
    confidential: d.confidential,
    anonymous: d.anonymous,
    citizen: { name: d.contactName.trim() || null, phone: number || null },
    channel: 'phone' as const,
    handlingMode: d.handling,
    callId: null,
    knowledgeArticleIds: d.citations.map((c) => Number(c.articleId)).filter((n) => Number.isInteger(n) && n > 0),
    submit: true,
    reply: d.handling === 'direct_answer' ? d.reply : null,
    dispatch:
      d.handling === 'dispatch'
        ? {
            departments: [{ departmentId: d.leadDepartment!, role: 'lead' as const }, ...d.coDepartments.map((id) => ({ departmentId: id, role: 'co' as const }))],
            deadline: deadlineFor(d.urgency, now),
            note: d.note
          }
        : null
  }
  const parsed = CreateTicketRequest.safeParse(body)
  if (!parsed.success) return { ok: false, issues: toValidationIssues(parsed.error).map((i) => issue(fieldOf(i.path), i.message_zh, i.message_en)) }
  return { ok: true, body }
}
