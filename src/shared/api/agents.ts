import { z } from 'zod'
import { RoleSchema } from '../roles'
import { text } from './common'

/**
 * Agent state as the platform records it (R1 签入/签出, 置闲/置忙, 话后整理).
 * The desktop's own state machine decides which moves are legal; the platform
 * stores the latest fact and pushes it to the wallboard (R6).
 */
export const AGENT_STATES = ['signed_out', 'ready', 'not_ready', 'ringing', 'in_call', 'after_call_work'] as const
export const AgentStateSchema = z.enum(AGENT_STATES)
export type AgentState = z.infer<typeof AgentStateSchema>

export const NOT_READY_REASONS = ['rest', 'meal', 'meeting', 'training', 'callback', 'other'] as const
export const NotReadyReasonSchema = z.enum(NOT_READY_REASONS)

export const AgentStateRecord = z.object({
  agentId: z.string(),
  state: AgentStateSchema,
  reason: NotReadyReasonSchema.nullable(),
  seatId: z.string().nullable(),
  since: z.string()
})
export type AgentStateRecord = z.infer<typeof AgentStateRecord>

export const SetAgentStateRequest = z.strictObject({
  state: AgentStateSchema,
  reason: NotReadyReasonSchema.nullable().default(null),
  seatId: z.string().max(40).nullable().default(null)
})

export const ForceAgentStateRequest = z.strictObject({
  state: z.enum(['ready', 'not_ready', 'signed_out']),
  reason: NotReadyReasonSchema.nullable().default(null),
  note: text(200).default('')
})
export const AgentIdParams = z.strictObject({ agentId: z.string().min(1).max(64) })

export const AgentSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  seatId: z.string().nullable(),
  skillGroupIds: z.array(z.string()),
  state: AgentStateRecord
})

export const SeatSchema = z.object({ id: z.string(), name: z.string(), extension: z.string(), skillGroupIds: z.array(z.string()) })
export const SkillGroupSchema = z.object({ id: z.string(), name: z.string(), queue: z.string(), description: z.string() })
export const QueueStatusSchema = z.object({
  queue: z.string(),
  name: z.string(),
  waiting: z.number().int(),
  longestWaitSeconds: z.number().int(),
  agentsReady: z.number().int()
})
export type QueueStatus = z.infer<typeof QueueStatusSchema>
