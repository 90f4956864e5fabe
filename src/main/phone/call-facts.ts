import type { FeatureContext } from '../features/feature'
import type { DomainEvents } from '../features/bus'
import { isLive, phoneError, type CallSnapshot, type PhoneFact, type QualitySample } from '../../shared/phone'
import { maskPhone } from '../../shared/api/masking'
import type { AgentStateKeeper } from './agent-state-keeper'
import type { AnswerQuiet, PlatformHold } from './answer-quiet'
import type { CallExtras } from './call-records'

/**
 * Main's knowledge of the calls, from the phone host's facts: each call's snapshot and quality, what it is for
 * (hotline, callback, consultation; its ticket), its time on hold; the agent state it moves; its platform call
 * record; and `call.ended` for the other features when it is over.
 */
export type CallPurpose = DomainEvents['call.ended']['purpose']

export interface CallMeta {
  purpose: CallPurpose
  ticketId: string | null
  holdMs: number
  heldSince: number | null
  /** Handed to the satisfaction survey (its blind transfer ends a handled call, not a transferred one). */
  surveyed?: boolean
}

/**
 * Where the calls are registered with the platform (CallRecords): told of every call as it goes, never waited for;
 * `ended` answers the platform's id for the call when it is already known.
 */
export interface CallRecordsPort {
  observe(call: CallSnapshot): void
  ended(call: CallSnapshot, extras: CallExtras): number | null
  blocked(callId: string, caller: CallSnapshot['peer'], at: number): void
}

/** How long a ringing call's platform work waits while the caller card is painted. */
const RING_PLATFORM_HOLD_MS = 200

interface CallFactsDeps {
  ctx: Pick<FeatureContext, 'log' | 'hub' | 'bus' | 'audit'>
  now: () => number
  records?: CallRecordsPort
  agent: AgentStateKeeper
  platform: PlatformHold
  quiet: AnswerQuiet
  publish: () => void
}

export class CallFacts {
  private readonly calls = new Map<string, CallSnapshot>()
  private readonly meta = new Map<string, CallMeta>()
  private readonly quality = new Map<string, QualitySample>()

  constructor(private readonly deps: CallFactsDeps) {}

  get(callId: string): CallSnapshot | undefined {
    return this.calls.get(callId)
  }

  list(): CallSnapshot[] {
    return [...this.calls.values()]
  }

  samples(): QualitySample[] {
    return [...this.quality.values()]
  }

  hasLiveCall(): boolean {
    return this.list().some((c) => isLive(c.state))
  }

  /** What a call placed from the desk is for (a callback and its ticket). */
  tag(callId: string, meta: Partial<CallMeta>): void {
    this.meta.set(callId, { purpose: 'other', ticketId: null, holdMs: 0, heldSince: null, ...meta })
  }

  /** 满意度评价: the next transfer of this call is the survey (set before the transfer, cleared if it fails). */
  noteSurvey(callId: string, surveyed: boolean): void {
    const meta = this.meta.get(callId)
    if (meta) meta.surveyed = surveyed
  }

  incoming(fact: Extract<PhoneFact, { type: 'incoming' }>): void {
    const { ctx } = this.deps
    if (fact.blocked) {
      ctx.log.info('phone: malicious number blocked before ringing', { number: fact.caller.normalised ? maskPhone(fact.caller.normalised) : 'invalid' })
      void ctx.audit.record(ctx.hub.get('session').user?.username ?? null, 'phone.block', `call:${fact.callId}`, { reason: 'malicious number rejected before ringing' }).catch(() => undefined)
      this.record((r) => r.blocked(fact.callId, fact.assertedIdentity && fact.assertedIdentity.kind !== 'invalid' ? fact.assertedIdentity : fact.caller, fact.at))
      return
    }
    this.meta.set(fact.callId, { purpose: 'hotline', ticketId: null, holdMs: 0, heldSince: null })
  }

  /** A quality sample of a known call; false for a call main does not know. */
  sample(sample: QualitySample): boolean {
    if (!this.calls.has(sample.callId)) return false
    this.quality.set(sample.callId, sample)
    return true
  }

  /** The phone host restarted: its calls lived in the page that died; say so rather than show ghosts. */
  hostRestarted(): void {
    if (!this.calls.size) return
    this.deps.ctx.log.warn('phone host restarted: its calls are gone', { calls: this.calls.size })
    for (const call of this.list()) this.finish({ ...call, state: 'terminated', endedAt: this.deps.now(), endedBy: 'remote', cause: phoneError('internal', { detail: 'phone host restarted' }) })
  }

  onCall(call: CallSnapshot): void {
    const { now, platform, quiet, agent } = this.deps
    const meta = this.meta.get(call.callId) ?? { purpose: call.linkedTo ? 'consult' : call.direction === 'inbound' ? 'hotline' : 'other', ticketId: null, holdMs: 0, heldSince: null }
    if (call.linkedTo && meta.purpose === 'other') meta.purpose = 'consult'
    this.meta.set(call.callId, meta)
    // Hold time, for quality inspection.
    if (call.flags.held && meta.heldSince === null) meta.heldSince = call.startedAt > 0 ? now() : null
    if (!call.flags.held && meta.heldSince !== null) {
      meta.holdMs += now() - meta.heldSince
      meta.heldSince = null
    }
    if (call.state === 'terminated') {
      // What the platform has not been told yet (the record's answer) goes before the call's end.
      platform.release()
      this.finish(call)
      quiet.end()
      return
    }
    if (call.state === 'answering') quiet.begin()
    this.calls.set(call.callId, call)
    if (call.state === 'ringing' && call.direction === 'inbound') platform.hold(RING_PLATFORM_HOLD_MS)
    platform.work(() => this.record((r) => r.observe(call)))
    if (call.state === 'ringing' && call.direction === 'inbound') agent.byPhone('ringing')
    if (call.state === 'established') agent.byPhone('in-call')
    this.deps.publish()
  }

  private finish(call: CallSnapshot): void {
    const { ctx, now } = this.deps
    const had = this.calls.delete(call.callId)
    this.quality.delete(call.callId)
    const meta = this.meta.get(call.callId)
    this.meta.delete(call.callId)
    if (meta?.heldSince != null) meta.holdMs += now() - meta.heldSince
    const user = ctx.hub.get('session').user
    const platformCallId = this.record((r) => r.ended(call, { surveyed: meta?.surveyed, ticketId: meta?.ticketId ?? null })) ?? null
    if (had || call.answeredAt !== null || call.direction === 'outbound') {
      ctx.bus.emit('call.ended', {
        callId: call.callId,
        direction: call.direction,
        remoteNumber: call.peer.normalised ?? call.peer.raw,
        actor: user?.username ?? null,
        startedAt: call.startedAt,
        answeredAt: call.answeredAt,
        endedAt: call.endedAt ?? now(),
        holdMs: meta?.holdMs ?? 0,
        endedBy: call.cause && call.answeredAt === null ? 'failure' : call.endedBy === 'remote' ? 'remote' : 'local',
        purpose: meta?.purpose ?? 'other',
        ticketId: meta?.ticketId ?? null,
        platformCallId
      })
    }
    if (!this.hasLiveCall()) this.deps.agent.callsOver(call)
    this.deps.publish()
  }

  /** The platform's call records are bookkeeping: whatever goes wrong there, the phone goes on. */
  private record<T>(fn: (r: CallRecordsPort) => T): T | undefined {
    const r = this.deps.records
    if (!r) return undefined
    try {
      return fn(r)
    } catch (err) {
      this.deps.ctx.log.warn('phone: call record not kept', { error: (err as Error).message })
      return undefined
    }
  }
}
