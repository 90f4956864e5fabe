import { SANDBOX_CALLER_ID, SANDBOX_SIP_DOMAIN, sandboxAgentUser } from '../../shared/sandbox/agent-user'
import type { FeatureContext } from '../features/feature'
import {
  isCallCommand,
  moveCallId,
  normaliseCallerNumber,
  phoneError,
  refuseCallMove,
  type AgentState,
  type CallerId,
  type NotReadyReason,
  type PhoneCommand,
  type PhoneError,
  type PhoneFact,
  type PhoneResult,
  type Devices,
  type Registration
} from '../../shared/phone'
import { maskPhone, maySeeCitizenContact } from '../../shared/api/masking'
import type { NormalisedNumber } from '../../shared/phone/caller-number'
import { diagnoseTls } from './tls-probe'
import { AgentStateKeeper } from './agent-state-keeper'
import { AnswerQuiet, PlatformHold } from './answer-quiet'
import { CallFacts, type CallMeta, type CallRecordsPort } from './call-facts'
import { PhoneCommandError, PhoneHostLink } from './phone-host-link'

export { PhoneCommandError } from './phone-host-link'
export type { CallPurpose, CallRecordsPort } from './call-facts'
import { msg } from '../../shared/messages'

/**
 * Main's side of the softphone. The phone host (sip.js, src/phone) is a driver main commands and listens to,
 * through the phone-host link (phone-host-link.ts). This service keeps the truth every window sees in the `phone`
 * topic (registration, calls, agent state), configures the phone host for whoever is signed in, blocks malicious
 * numbers before ringing, and routes the phone host's facts: calls to `CallFacts` (call-facts.ts), which moves
 * the agent state (`AgentStateKeeper`, agent-state-keeper.ts); the answer-time hold of windows and platform work
 * is `AnswerQuiet` and `PlatformHold` (answer-quiet.ts).
 */
type Ctx = Pick<FeatureContext, 'config' | 'log' | 'hub' | 'session' | 'platform' | 'sendPhoneCommand' | 'notify' | 'bus' | 'audit'>

export interface PhoneServiceOptions {
  commandTimeoutMs?: number
  now?: () => number
  records?: CallRecordsPort
  /** The longest the UI and the platform wait for an answered call's first audio (see AnswerQuiet). */
  answerQuietMs?: number
}

const ANSWER_QUIET_MS = 300

export interface SelfCheckResult {
  ok: boolean
  registration: { ok: boolean; roundTripMs: number | null }
  microphone: { ok: boolean; level: number | null; label: string | null }
  speaker: { ok: boolean }
}

export class PhoneService {
  private registration: Registration | null = null
  private devices: Devices | null = null
  private autoAnswer = false
  private selfCheckWaiters: ((f: Extract<PhoneFact, { type: 'selfCheck' }>) => void)[] = []
  private hostSince: number | null = null
  private blocked: string[] = []
  private configuredFor: string | null = null
  /** Why the wss:// server's certificate is refused (main's own TLS check), while registration keeps failing. */
  private tlsProblem: PhoneError | null = null
  private tlsProbe: { running: boolean; at: number } = { running: false, at: -Infinity }
  private readonly unsubscribe: () => void
  private readonly now: () => number
  private readonly host: PhoneHostLink
  private readonly platformHold = new PlatformHold()
  private readonly quiet: AnswerQuiet
  private readonly agent: AgentStateKeeper
  private readonly calls: CallFacts

  constructor(
    private readonly ctx: Ctx,
    opts: PhoneServiceOptions = {}
  ) {
    this.now = opts.now ?? Date.now
    this.host = new PhoneHostLink(ctx, opts.commandTimeoutMs)
    this.quiet = new AnswerQuiet(ctx.hub, this.platformHold, opts.answerQuietMs ?? ANSWER_QUIET_MS)
    const publish = () => this.publish()
    this.agent = new AgentStateKeeper({ ctx, now: this.now, publish, platformWork: (fn) => this.platformHold.work(fn), hasLiveCall: () => this.calls.hasLiveCall() })
    this.calls = new CallFacts({ ctx, now: this.now, records: opts.records, agent: this.agent, platform: this.platformHold, quiet: this.quiet, publish })
    this.unsubscribe = ctx.hub.onChange((change) => {
      if (change.topic === 'session') this.onSession()
      if (change.topic === 'phoneHost') this.onHost()
    })
    this.onHost()
  }

