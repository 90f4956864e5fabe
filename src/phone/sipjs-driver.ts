import {
  type Core,
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type UserAgentOptions,
  type Info,
  type Notification,
  type Referral,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerFactory,
  type URI
} from 'sip.js'
import {
  DEFAULT_PHONE_OPTIONS,
  DEFAULT_REGISTRATION,
  NO_FLAGS,
  PhoneCommandSchema,
  backoffDelay,
  callFailure,
  canTransitionCall,
  moveCallId,
  normaliseCallerNumber,
  phoneError,
  refuseCallMove,
  registrationFailure,
  type BackoffOptions,
  type CallSnapshot,
  type CallerId,
  type CallState,
  type DtmfMode,
  type PhoneCommand,
  type PhoneDriver,
  type PhoneError,
  type PhoneFact,
  type PhoneFactBody,
  type PhoneOptions,
  type PhoneResult,
  type PhoneSnapshot,
  type Registration,
  type SipAccount
} from '../shared/phone'
import { SipAccountSchema } from '../shared/phone/driver'

/**
 * The softphone itself: sip.js over WebSocket behind the PhoneDriver port.
 *
 * Registration stays up by our own loop, because sip.js reconnects nothing by
 * default: one "cycle" (connect → REGISTER) runs at a time (so never two
 * REGISTERs at once), failures retry with capped backoff + jitter, an OPTIONS
 * ping every `keepAliveMs` notices a dead link that TCP would hide for minutes,
 * and 'online' / resume-from-sleep start a cycle at once.
 *
 * Everything browser-specific (getUserMedia, audio elements, ringtone) is behind
 * `media` and `sessionDescriptionHandlerFactory`, so the same driver runs in Node
 * against a real Kamailio in the signalling tests.
 */
/** How long after the ring starts the answer is prepared (see answerPrep). */
const PREPARE_AFTER_MS = 150

export interface PhoneMedia {
  /** getUserMedia constraints for a new call (the chosen microphone). */
  constraints(): MediaStreamConstraints
  /** The call has media: play the far end on the chosen speaker. */
  attach(callId: string, session: Session): void
  detach(callId: string): void
  ringStart(callId: string): void
  ringStop(callId: string): void
  /** Two legs joined: each hears the other (three-way call mixed locally). */
  conference?(a: Session, b: Session): void
  /** Whether this leg's outgoing audio is a local three-way mix (its mute then acts inside the mix). */
  mixed?(session: Session): boolean
  /** Mutes the agent's microphone inside a leg's three-way mix: the far ends keep hearing each other. */
  muteMix?(session: Session, muted: boolean): void
  setDevices?(devices: { mic?: string; speaker?: string; ringer?: string }): Promise<void>
  micCheck?(ms: number): Promise<{ level: number; label: string }>
  /** Whether any audio output exists. */
  hasOutput?(): Promise<boolean>
}

export interface SipJsDriverOptions {
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory
  /** Takes a ringing call's offer before the answer (see answer-prep.ts), so answering has less left to do. */
  answerPrep?: { prepare(invitation: Invitation, constraints: MediaStreamConstraints): void; discard(session: Session): void }
  media?: PhoneMedia
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

interface CallRec {
  snap: CallSnapshot
  session: Session
  holdBusy: boolean
  /** Inbound: the caller's ACK arrived (no re-INVITE may go out before it, RFC 3261 §14.1). */
  acked: Promise<void>
  /** Set when we ended it (or failed it) so Terminated knows who and why. */
  endedBy: CallSnapshot['endedBy']
  cause: PhoneError | null
}

type Ok = PhoneResult

const ok = (callId: string | null = null): Ok => ({ ok: true, value: { callId } })
const fail = (error: PhoneError): Ok => ({ ok: false, error })

/** The user part of a SIP URI inside a header value (`"x" <sip:123@host>;tag=…`). */
function userOf(header: string | undefined): string | null {
  if (!header) return null
  const m = /<?(?:sips?|tel):([^@;>]*)/i.exec(header)
  return m ? m[1]! : null
}

export class SipJsDriver implements PhoneDriver {
  readonly kind = 'sipjs'
  private ua: UserAgent | null = null
  private registerer: Registerer | null = null
  private account: ReturnType<typeof SipAccountSchema.parse> | null = null
  private reg: Registration
  private options: PhoneOptions = { ...DEFAULT_PHONE_OPTIONS }
  private readonly calls = new Map<string, CallRec>()
  private readonly listeners = new Set<(f: PhoneFact) => void>()
  private seq = 0
  private callSeq = 0
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

