import { z } from 'zod'
import { PhoneSchema, TimestampSchema, PageQuery } from './common'

/** One telephone call as the platform records it (R1, R6, KPI 4–6). */
export const CALL_STATUSES = ['queued', 'ringing', 'in_progress', 'ended'] as const
export const CALL_RESULTS = ['answered', 'abandoned', 'missed', 'transferred', 'rejected', 'blocked'] as const
export const SATISFACTION = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'no_response'] as const
export const SatisfactionSchema = z.enum(SATISFACTION)

export const CallSchema = z.object({
  id: z.number().int(),
  direction: z.enum(['inbound', 'outbound']),
  callerNumber: z.string(),
  dialledNumber: z.string(),
  queue: z.string().nullable(),
  agentId: z.string().nullable(),
  status: z.enum(CALL_STATUSES),
  queuedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  result: z.enum(CALL_RESULTS).nullable(),
  recordingId: z.number().int().nullable(),
  satisfaction: SatisfactionSchema.nullable(),
  ticketId: z.number().int().nullable()
})
export type Call = z.infer<typeof CallSchema>

export const CreateCallRequest = z.strictObject({
  direction: z.enum(['inbound', 'outbound']),
  callerNumber: PhoneSchema,
  dialledNumber: PhoneSchema,
  queue: z.string().max(40).nullable().default(null),
  queuedAt: TimestampSchema.optional()
})

export const UpdateCallRequest = z.strictObject({
  status: z.enum(CALL_STATUSES).optional(),
  agentId: z.string().max(64).nullable().optional(),
  answeredAt: TimestampSchema.nullable().optional(),
  endedAt: TimestampSchema.nullable().optional(),
  result: z.enum(CALL_RESULTS).nullable().optional(),
  recordingId: z.number().int().positive().nullable().optional(),
  satisfaction: SatisfactionSchema.nullable().optional(),
  ticketId: z.number().int().positive().nullable().optional()
})

export const ListCallsQuery = PageQuery.extend({
  callerNumber: PhoneSchema.optional(),
  agentId: z.string().max(64).optional()
})
