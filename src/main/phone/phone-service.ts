import { SANDBOX_CALLER_ID, SANDBOX_SIP_DOMAIN, sandboxAgentUser } from '../../shared/sandbox/agent-user'
import type { FeatureContext } from '../features/feature'
import type { DomainEvents } from '../features/bus'
import {
  AGENT_STATUS_LABELS,
  canTransitionAgent,
  initialAgentState,
  isCallCommand,
  isLive,
  moveCallId,
  normaliseCallerNumber,
  phoneError,
  refuseCallMove,
  transitionAgent,
  type AgentState,
  type AgentStatus,
  type CallerId,
  type CallSnapshot,
  type NotReadyReason,
  type PhoneCommand,
  type PhoneError,
  type PhoneFact,
  type PhoneResult,
  type Devices,
  type QualitySample,
  type Registration
} from '../../shared/phone'
import { maskPhone, maySeeCitizenContact } from '../../shared/api/masking'
import type { NormalisedNumber } from '../../shared/phone/caller-number'
import { diagnoseTls } from './tls-probe'
import type { CallExtras } from './call-records'

/**
 * Main's side of the softphone. The phone host (sip.js, src/phone) is a driver
 * main commands and listens to: commands go out as `driver` phone-command events
 * and come back as phone.commandResult; facts arrive as phone.fact. This service
 * keeps the truth every window sees in the `phone` topic (registration, calls,
 * agent state), ties the agent state (签入/签出/置闲/置忙/话后整理) to the calls,
 * syncs it to the platform, blocks malicious numbers before ringing and tells
 * the other features when a call ends.
 */
export type CallPurpose = DomainEvents['call.ended']['purpose']

interface CallMeta {
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

type Ctx = Pick<FeatureContext, 'config' | 'log' | 'hub' | 'session' | 'platform' | 'sendPhoneCommand' | 'notify' | 'bus' | 'audit'>

export interface PhoneServiceOptions {
  commandTimeoutMs?: number
  now?: () => number
  records?: CallRecordsPort
  /** The longest the UI and the platform wait for an answered call's first audio (see `quiet`). */
  answerQuietMs?: number
}

const ANSWER_QUIET_MS = 300
const RING_PLATFORM_HOLD_MS = 200

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

export interface SelfCheckResult {
  ok: boolean
  registration: { ok: boolean; roundTripMs: number | null }
  microphone: { ok: boolean; level: number | null; label: string | null }
  speaker: { ok: boolean }
}

export class PhoneCommandError extends Error {
  constructor(readonly error: PhoneError) {
    super(error.messageEn)
  }
}

export class PhoneService {
  private readonly calls = new Map<string, CallSnapshot>()
  private readonly meta = new Map<string, CallMeta>()
  private registration: Registration | null = null
  private readonly quality = new Map<string, QualitySample>()
  private devices: Devices | null = null
  private autoAnswer = false
  private selfCheckWaiters: ((f: Extract<PhoneFact, { type: 'selfCheck' }>) => void)[] = []
  private agent: AgentState
  /** Status before ringing, to go back to when the agent rejects. */
  private beforeRinging: AgentState | null = null
  private readonly pending = new Map<number, { resolve: (r: PhoneResult) => void; timer: NodeJS.Timeout }>()
  private nextId = 0
  private acwTimer: NodeJS.Timeout | null = null
  private hostSince: number | null = null
  private blocked: string[] = []
  private readonly unsubscribe: () => void
  private readonly now: () => number
  private configuredFor: string | null = null
  /** Why the wss:// server's certificate is refused (main's own TLS check), while registration keeps failing. */
  private tlsProblem: PhoneError | null = null
  private tlsProbe: { running: boolean; at: number } = { running: false, at: -Infinity }
  /**
   * Sound first, paint after. From 接听 until the call's first audio arrives (at most answerQuietMs), state
   * changes are held from the windows (StateHub.hold) and the platform is not told of the agent state: on a
   * two-core agent PC the windows' re-render (≈60–75 ms of renderer CPU plus the compositor's, measured with
   * `BENCH_PHASES=1 npm run bench:phone`) and the platform round trip would otherwise run exactly while the phone
   * host sets up the media, and delay the citizen's first words. The platform's call record waits likewise. The
   * 接听 button is disabled at once by the window itself; the windows catch up in one go, usually ≈80 ms after
   * the click.
   */
  private quiet: { timer: NodeJS.Timeout; release: () => void; over: Promise<void>; end: () => void } | null = null
  /**
   * Platform work (the call record, the agent state) held back while the desk does what the agent sees or hears
   * first: the screen pop as a call starts ringing (RING_PLATFORM_HOLD_MS; the caller card is painted meanwhile),
   * and the first audio after 接听 (until `quiet` ends). It keeps its order and its times (each change carries
   * the moment it happened).
   */
  private platformHold: { timer: NodeJS.Timeout | null; work: (() => void)[] } | null = null