  constructor(private readonly opts: SipJsDriverOptions = {}) {
    this.now = opts.now ?? Date.now
    this.random = opts.random ?? Math.random
    this.reg = DEFAULT_REGISTRATION(this.now())
    this.lastWake = this.now()
    opts.events?.addEventListener('online', this.onOnline)
  }

  // ───────────── port ─────────────

  onFact(listener: (fact: PhoneFact) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  snapshot(): PhoneSnapshot {
    return { driver: this.kind, registration: this.reg, calls: [...this.calls.values()].map((c) => c.snap), devices: null, options: this.options, seq: this.seq }
  }

  async execute(input: PhoneCommand): Promise<PhoneResult> {
    const parsed = PhoneCommandSchema.safeParse(input)
    if (!parsed.success) return fail(phoneError('bad-command', { detail: parsed.error.issues.map((i) => i.message).join('; ') }))
    const c = parsed.data
    try {
      switch (c.type) {
        case 'register':
          return await this.register(c.account)
        case 'unregister':
          await this.unregister()
          return ok()
        case 'setOptions':
          this.options = { ...this.options, ...c.options }
          return ok()
        case 'setDevices':
          await this.opts.media?.setDevices?.({ mic: c.mic, speaker: c.speaker, ringer: c.ringer })
          return ok()
        case 'dial':
          return this.dial(c.target, { callId: c.callId, callerId: c.callerId })
        case 'selfCheck':
          void this.selfCheck(c.listenMs ?? 1500)
          return ok()
        default:
          return await this.callCommand(c)
      }
    } catch (err) {
      const error = phoneError('internal', { detail: (err as Error).message })
      this.emit({ type: 'error', error, callId: 'callId' in c ? (c.callId ?? null) : null, command: c.type })
      return fail(error)
    }
  }

  /** The sip.js session of a live call (media, getStats). */
  sessionOf(callId: string): Session | undefined {
    return this.calls.get(callId)?.session
  }

  /** A fact produced beside the driver (quality samples, devices), stamped and sent like the driver's own. */
  report(body: PhoneFactBody): void {
    this.emit(body)
  }

  async dispose(): Promise<void> {
    this.stopped = true
    this.opts.events?.removeEventListener('online', this.onOnline)
    this.clearTimers()
    const ua = this.ua
    this.ua = null
    if (ua) await ua.stop().catch(() => undefined)
  }

  private async selfCheck(ms: number): Promise<void> {
    const media = this.opts.media
    let micLevel: number | null = null
    let micLabel: string | null = null
    let error: PhoneError | null = null
    try {
      if (!media?.micCheck) throw new Error('no microphone access here')
      const r = await media.micCheck(ms)
      micLevel = r.level
      micLabel = r.label
    } catch (err) {
      error = phoneError('device-missing', { detail: (err as Error).message })
    }
    const speakerOk = (await media?.hasOutput?.().catch(() => false)) ?? false
    this.emit({ type: 'selfCheck', micLevel, micLabel, speakerOk, error })
  }

  // ───────────── registration ─────────────

  private async register(input: SipAccount): Promise<PhoneResult> {
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
    return ok()
  }

  private async unregister(): Promise<void> {
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

  private makeUserAgent(account: ReturnType<typeof SipAccountSchema.parse>): UserAgent {
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
    this.emit({ type: 'registration', registration: next })
  }

  // ───────────── calls ─────────────

  private newCallId(): string {
    return `c${this.now().toString(36)}-${++this.callSeq}`
  }

  private onInvite(ua: UserAgent, invitation: Invitation): void {
    const req = invitation.request
    const fromUser = invitation.remoteIdentity.uri.user ?? userOf(req.getHeader('From'))
    const caller = normaliseCallerNumber(fromUser, { homeAreaCode: this.options.homeAreaCode })
    const pai = req.getHeader('P-Asserted-Identity')
    const asserted = pai ? normaliseCallerNumber(userOf(pai), { homeAreaCode: this.options.homeAreaCode }) : null
    const effective = asserted && asserted.kind !== 'invalid' && asserted.kind !== 'anonymous' ? asserted : caller
    const blocked = this.isBlocked(caller.normalised) || this.isBlocked(asserted?.normalised ?? null)
    const callId = this.newCallId()
    const replaces = req.getHeader('Replaces')
    const replaced = replaces ? this.findByDialog(replaces) : null
    // The screen pop starts from this fact: before ringing, before anything else.
    this.emit({
      type: 'incoming',
      callId,
      sipCallId: req.callId,
      caller,
      callerName: invitation.remoteIdentity.displayName || null,
      assertedIdentity: asserted,
      callee: invitation.localIdentity.uri.user ?? null,
      replacesCallId: replaced?.snap.callId ?? null,
      blocked
    })
    if (caller.problem && caller.kind === 'invalid') this.opts.log?.('warn', 'incoming call with a bad caller number', { raw: caller.raw, problem: caller.problem.en })
    if (blocked) {
      this.opts.log?.('info', 'blocked caller rejected before ringing', { number: caller.normalised })
      void invitation.reject({ statusCode: 603 }).catch(() => undefined)
      return
    }
    if (ua !== this.ua) {
      void invitation.reject({ statusCode: 480 }).catch(() => undefined)
      return
    }
    const rec = this.track(invitation, 'inbound', callId, effective, invitation.remoteIdentity.displayName || null, null)
    this.setCall(rec, 'ringing')
    if (replaced) {
      // Attended transfer arriving here: take the new leg at once and drop the one it replaces.
      void this.answer(rec)
      void this.hangup(replaced)
      return
    }
    this.opts.media?.ringStart(callId)
    // The screen pop first: the caller card is being painted in these first ~100 ms, and on a two-core desk the
    // preparation (≈25 ms of CPU) would slow it; nobody answers that fast (an earlier answer just does it all).
    const prep = this.opts.answerPrep
    if (prep) setTimeout(() => rec.snap.state === 'ringing' && prep.prepare(invitation, this.opts.media?.constraints() ?? { audio: true, video: false }), PREPARE_AFTER_MS)
    if (this.options.autoAnswer) setTimeout(() => void this.answer(rec), this.options.autoAnswerDelayMs)
  }

  private isBlocked(n: string | null): boolean {
    return n !== null && this.options.blockedNumbers.includes(n)
  }

  private findByDialog(replaces: string): CallRec | null {
    const callId = replaces.split(';')[0]!.trim()
    return [...this.calls.values()].find((c) => c.snap.sipCallId === callId) ?? null
  }

  private track(session: Session, direction: 'inbound' | 'outbound', callId: string, peer: CallSnapshot['peer'], peerName: string | null, linkedTo: string | null): CallRec {
    const rec: CallRec = {
      snap: {
        callId,
        direction,
        state: 'idle',
        flags: { ...NO_FLAGS },
        peer,
        peerName,
        linkedTo,
        conferenceWith: null,
        startedAt: this.now(),
        answeredAt: null,
        endedAt: null,
        endedBy: null,
        cause: null,
        sipCallId: session instanceof Invitation ? session.request.callId : null
      },
      session,
      holdBusy: false,
      acked: Promise.resolve(),
      endedBy: null,
      cause: null
    }
    this.calls.set(callId, rec)
    let onAck = () => {}
    if (session instanceof Invitation) rec.acked = new Promise<void>((resolve) => (onAck = resolve))
    session.delegate = {
      onAck: () => onAck(),
      onInfo: (info) => this.onInfo(rec, info),
      onRefer: (referral) => this.onRefer(rec, referral),
      onInvite: (request) => this.onReInvite(rec, request)
    }
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        this.opts.media?.ringStop(callId)
        if (session instanceof Inviter && !rec.snap.sipCallId) rec.snap.sipCallId = session.dialog?.callId ?? null
        this.setCall(rec, 'established', { answeredAt: this.now() })
        this.opts.media?.attach(callId, session)
      } else if (state === SessionState.Terminating) {
        if (rec.snap.state === 'established') this.setCall(rec, 'terminating')
      } else if (state === SessionState.Terminated) {
        this.opts.media?.ringStop(callId)
        this.opts.media?.detach(callId)
        this.opts.answerPrep?.discard(session)
        // sip.js moves to Terminated before it calls the reject delegate that tells us why: wait for it.
        queueMicrotask(() => this.ended(rec, direction))
      }
    })
    return rec
  }

