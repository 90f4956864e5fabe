import type { FeatureContext } from '../features/feature'
import {
  AGENT_STATUS_LABELS,
  canTransitionAgent,
  initialAgentState,
  phoneError,
  transitionAgent,
  type AgentState,
  type AgentStatus,
  type CallSnapshot,
  type NotReadyReason
} from '../../shared/phone'
import { PhoneCommandError } from './phone-host-link'

/**
 * The agent state (签入/签出/置闲/置忙/振铃/通话中/话后整理): moved by the agent and by the calls, always along
 * the agent state table, with the 话后整理 countdown, and told to the platform.
 */
const PLATFORM_STATE: Record<AgentStatus, 'signed_out' | 'ready' | 'not_ready' | 'ringing' | 'in_call' | 'after_call_work'> = {
  'signed-out': 'signed_out',
  ready: 'ready',
  'not-ready': 'not_ready',
  ringing: 'ringing',
  'in-call': 'in_call',
  'after-call-work': 'after_call_work'
}
const PLATFORM_REASON: Partial<Record<NotReadyReason, 'rest' | 'meal' | 'meeting' | 'training' | 'callback' | 'other'>> = {
  break: 'rest',
  meal: 'meal',
  meeting: 'meeting',
  training: 'training',
  callback: 'callback'
}

interface AgentStateDeps {
  ctx: Pick<FeatureContext, 'config' | 'log' | 'hub' | 'platform'>
  now: () => number
  /** The state changed: show it. */
  publish: () => void
  /** Platform work, held back while the desk answers (PlatformHold.work). */
  platformWork: (fn: () => void) => void
  hasLiveCall: () => boolean
}

export class AgentStateKeeper {
  private agent: AgentState
  /** Status before ringing, to go back to when the agent rejects. */
  private beforeRinging: AgentState | null = null
  private acwTimer: NodeJS.Timeout | null = null

  constructor(private readonly deps: AgentStateDeps) {
    this.agent = initialAgentState(deps.now())
  }

  get state(): AgentState {
    return this.agent
  }

  /** Nobody signed in: back to the start (signed out). */
  reset(): void {
    this.agent = initialAgentState(this.deps.now())
  }

  stop(): void {
    if (this.acwTimer) clearTimeout(this.acwTimer)
  }

  private acwMs(): number {
    return (this.deps.ctx.config.sip?.acwSeconds ?? 30) * 1000
  }

  /** A move caused by the phone: silently skipped where the table forbids it (e.g. calls while signed out). */
  byPhone(to: AgentStatus, reason?: NotReadyReason): void {
    if (this.agent.status === to || !canTransitionAgent(this.agent.status, to)) return
    if (to === 'ringing') this.beforeRinging = this.agent
    this.set(transitionAgent(this.agent, to, { now: this.deps.now(), reason, acwMs: this.acwMs() }))
  }

  /** The last live call ended: 话后整理 after a call; after a ringing one, back to where the agent was or 置忙. */
  callsOver(last: CallSnapshot): void {
    if (this.agent.status === 'in-call') this.byPhone('after-call-work')
    else if (this.agent.status === 'ringing') {
      // Rejected by the agent: back to where they were; missed (caller gave up): 置忙 with reason 'missed'.
      const back = this.beforeRinging
      if (last.endedBy === 'local' && back && back.status === 'ready') this.byPhone('ready')
      else this.byPhone('not-ready', last.endedBy === 'local' ? (back?.reason ?? 'other') : 'missed')
    }
  }

  /** A move the agent asked for (签入/签出/置闲/置忙): refused with a clear message when illegal. */
  move(to: 'ready' | 'not-ready' | 'signed-out', reason?: NotReadyReason): void {
    if (to === 'signed-out' && this.deps.hasLiveCall()) {
      throw new PhoneCommandError({
        ...phoneError('illegal-state'),
        message: '通话中不能签出，请先结束通话',
        messageEn: 'cannot sign out during a call: end the call first',
        illegalMove: { machine: 'agent', state: this.agent.status, move: to }
      })
    }
    if (this.agent.status === to && to !== 'not-ready') return
    if (!canTransitionAgent(this.agent.status, to)) {
      const from = AGENT_STATUS_LABELS[this.agent.status]
      const target = AGENT_STATUS_LABELS[to]
      throw new PhoneCommandError({
        ...phoneError('illegal-state'),
        message: `当前为「${from.zh}」，不能切换到「${target.zh}」`,
        messageEn: `cannot go from "${from.en}" to "${target.en}"`,
        illegalMove: { machine: 'agent', state: this.agent.status, move: to }
      })
    }
    this.set(transitionAgent(this.agent, to, { now: this.deps.now(), reason }))
  }

  signIn(): void {
    if (this.agent.status !== 'signed-out') return
    // 签入 puts the agent on the line but busy, until 置闲: nobody gets a call mid-login.
    this.set(transitionAgent(this.agent, 'not-ready', { now: this.deps.now(), reason: 'signed-in' }))
  }

  private set(next: AgentState): void {
    this.agent = next
    if (this.acwTimer) clearTimeout(this.acwTimer)
    this.acwTimer = null
    if (next.status === 'after-call-work' && next.acwEndsAt !== null) {
      this.acwTimer = setTimeout(() => {
        this.acwTimer = null
        if (this.agent.status === 'after-call-work') this.set(transitionAgent(this.agent, 'ready', { now: this.deps.now() }))
      }, Math.max(0, next.acwEndsAt - this.deps.now()))
      this.acwTimer.unref?.()
    }
    this.deps.publish()
    this.deps.platformWork(() => void this.sync(next))
  }

  private async sync(state: AgentState): Promise<void> {
    const user = this.deps.ctx.hub.get('session').user
    if (!user) return
    try {
      await this.deps.ctx.platform.call('setMyAgentState', {
        body: { state: PLATFORM_STATE[state.status], reason: state.reason ? (PLATFORM_REASON[state.reason] ?? 'other') : null, seatId: user.seatId }
      })
    } catch (err) {
      this.deps.ctx.log.warn('phone: agent state not synced to the platform', { error: (err as Error).message })
    }
  }
}