  stop(): void {
    this.quiet.end()
    this.unsubscribe()
    this.agent.stop()
    this.host.stop()
  }

  // ───────────── configuring the phone host ─────────────

  private user() {
    return this.ctx.hub.get('session').user
  }

  private onHost(): void {
    const host = this.ctx.hub.get('phoneHost')
    if (host.status !== 'alive' || host.since === this.hostSince) return
    const restarted = this.hostSince !== null
    this.hostSince = host.since
    if (restarted) this.calls.hostRestarted()
    this.configuredFor = null
    this.onSession()
  }

  private onSession(): void {
    const user = this.user()
    const key = user ? `${user.username}@${this.hostSince}` : null
    if (key === this.configuredFor) return
    this.configuredFor = key
    if (!user) {
      this.agent.reset()
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

  // ───────────── commands ─────────────

  /** Sends a command to the phone host and waits for its answer. */
  command(command: PhoneCommand): Promise<PhoneResult> {
    return this.host.command(command)
  }

  commandResult(id: number, result: PhoneResult): void {
    this.host.result(id, result)
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
    if (meta && res.value.callId) this.calls.tag(res.value.callId, meta)
    // The 接听 button stays busy until the window can show the call as answered (no second click on a stale card).
    const quietOver = this.quiet.over
    if (command.type === 'answer' && quietOver) await quietOver
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

  /** 满意度评价: the next transfer of this call is the survey (set before the transfer, cleared if it fails). */
  noteSurvey(callId: string, surveyed: boolean): void {
    this.calls.noteSurvey(callId, surveyed)
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
        this.calls.incoming(fact)
        return
      case 'call':
        this.calls.onCall(fact.call)
        return
      case 'error':
        this.quiet.end()
        this.ctx.log.warn('phone: error', { code: fact.error.code, detail: fact.error.detail, command: fact.command })
        this.ctx.notify('warning', msg(`phoneError.${fact.error.code}`))
        return
      case 'quality':
        if (!this.calls.sample(fact.sample)) return
        this.publish()
        if (fact.sample.firstMediaAt != null) this.quiet.end()
        return
      case 'devices':
        this.devices = fact.devices
        if (fact.fallback) {
          const e = phoneError('device-missing', { detail: `${fact.fallback.kind}: ${fact.fallback.from}` })
          this.ctx.log.warn('phone: audio device gone, fell back to the default', { kind: fact.fallback.kind })
          this.ctx.notify('warning', msg(`phoneError.${e.code}`))
        }
        if (fact.micRestored) this.ctx.notify('info', msg('notice.micRestored'))
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

  // ───────────── agent state ─────────────

  /** A move the agent asked for (签入/签出/置闲/置忙): refused with a clear message when illegal. */
  agentMove(to: 'ready' | 'not-ready' | 'signed-out', reason?: NotReadyReason): void {
    this.agent.move(to, reason)
  }

  signIn(): void {
    this.agent.signIn()
  }

  getAgent(): AgentState {
    return this.agent.state
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

  // ───────────── the topic ─────────────

  private publish(): void {
    const user = this.user()
    const mask = !user || !maySeeCitizenContact(user.roles, { confidential: false, isCreator: false })
    const calls = this.calls.list().map((c) => (mask ? { ...c, peer: maskNumber(c.peer) } : c))
    const registration = this.registration && this.tlsProblem && this.registration.state !== 'registered' ? { ...this.registration, reason: this.tlsProblem } : this.registration
    this.ctx.hub.set('phone', { registration, calls, agent: this.agent.state, quality: this.calls.samples(), devices: this.devices, autoAnswer: this.autoAnswer })
  }
}

/** The caller's number as a role without citizen-contact rights sees it (139****1234). */
export function maskNumber(n: NormalisedNumber): NormalisedNumber {
  const m = (s: string | null) => (s === null ? null : maskPhone(s))
  return { ...n, raw: maskPhone(n.raw), normalised: m(n.normalised), e164: m(n.e164), display: maskPhone(n.display.replace(/[\s-]/g, '')) }
}
