import { Invitation, Inviter, SessionState, type Core, type Info, type Referral, type Session, type UserAgent } from 'sip.js'
import { NO_FLAGS, canTransitionCall, phoneError, type CallSnapshot, type CallState, type PhoneError, type PhoneFactBody, type PhoneOptions } from '../shared/phone'

/**
 * The phone host's live calls: each sip.js session with its snapshot, the one place a call's state changes
 * (along the call state table) and its `call` fact goes out. The moves on a call (call-control.ts), the
 * transfers (transfers.ts), the three-way call (conference.ts) and the setting up of calls (call-setup.ts) work
 * on these legs through a `CallContext`.
 */
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

/** Takes a ringing call's offer before the answer (see answer-prep.ts), so answering has less left to do. */
export interface AnswerPrep {
  prepare(invitation: Invitation, constraints: MediaStreamConstraints): void
  discard(session: Session): void
}

export interface CallRec {
  snap: CallSnapshot
  session: Session
  holdBusy: boolean
  /** Inbound: the caller's ACK arrived (no re-INVITE may go out before it, RFC 3261 §14.1). */
  acked: Promise<void>
  /** Set when we ended it (or failed it) so Terminated knows who and why. */
  endedBy: CallSnapshot['endedBy']
  cause: PhoneError | null
}

/** What arrives on an established call's dialog: handled by the call moves and the transfers. */
export interface SessionEvents {
  onInfo(rec: CallRec, info: Info): void
  onRefer(rec: CallRec, referral: Referral): void
  onReInvite(rec: CallRec, request: Core.IncomingRequestMessage): void
}

/** What the call modules share: the legs, the fact stream, media, options and the user agent. */
export interface CallContext {
  legs: CallLegs
  emit(body: PhoneFactBody): void
  media?: PhoneMedia
  answerPrep?: AnswerPrep
  options(): PhoneOptions
  /** The registered user agent, or null. */
  userAgent(): UserAgent | null
  registered(): boolean
  now(): number
  random(): number
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void
}

/** The microphone constraints for a new call's media. */
export const callConstraints = (ctx: CallContext): MediaStreamConstraints => ctx.media?.constraints() ?? { audio: true, video: false }

export class CallLegs {
  private readonly calls = new Map<string, CallRec>()
  private callSeq = 0

  constructor(
    private readonly ctx: Pick<CallContext, 'emit' | 'media' | 'answerPrep' | 'now'>,
    private readonly events: SessionEvents
  ) {}

  get(callId: string): CallRec | undefined {
    return this.calls.get(callId)
  }

  has(callId: string): boolean {
    return this.calls.has(callId)
  }

  all(): CallRec[] {
    return [...this.calls.values()]
  }

  newCallId(): string {
    return `c${this.ctx.now().toString(36)}-${++this.callSeq}`
  }

  /** The call a Replaces header names (its SIP Call-ID first). */
  findByDialog(replaces: string): CallRec | null {
    const callId = replaces.split(';')[0]!.trim()
    return this.all().find((c) => c.snap.sipCallId === callId) ?? null
  }

  track(session: Session, direction: 'inbound' | 'outbound', callId: string, peer: CallSnapshot['peer'], peerName: string | null, linkedTo: string | null): CallRec {
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
        startedAt: this.ctx.now(),
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
      onInfo: (info) => this.events.onInfo(rec, info),
      onRefer: (referral) => this.events.onRefer(rec, referral),
      onInvite: (request) => this.events.onReInvite(rec, request)
    }
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        this.ctx.media?.ringStop(callId)
        if (session instanceof Inviter && !rec.snap.sipCallId) rec.snap.sipCallId = session.dialog?.callId ?? null
        this.set(rec, 'established', { answeredAt: this.ctx.now() })
        this.ctx.media?.attach(callId, session)
      } else if (state === SessionState.Terminating) {
        if (rec.snap.state === 'established') this.set(rec, 'terminating')
      } else if (state === SessionState.Terminated) {
        this.ctx.media?.ringStop(callId)
        this.ctx.media?.detach(callId)
        this.ctx.answerPrep?.discard(session)
        // sip.js moves to Terminated before it calls the reject delegate that tells us why: wait for it.
        queueMicrotask(() => this.ended(rec, direction))
      }
    })
    return rec
  }

  ended(rec: CallRec, direction: 'inbound' | 'outbound'): void {
    const callId = rec.snap.callId
    const endedBy = rec.endedBy ?? 'remote'
    const cause = rec.cause ?? (rec.snap.answeredAt === null && direction === 'inbound' && endedBy === 'remote' ? phoneError('cancelled') : null)
    this.set(rec, 'terminated', { endedAt: this.ctx.now(), endedBy, cause })
    this.calls.delete(callId)
    for (const other of this.calls.values()) if (other.snap.conferenceWith === callId) this.set(other, other.snap.state, { conferenceWith: null })
  }

  /** The one place a call changes: along the call state table (a move it forbids is not made), with its fact. */
  set(rec: CallRec, state: CallState, patch: Partial<CallSnapshot> = {}): void {
    const previous = rec.snap.state
    if (state !== previous && !canTransitionCall(previous, state)) return
    rec.snap = { ...rec.snap, ...patch, state }
    this.ctx.emit({ type: 'call', call: rec.snap, previous: state === previous ? null : previous })
  }

  setFlags(rec: CallRec, flags: Partial<CallSnapshot['flags']>): void {
    this.set(rec, rec.snap.state, { flags: { ...rec.snap.flags, ...flags } })
  }
}
