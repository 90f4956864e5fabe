import { Registerer, RegistererState, UserAgent, type Invitation, type SessionDescriptionHandlerFactory, type UserAgentOptions } from 'sip.js'
import { DEFAULT_REGISTRATION, backoffDelay, phoneError, registrationFailure, type BackoffOptions, type PhoneError, type Registration, type SipAccount } from '../shared/phone'
import { SipAccountSchema } from '../shared/phone/driver'

/**
 * The softphone's user agent and its registration, kept apart from the calls as sip.js keeps its `Registerer`
 * apart from the `UserAgent`.
 *
 * Registration stays up by our own loop, because sip.js reconnects nothing by default: one "cycle" (connect →
 * REGISTER) runs at a time (so never two REGISTERs at once), failures retry with capped backoff + jitter, an
 * OPTIONS ping every `keepAliveMs` notices a dead link that TCP would hide for minutes, and 'online' /
 * resume-from-sleep start a cycle at once.
 */
export interface SipRegistrationOptions {
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory
  /** OPTIONS ping period while registered (ms); 0 disables. */
  keepAliveMs?: number
  /** No answer to a ping within this means the link is dead. */
  pingTimeoutMs?: number
  /** No final answer to REGISTER within this counts as a failure. */
  registerTimeoutMs?: number
  backoff?: BackoffOptions
  /** Where 'online' / resume events come from (window in the phone host). */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>
  now?: () => number
  random?: () => number
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void
  /**
   * A transport other than the WebSocket for this account, or null for the WebSocket. The training
   * sandbox uses it to put the agent on the in-page loopback switch (src/phone/sandbox).
   */
  transportFor?: (account: { server: string; aor: string }) => { transportConstructor: NonNullable<UserAgentOptions['transportConstructor']>; transportOptions: unknown } | null
}

type Account = ReturnType<typeof SipAccountSchema.parse>

export class SipRegistration {
  private ua: UserAgent | null = null
  private registerer: Registerer | null = null
  private account: Account | null = null
  private reg: Registration
  private cycleRunning: Promise<void> | null = null
  private cycleAgain = false
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private pingTimer: ReturnType<typeof setInterval> | null = null
  private wakeTimer: ReturnType<typeof setInterval> | null = null
  private lastWake: number
  private stopped = false
  private readonly now: () => number
  private readonly random: () => number
  private readonly onOnline = () => this.kick('online')

  constructor(
    private readonly opts: SipRegistrationOptions,
    /** A call arrives on this user agent. */
    private readonly onInvite: (ua: UserAgent, invitation: Invitation) => void,
    /** The registration changed (a fact for main). */
    private readonly onChange: (registration: Registration) => void
  ) {
    this.now = opts.now ?? Date.now
    this.random = opts.random ?? Math.random
    this.reg = DEFAULT_REGISTRATION(this.now())
    this.lastWake = this.now()
    opts.events?.addEventListener('online', this.onOnline)
  }

  get state(): Registration {
    return this.reg
  }

  /** The current user agent (null when unregistered); a call on an older one is not ours any more. */
  get userAgent(): UserAgent | null {
    return this.ua
  }

  async register(input: SipAccount): Promise<void> {
    const account = SipAccountSchema.parse(input)
    const same = this.account && JSON.stringify(this.account) === JSON.stringify(account) && this.ua
    this.account = account
    this.stopped = false
    if (!same) {
      const old = this.ua
      this.ua = null
      this.registerer = null
      if (old) await old.stop().catch(() => undefined)
      this.ua = this.makeUserAgent(account)
    }
    this.startTimers()
    this.kick('register')
  }

  async unregister(): Promise<void> {
    this.stopped = true
    this.clearTimers()
    const r = this.registerer
    if (r && r.state === RegistererState.Registered) await r.unregister().catch(() => undefined)
    const ua = this.ua
    this.ua = null
    this.registerer = null
    if (ua) await ua.stop().catch(() => undefined)
    this.setReg({ state: 'unregistered', transport: 'disconnected', attempt: 0, retryAt: null, reason: null })
  }

  async dispose(): Promise<void> {
    this.stopped = true
    this.opts.events?.removeEventListener('online', this.onOnline)
    this.clearTimers()
    const ua = this.ua
    this.ua = null
    if (ua) await ua.stop().catch(() => undefined)
  }