  private ended(rec: CallRec, direction: 'inbound' | 'outbound'): void {
    const callId = rec.snap.callId
    {
      {
        const endedBy = rec.endedBy ?? 'remote'
        const cause = rec.cause ?? (rec.snap.answeredAt === null && direction === 'inbound' && endedBy === 'remote' ? phoneError('cancelled') : null)
        this.setCall(rec, 'terminated', { endedAt: this.now(), endedBy, cause })
        this.calls.delete(callId)
        for (const other of this.calls.values()) if (other.snap.conferenceWith === callId) this.setCall(other, other.snap.state, { conferenceWith: null })
      }
    }
  }

  private setCall(rec: CallRec, state: CallState, patch: Partial<CallSnapshot> = {}): void {
    const previous = rec.snap.state
    if (state !== previous && !canTransitionCall(previous, state)) return
    rec.snap = { ...rec.snap, ...patch, state }
    this.emit({ type: 'call', call: rec.snap, previous: state === previous ? null : previous })
  }

  private setFlags(rec: CallRec, flags: Partial<CallSnapshot['flags']>): void {
    this.setCall(rec, rec.snap.state, { flags: { ...rec.snap.flags, ...flags } })
  }

  private dial(target: string, o: { callId?: string; callerId?: CallerId; linkedTo?: string }): PhoneResult {
    const ua = this.ua
    if (!ua || this.reg.state !== 'registered') return fail(phoneError('not-registered'))
    const uri = this.targetUri(target)
    if (!uri) return fail(phoneError('bad-command', { detail: `bad target ${target}` }))
    const callerId = { ...this.options.callerId, ...o.callerId }
    const extraHeaders: string[] = []
    if (callerId.pAssertedIdentity) extraHeaders.push(`P-Asserted-Identity: ${callerId.pAssertedIdentity}`)
    const params: { fromDisplayName?: string; fromUri?: URI } = {}
    if (callerId.fromDisplay) params.fromDisplayName = callerId.fromDisplay
    if (callerId.fromUser) params.fromUri = UserAgent.makeURI(`sip:${callerId.fromUser}@${ua.configuration.uri.host}`)
    const inviter = new Inviter(ua, uri, {
      extraHeaders,
      params,
      sessionDescriptionHandlerOptions: { constraints: this.opts.media?.constraints() ?? { audio: true, video: false } }
    })
    const callId = o.callId ?? this.newCallId()
    if (this.calls.has(callId)) return fail(phoneError('bad-command', { detail: `call id ${callId} in use` }))
    const peer = normaliseCallerNumber(uri.user ?? target, { homeAreaCode: this.options.homeAreaCode })
    const rec = this.track(inviter, 'outbound', callId, peer, null, o.linkedTo ?? null)
    this.setCall(rec, 'dialing')
    inviter
      .invite({
        requestDelegate: {
          onProgress: (res) => {
            if ((res.message.statusCode ?? 0) > 100 && rec.snap.state === 'dialing') this.setCall(rec, 'early')
          },
          onReject: (res) => {
            rec.cause = callFailure((res.message.statusCode ?? 0), res.message.reasonPhrase)
            rec.endedBy = 'remote'
          }
        }
      })
      .catch((err: Error) => {
        rec.cause = phoneError('call-failed', { detail: err.message })
        this.emit({ type: 'error', error: rec.cause, callId, command: 'dial' })
      })
    return ok(callId)
  }

