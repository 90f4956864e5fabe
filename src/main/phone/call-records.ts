import { SANDBOX_CALLER_ID } from '../../shared/sandbox/agent-user'
import type { CallSnapshot } from '../../shared/phone'
import type { FeatureContext } from '../features/feature'
import type { ChangePayload } from '../sync/change-payload'
import { open } from '../sync/sealed-outbox'
import { callResult, RING_NO_ANSWER_MS, type PlatformCallResult } from './call-result'

/**
 * Every call the softphone handles becomes one call record on the hotline platform (the call detail record the
 * statistics and the team lead's views count): registered when it rings (inbound) or is dialled (outbound,
 * callbacks and consultation legs included), updated when answered, closed with its result when it ends.
 *
 * None of it may slow or break the phone: every change goes into the outbox (durable, exactly once, across
 * offline spells and restarts) and the phone never waits for it or hears of its failures; a change the platform
 * refuses is parked where the agent sees every other sync problem. All changes of one call share one entity key
 * (`phone-call:<callId>`) and are queued in order, so the create is sent first and a parked create holds back its
 * updates; the updates name the create by its idempotency key and get the platform's id from its answer when
 * they are sent (sync/dependent-changes.ts): the phone side never has to wait for the platform to number a call.
 *
 * Nothing here stores a number: the outbox seals its payloads (the caller's number) and the platform's answers.
 */
export const callEntityKey = (callId: string) => `phone-call:${callId}`
/** The idempotency key of the call's createCall: the recording upload finds the call's platform id by it. */
export const callCreateKey = (callId: string) => `${callEntityKey(callId)}:create`

type Ctx = Pick<FeatureContext, 'config' | 'log' | 'hub' | 'db' | 'cipher' | 'outbox'>

/**
 * The calls whose records are open on the platform (registered, not yet closed), kept in the meta table so a
 * restart of main can close them: their call died with main (and, under Electron, with the phone host it owns).
 * No number in it: call ids, who took them, and times.
 */
const OPEN_CALLS = 'phone.openCallRecords'
interface OpenCall {
  actor: string | null
  answeredAt: number | null
  /** The last moment the call was known to be alive (its start, or its answer). */
  lastKnownAt: number
}
/** Beyond this gap, main was down long (the desk off): the restart time says nothing of when the call ended. */
const RESTART_GAP_MS = 3600_000

export interface CallRecordsOptions {
  now?: () => number
  ringNoAnswerMs?: number
  /** How often to look whether the platform has numbered a live call (for call.ended's platformCallId). */
  pollMs?: number
}

/** What the phone service knows about a call beyond its snapshot. */
export interface CallExtras {
  surveyed?: boolean
  /** The ticket a callback call is about. */
  ticketId?: string | null
}

interface Tracked {
  callId: string
  direction: CallSnapshot['direction']
  linkedTo: string | null
  answered: boolean
  ended: boolean
  platformId: number | null
  actor: string | null
  answeredAt: number | null
  lastKnownAt: number
}

const iso = (ms: number) => new Date(ms).toISOString()
/** The platform takes 3–20 digits; a withheld or unusable number is recorded as 000 (as the recording upload does). */
const digitsOf = (...candidates: (string | null | undefined)[]) => candidates.find((c): c is string => typeof c === 'string' && /^\+?\d{3,20}$/.test(c)) ?? '000'
const ticketNumberOf = (id: string | null | undefined) => (id && /^\d+$/.test(id) && Number(id) > 0 ? Number(id) : null)

export class CallRecords {
  private readonly tracked = new Map<string, Tracked>()
  private chain: Promise<unknown> = Promise.resolve()
  private pollTimer: NodeJS.Timeout | null = null
  private stopped = false
  private readonly now: () => number

  constructor(
    private readonly ctx: Ctx,
    private readonly opts: CallRecordsOptions = {}
  ) {
    this.now = opts.now ?? Date.now
  }

  stop(): void {
    this.stopped = true
    if (this.pollTimer) clearTimeout(this.pollTimer)
    this.pollTimer = null
  }

  /** Settles once every change asked for so far is in the outbox (tests, shutdown). */
  async idle(): Promise<void> {
    await this.chain
  }

