import type { Session, Web } from 'sip.js'
import type { PhoneMedia } from './sipjs-driver'

/**
 * Audio for the phone host page: the far end on the chosen speaker, a ringtone on
 * the chosen ringer (a separate device, so a headset agent hears the ring on the
 * desk speaker), the chosen microphone for new calls, and the local three-way mix.
 */
export class BrowserMedia implements PhoneMedia {
  private readonly players = new Map<string, HTMLAudioElement>()
  private readonly sessions = new Map<string, Session>()
  private readonly rings = new Map<string, { ctx: AudioContext; stop(): void }>()
  private devices = { mic: '', speaker: '', ringer: '' }
  private mixCtx: AudioContext | null = null
  /**
   * The three-way mix, per leg: what that leg hears (the mixer's output, sent as the leg's track) and the
   * agent's microphone feeding it. A microphone switch swaps only the microphone inside each mix; replacing
   * the leg's track instead would cut the other party out of what this leg hears.
   */
  private readonly mixes = new Map<Session, Mix>()
  /** Microphone switches one at a time (a pulled device may be noticed by `ended` and `devicechange` together). */
  private micSwitch: Promise<void> = Promise.resolve()
  /** A microphone stream opened while the phone rings, so answering does not wait for getUserMedia. */
  private warm: { key: string; stream: Promise<MediaStream>; timer: ReturnType<typeof setTimeout> } | null = null

  /** For sip.js: hands out the pre-opened stream when it matches, else opens one. */
  readonly mediaStreamFactory = (constraints: MediaStreamConstraints): Promise<MediaStream> => {
    const key = JSON.stringify(constraints)
    const warm = this.warm
    if (warm && warm.key === key) {
      clearTimeout(warm.timer)
      this.warm = null
      return warm.stream
    }
    if (!constraints.audio && !constraints.video) return Promise.resolve(new MediaStream())
    return navigator.mediaDevices.getUserMedia(constraints)
  }

  private prewarm(): void {
    if (this.warm) return
    const constraints = this.constraints()
    const stream = navigator.mediaDevices.getUserMedia(constraints)
    stream.catch(() => undefined)
    // Not answered within a minute: give the microphone back.
    const timer = setTimeout(() => {
      if (this.warm?.stream === stream) this.dropWarm()
    }, 60_000)
    this.warm = { key: JSON.stringify(constraints), stream, timer }
  }

  /** The pre-opened microphone is closed (not taken, or another microphone was chosen meanwhile). */
  private dropWarm(): void {
    const warm = this.warm
    if (!warm) return
    this.warm = null
    clearTimeout(warm.timer)
    void warm.stream.then((s) => s.getTracks().forEach((t) => t.stop())).catch(() => undefined)
  }

  constraints(): MediaStreamConstraints {
    return { audio: this.devices.mic ? { deviceId: { exact: this.devices.mic } } : true, video: false }
  }

  selected(): { mic: string; speaker: string; ringer: string } {
    return { ...this.devices }
  }

  async setDevices(d: { mic?: string; speaker?: string; ringer?: string }): Promise<void> {
    const micChanged = d.mic !== undefined && d.mic !== this.devices.mic
    this.devices = { mic: d.mic ?? this.devices.mic, speaker: d.speaker ?? this.devices.speaker, ringer: d.ringer ?? this.devices.ringer }
    for (const a of this.players.values()) await sink(a, this.devices.speaker)
    // A ring already sounding moves too (the agent changed the ringer, or it was pulled while ringing).
    for (const r of this.rings.values()) await sink(r.ctx, this.devices.ringer)
    if (micChanged) {
      // A microphone opened for a ringing call is the old one: open the chosen one instead.
      if (this.warm) {
        this.dropWarm()
        if (this.rings.size) this.prewarm()
      }
      await this.switchMic()
    }
  }

  /** Live calls take the newly chosen microphone without renegotiation (a pulled headset falls back mid-call). */
  private switchMic(): Promise<void> {
    const run = this.micSwitch.then(async () => {
      if (!this.sessions.size) return
      const stream = await navigator.mediaDevices.getUserMedia(this.constraints())
      const track = stream.getAudioTracks()[0]
      if (!track) return
      for (const session of this.sessions.values()) {
        const mix = this.mixes.get(session)
        if (mix) {
          this.feedMix(mix, track.clone())
          continue
        }
        const sender = audioSender(session)
        if (!sender) continue
        const old = sender.track
        const next = track.clone()
        // A muted or held call stays so on the new microphone.
        next.enabled = old?.enabled ?? true
        try {
          await sender.replaceTrack(next)
        } catch {
          // This call is ending (its connection closed under us): the other calls still switch.
          next.stop()
          continue
        }
        this.watchEnded(next)
        old?.stop()
      }
      track.stop()
    })
    this.micSwitch = run.catch(() => undefined)
    return run
  }

