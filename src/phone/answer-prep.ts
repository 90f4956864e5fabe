import { Web, type Invitation, type Session, type SessionDescriptionHandlerFactory } from 'sip.js'

type SdhOptions = Web.SessionDescriptionHandlerOptions
type Modifiers = Parameters<Web.SessionDescriptionHandler['setDescription']>[2]

/**
 * A sip.js session description handler that can take the caller's offer before the call is answered.
 * `prepare` does, while the phone rings, what answering would do first: the peer connection (and its DTLS
 * certificate) is built, the microphone attached and the offer set as the remote description. Nothing goes on
 * the wire: ICE starts only with a local description, which is made when the agent answers. sip.js then sets
 * the same offer again as part of answering; that step is already done and is skipped.
 */
class PreparedSessionDescriptionHandler extends Web.SessionDescriptionHandler {
  private prepared: { sdp: string; done: Promise<void> } | null = null

  prepare(sdp: string, options: SdhOptions): void {
    const done = super.setDescription(sdp, options)
    done.catch(() => undefined)
    this.prepared = { sdp, done }
  }

  override setDescription(sdp: string, options?: SdhOptions, modifiers?: Modifiers): Promise<void> {
    const p = this.prepared
    this.prepared = null
    if (!p || p.sdp !== sdp || (modifiers && modifiers.length > 0)) return super.setDescription(sdp, options, modifiers)
    // Prepared with this very offer: only the microphone may have changed since (getLocalMediaStream keeps the
    // stream when the constraints are the same). Prepared in vain (it failed): do it now, as sip.js would.
    return p.done.then(
      () => this.getLocalMediaStream(options),
      () => super.setDescription(sdp, options, modifiers)
    )
  }
}

/**
 * Ready to answer while it rings (see PreparedSessionDescriptionHandler). The factory hands sip.js the handler
 * prepared for a session when there is one; a call that ends unanswered closes it (and so releases the
 * microphone). Measured with `BENCH_PHASES=1 npm run bench:phone`: the peer connection and the offer took 20–25 ms
 * of the answer on a loaded two-core desk.
 */
export class AnswerPreparation {
  private readonly prepared = new WeakMap<Session, PreparedSessionDescriptionHandler>()

  constructor(private readonly mediaStreamFactory: Web.MediaStreamFactory) {}

  readonly factory: SessionDescriptionHandlerFactory = (session, options?: Web.SessionDescriptionHandlerFactoryOptions) => {
    const ready = this.prepared.get(session)
    if (ready) {
      this.prepared.delete(session)
      return ready
    }
    return this.create(session, options)
  }

  /** The INVITE's offer, taken while the phone rings (an INVITE without SDP is answered the ordinary way). */
  prepare(invitation: Invitation, constraints: MediaStreamConstraints): void {
    const body = invitation.request.body
    if (this.prepared.has(invitation) || !body || !/^application\/sdp/i.test(invitation.request.getHeader('content-type') ?? '')) return
    const sdh = this.create(invitation, invitation.userAgent.configuration.sessionDescriptionHandlerFactoryOptions as Web.SessionDescriptionHandlerFactoryOptions)
    this.prepared.set(invitation, sdh)
    sdh.prepare(body, { constraints })
  }

  /** The call ended without being answered: its prepared connection and microphone go. */
  discard(session: Session): void {
    const sdh = this.prepared.get(session)
    if (!sdh) return
    this.prepared.delete(session)
    sdh.close()
  }

  private create(session: Session, options?: Web.SessionDescriptionHandlerFactoryOptions): PreparedSessionDescriptionHandler {
    // As sip.js's defaultSessionDescriptionHandlerFactory does.
    return new PreparedSessionDescriptionHandler(session.userAgent.getLogger('sip.SessionDescriptionHandler'), this.mediaStreamFactory, {
      iceGatheringTimeout: options?.iceGatheringTimeout ?? 5000,
      peerConnectionConfiguration: { ...Web.defaultPeerConnectionConfiguration(), ...options?.peerConnectionConfiguration }
    })
  }
}