  private user() {
    return this.ctx.hub.get('session').user
  }

  private hotline(): string {
    return this.ctx.config.sip?.callerId ?? SANDBOX_CALLER_ID
  }

  /** The platform's id for the call, once the platform has numbered it (null until then). */
  platformIdOf(callId: string): number | null {
    return this.tracked.get(callId)?.platformId ?? null
  }

  /** Queues one change of the call, after all earlier ones (the outbox keeps them in this order). */
  private queue(t: Pick<Tracked, 'callId' | 'actor'>, step: string, payload: ChangePayload): void {
    const operation = step === 'create' ? 'createCall' : 'updateCall'
    const key = `${callEntityKey(t.callId)}:${step}`
    const change = operation === 'updateCall' ? { ...payload, paramsFrom: { id: { key: callCreateKey(t.callId), field: 'id' } } } : payload
    // Which records are open is saved before a create and after an end: a crash in between leaves one to close.
    if (step === 'create' || step === 'answered') this.saveOpen()
    this.chain = this.chain
      .then(() => this.ctx.outbox.enqueue(operation, callEntityKey(t.callId), change, t.actor, key))
      .catch((err: Error) => this.ctx.log.warn('phone: call record change not queued', { call: t.callId, step, error: err.message }))
    if (step === 'ended') this.saveOpen()
  }

  private saveOpen(): void {
    const open: Record<string, OpenCall> = {}
    for (const t of this.tracked.values()) if (!t.ended) open[t.callId] = { actor: t.actor, answeredAt: t.answeredAt, lastKnownAt: t.lastKnownAt }
    const value = JSON.stringify(open)
    this.chain = this.chain.then(() => this.ctx.db.call('meta.set', { key: OPEN_CALLS, value })).catch((err: Error) => this.ctx.log.warn('phone: open call records not saved', { error: err.message }))
  }

  /**
   * At start: closes the records of calls that were live when main last stopped (crash, power loss). They ended
   * then; the restart time stands for the end unless main was down for long. Closed with the same key as a normal
   * end, so one already queued before the crash is not sent twice.
   */
  async recover(): Promise<number> {
    const raw = await this.ctx.db.call('meta.get', { key: OPEN_CALLS })
    const open = raw ? (JSON.parse(raw) as Record<string, OpenCall>) : {}
    let closed = 0
    for (const [callId, c] of Object.entries(open)) {
      if (this.tracked.has(callId) || !(await this.ctx.db.call('phone.callRegistered', { key: callCreateKey(callId) }))) continue
      const now = this.now()
      const endedAt = now - c.lastKnownAt <= RESTART_GAP_MS ? now : c.lastKnownAt
      this.queue({ callId, actor: c.actor }, 'ended', { body: { status: 'ended', endedAt: iso(endedAt), result: c.answeredAt !== null ? 'answered' : 'missed' } })
      closed++
    }
    if (closed) this.ctx.log.info('phone: closed the records of calls cut off by a restart', { calls: closed })
    this.saveOpen()
    await this.chain
    return closed
  }

  /** A live call (any snapshot before it ends): registers it the first time, records the answer once. */
  observe(call: CallSnapshot): void {
    let t = this.tracked.get(call.callId)
    if (!t) t = this.register(call)
    if (!t.answered && call.answeredAt !== null) {
      t.answered = true
      t.answeredAt = call.answeredAt
      t.lastKnownAt = Math.max(t.lastKnownAt, call.answeredAt)
      const user = this.user()
      this.queue(t, 'answered', { body: { status: 'in_progress', agentId: user?.id ?? null, answeredAt: iso(call.answeredAt) } })
    }
  }

  private register(call: CallSnapshot): Tracked {
    const user = this.user()
    const t: Tracked = {
      callId: call.callId,
      direction: call.direction,
      linkedTo: call.linkedTo,
      answered: false,
      ended: false,
      platformId: null,
      actor: user?.username ?? null,
      answeredAt: null,
      lastKnownAt: call.startedAt
    }
    this.tracked.set(call.callId, t)
    const remote = digitsOf(call.peer.normalised, call.peer.e164, call.peer.raw)
    const inbound = call.direction === 'inbound'
    this.queue(t, 'create', {
      body: { direction: call.direction, callerNumber: inbound ? remote : this.hotline(), dialledNumber: inbound ? this.hotline() : remote, queue: null, queuedAt: iso(call.startedAt) }
    })
    // Offered to this agent: no longer waiting in a queue (an outbound call is in progress from its creation).
    if (inbound) this.queue(t, 'ringing', { body: { status: 'ringing', agentId: user?.id ?? null } })
    this.poll()
    return t
  }