  private targetUri(target: string): URI | undefined {
    if (/^sips?:/i.test(target)) return UserAgent.makeURI(target)
    const host = this.ua!.configuration.uri.host
    return UserAgent.makeURI(`sip:${encodeURIComponent(target).replace(/%2B/g, '+').replace(/%23/g, '%23')}@${host}`)
  }

  private async callCommand(c: Exclude<ReturnType<typeof PhoneCommandSchema.parse>, { type: 'register' | 'unregister' | 'setOptions' | 'setDevices' | 'dial' | 'selfCheck' }>): Promise<PhoneResult> {
    const rec = this.calls.get(c.callId)
    if (!rec) return fail(phoneError('no-such-call', { detail: c.callId }))
    const subject = this.calls.get(moveCallId(c))
    if (!subject) return fail(phoneError('no-such-call', { detail: moveCallId(c) }))
    const refused = refuseCallMove(subject.snap, c.type)
    if (refused) {
      this.opts.log?.('warn', 'call command refused', { command: c.type, callId: subject.snap.callId, state: subject.snap.state })
      return fail(refused)
    }
    switch (c.type) {
      case 'answer':
        if (rec.snap.state !== 'ringing') return fail(phoneError('illegal-state', { detail: `answer in ${rec.snap.state}` }))
        return this.answer(rec)
      case 'reject':
        if (!(rec.session instanceof Invitation) || rec.snap.state !== 'ringing') return fail(phoneError('illegal-state', { detail: `reject in ${rec.snap.state}` }))
        rec.endedBy = 'local'
        this.opts.media?.ringStop(rec.snap.callId)
        await rec.session.reject({ statusCode: c.status ?? this.options.rejectStatus })
        return ok(rec.snap.callId)
      case 'hangup':
        return this.hangup(rec)
      case 'hold':
      case 'unhold':
        return this.hold(rec, c.type === 'hold')
      case 'mute':
      case 'unmute':
        return this.mute(rec, c.type === 'mute')
      case 'dtmf':
        return this.dtmf(rec, c.digits, c.mode ?? this.options.dtmfMode)
      case 'blindTransfer':
        return this.blindTransfer(rec, c.target)
      case 'consult': {
        if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
        if (!rec.snap.flags.held) {
          const held = await this.hold(rec, true)
          if (!held.ok) return held
        }
        return this.dial(c.target, { callId: c.consultCallId, linkedTo: rec.snap.callId })
      }
      case 'completeTransfer':
        return this.completeTransfer(rec, c.consultCallId)
      case 'conference':
        return this.conference(rec, c.consultCallId)
    }
  }

