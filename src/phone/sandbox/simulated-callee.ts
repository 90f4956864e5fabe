import { type Invitation, SessionState, UserAgent, Web } from 'sip.js'
import type { Callee } from '../../shared/sandbox/scenario'
import { LoopbackTransport, type LoopbackSipSwitch } from './loopback-sip'
import { loadVoice } from './voice-lines'

/**
 * The citizen who answers when the agent dials out in the training sandbox (a
 * 回访 callback, or any number): a sip.js user agent created for the dialled
 * number on the in-page switch. It rings (180), picks up after the configured
 * time, speaks its lines over real WebRTC media and hangs up a while after the
 * last one if the agent has not. A second call to a number already on a call
 * is busy (486), as on a real line. What the citizen's phone showed as the
 * caller (P-Asserted-Identity, else From) is reported, so a trainer sees that a
 * callback presented the 12345 number.
 */
export type CalleeEvent =
  | { type: 'ringing'; number: string; presented: string }
  | { type: 'answered'; number: string }
  | { type: 'line'; number: string; index: number; text: string }
  | { type: 'ended'; number: string; by: 'agent' | 'citizen' }

export interface SimulatedCalleeOptions {
  sw: LoopbackSipSwitch
  domain: string
  /** The dialled number: the user part the callee answers as. */
  number: string
  callee: Callee
  audioUrl(file: string): string
  onEvent(e: CalleeEvent): void
  /** The citizen hangs up this long after the last line if the agent has not (ms). */
  lingerMs?: number
}

/** Starts the callee's user agent on the switch and returns its transport, to which the switch hands the INVITE. */
export async function startSimulatedCallee(o: SimulatedCalleeOptions): Promise<LoopbackTransport> {
  const voice = await loadVoice(o.callee.lines, o.audioUrl)
  let busy = false
  const ua: UserAgent = new UserAgent({
    uri: UserAgent.makeURI(`sip:${o.number}@${o.domain}`),
    // Its Contact carries the number, so the agent's ACK and BYE find it on the switch.
    contactName: o.number,
    transportConstructor: LoopbackTransport,
    transportOptions: { switch: o.sw, name: o.number },
    sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(async () => voice.stream),
    logLevel: 'error',
    delegate: {
      onInvite: (invitation) => {
        if (busy) return void invitation.reject({ statusCode: 486 }).catch(() => undefined)
        busy = true
        void answer(invitation).catch(() => undefined)
      }
    }
  })

  async function answer(invitation: Invitation): Promise<void> {
    const presented = invitation.request.getHeader('P-Asserted-Identity')?.match(/sips?:([^@;>]+)/)?.[1] ?? invitation.remoteIdentity.uri.user ?? ''
    o.onEvent({ type: 'ringing', number: o.number, presented })
    const timers: ReturnType<typeof setTimeout>[] = []
    let hungUpByCitizen = false
    invitation.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        o.onEvent({ type: 'answered', number: o.number })
        voice.listen((invitation.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.remoteMediaStream)
        timers.push(
          setTimeout(
            () =>
              voice.speak({
                live: () => invitation.state === SessionState.Established,
                onLine: (index, text) => o.onEvent({ type: 'line', number: o.number, index, text }),
                onDone: () =>
                  void timers.push(
                    setTimeout(() => {
                      hungUpByCitizen = true
                      void invitation.bye().catch(() => undefined)
                    }, o.lingerMs ?? 60_000)
                  )
              }),
            400
          )
        )
      }
      if (state === SessionState.Terminated) {
        for (const t of timers) clearTimeout(t)
        o.onEvent({ type: 'ended', number: o.number, by: hungUpByCitizen ? 'citizen' : 'agent' })
        voice.close()
        // The number leaves the switch with its user agent: the next callback starts a fresh one.
        void ua.stop().catch(() => undefined)
      }
    })
    await invitation.progress()
    timers.push(
      setTimeout(() => {
        if (invitation.state === SessionState.Initial || invitation.state === SessionState.Establishing)
          void invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } }).catch(() => undefined)
      }, o.callee.answerAfterMs)
    )
  }

  await ua.start()
  return ua.transport as unknown as LoopbackTransport
}