  /** The call ended: closes its record with the result; returns the platform's id when already known. */
  ended(call: CallSnapshot, extras: CallExtras = {}): number | null {
    const t = this.tracked.get(call.callId) ?? this.register(call)
    if (t.ended) return t.platformId
    t.ended = true
    const endedAt = call.endedAt ?? this.now()
    const result: PlatformCallResult = callResult({ ...call, endedAt, surveyed: extras.surveyed }, this.opts.ringNoAnswerMs ?? RING_NO_ANSWER_MS)
    const ticketId = ticketNumberOf(extras.ticketId)
    this.queue(t, 'ended', {
      body: {
        status: 'ended',
        endedAt: iso(endedAt),
        result,
        // Again here so the closing change stands on its own (a call answered and ended between two facts).
        ...(call.answeredAt !== null ? { answeredAt: iso(call.answeredAt), agentId: this.user()?.id ?? null } : {}),
        ...(ticketId ? { ticketId } : {})
      }
    })
    // Kept a while for a ticket filed after the call (the consultation legs it covers), then forgotten.
    const timer = setTimeout(() => this.tracked.delete(call.callId), 6 * 3600_000)
    timer.unref?.()
    return t.platformId
  }

  /** A malicious number rejected before ringing (拦截恶意号码): recorded as a blocked call, never offered. */
  blocked(callId: string, caller: CallSnapshot['peer'], at: number): void {
    const t = { callId, actor: this.user()?.username ?? null }
    this.queue(t, 'create', { body: { direction: 'inbound', callerNumber: digitsOf(caller.normalised, caller.e164, caller.raw), dialledNumber: this.hotline(), queue: null, queuedAt: iso(at) } })
    this.queue(t, 'ended', { body: { status: 'ended', endedAt: iso(at), result: 'blocked' } })
  }

  /**
   * The agent filed a ticket for the call: it goes on the citizen's call's record and on its consultation legs' (the
   * link between them on the platform, as the recordings link a leg to its call). Only for calls registered here.
   */
  async linkTicket(callId: string, ticketId: string): Promise<void> {
    const id = ticketNumberOf(ticketId)
    if (id === null) return
    const root = this.tracked.get(callId)?.linkedTo ?? callId
    const legs = [...this.tracked.values()].filter((t) => t.linkedTo === root).map((t) => t.callId)
    for (const c of [root, ...legs]) {
      // Registered in this run (tracked), or before a restart (its create is in the outbox).
      const t = this.tracked.get(c) ?? ((await this.ctx.db.call('phone.callRegistered', { key: callCreateKey(c) })) ? { callId: c, actor: this.user()?.username ?? null } : null)
      if (t) this.queue(t, `ticket:${id}`, { body: { ticketId: id } })
    }
    await this.chain
  }

  /** Learns the platform's ids of live calls as the creates are answered (one query a second while any is unknown). */
  private poll(): void {
    if (this.pollTimer || this.stopped) return
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null
      void this.resolveIds().then((waiting) => {
        if (waiting) this.poll()
      })
    }, this.opts.pollMs ?? 1000)
    this.pollTimer.unref?.()
  }

  private async resolveIds(): Promise<boolean> {
    let waiting = false
    for (const t of this.tracked.values()) {
      if (t.platformId !== null || t.ended) continue
      try {
        const done = await this.ctx.db.call('outbox.done', { idempotencyKey: callCreateKey(t.callId) })
        const answer = done ? (open(this.ctx.cipher, done.response) as { id?: unknown } | null) : null
        if (typeof answer?.id === 'number') t.platformId = answer.id
        else waiting = true
      } catch (err) {
        this.ctx.log.warn('phone: call record id not read', { error: (err as Error).message })
        waiting = true
      }
    }
    return waiting
  }
}