  private makeUserAgent(account: Account): UserAgent {
    const uri = UserAgent.makeURI(account.aor)
    if (!uri) throw new Error(`bad AOR ${account.aor}`)
    const ua = new UserAgent({
      uri,
      authorizationUsername: account.authorizationUsername ?? uri.user,
      authorizationPassword: account.password,
      displayName: account.displayName,
      logBuiltinEnabled: false,
      logLevel: 'error',
      transportOptions: { server: account.server, connectionTimeout: 3, keepAliveInterval: 0, traceSip: false },
      ...this.opts.transportFor?.(account),
      sessionDescriptionHandlerFactory: this.opts.sessionDescriptionHandlerFactory,
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 500 },
      delegate: {
        onInvite: (invitation) => this.onInvite(ua, invitation),
        onDisconnect: (error) => {
          if (this.ua !== ua || this.stopped) return
          this.opts.log?.('warn', 'sip transport lost', { error: error?.message })
          this.setReg({ transport: 'disconnected', state: 'registering', reason: phoneError('transport-failed', { detail: error?.message ?? null }) })
          this.scheduleRetry()
        }
      }
    })
    return ua
  }

  /** Start a registration cycle now (coalesced: never two at once). */
  private kick(why: string): void {
    if (this.stopped || !this.ua) return
    this.opts.log?.('info', 'registration cycle', { why })
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    if (this.cycleRunning) {
      this.cycleAgain = true
      return
    }
    this.cycleRunning = this.cycle().finally(() => {
      this.cycleRunning = null
      if (this.cycleAgain) {
        this.cycleAgain = false
        this.kick('again')
      }
    })
  }

  private scheduleRetry(): void {
    // A running cycle schedules its own retry when it fails.
    if (this.stopped || this.retryTimer || this.cycleRunning) return
    const delay = backoffDelay(this.reg.attempt, this.opts.backoff, this.random)
    this.setReg({ retryAt: this.now() + delay })
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.kick('retry')
    }, delay)
  }

  private async cycle(): Promise<void> {
    const ua = this.ua
    if (!ua) return
    this.setReg({ state: 'registering', retryAt: null, aor: this.account?.aor ?? null })
    try {
      if (!ua.isConnected()) {
        this.setReg({ transport: 'connecting' })
        // A dead socket may still be closing: connect() from Disconnecting opens a fresh one.
        await (ua.state === 'Started' ? ua.reconnect() : ua.start())
      }
      if (this.ua !== ua) return
      this.setReg({ transport: 'connected' })
      const t0 = this.now()
      await this.sendRegister(ua)
      this.setReg({ state: 'registered', attempt: 0, reason: null, retryAt: null, roundTripMs: this.now() - t0 })
    } catch (err) {
      if (this.ua !== ua || this.stopped) return
      const error = (err as { code?: string }).code ? (err as PhoneError) : phoneError('transport-failed', { detail: (err as Error).message })
      this.opts.log?.('warn', 'registration failed', { code: error.code, detail: error.detail, attempt: this.reg.attempt + 1 })
      this.setReg({ state: 'failed', attempt: this.reg.attempt + 1, reason: error, transport: ua.isConnected() ? 'connected' : 'disconnected' })
      this.cycleRunning = null
      this.scheduleRetry()
    }
  }

  /** One REGISTER with a fresh Registerer (an old one may wait 32 s on a REGISTER lost with its socket). */
  private sendRegister(ua: UserAgent): Promise<void> {
    const account = this.account!
    const old = this.registerer
    if (old) (old as unknown as { clearTimers(): void }).clearTimers()
    const registerer = new Registerer(ua, { expires: account.expiresSec, refreshFrequency: 90 })
    this.registerer = registerer
    registerer.stateChange.addListener((state) => {
      // A refresh that failed (or the registrar dropped us) while we thought we were registered.
      if (this.registerer === registerer && state === RegistererState.Unregistered && this.reg.state === 'registered' && !this.stopped) {
        this.setReg({ state: 'registering', reason: phoneError('registration-failed') })
        this.kick('refresh-failed')
      }
    })
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(phoneError('timeout', { detail: 'REGISTER timed out' })), this.opts.registerTimeoutMs ?? 4000)
      registerer
        .register({
          requestDelegate: {
            onAccept: () => {
              clearTimeout(timer)
              resolve()
            },
            onReject: (res) => {
              clearTimeout(timer)
              reject(registrationFailure((res.message.statusCode ?? 0), res.message.reasonPhrase))
            }
          }
        })
        .catch((err: Error) => {
          clearTimeout(timer)
          reject(phoneError('registration-failed', { detail: err.message }))
        })
    })
  }

  private startTimers(): void {
    const every = this.opts.keepAliveMs ?? 15_000
    if (every > 0 && !this.pingTimer) this.pingTimer = setInterval(() => void this.ping(), every)
    if (!this.wakeTimer) {
      // A timer that fires far later than asked means the machine slept: re-register at once.
      this.lastWake = this.now()
      this.wakeTimer = setInterval(() => {
        const now = this.now()
        if (now - this.lastWake > 10_000) this.kick('resume')
        this.lastWake = now
      }, 2000)
    }
  }

  private clearTimers(): void {
    for (const t of [this.pingTimer, this.wakeTimer]) if (t) clearInterval(t)
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.pingTimer = this.wakeTimer = this.retryTimer = null
  }

  /** OPTIONS to the registrar: any answer proves the link; silence means reconnect. */
  private async ping(): Promise<void> {
    const ua = this.ua
    if (!ua || this.cycleRunning || this.reg.state !== 'registered' || !this.account) return
    const alive = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.opts.pingTimeoutMs ?? 3000)
      try {
        const target = UserAgent.makeURI(`sip:${ua.configuration.uri.host}`)!
        const msg = ua.userAgentCore.makeOutgoingRequestMessage('OPTIONS', target, ua.configuration.uri, target, {})
        ua.userAgentCore.request(msg, {
          onAccept: () => (clearTimeout(timer), resolve(true)),
          onReject: () => (clearTimeout(timer), resolve(true))
        })
      } catch {
        clearTimeout(timer)
        resolve(false)
      }
    })
    if (alive || this.ua !== ua) return
    this.opts.log?.('warn', 'keepalive unanswered: reconnecting')
    this.setReg({ state: 'registering', transport: 'disconnected', reason: phoneError('transport-failed', { detail: 'keepalive unanswered' }) })
    void ua.transport.disconnect().catch(() => undefined)
    this.kick('keepalive')
  }

  private setReg(patch: Partial<Registration>): void {
    const next = { ...this.reg, ...patch }
    if (next.state !== this.reg.state) next.since = this.now()
    if (JSON.stringify(next) === JSON.stringify(this.reg)) return
    this.reg = next
    this.onChange(next)
  }
}
