import { Inviter, SessionState, UserAgent, Web } from 'sip.js'
import type { Scenario } from '../../shared/sandbox/scenario'
import { msg, type UiMessage } from '../../shared/messages'
import { LoopbackTransport, type LoopbackSipSwitch } from './loopback-sip'
import { loadVoice } from './voice-lines'

/**
 * A simulated citizen for the training sandbox: its own sip.js user agent on the
 * in-page loopback switch calls the agent, and once answered speaks the
 * scenario's lines (audio files played through WebAudio into the call's real
 * WebRTC stream), pausing between them. It listens too: the energy of what it
 * receives shows that the agent's voice reaches the "citizen".
 */
export type CitizenEvent =
  | { type: 'ringing' }
  | { type: 'answered' }
  | { type: 'line'; index: number; text: string }
  | { type: 'finished-speaking' }
  | { type: 'ended'; by: 'agent' | 'citizen' | 'rejected' | 'failed'; detail?: UiMessage }

export interface SimulatedCitizenOptions {
  sw: LoopbackSipSwitch
  domain: string
  /** The agent's user part on the switch. */
  agentUser: string
  scenario: Scenario
  /** Where a line's audio file is served from. */
  audioUrl(file: string): string
  onEvent(e: CitizenEvent): void
  /** The citizen gives up if nobody answers (ms). */
  ringTimeoutMs?: number
  /** The citizen hangs up this long after the last line if the agent has not (ms). */
  lingerMs?: number
}

export interface SimulatedCitizen {
  readonly callId: string
  hangup(): Promise<void>
  /** RMS (0..1) of the audio the citizen receives from the agent over the last ~100 ms. */
  heardLevel(): number
  /** Lines spoken so far. */
  spoken(): number
}

export async function startSimulatedCitizen(o: SimulatedCitizenOptions): Promise<SimulatedCitizen> {
  const voice = await loadVoice(o.scenario.lines, o.audioUrl)
  const user = o.scenario.caller.number
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${user}@${o.domain}`),
    displayName: o.scenario.caller.name,
    transportConstructor: LoopbackTransport,
    transportOptions: { switch: o.sw, name: user },
    sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(async () => voice.stream),
    logLevel: 'error'
  })
  await ua.start()
  const target = UserAgent.makeURI(`sip:${o.agentUser}@${o.domain}`)
  if (!target) throw new Error(`坐席号码无效：${o.agentUser} (bad agent user)`)
  const inviter = new Inviter(ua, target, { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } })

  let ended = false
  let hangupBy: 'agent' | 'citizen' = 'agent'
  const timers: ReturnType<typeof setTimeout>[] = []
  const finish = (by: 'agent' | 'citizen' | 'rejected' | 'failed', detail?: UiMessage) => {
    if (ended) return
    ended = true
    for (const t of timers) clearTimeout(t)
    o.onEvent({ type: 'ended', by, detail })
    void ua.stop().catch(() => undefined)
    voice.close()
  }

  const live = () => !ended && inviter.state === SessionState.Established
  inviter.stateChange.addListener((state) => {
    if (state === SessionState.Established) {
      o.onEvent({ type: 'answered' })
      voice.listen((inviter.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.remoteMediaStream)
      // "喂，你好" comes a beat after the agent picks up.
      timers.push(
        setTimeout(
          () =>
            voice.speak({
              live,
              onLine: (index, text) => o.onEvent({ type: 'line', index, text }),
              onDone: () => {
                o.onEvent({ type: 'finished-speaking' })
                timers.push(setTimeout(() => void hangup('citizen'), o.lingerMs ?? 120_000))
              }
            }),
          600
        )
      )
    }
    if (state === SessionState.Terminated) finish(hangupBy)
  })

  const hangup = async (by: 'citizen' | 'agent' = 'citizen') => {
    hangupBy = by
    if (inviter.state === SessionState.Established) await inviter.bye().catch(() => undefined)
    else if (inviter.state === SessionState.Establishing || inviter.state === SessionState.Initial) await inviter.cancel().catch(() => undefined)
    finish(by)
  }

  o.onEvent({ type: 'ringing' })
  await inviter.invite({
    requestDelegate: {
      onReject: (r) => finish('rejected', msg('training.ended.sipStatus', { status: `${r.message.statusCode ?? ''} ${r.message.reasonPhrase ?? ''}`.trim() }))
    }
  })
  timers.push(
    setTimeout(() => {
      if (inviter.state === SessionState.Establishing) void hangup('citizen')
    }, o.ringTimeoutMs ?? 45_000)
  )

  return {
    callId: inviter.request.callId,
    hangup: () => hangup('citizen'),
    heardLevel: () => voice.heardLevel(),
    spoken: () => voice.spoken()
  }
}
