import { z } from 'zod'
import { AreaRefSchema, DistrictSchema } from './areas'
import { PageQuery, PhoneSchema, TimestampSchema, bilingual, text } from './common'
import { SatisfactionSchema } from './calls'
import { TICKET_STATUSES } from './ticket-lifecycle'

/** The intake fields of a 12345 ticket (R2). Enum values are stable identifiers; labels are for display. */
export const TICKET_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other'] as const
export const TICKET_TYPE_LABELS = { consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', other: '其他' } as const
export const CHANNELS = ['phone', 'app', 'wechat', 'web'] as const
export const CHANNEL_LABELS = { phone: '电话', app: 'APP', wechat: '微信', web: '网站' } as const
export const URGENCIES = ['normal', 'urgent', 'critical'] as const
export const URGENCY_LABELS = { normal: '一般', urgent: '紧急', critical: '特急' } as const
export const HANDLING_MODES = ['direct_answer', 'review', 'dispatch'] as const
export const HANDLING_MODE_LABELS = { direct_answer: '直接答复', review: '送审核', dispatch: '交办部门' } as const

export const TicketTypeSchema = z.enum(TICKET_TYPES)
export const ChannelSchema = z.enum(CHANNELS)
export const UrgencySchema = z.enum(URGENCIES)
export const HandlingModeSchema = z.enum(HANDLING_MODES)
export const TicketStatusSchema = z.enum(TICKET_STATUSES)
export const DepartmentRoleSchema = z.enum(['lead', 'co']).meta({ description: 'lead 主办 / co 协办' })

export const CitizenSchema = z.strictObject({
  name: text(40).nullable().default(null),
  phone: PhoneSchema.nullable().default(null)
})

export const DispatchTargetSchema = z.strictObject({
  departmentId: z.string().min(1).max(64),
  role: DepartmentRoleSchema
})

function oneLead(targets: { role: string }[]): boolean {
  return targets.filter((t) => t.role === 'lead').length === 1
}

export const DispatchRequestBody = z.strictObject({
  departments: z
    .array(DispatchTargetSchema)
    .min(1)
    .max(10)
    .refine(oneLead, bilingual('必须且只能有一个主办单位', 'exactly one lead department is required')),
  deadline: TimestampSchema,
  note: text(1000).default('')
})

const TicketFieldsShape = {
  type: TicketTypeSchema,
  categoryId: z.string().min(1).max(40).meta({ description: '三级归口的第三级分类编号 / level-3 category id' }),
  area: AreaRefSchema,
  address: text(200).default(''),
  title: text(100, 1),
  // A citizen's request is kept verbatim, however long (a 20,000-character complaint must file; the limit counts UTF-16 units, so rare characters count twice).
  content: text(50_000, 5),
  urgency: UrgencySchema.default('normal'),
  confidential: z.boolean().default(false).meta({ description: '保密 / confidential' }),
  anonymous: z.boolean().default(false).meta({ description: '匿名 / anonymous' }),
  citizen: CitizenSchema,
  channel: ChannelSchema.default('phone'),
  handlingMode: HandlingModeSchema,
  callId: z.number().int().positive().nullable().default(null),
  knowledgeArticleIds: z.array(z.number().int().positive()).max(20).default([])
}

/**
 * createTicket: one call files the whole intake, so an offline outbox entry is
 * one request. `submit:false` keeps a platform-side draft; otherwise the
 * handling mode decides where it lands: direct_answer → closed (needs `reply`),
 * dispatch → dispatched (needs `dispatch`), review → submitted (for a team lead).
 */
export const CreateTicketRequest = z
  .strictObject({
    ...TicketFieldsShape,
    submit: z.boolean().default(true),
    reply: text(4000).nullable().default(null),
    dispatch: DispatchRequestBody.nullable().default(null)
  })
  .superRefine((t, ctx) => {
    if (!t.submit) return
    if (t.handlingMode === 'direct_answer' && !t.reply?.trim())
      ctx.addIssue({ code: 'custom', path: ['reply'], ...bilingual('直接答复必须填写答复内容', 'a direct answer needs a reply') })
    if (t.handlingMode === 'dispatch' && !t.dispatch)
      ctx.addIssue({ code: 'custom', path: ['dispatch'], ...bilingual('交办部门必须选择承办单位和期限', 'dispatching needs departments and a deadline') })
    if (!t.anonymous && !t.citizen.phone && t.channel === 'phone')
      ctx.addIssue({ code: 'custom', path: ['citizen', 'phone'], ...bilingual('非匿名来电必须登记联系电话', 'a non-anonymous phone ticket needs the citizen phone') })
  })
export type CreateTicketRequest = z.input<typeof CreateTicketRequest>

/** updateTicket: edit intake fields while the ticket is a draft, submitted or returned. `version` is the one the client read. */
export const UpdateTicketRequest = z
  .strictObject({
    version: z.number().int().positive(),
    type: TicketFieldsShape.type.optional(),
    categoryId: TicketFieldsShape.categoryId.optional(),
    area: AreaRefSchema.optional(),
    address: text(200).optional(),
    title: text(100, 1).optional(),
    content: TicketFieldsShape.content.optional(),
    urgency: UrgencySchema.optional(),
    confidential: z.boolean().optional(),
    anonymous: z.boolean().optional(),
    citizen: CitizenSchema.optional(),
    handlingMode: HandlingModeSchema.optional(),
    knowledgeArticleIds: TicketFieldsShape.knowledgeArticleIds.optional()
  })
  .refine((b) => Object.keys(b).length > 1, bilingual('没有要修改的字段', 'nothing to change'))

const Versioned = { version: z.number().int().positive() }
export const SubmitTicketRequest = z.strictObject({ ...Versioned })
export const AnswerTicketRequest = z.strictObject({ ...Versioned, reply: text(4000, 1) })
export const DispatchTicketRequest = DispatchRequestBody.extend(Versioned)
export const DepartmentActionBase = { ...Versioned, departmentId: z.string().min(1).max(64) }
export const SignTicketRequest = z.strictObject({ ...DepartmentActionBase })
export const ReturnTicketRequest = z.strictObject({ ...DepartmentActionBase, reason: text(1000, 2) })
export const HandleTicketRequest = z.strictObject({ ...DepartmentActionBase, reply: text(4000, 2) })
export const ReviewTicketRequest = z.strictObject({ ...Versioned, approved: z.boolean(), comment: text(1000).default('') })
export const CloseTicketRequest = z.strictObject({ ...Versioned, comment: text(1000).default('') })
export const ExtendTicketRequest = z.strictObject({ ...DepartmentActionBase, newDeadline: TimestampSchema, reason: text(1000, 2) })
export const AddCoHandlerRequest = z.strictObject({ ...Versioned, departmentId: z.string().min(1).max(64), note: text(1000).default('') })

export const TicketDepartmentSchema = z.object({
  departmentId: z.string(),
  departmentName: z.string(),
  role: DepartmentRoleSchema,
  status: z.enum(['pending', 'signed', 'handled', 'returned']),
  deadline: z.string().nullable(),
  signedAt: z.string().nullable(),
  handledAt: z.string().nullable(),
  reply: z.string().nullable()
})

export const TimelineEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  fromStatus: TicketStatusSchema.nullable(),
  toStatus: TicketStatusSchema.nullable(),
  note: z.string()
})