  private async answer(rec: CallRec): Promise<PhoneResult> {
    const inv = rec.session
    if (!(inv instanceof Invitation)) return fail(phoneError('illegal-state'))
    this.opts.media?.ringStop(rec.snap.callId)
    this.setCall(rec, 'answering')
    try {
      await inv.accept({ sessionDescriptionHandlerOptions: { constraints: this.opts.media?.constraints() ?? { audio: true, video: false } } })
      return ok(rec.snap.callId)
    } catch (err) {
      // An offer we cannot use (bad SDP) or no microphone: sip.js has answered 488/500; tell the agent.
      const error = phoneError('media', { detail: (err as Error).message })
      rec.cause = error
      rec.endedBy = 'local'
      this.emit({ type: 'error', error, callId: rec.snap.callId, command: 'answer' })
      if (inv.state === SessionState.Initial || inv.state === SessionState.Establishing) await inv.reject({ statusCode: 488 }).catch(() => undefined)
      // Whatever sip.js managed to send, the agent must not be left with a call that cannot go anywhere.
      if (this.calls.has(rec.snap.callId)) {
        this.opts.log?.('warn', 'answer failed; dropping the call', { state: inv.state })
        this.ended(rec, 'inbound')
      }
      return fail(error)
    }
  }

  private async hangup(rec: CallRec): Promise<PhoneResult> {
    const s = rec.session
    rec.endedBy = 'local'
    if (s.state === SessionState.Terminated || s.state === SessionState.Terminating) return ok(rec.snap.callId)
    if (s instanceof Invitation && s.state !== SessionState.Established) await s.reject({ statusCode: this.options.rejectStatus })
    else if (s instanceof Inviter && s.state !== SessionState.Established) await s.cancel()
    else await s.bye()
    return ok(rec.snap.callId)
  }