  /**
   * A live call whose microphone has ended (pulled) while the chosen device did not change — the agent was on
   * the system default, which now is another device — opens the microphone again so the call is heard.
   */
  async reviveMic(): Promise<boolean> {
    await this.micSwitch
    const ended = [...this.sessions.values()].some((session) => {
      const mix = this.mixes.get(session)
      const track = mix ? mix.mic?.track : audioSender(session)?.track
      return track?.readyState === 'ended'
    })
    if (ended) await this.switchMic()
    return ended
  }

  /** The agent's microphone into one leg's mix, in place of the one before. */
  private feedMix(mix: Mix, track: MediaStreamTrack): void {
    const ctx = this.mixCtx
    if (!ctx) return
    if (mix.mic) {
      mix.mic.node.disconnect()
      mix.mic.track.stop()
    }
    // Hold acts on the leg's mixed track; mute on the microphone inside the mix (see muteMix).
    track.enabled = !mix.muted
    const node = ctx.createMediaStreamSource(new MediaStream([track]))
    node.connect(mix.dest)
    this.watchEnded(track)
    mix.mic = { track, node }
  }

  /** Called when the microphone a call is using ends by itself (unplugged, driver gone): look at the devices now. */
  onMicEnded: (() => void) | null = null

  private readonly watched = new WeakSet<MediaStreamTrack>()

  private watchEnded(track: MediaStreamTrack | null | undefined): void {
    if (!track || this.watched.has(track)) return
    this.watched.add(track)
    track.addEventListener('ended', () => this.onMicEnded?.())
  }

  async hasOutput(): Promise<boolean> {
    const list = await navigator.mediaDevices.enumerateDevices()
    // Without setSinkId there is no list of outputs to choose from, only the system's default one.
    return list.some((d) => d.kind === 'audiooutput') || !('setSinkId' in HTMLMediaElement.prototype)
  }

  /** Self-check: the chosen microphone's loudest level over `ms` (0–1), and its label. */
  async micCheck(ms: number): Promise<{ level: number; label: string }> {
    const stream = await navigator.mediaDevices.getUserMedia(this.constraints())
    const ctx = new AudioContext()
    try {
      const an = ctx.createAnalyser()
      an.fftSize = 2048
      ctx.createMediaStreamSource(stream).connect(an)
      const buf = new Float32Array(an.fftSize)
      let peak = 0
      const end = performance.now() + ms
      while (performance.now() < end) {
        an.getFloatTimeDomainData(buf)
        let sum = 0
        for (const v of buf) sum += v * v
        peak = Math.max(peak, Math.sqrt(sum / buf.length))
        await new Promise((r) => setTimeout(r, 50))
      }
      return { level: Math.round(peak * 1000) / 1000, label: stream.getAudioTracks()[0]?.label ?? '' }
    } finally {
      stream.getTracks().forEach((t) => t.stop())
      void ctx.close().catch(() => undefined)
    }
  }

  attach(callId: string, session: Session): void {
    this.sessions.set(callId, session)
    const pc = peerOf(session)
    if (!pc) return
    for (const s of pc.getSenders()) if (s.track?.kind === 'audio') this.watchEnded(s.track)
    const stream = new MediaStream()
    for (const r of pc.getReceivers()) if (r.track) stream.addTrack(r.track)
    const audio = document.createElement('audio')
    audio.autoplay = true
    audio.srcObject = stream
    audio.dataset.callId = callId
    document.body.appendChild(audio)
    void sink(audio, this.devices.speaker).then(() => audio.play().catch(() => undefined))
    this.players.set(callId, audio)
  }

  /**
   * The agent's own voice on a call, for the recorder's left channel: in a three-way call the microphone inside
   * the leg's mix (silent while muted), not the mix the far end hears.
   */
  micFor(callId: string): MediaStreamTrack | null {
    const session = this.sessions.get(callId)
    const mix = session && this.mixes.get(session)
    return mix?.mic?.track ?? null
  }

  /** A live call's peer connection (the call recorder taps its tracks). */
  peerFor(callId: string): RTCPeerConnection | null {
    const session = this.sessions.get(callId)
    return session ? peerOf(session) : null
  }