export const TicketSchema = z.object({
  id: z.number().int(),
  number: z.string().meta({ description: '工单编号 / ticket number' }),
  status: TicketStatusSchema,
  version: z.number().int(),
  type: TicketTypeSchema,
  categoryId: z.string(),
  categoryPath: z.array(z.string()).meta({ description: '三级归口名称 / names of the three category levels' }),
  area: z.object({ district: DistrictSchema, town: z.string().nullable() }),
  address: z.string(),
  title: z.string(),
  content: z.string(),
  urgency: UrgencySchema,
  confidential: z.boolean(),
  anonymous: z.boolean(),
  citizen: z.object({ name: z.string().nullable(), phone: z.string().nullable(), masked: z.boolean() }),
  channel: ChannelSchema,
  handlingMode: HandlingModeSchema,
  callId: z.number().int().nullable(),
  reply: z.string().nullable(),
  knowledgeArticleIds: z.array(z.number().int()),
  departments: z.array(TicketDepartmentSchema),
  deadline: z.string().nullable(),
  satisfaction: SatisfactionSchema.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  timeline: z.array(TimelineEntrySchema)
})
export type Ticket = z.infer<typeof TicketSchema>

export const TicketSummarySchema = TicketSchema.pick({
  id: true,
  number: true,
  status: true,
  version: true,
  type: true,
  categoryId: true,
  title: true,
  area: true,
  urgency: true,
  channel: true,
  deadline: true,
  createdAt: true,
  updatedAt: true
})
export type TicketSummary = z.infer<typeof TicketSummarySchema>

export const ListTicketsQuery = PageQuery.extend({
  status: TicketStatusSchema.optional(),
  district: DistrictSchema.optional(),
  createdBy: z.string().max(64).optional(),
  overdue: z.enum(['true', 'false']).optional()
})