  constructor(
    private readonly ctx: Ctx,
    private readonly opts: PhoneServiceOptions = {}
  ) {
    this.now = opts.now ?? Date.now
    this.agent = initialAgentState(this.now())
    this.unsubscribe = ctx.hub.onChange((change) => {
      if (change.topic === 'session') this.onSession()
      if (change.topic === 'phoneHost') this.onHost()
    })
    this.onHost()
  }

  stop(): void {
    this.endQuiet()
    this.unsubscribe()
    if (this.acwTimer) clearTimeout(this.acwTimer)
    for (const p of this.pending.values()) clearTimeout(p.timer)
    this.pending.clear()
  }

  // ───────────── phone host link ─────────────

  private user() {
    return this.ctx.hub.get('session').user
  }

  private onHost(): void {
    const host = this.ctx.hub.get('phoneHost')
    if (host.status !== 'alive' || host.since === this.hostSince) return
    const restarted = this.hostSince !== null
    this.hostSince = host.since
    if (restarted && this.calls.size) {
      // The calls lived in the page that died; say so rather than show ghosts.
      this.ctx.log.warn('phone host restarted: its calls are gone', { calls: this.calls.size })
      for (const call of [...this.calls.values()]) this.finish({ ...call, state: 'terminated', endedAt: this.now(), endedBy: 'remote', cause: phoneError('internal', { detail: 'phone host restarted' }) })
    }
    this.configuredFor = null
    this.onSession()
  }

  private onSession(): void {
    const user = this.user()
    const key = user ? `${user.username}@${this.hostSince}` : null
    if (key === this.configuredFor) return
    this.configuredFor = key
    if (!user) {
      this.agent = initialAgentState(this.now())
      if (this.hostSince !== null) void this.command({ type: 'unregister' })
      this.publish()
      return
    }
    this.publish()
    if (this.hostSince === null) return
    void this.configure()
  }

  private async configure(): Promise<void> {
    const sip = this.ctx.config.sip
    const user = this.user()
    if (!user) return
    // The training sandbox without a SIP server: the phone registers on the phone host's in-page
    // switch (src/phone/sandbox), where the simulated citizens ring it.
    const account = sip
      ? { server: sip.wsUrl, aor: `sip:${sip.user}@${sip.domain}`, authorizationUsername: sip.user, password: sip.password, displayName: user.displayName.slice(0, 64) }
      : this.ctx.config.profile === 'sandbox'
        ? { server: `wss://${SANDBOX_SIP_DOMAIN}/`, aor: `sip:${sandboxAgentUser(user)}@${SANDBOX_SIP_DOMAIN}`, displayName: user.displayName.slice(0, 64) }
        : null
    if (!account) return
    await this.command({ type: 'setOptions', options: this.driverOptions() })
    const res = await this.command({ type: 'register', account })
    if (!res.ok) this.ctx.log.warn('phone: register command failed', { code: res.error.code })
    void this.refreshBlocked()
  }

  private driverOptions() {
    return { blockedNumbers: this.blocked, autoAnswer: this.autoAnswer, dtmfMode: this.ctx.config.sip?.dtmfMode ?? 'info' }
  }

  async setAutoAnswer(enabled: boolean): Promise<void> {
    await this.run({ type: 'setOptions', options: { autoAnswer: enabled } })
    this.autoAnswer = enabled
    this.publish()
  }

