import { z } from 'zod'
import { TICKET_TYPES, URGENCIES } from '../api/tickets'

/**
 * A ticket being typed (工单受理草稿), as the intake form holds it and the local
 * draft cache stores it (encrypted). Nothing here is checked against the
 * platform's rules: a draft keeps whatever the agent typed, however incomplete
 * or long; the rules apply when it is submitted (ticket-request.ts). The limits
 * below only stop a runaway window from filling the disk.
 */
export const HANDLINGS = ['direct_answer', 'review', 'dispatch'] as const
export const HandlingSchema = z.enum(HANDLINGS)
export type Handling = z.infer<typeof HandlingSchema>

const free = (max: number) => z.string().max(max, `内容过长，最多 ${max} 字 (at most ${max} characters)`)

export const DraftFieldsSchema = z.strictObject({
  /** 来电号码 as typed or taken from the ringing call. */
  callerNumber: free(40).default(''),
  /** 联系人 */
  contactName: free(200).default(''),
  /** 诉求类型 (咨询/求助/投诉/…) */
  ticketType: z.enum(TICKET_TYPES).nullable().default(null),
  /** 三级归口: ids of level 1, 2 and 3. */
  categoryPath: z.array(z.string().max(40)).max(3).default([]),
  /** 诉求内容 */
  content: free(50_000).default(''),
  /** 所属区域: district, then town or street. */
  areaPath: z.array(z.string().max(40)).max(2).default([]),
  /** 详细地址 */
  address: free(2000).default(''),
  urgency: z.enum(URGENCIES).default('normal'),
  confidential: z.boolean().default(false),
  anonymous: z.boolean().default(false),
  handling: HandlingSchema.default('dispatch'),
  /** 答复内容 (direct answer). */
  reply: free(20_000).default(''),
  /** 主办单位 */
  leadDepartment: z.string().max(64).nullable().default(null),
  /** 协办单位 (co-handling, 协同) */
  coDepartments: z.array(z.string().max(64)).max(9).default([]),
  /** 交办意见 */
  note: free(2000).default(''),
  /** Knowledge articles cited into the reply, with the version cited. */
  citations: z.array(z.strictObject({ articleId: z.string().max(40), version: z.number().int().nonnegative(), title: z.string().max(400) })).max(20).default([]),
  /** 短信告知: text the citizen the ticket number once the platform has numbered it (receipt.ts). */
  smsReceipt: z.boolean().default(true),
  /** The earlier ticket this one continues (screen pop "继续"). */
  relatedTicketId: z.number().int().positive().nullable().default(null)
})
export type DraftFields = z.output<typeof DraftFieldsSchema>
export type DraftFieldsInput = z.input<typeof DraftFieldsSchema>

export const emptyDraftFields = (): DraftFields => DraftFieldsSchema.parse({})

export const DraftSchema = z.object({
  id: z.string(),
  callId: z.string().nullable(),
  /** Monotonic per draft: a late-arriving older save never overwrites a newer one. */
  rev: z.number().int(),
  fields: DraftFieldsSchema,
  createdAt: z.number(),
  updatedAt: z.number()
})
export type Draft = z.infer<typeof DraftSchema>
