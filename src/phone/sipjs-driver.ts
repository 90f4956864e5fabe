import type { Session } from 'sip.js'
import {
  DEFAULT_PHONE_OPTIONS,
  PhoneCommandSchema,
  moveCallId,
  phoneError,
  refuseCallMove,
  type PhoneCommand,
  type PhoneDriver,
  type PhoneError,
  type PhoneFact,
  type PhoneFactBody,
  type PhoneOptions,
  type PhoneResult,
  type PhoneSnapshot
} from '../shared/phone'
import { answer, dtmf, fail, hangup, hold, mute, ok, onInfo, onReInvite, reject } from './call-control'
import { CallLegs, type AnswerPrep, type CallContext, type PhoneMedia } from './call-legs'
import { dial, onInvite } from './call-setup'
import { conference } from './conference'
import { SipRegistration, type SipRegistrationOptions } from './sip-registration'
import { blindTransfer, completeTransfer, consult, onRefer } from './transfers'

export type { PhoneMedia } from './call-legs'

/**
 * The softphone itself: sip.js over WebSocket behind the PhoneDriver port, a router of commands and facts.
 * Registration is its own unit (sip-registration.ts); the calls are legs (call-legs.ts) that the call moves
 * (call-control.ts), the setting up of calls (call-setup.ts), the transfers (transfers.ts) and the three-way call
 * (conference.ts) work on. A call command is first judged by the call state table (allowedCallCommands): a move
 * the call does not allow now is refused with the state and the move.
 *
 * Everything browser-specific (getUserMedia, audio elements, ringtone) is behind `media` and
 * `sessionDescriptionHandlerFactory`, so the same driver runs in Node against a real Kamailio in the signalling
 * tests.
 */
export interface SipJsDriverOptions extends SipRegistrationOptions {
  /** Takes a ringing call's offer before the answer (see answer-prep.ts), so answering has less left to do. */
  answerPrep?: AnswerPrep
  media?: PhoneMedia
}

type Command = ReturnType<typeof PhoneCommandSchema.parse>
type CallCommand = Exclude<Command, { type: 'register' | 'unregister' | 'setOptions' | 'setDevices' | 'dial' | 'selfCheck' }>

export class SipJsDriver implements PhoneDriver {
  readonly kind = 'sipjs'
  private options: PhoneOptions = { ...DEFAULT_PHONE_OPTIONS }
  private readonly listeners = new Set<(f: PhoneFact) => void>()
  private seq = 0
  private readonly now: () => number
  private readonly registration: SipRegistration
  private readonly legs: CallLegs
  private readonly ctx: CallContext

  constructor(private readonly opts: SipJsDriverOptions = {}) {
    this.now = opts.now ?? Date.now
    const random = opts.random ?? Math.random
    this.registration = new SipRegistration(
      opts,
      (ua, invitation) => onInvite(this.ctx, ua, invitation),
      (registration) => this.emit({ type: 'registration', registration })
    )
    const emit = (body: PhoneFactBody) => this.emit(body)
    this.legs = new CallLegs(
      { emit, media: opts.media, answerPrep: opts.answerPrep, now: this.now },
      {
        onInfo: (rec, info) => onInfo(this.ctx, rec, info),
        onRefer: (_rec, referral) => onRefer(this.ctx, referral),
        onReInvite: (rec, request) => onReInvite(this.ctx, rec, request)
      }
    )
    this.ctx = {
      legs: this.legs,
      emit,
      media: opts.media,
      answerPrep: opts.answerPrep,
      options: () => this.options,
      userAgent: () => this.registration.userAgent,
      registered: () => this.registration.state.state === 'registered',
      now: this.now,
      random,
      log: opts.log
    }
  }

  // ───────────── port ─────────────

  onFact(listener: (fact: PhoneFact) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  snapshot(): PhoneSnapshot {
    return { driver: this.kind, registration: this.registration.state, calls: this.legs.all().map((c) => c.snap), devices: null, options: this.options, seq: this.seq }
  }

  async execute(input: PhoneCommand): Promise<PhoneResult> {
    const parsed = PhoneCommandSchema.safeParse(input)
    if (!parsed.success) return fail(phoneError('bad-command', { detail: parsed.error.issues.map((i) => i.message).join('; ') }))
    const c = parsed.data
    try {
      switch (c.type) {
        case 'register':
          await this.registration.register(c.account)
          return ok()
        case 'unregister':
          await this.registration.unregister()
          return ok()
        case 'setOptions':
          this.options = { ...this.options, ...c.options }
          return ok()
        case 'setDevices':
          await this.opts.media?.setDevices?.({ mic: c.mic, speaker: c.speaker, ringer: c.ringer })
          return ok()
        case 'dial':
          return dial(this.ctx, c.target, { callId: c.callId, callerId: c.callerId })
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
    return this.legs.get(callId)?.session
  }

  /** A fact produced beside the driver (quality samples, devices), stamped and sent like the driver's own. */
  report(body: PhoneFactBody): void {
    this.emit(body)
  }

  async dispose(): Promise<void> {
    await this.registration.dispose()
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

  /** A move on a call: refused unless the call state table allows it now, else carried out by its module. */
  private async callCommand(c: CallCommand): Promise<PhoneResult> {
    const rec = this.legs.get(c.callId)
    if (!rec) return fail(phoneError('no-such-call', { detail: c.callId }))
    const subject = this.legs.get(moveCallId(c))
    if (!subject) return fail(phoneError('no-such-call', { detail: moveCallId(c) }))
    const refused = refuseCallMove(subject.snap, c.type)
    if (refused) {
      this.opts.log?.('warn', 'call command refused', { command: c.type, callId: subject.snap.callId, state: subject.snap.state })
      return fail(refused)
    }
    switch (c.type) {
      case 'answer':
        return answer(this.ctx, rec)
      case 'reject':
        return reject(this.ctx, rec, c.status)
      case 'hangup':
        return hangup(this.ctx, rec)
      case 'hold':
      case 'unhold':
        return hold(this.ctx, rec, c.type === 'hold')
      case 'mute':
      case 'unmute':
        return mute(this.ctx, rec, c.type === 'mute')
      case 'dtmf':
        return dtmf(rec, c.digits, c.mode ?? this.options.dtmfMode)
      case 'blindTransfer':
        return blindTransfer(this.ctx, rec, c.target)
      case 'consult':
        return consult(this.ctx, rec, c.target, c.consultCallId)
      case 'completeTransfer':
        return completeTransfer(this.ctx, rec, c.consultCallId)
      case 'conference':
        return conference(this.ctx, rec, c.consultCallId)
    }
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