  /** re-INVITE with the new direction; retried on glare (491, and sip.js's 500 while it finishes an ACK). */
  private async reinvite(rec: CallRec, hold: boolean): Promise<PhoneError | null> {
    const s = rec.session
    await Promise.race([rec.acked, new Promise((r) => setTimeout(r, 2000))])
    s.sessionDescriptionHandlerOptionsReInvite = { ...s.sessionDescriptionHandlerOptionsReInvite, hold } as typeof s.sessionDescriptionHandlerOptionsReInvite
    for (let attempt = 0; attempt < 4; attempt++) {
      const status = await new Promise<number>((resolve) => {
        s.invite({
          requestDelegate: {
            onAccept: () => resolve(200),
            onReject: (res) => resolve((res.message.statusCode ?? 0))
          }
        }).catch(() => resolve(-1))
      })
      if (status === 200) return null
      if (status !== 491 && status !== 500 && status !== -1) return callFailure(status)
      await new Promise((r) => setTimeout(r, 100 + Math.round(this.random() * 200) * (attempt + 1)))
    }
    return phoneError('request-pending')
  }

  private async hold(rec: CallRec, hold: boolean): Promise<PhoneResult> {
    if (rec.snap.state !== 'established') return fail(phoneError('illegal-state', { detail: `hold in ${rec.snap.state}` }))
    if (rec.holdBusy) return fail(phoneError('request-pending'))
    if (rec.snap.flags.held === hold) return ok(rec.snap.callId)
    rec.holdBusy = true
    try {
      const error = await this.reinvite(rec, hold)
      if (error) {
        this.emit({ type: 'error', error, callId: rec.snap.callId, command: hold ? 'hold' : 'unhold' })
        return fail(error)
      }
      if (rec.snap.state !== 'established') return fail(phoneError('no-such-call', { detail: rec.snap.callId }))
      // A held caller must not hear the agent (sendonly still lets our microphone through).
      this.senderTracks(rec, !hold && (!rec.snap.flags.muted || !!this.opts.media?.mixed?.(rec.session)))
      this.setFlags(rec, { held: hold })
      return ok(rec.snap.callId)
    } finally {
      rec.holdBusy = false
    }
  }

  private mute(rec: CallRec, mute: boolean): PhoneResult {
    if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
    // In a three-way call the agent is muted for both far ends, who keep hearing each other: muting the
    // leg's whole track would cut one far end off from the other and leave the agent audible to it.
    const partner = rec.snap.conferenceWith ? this.calls.get(rec.snap.conferenceWith) : undefined
    for (const leg of partner ? [rec, partner] : [rec]) {
      const media = this.opts.media
      if (media?.mixed?.(leg.session)) media.muteMix?.(leg.session, mute)
      else this.senderTracks(leg, !mute && !leg.snap.flags.held)
      if (leg.snap.flags.muted !== mute) this.setFlags(leg, { muted: mute })
    }
    return ok(rec.snap.callId)
  }