  detach(callId: string): void {
    // A call that ended while still ringing: the microphone opened for its answer is not kept for a minute.
    if (!this.rings.size) this.dropWarm()
    const session = this.sessions.get(callId)
    this.sessions.delete(callId)
    const mix = session && this.mixes.get(session)
    if (mix) {
      this.mixes.delete(session)
      mix.mic?.node.disconnect()
      mix.mic?.track.stop()
    }
    const a = this.players.get(callId)
    if (!a) return
    a.srcObject = null
    a.remove()
    this.players.delete(callId)
  }

  ringStart(callId: string): void {
    if (this.rings.has(callId)) return
    this.prewarm()
    try {
      const ctx = new AudioContext()
      const gain = ctx.createGain()
      gain.gain.value = 0
      gain.connect(ctx.destination)
      for (const f of [440, 480]) {
        const o = ctx.createOscillator()
        o.frequency.value = f
        o.connect(gain)
        o.start()
      }
      // Chinese ring cadence: 1 s on, 4 s off.
      const t0 = ctx.currentTime
      for (let i = 0; i < 12; i++) {
        gain.gain.setValueAtTime(0.15, t0 + i * 5)
        gain.gain.setValueAtTime(0, t0 + i * 5 + 1)
      }
      void sink(ctx, this.devices.ringer)
      this.rings.set(callId, { ctx, stop: () => void ctx.close().catch(() => undefined) })
    } catch {
      /* no audio output: the screen still shows the call */
    }
  }

  ringStop(callId: string): void {
    this.rings.get(callId)?.stop()
    this.rings.delete(callId)
  }

  mixed(session: Session): boolean {
    return this.mixes.has(session)
  }

  muteMix(session: Session, muted: boolean): void {
    const mix = this.mixes.get(session)
    if (!mix) return
    mix.muted = muted
    if (mix.mic) mix.mic.track.enabled = !muted
  }

  /** Three-way call mixed here: each leg hears the agent plus the other leg. */
  conference(a: Session, b: Session): void {
    const pa = peerOf(a)
    const pb = peerOf(b)
    if (!pa || !pb) return
    const ctx = (this.mixCtx ??= new AudioContext())
    const remote = (pc: RTCPeerConnection) => {
      const s = new MediaStream()
      for (const r of pc.getReceivers()) if (r.track) s.addTrack(r.track)
      return s
    }
    const mixFor = (self: Session, other: RTCPeerConnection) => {
      const dest = ctx.createMediaStreamDestination()
      ctx.createMediaStreamSource(remote(other)).connect(dest)
      // The driver applies the call's mute right after (muteMix).
      const mix: Mix = { dest, mic: null, muted: false }
      this.mixes.set(self, mix)
      const sender = audioSender(self)
      const mic = sender?.track ?? null
      // The microphone track itself moves into the mix (no clone left running behind it).
      if (mic) this.feedMix(mix, mic)
      void sender?.replaceTrack(dest.stream.getAudioTracks()[0]!)
    }
    mixFor(a, pb)
    mixFor(b, pa)
  }
}

interface Mix {
  dest: MediaStreamAudioDestinationNode
  mic: { track: MediaStreamTrack; node: MediaStreamAudioSourceNode } | null
  /** The agent muted in the three-way call: the microphone inside the mix is silent, the other leg still plays. */
  muted: boolean
}

/** The sender of a call's audio (its track may be null after a failed switch). */
function audioSender(session: Session): RTCRtpSender | undefined {
  return peerOf(session)?.getSenders().find((s) => s.track?.kind === 'audio' || s.track === null)
}

export function peerOf(session: Session): RTCPeerConnection | null {
  const sdh = session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined
  return sdh?.peerConnection ?? null
}

/** What can play on a chosen output: the call's audio element, the ringtone's AudioContext. */
type Sinkable = object & { sinkId?: unknown; setSinkId?(id: string): Promise<void> }

/**
 * Plays on output device `id` ('' is the system default, so choosing 默认 again, or a pulled speaker, moves the
 * sound back there). A device that refuses (gone between listing and choosing) leaves the sound on the default.
 */
async function sink(el: Sinkable, id: string): Promise<void> {
  if (!el.setSinkId || (el.sinkId ?? '') === id) return
  try {
    await el.setSinkId(id)
  } catch {
    if (id) await el.setSinkId('').catch(() => undefined)
  }
}
