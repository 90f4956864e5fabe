import { z } from 'zod'
import { guardTransition, canTransition, type TransitionTable } from './state-machine'

/**
 * The state of one call leg as the agent sees it.
 *
 * ```
 *  inbound:  idle ─▶ ringing ─▶ answering ─▶ established ─▶ terminating ─▶ terminated
 *  outbound: idle ─▶ dialing ─▶ early ─────▶ established        │               ▲
 *                       └───────────────────▶ established        └───────────────┘
 *  every state before `terminated` may end at once in `terminated`
 *  (rejected, cancelled, failed, remote BYE).
 * ```
 * Hold, remote hold and mute are FLAGS on an established call, not states; a
 * consultation call is a second call linked to the first (`linkedTo`).
 */
export const CALL_STATES = ['idle', 'ringing', 'answering', 'dialing', 'early', 'established', 'terminating', 'terminated'] as const
export type CallState = (typeof CALL_STATES)[number]
export const CallStateSchema = z.enum(CALL_STATES)

export const CALL_TRANSITIONS: TransitionTable<CallState> = {
  idle: ['ringing', 'dialing', 'terminated'],
  ringing: ['answering', 'terminated'],
  answering: ['established', 'terminated'],
  dialing: ['early', 'established', 'terminated'],
  early: ['established', 'terminated'],
  established: ['terminating', 'terminated'],
  terminating: ['terminated'],
  terminated: []
}

/** The guarded move: returns `to`, throws IllegalTransitionError on a move the table forbids. */
export function transitionCall(from: CallState, to: CallState): CallState {
  return guardTransition('call', CALL_TRANSITIONS, from, to)
}

export const canTransitionCall = (from: CallState, to: CallState) => canTransition(CALL_TRANSITIONS, from, to)

export const CallFlagsSchema = z.object({
  /** We put the other party on hold. */
  held: z.boolean(),
  /** The other party put us on hold (its offer was sendonly/inactive). */
  remoteHeld: z.boolean(),
  muted: z.boolean()
})
export type CallFlags = z.infer<typeof CallFlagsSchema>
export const NO_FLAGS: CallFlags = Object.freeze({ held: false, remoteHeld: false, muted: false })

/** Flags may change only while the call is established (hold needs a dialog; mute needs media). */
export function canChangeFlags(state: CallState): boolean {
  return state === 'established'
}

export const isLive = (state: CallState) => state !== 'idle' && state !== 'terminated'
export const isRingingInbound = (state: CallState) => state === 'ringing'

/** Labels for the UI: zh-CN first, English second. */
export const CALL_STATE_LABELS: Record<CallState, { zh: string; en: string }> = {
  idle: { zh: '空闲', en: 'idle' },
  ringing: { zh: '振铃', en: 'ringing' },
  answering: { zh: '正在接听', en: 'answering' },
  dialing: { zh: '正在呼叫', en: 'dialing' },
  early: { zh: '对方振铃', en: 'remote ringing' },
  established: { zh: '通话中', en: 'in call' },
  terminating: { zh: '正在挂断', en: 'hanging up' },
  terminated: { zh: '已结束', en: 'ended' }
}