  private senderTracks(rec: CallRec, on: boolean): void {
    const sdh = rec.session.sessionDescriptionHandler as (SessionDescriptionHandler & { enableSenderTracks?(on: boolean): void }) | undefined
    sdh?.enableSenderTracks?.(on)
  }

  private async dtmf(rec: CallRec, digits: string, mode: DtmfMode): Promise<PhoneResult> {
    if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
    if (mode === 'rfc4733') {
      const sent = rec.session.sessionDescriptionHandler?.sendDtmf(digits, { duration: 100, interToneGap: 70 })
      return sent ? ok(rec.snap.callId) : fail(phoneError('media', { detail: 'RFC 4733 DTMF not possible on this call' }))
    }
    for (const d of digits) {
      const status = await new Promise<number>((resolve) => {
        rec.session
          .info({
            requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${d}\r\nDuration=100\r\n` } },
            requestDelegate: { onAccept: () => resolve(200), onReject: (r) => resolve((r.message.statusCode ?? 0)) }
          })
          .catch(() => resolve(-1))
      })
      if (status !== 200) return fail(status > 0 ? callFailure(status) : phoneError('call-failed', { detail: 'INFO not sent' }))
    }
    return ok(rec.snap.callId)
  }

  private onInfo(rec: CallRec, info: Info): void {
    const body = info.request.body ?? ''
    const type = info.request.getHeader('Content-Type') ?? ''
    const m = /Signal\s*=\s*([0-9*#A-Da-d])/.exec(body) ?? (/dtmf$/i.test(type.trim()) ? /^\s*([0-9*#A-Da-d])/.exec(body) : null)
    void info.accept().catch(() => undefined)
    if (m) this.emit({ type: 'dtmf', callId: rec.snap.callId, digit: m[1]!.toUpperCase(), via: 'info' })
  }

  /** A re-INVITE from the far end: sendonly/inactive means it put us on hold. */
  private onReInvite(rec: CallRec, request: Core.IncomingRequestMessage): void {
    const body = request.body ?? ''
    if (!body) return
    const remoteHeld = /a=(sendonly|inactive)/.test(body)
    if (remoteHeld !== rec.snap.flags.remoteHeld) this.setFlags(rec, { remoteHeld })
  }

  /** We are being transferred: follow the REFER with a new call (the old one ends with the transferor's BYE). */
  private onRefer(rec: CallRec, referral: Referral): void {
    void referral.accept().then(() => {
      const ua = this.ua
      if (!ua) return
      const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: { constraints: this.opts.media?.constraints() ?? { audio: true, video: false } } })
      const peer = normaliseCallerNumber(referral.referTo.uri.user, { homeAreaCode: this.options.homeAreaCode })
      const next = this.track(inviter, 'outbound', this.newCallId(), peer, null, null)
      this.setCall(next, 'dialing')
      void inviter.invite().catch(() => undefined)
      void rec
    })
  }

  private transferFact(rec: CallRec, kind: 'blind' | 'attended', state: 'requested' | 'accepted' | 'completed' | 'failed', target: string, error: PhoneError | null = null): void {
    this.emit({ type: 'transfer', callId: rec.snap.callId, kind, state, target, error })
  }

  /** REFER, then our BYE once the far end reports the new call answered (or the REFER is accepted and nothing follows). */
  private refer(rec: CallRec, to: URI | Session, kind: 'blind' | 'attended', target: string): Promise<PhoneResult> {
    this.transferFact(rec, kind, 'requested', target)
    return new Promise<PhoneResult>((resolve) => {
      let settled = false
      const done = (r: PhoneResult) => {
        if (!settled) {
          settled = true
          resolve(r)
        }
      }
      const failTransfer = (status: number | null, detail: string | null) => {
        const error = phoneError('transfer-failed', { sipStatus: status, detail })
        this.transferFact(rec, kind, 'failed', target, error)
        this.emit({ type: 'error', error, callId: rec.snap.callId, command: kind === 'blind' ? 'blindTransfer' : 'completeTransfer' })
        done(fail(error))
      }
      const complete = () => {
        if (settled) return
        this.transferFact(rec, kind, 'completed', target)
        rec.endedBy = 'transfer'
        void rec.session.bye().catch(() => undefined)
        done(ok(rec.snap.callId))
      }
      rec.session
        .refer(to, {
          requestDelegate: {
            onAccept: () => {
              this.transferFact(rec, kind, 'accepted', target)
              // Some servers never NOTIFY: do not keep the agent on the line forever.
              setTimeout(complete, 4000)
            },
            onReject: (res) => failTransfer((res.message.statusCode ?? 0), res.message.reasonPhrase ?? null)
          },
          onNotify: (n: Notification) => {
            void n.accept().catch(() => undefined)
            const frag = /SIP\/2\.0\s+(\d{3})/.exec(n.request.body ?? '')
            const status = frag ? Number(frag[1]) : 0
            if (status >= 200 && status < 300) complete()
            else if (status >= 300) failTransfer(status, 'transfer target did not answer')
          }
        })
        .catch((err: Error) => failTransfer(null, err.message))
    })
  }

  private blindTransfer(rec: CallRec, target: string): Promise<PhoneResult> | PhoneResult {
    if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
    const uri = this.targetUri(target)
    if (!uri) return fail(phoneError('bad-command', { detail: `bad target ${target}` }))
    return this.refer(rec, uri, 'blind', target)
  }

  private async completeTransfer(rec: CallRec, consultCallId: string): Promise<PhoneResult> {
    const consult = this.calls.get(consultCallId)
    if (!consult) return fail(phoneError('no-such-call', { detail: consultCallId }))
    if (rec.snap.state !== 'established' || consult.snap.state !== 'established') return fail(phoneError('illegal-state'))
    // Refer-To is the consulted party's address (not its WebSocket contact, which a proxy cannot route) with Replaces.
    const d = consult.session.dialog
    if (!d) return fail(phoneError('illegal-state', { detail: 'consultation has no dialog' }))
    const referTo = consult.session.remoteIdentity.uri.clone()
    const replaces = encodeURIComponent(`${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}`)
    // sip.js writes a URI target bare into Refer-To; with ?headers it must be a name-addr (<…>) or peers cannot parse it.
    const text = `<${referTo.toString()}?Replaces=${replaces}>`
    referTo.toString = () => text
    const result = await this.refer(rec, referTo, 'attended', consult.snap.peer.raw)
    if (result.ok) {
      // The consulted party gets the original caller through Replaces and drops our leg; make sure it goes.
      setTimeout(() => {
        if (this.calls.has(consultCallId)) void this.hangup(consult)
      }, 3000)
    }
    return result
  }

  private async conference(rec: CallRec, consultCallId: string): Promise<PhoneResult> {
    const other = this.calls.get(consultCallId)
    if (!other) return fail(phoneError('no-such-call', { detail: consultCallId }))
    if (rec.snap.state !== 'established' || other.snap.state !== 'established') return fail(phoneError('illegal-state'))
    for (const leg of [rec, other]) {
      if (leg.snap.flags.held) {
        const r = await this.hold(leg, false)
        if (!r.ok) return r
      }
    }
    this.opts.media?.conference?.(rec.session, other.session)
    // Mute was per leg until now: the three-way call has one, on when either leg had it.
    const muted = rec.snap.flags.muted || other.snap.flags.muted
    this.setCall(rec, 'established', { conferenceWith: other.snap.callId })
    this.setCall(other, 'established', { conferenceWith: rec.snap.callId })
    this.mute(rec, muted)
    return ok(rec.snap.callId)
  }

  private emit(body: PhoneFactBody): void {
    const fact = { ...body, seq: ++this.seq, at: this.now() } as PhoneFact
    for (const l of this.listeners) {
      try {
        l(fact)
      } catch (err) {
        this.opts.log?.('error', 'fact listener failed', { error: (err as Error).message })
      }
    }
  }
}
