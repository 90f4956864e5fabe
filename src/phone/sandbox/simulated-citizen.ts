import { Inviter, SessionState, UserAgent, Web } from 'sip.js'
import type { Scenario } from '../../shared/sandbox/scenario'
import { LoopbackTransport, type LoopbackSipSwitch } from './loopback-sip'

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
  | { type: 'ended'; by: 'agent' | 'citizen' | 'rejected' | 'failed'; detail?: string }

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
  const audio = new AudioContext()
  await audio.resume().catch(() => undefined)
  // Fetch and decode every line before ringing: no gap in the citizen's speech later.
  const buffers = await Promise.all(
    o.scenario.lines.map(async (l) => {
      const res = await fetch(o.audioUrl(l.file))
      if (!res.ok) throw new Error(`模拟来电音频缺失：${l.file} (sandbox audio missing, HTTP ${res.status})`)
      return audio.decodeAudioData(await res.arrayBuffer())
    })
  )
  const voice = audio.createMediaStreamDestination()
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

  let spoken = 0
  let ended = false
  let analyser: AnalyserNode | null = null
  let hangupBy: 'agent' | 'citizen' = 'agent'
  const timers: ReturnType<typeof setTimeout>[] = []
  const finish = (by: 'agent' | 'citizen' | 'rejected' | 'failed', detail?: string) => {
    if (ended) return
    ended = true
    for (const t of timers) clearTimeout(t)
    o.onEvent({ type: 'ended', by, detail })
    void ua.stop().catch(() => undefined)
    void audio.close().catch(() => undefined)
  }

  const speak = (index: number) => {
    if (ended || inviter.state !== SessionState.Established) return
    if (index >= buffers.length) {
      o.onEvent({ type: 'finished-speaking' })
      timers.push(setTimeout(() => void hangup('citizen'), o.lingerMs ?? 120_000))
      return
    }
    const src = audio.createBufferSource()
    src.buffer = buffers[index]!
    src.connect(voice)
    src.onended = () => {
      spoken = index + 1
      timers.push(setTimeout(() => speak(index + 1), o.scenario.lines[index + 1]?.pauseMs ?? 0))
    }
    o.onEvent({ type: 'line', index, text: o.scenario.lines[index]!.text })
    src.start()
  }

  inviter.stateChange.addListener((state) => {
    if (state === SessionState.Established) {
      o.onEvent({ type: 'answered' })
      const sdh = inviter.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined
      const remote = sdh?.remoteMediaStream
      if (remote && remote.getAudioTracks().length) {
        analyser = audio.createAnalyser()
        audio.createMediaStreamSource(remote).connect(analyser)
      }
      timers.push(setTimeout(() => speak(0), 600)) // "喂，你好" comes a beat after the agent picks up
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
      onReject: (r) => finish('rejected', `${r.message.statusCode ?? ''} ${r.message.reasonPhrase ?? ''}`.trim())
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
    heardLevel() {
      if (!analyser) return 0
      const data = new Float32Array(analyser.fftSize)
      analyser.getFloatTimeDomainData(data)
      let sum = 0
      for (const v of data) sum += v * v
      return Math.sqrt(sum / data.length)
    },
    spoken: () => spoken
  }
}