  /** What a callback presents: the 12345 number, asserted by the trusted network (P-Asserted-Identity) and shown in From. */
  callbackCallerId(): CallerId | undefined {
    const sip = this.ctx.config.sip
    if (sip) return { pAssertedIdentity: `<sip:${sip.callerId}@${sip.domain}>`, fromDisplay: sip.callerId }
    // The sandbox's switch has no trunk, but a practice callback presents the hotline's number just the same.
    return this.ctx.config.profile === 'sandbox' ? { pAssertedIdentity: `<sip:${SANDBOX_CALLER_ID}@${SANDBOX_SIP_DOMAIN}>`, fromDisplay: SANDBOX_CALLER_ID } : undefined
  }

  /** The platform's malicious-number list, normalised the way incoming numbers are. */
  async refreshBlocked(): Promise<void> {
    try {
      const res = await this.ctx.platform.call('listMaliciousNumbers')
      this.blocked = [...new Set(res.items.map((m) => normaliseCallerNumber(m.phone).normalised ?? m.phone))]
      await this.command({ type: 'setOptions', options: { blockedNumbers: this.blocked } })
    } catch (err) {
      this.ctx.log.warn('phone: malicious-number list unavailable; keeping the last one', { error: (err as Error).message })
    }
  }

  /** Sends a command to the phone host and waits for its answer. */
  command(command: PhoneCommand): Promise<PhoneResult> {
    if (this.ctx.hub.get('phoneHost').status !== 'alive') {
      return Promise.resolve({ ok: false, error: phoneError('internal', { detail: 'phone host not running' }) })
    }
    const id = ++this.nextId
    return new Promise<PhoneResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({ ok: false, error: phoneError('timeout', { detail: `phone host did not answer ${command.type}` }) })
      }, this.opts.commandTimeoutMs ?? 10_000)
      timer.unref?.()
      this.pending.set(id, { resolve, timer })
      this.ctx.sendPhoneCommand({ type: 'driver', id, command: command as never })
    })
  }

  commandResult(id: number, result: PhoneResult): void {
    const p = this.pending.get(id)
    if (!p) return
    clearTimeout(p.timer)
    this.pending.delete(id)
    p.resolve(result)
  }

  /** Runs a call command for the UI: failures become errors the window shows (Chinese first). */
  async run(command: PhoneCommand, meta?: Partial<CallMeta>): Promise<{ callId: string | null }> {
    const refused = this.refusal(command)
    if (refused) {
      this.ctx.log.warn('phone: call command refused', { command: command.type, move: refused.illegalMove })
      throw new PhoneCommandError(refused)
    }
    const res = await this.command(command)
    if (!res.ok) throw new PhoneCommandError(res.error)
    if (meta && res.value.callId) this.meta.set(res.value.callId, { purpose: 'other', ticketId: null, holdMs: 0, heldSince: null, ...meta })
    // The 接听 button stays busy until the window can show the call as answered (no second click on a stale card).
    if (command.type === 'answer' && this.quiet) await this.quiet.over
    return res.value
  }

  /**
   * A move the call does not allow now (by the same table the phone bar's buttons come from), refused before it
   * goes to the phone host. A call main does not know yet is left to the phone host, which judges it the same way.
   */
  private refusal(command: PhoneCommand): PhoneError | null {
    if (!isCallCommand(command)) return null
    const call = this.calls.get(moveCallId(command))
    return call ? refuseCallMove(call, command.type) : null
  }

  /**
   * The phone host's WebSocket cannot say why a wss:// connection failed; when registration fails there, main asks
   * a TLS connection of its own whether the certificate is the reason (at most every 10 s) and shows that instead.
   */
  private checkTls(): void {
    const reg = this.registration
    const url = this.ctx.config.sip?.wsUrl
    if (!reg || reg.state === 'registered') {
      this.tlsProblem = null
      return
    }
    const transportTrouble = reg.reason?.code === 'transport-failed' || reg.reason?.code === 'timeout'
    if (!url?.startsWith('wss:') || !transportTrouble || this.tlsProbe.running || this.now() - this.tlsProbe.at < 10_000) return
    this.tlsProbe = { running: true, at: this.now() }
    void diagnoseTls(url).then((problem) => {
      this.tlsProbe.running = false
      if (problem) this.ctx.log.warn('phone: the SIP server certificate is refused', { code: problem.code, detail: problem.detail })
      this.tlsProblem = problem
      this.publish()
    })
  }

  // ───────────── facts ─────────────

  fact(fact: PhoneFact): void {
    switch (fact.type) {
      case 'registration':
        this.registration = fact.registration
        this.checkTls()
        this.publish()
        return
      case 'incoming':
        if (fact.blocked) {
          this.ctx.log.info('phone: malicious number blocked before ringing', { number: fact.caller.normalised ? maskPhone(fact.caller.normalised) : 'invalid' })
          void this.ctx.audit.record(this.user()?.username ?? null, 'phone.block', `call:${fact.callId}`, { reason: 'malicious number rejected before ringing' }).catch(() => undefined)
          this.record((r) => r.blocked(fact.callId, fact.assertedIdentity && fact.assertedIdentity.kind !== 'invalid' ? fact.assertedIdentity : fact.caller, fact.at))
          return
        }
        this.meta.set(fact.callId, { purpose: 'hotline', ticketId: null, holdMs: 0, heldSince: null })
        return
      case 'call':
        this.onCall(fact.call)
        return
      case 'error':
        this.endQuiet()
        this.ctx.log.warn('phone: error', { code: fact.error.code, detail: fact.error.detail, command: fact.command })
        this.ctx.notify('warning', `${fact.error.message} (${fact.error.messageEn})`)
        return
      case 'quality':
        if (!this.calls.has(fact.sample.callId)) return
        this.quality.set(fact.sample.callId, fact.sample)
        this.publish()
        if (fact.sample.firstMediaAt != null) this.endQuiet()
        return
      case 'devices':
        this.devices = fact.devices
        if (fact.fallback) {
          const e = phoneError('device-missing', { detail: `${fact.fallback.kind}: ${fact.fallback.from}` })
          this.ctx.log.warn('phone: audio device gone, fell back to the default', { kind: fact.fallback.kind })
          this.ctx.notify('warning', `${e.message} (${e.messageEn})`)
        }
        if (fact.micRestored) this.ctx.notify('info', '麦克风已恢复，对方可以听到您的声音 (microphone back: the other party hears you again)')
        this.publish()
        return
      case 'selfCheck': {
        const waiters = this.selfCheckWaiters
        this.selfCheckWaiters = []
        for (const w of waiters) w(fact)
        return
      }
      case 'transfer':
        if (fact.state === 'failed') this.ctx.log.warn('phone: transfer failed', { kind: fact.kind })
        return
      default:
        return
    }
  }

  private onCall(call: CallSnapshot): void {
    const meta = this.meta.get(call.callId) ?? { purpose: call.linkedTo ? 'consult' : call.direction === 'inbound' ? 'hotline' : 'other', ticketId: null, holdMs: 0, heldSince: null }
    if (call.linkedTo && meta.purpose === 'other') meta.purpose = 'consult'
    this.meta.set(call.callId, meta)
    // Hold time, for quality inspection.
    if (call.flags.held && meta.heldSince === null) meta.heldSince = call.startedAt > 0 ? this.now() : null
    if (!call.flags.held && meta.heldSince !== null) {
      meta.holdMs += this.now() - meta.heldSince
      meta.heldSince = null
    }
    if (call.state === 'terminated') {
      // The record's answer goes before its end.
      // What the platform has not been told yet goes before the call's end.
      this.releasePlatform()
      this.finish(call)
      this.endQuiet()
      return
    }
    if (call.state === 'answering') this.beginQuiet()
    this.calls.set(call.callId, call)
    if (call.state === 'ringing' && call.direction === 'inbound') this.holdPlatform(RING_PLATFORM_HOLD_MS)
    this.platformWork(() => this.record((r) => r.observe(call)))
    if (call.state === 'ringing' && call.direction === 'inbound') this.moveAgent('ringing')
    if (call.state === 'established') this.moveAgent('in-call')
    this.publish()
  }

  private finish(call: CallSnapshot): void {
    const had = this.calls.delete(call.callId)
    this.quality.delete(call.callId)
    const meta = this.meta.get(call.callId)
    this.meta.delete(call.callId)
    if (meta?.heldSince != null) meta.holdMs += this.now() - meta.heldSince
    const user = this.user()
    const platformCallId = this.record((r) => r.ended(call, { surveyed: meta?.surveyed, ticketId: meta?.ticketId ?? null })) ?? null
    if (had || call.answeredAt !== null || call.direction === 'outbound') {
      this.ctx.bus.emit('call.ended', {
        callId: call.callId,
        direction: call.direction,
        remoteNumber: call.peer.normalised ?? call.peer.raw,
        actor: user?.username ?? null,
        startedAt: call.startedAt,
        answeredAt: call.answeredAt,
        endedAt: call.endedAt ?? this.now(),
        holdMs: meta?.holdMs ?? 0,
        endedBy: call.cause && call.answeredAt === null ? 'failure' : call.endedBy === 'remote' ? 'remote' : 'local',
        purpose: meta?.purpose ?? 'other',
        ticketId: meta?.ticketId ?? null,
        platformCallId
      })
    }
    if (![...this.calls.values()].some((c) => isLive(c.state))) {
      if (this.agent.status === 'in-call') this.moveAgent('after-call-work')
      else if (this.agent.status === 'ringing') {
        // Rejected by the agent: back to where they were; missed (caller gave up): 置忙 with reason 'missed'.
        const back = this.beforeRinging
        if (call.endedBy === 'local' && back && back.status === 'ready') this.moveAgent('ready')
        else this.moveAgent('not-ready', call.endedBy === 'local' ? (back?.reason ?? 'other') : 'missed')
      }
    }
    this.publish()
  }

  /** The platform's call records are bookkeeping: whatever goes wrong there, the phone goes on. */
  private record<T>(fn: (r: CallRecordsPort) => T): T | undefined {
    const r = this.opts.records
    if (!r) return undefined
    try {
      return fn(r)
    } catch (err) {
      this.ctx.log.warn('phone: call record not kept', { error: (err as Error).message })
      return undefined
    }
  }

  /** 满意度评价: the next transfer of this call is the survey (set before the transfer, cleared if it fails). */
  noteSurvey(callId: string, surveyed: boolean): void {
    const meta = this.meta.get(callId)
    if (meta) meta.surveyed = surveyed
  }

  // ───────────── agent state ─────────────

  private acwMs(): number {
    return (this.ctx.config.sip?.acwSeconds ?? 30) * 1000
  }

  /** A move caused by the phone: silently skipped where the table forbids it (e.g. calls while signed out). */
  private moveAgent(to: AgentStatus, reason?: NotReadyReason): void {
    if (this.agent.status === to || !canTransitionAgent(this.agent.status, to)) return
    if (to === 'ringing') this.beforeRinging = this.agent
    this.setAgent(transitionAgent(this.agent, to, { now: this.now(), reason, acwMs: this.acwMs() }))
  }

  /** A move the agent asked for (签入/签出/置闲/置忙): refused with a clear message when illegal. */
  agentMove(to: 'ready' | 'not-ready' | 'signed-out', reason?: NotReadyReason): void {
    if (to === 'signed-out' && [...this.calls.values()].some((c) => isLive(c.state))) {
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
    this.setAgent(transitionAgent(this.agent, to, { now: this.now(), reason }))
  }

  signIn(): void {
    if (this.agent.status !== 'signed-out') return
    // 签入 puts the agent on the line but busy, until 置闲: nobody gets a call mid-login.
    this.setAgent(transitionAgent(this.agent, 'not-ready', { now: this.now(), reason: 'signed-in' }))
  }

  private setAgent(next: AgentState): void {
    this.agent = next
    if (this.acwTimer) clearTimeout(this.acwTimer)
    this.acwTimer = null
    if (next.status === 'after-call-work' && next.acwEndsAt !== null) {
      this.acwTimer = setTimeout(() => {
        this.acwTimer = null
        if (this.agent.status === 'after-call-work') this.setAgent(transitionAgent(this.agent, 'ready', { now: this.now() }))
      }, Math.max(0, next.acwEndsAt - this.now()))
      this.acwTimer.unref?.()
    }
    this.publish()
    this.platformWork(() => void this.syncAgent(next))
  }

  /** Holds platform work for `ms`, or (ms null) until releasePlatform; a longer hold takes over a shorter one. */
  private holdPlatform(ms: number | null): void {
    const h = this.platformHold
    if (h && (h.timer === null || ms !== null)) return
    if (h?.timer) clearTimeout(h.timer)
    const timer = ms === null ? null : setTimeout(() => this.releasePlatform(), ms)
    timer?.unref?.()
    this.platformHold = { timer, work: h?.work ?? [] }
  }

  private releasePlatform(): void {
    const h = this.platformHold
    if (!h) return
    if (h.timer) clearTimeout(h.timer)
    this.platformHold = null
    for (const w of h.work) w()
  }

  private platformWork(fn: () => void): void {
    if (this.platformHold) this.platformHold.work.push(fn)
    else fn()
  }

  private beginQuiet(): void {
    if (this.quiet) return
    const timer = setTimeout(() => this.endQuiet(), this.opts.answerQuietMs ?? ANSWER_QUIET_MS)
    timer.unref?.()
    let end = () => {}
    const over = new Promise<void>((resolve) => (end = resolve))
    this.holdPlatform(null)
    this.quiet = { timer, release: this.ctx.hub.hold(), over, end }
  }

  /** The answered call's audio is flowing (or it ended, failed, or took too long): catch up in one go. */
  private endQuiet(): void {
    const q = this.quiet
    if (!q) return
    clearTimeout(q.timer)
    this.quiet = null
    q.release()
    this.releasePlatform()
    q.end()
  }

  private async syncAgent(state: AgentState): Promise<void> {
    const user = this.user()
    if (!user) return
    try {
      await this.ctx.platform.call('setMyAgentState', {
        body: { state: PLATFORM_STATE[state.status], reason: state.reason ? (PLATFORM_REASON[state.reason] ?? 'other') : null, seatId: user.seatId }
      })
    } catch (err) {
      this.ctx.log.warn('phone: agent state not synced to the platform', { error: (err as Error).message })
    }
  }

  /**
   * 上岗自检 (pre-shift self-check): registration and its round trip, the chosen microphone
   * actually picking up sound, an output to play on. Each item with a bilingual verdict.
   */
  async selfCheck(): Promise<SelfCheckResult> {
    const reg = this.registration
    const host = this.ctx.hub.get('phoneHost').status === 'alive'
    const registered = host && reg?.state === 'registered' && reg.transport === 'connected'
    const waited = new Promise<Extract<PhoneFact, { type: 'selfCheck' }> | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 8000)
      timer.unref?.()
      this.selfCheckWaiters.push((f) => {
        clearTimeout(timer)
        resolve(f)
      })
    })
    const sent = await this.command({ type: 'selfCheck', listenMs: 1500 })
    const mic = sent.ok ? await waited : null
    const micHeard = mic?.micLevel != null && mic.micLevel >= 0.005
    return {
      registration: { ok: registered, roundTripMs: reg?.roundTripMs ?? null },
      microphone: { ok: micHeard, level: mic?.micLevel ?? null, label: mic?.micLabel ?? null },
      speaker: { ok: mic?.speakerOk ?? false },
      ok: registered && micHeard && (mic?.speakerOk ?? false)
    }
  }

  getAgent(): AgentState {
    return this.agent
  }

  // ───────────── the topic ─────────────

  private publish(): void {
    const user = this.user()
    const mask = !user || !maySeeCitizenContact(user.roles, { confidential: false, isCreator: false })
    const calls = [...this.calls.values()].map((c) => (mask ? { ...c, peer: maskNumber(c.peer) } : c))
    const registration = this.registration && this.tlsProblem && this.registration.state !== 'registered' ? { ...this.registration, reason: this.tlsProblem } : this.registration
    this.ctx.hub.set('phone', { registration, calls, agent: this.agent, quality: [...this.quality.values()], devices: this.devices, autoAnswer: this.autoAnswer })
  }
}

/** The caller's number as a role without citizen-contact rights sees it (139****1234). */
export function maskNumber(n: NormalisedNumber): NormalisedNumber {
  const m = (s: string | null) => (s === null ? null : maskPhone(s))
  return { ...n, raw: maskPhone(n.raw), normalised: m(n.normalised), e164: m(n.e164), display: maskPhone(n.display.replace(/[\s-]/g, '')) }
}
