import { z } from 'zod'
import { guardTransition, canTransition, IllegalTransitionError, type TransitionTable } from './state-machine'

/**
 * The agent's own state, tied to the phone.
 *
 * ```
 *  signed-out ─签入─▶ not-ready ◀──置忙── ready ◀──置闲── not-ready
 *       ▲                 │  ▲             │  ▲
 *       └──────签出───────┘  │          ringing ─▶ in-call ─▶ after-call-work ─▶ ready | not-ready
 *                            └─ (missed / rejected call puts the agent not-ready, reason 'missed')
 * ```
 * - 签出 signed-out, 置闲 ready (takes queue calls), 置忙 not-ready (with a reason code),
 *   振铃 ringing, 通话 in-call, 话后整理 after-call work (with a deadline).
 * - An outbound callback may start from ready, not-ready or after-call work.
 * - Signing out is possible from every state without a live call.
 */
export const AGENT_STATUSES = ['signed-out', 'ready', 'not-ready', 'ringing', 'in-call', 'after-call-work'] as const
export type AgentStatus = (typeof AGENT_STATUSES)[number]
export const AgentStatusSchema = z.enum(AGENT_STATUSES)

export const AGENT_TRANSITIONS: TransitionTable<AgentStatus> = {
  'signed-out': ['ready', 'not-ready'],
  ready: ['not-ready', 'ringing', 'in-call', 'signed-out'],
  'not-ready': ['ready', 'ringing', 'in-call', 'signed-out'],
  ringing: ['in-call', 'ready', 'not-ready'],
  'in-call': ['after-call-work', 'ready', 'not-ready'],
  'after-call-work': ['ready', 'not-ready', 'in-call', 'signed-out']
}

/** 置忙 reason codes (configurable lists can extend them; these are the contract's defaults). */
export const NOT_READY_REASONS = {
  break: { zh: '小休', en: 'break' },
  meal: { zh: '用餐', en: 'meal' },
  meeting: { zh: '会议', en: 'meeting' },
  training: { zh: '培训', en: 'training' },
  callback: { zh: '回访外呼', en: 'callback work' },
  paperwork: { zh: '工单处理', en: 'ticket work' },
  missed: { zh: '未接来电', en: 'missed call' },
  'signed-in': { zh: '刚签入', en: 'just signed in' },
  other: { zh: '其他', en: 'other' }
} as const
export type NotReadyReason = keyof typeof NOT_READY_REASONS
export const NotReadyReasonSchema = z.enum(Object.keys(NOT_READY_REASONS) as [NotReadyReason, ...NotReadyReason[]])

export const AgentStateSchema = z.object({
  status: AgentStatusSchema,
  since: z.number(),
  /** Only with not-ready. */
  reason: NotReadyReasonSchema.nullable(),
  /** Only with after-call-work: when 话后整理 ends on its own. */
  acwEndsAt: z.number().nullable()
})
export type AgentState = z.infer<typeof AgentStateSchema>

export const AGENT_STATUS_LABELS: Record<AgentStatus, { zh: string; en: string }> = {
  'signed-out': { zh: '签出', en: 'signed out' },
  ready: { zh: '置闲', en: 'ready' },
  'not-ready': { zh: '置忙', en: 'not ready' },
  ringing: { zh: '振铃', en: 'ringing' },
  'in-call': { zh: '通话中', en: 'in call' },
  'after-call-work': { zh: '话后整理', en: 'after-call work' }
}

export const initialAgentState = (now: number): AgentState => ({ status: 'signed-out', since: now, reason: null, acwEndsAt: null })

export interface AgentMoveContext {
  now: number
  /** Required for a move to not-ready. */
  reason?: NotReadyReason
  /** For a move to after-call-work: how long 话后整理 lasts (ms). */
  acwMs?: number
}

export const canTransitionAgent = (from: AgentStatus, to: AgentStatus) => canTransition(AGENT_TRANSITIONS, from, to)

/**
 * The one guarded move of the agent state. Throws IllegalTransitionError on a move
 * the table forbids, or when not-ready lacks a reason / after-call work lacks a duration.
 */
export function transitionAgent(state: AgentState, to: AgentStatus, ctx: AgentMoveContext): AgentState {
  guardTransition('agent', AGENT_TRANSITIONS, state.status, to)
  if (to === 'not-ready') {
    if (!ctx.reason) throw new IllegalTransitionError('agent', state.status, 'not-ready (a reason code is required)')
    return { status: to, since: ctx.now, reason: ctx.reason, acwEndsAt: null }
  }
  if (to === 'after-call-work') {
    if (ctx.acwMs === undefined || !(ctx.acwMs >= 0)) throw new IllegalTransitionError('agent', state.status, 'after-call-work (a duration is required)')
    return { status: to, since: ctx.now, reason: null, acwEndsAt: ctx.now + ctx.acwMs }
  }
  return { status: to, since: ctx.now, reason: null, acwEndsAt: null }
}

/** Remaining 话后整理 time in ms (0 when over, null when not in after-call work). */
export function acwRemainingMs(state: AgentState, now: number): number | null {
  if (state.status !== 'after-call-work' || state.acwEndsAt === null) return null
  return Math.max(0, state.acwEndsAt - now)
}

/**
 * Timer step: when 话后整理 has run out, the agent goes to `then` (ready by default,
 * or not-ready with reason 'paperwork' when the centre wants a manual 置闲).
 * Returns the same object when nothing changes.
 */
export function tickAgent(state: AgentState, now: number, then: 'ready' | 'not-ready' = 'ready'): AgentState {
  const left = acwRemainingMs(state, now)
  if (left === null || left > 0) return state
  return transitionAgent(state, then, { now, reason: 'paperwork' })
}
