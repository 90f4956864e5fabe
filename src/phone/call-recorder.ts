import type { CallSnapshot } from '../shared/phone'
import { backoffDelay, type Backoff } from '../shared/backoff'

/**
 * Records every answered call in the phone host: the agent's microphone on the
 * left channel and the far end on the right (two-channel Opus in WebM), so QA
 * hears who said what. MediaRecorder hands over a chunk every second and each is
 * sent to main at once, where it is sealed and made durable: a crash or reload of
 * this page loses at most the last second. Hold and mute record as silence; a
 * three-way call adds the second party to the right channel; a consultation is
 * its own recording linked to the citizen's call (咨询 leg); a microphone
 * switched mid-call is picked up; the recording stops when the call ends.
 */
export const RECORDING_MIME = 'audio/webm;codecs=opus'
const TIMESLICE_MS = 1000
/**
 * Opus codes a stereo pair jointly and, short of bits, narrows it towards mono: at 32 kbit/s a loud or noisy
 * call put each side into the other's channel only 0–15 dB down (the agent heard on the caller's side), at
 * 48 kbit/s still 13–28 dB; at 64 kbit/s the sides stay apart by more than 50 dB. About 29 MB an hour.
 */
export const RECORDING_BITS_PER_SECOND = 64_000
/** A chunk main did not take is resent after 0.2, 0.4, 0.8, 1.6, then 3.2 s: main is local, so no jitter. */
const CHUNK_RESEND: Backoff = { baseMs: 200, maxMs: 3200, minShare: 1 }

export interface RecorderApi {
  begin(args: { callId: string; startedAt: number; mimeType: string; linkedTo?: string | null }): Promise<{ ok: true; value: { record: boolean } } | { ok: false }>
  chunk(args: { callId: string; seq: number; data: string }): Promise<{ ok: boolean }>
  end(args: { callId: string; durationMs: number | null }): Promise<{ ok: boolean }>
}

interface Active {
  ctx: AudioContext
  merger: ChannelMergerNode
  recorder: MediaRecorder
  seq: number
  sending: Promise<void>
  startedAt: number
  mic: { track: MediaStreamTrack; node: MediaStreamAudioSourceNode } | null
  remotes: Set<string>
  watch: ReturnType<typeof setInterval>
  stopped: boolean
}

export interface RecorderStats {
  chunks: number
  bytes: number
  /** Chunk handed over by MediaRecorder → main answered (sealed and fsynced), ms. */
  lastDurableMs: number | null
  maxDurableMs: number
}

export class CallRecorder {
  private readonly active = new Map<string, Active>()
  private readonly starting = new Set<string>()
  readonly stats: RecorderStats = { chunks: 0, bytes: 0, lastDurableMs: null, maxDurableMs: 0 }

  constructor(
    private readonly peerFor: (callId: string) => RTCPeerConnection | null,
    private readonly api: RecorderApi,
    private readonly log: (message: string, data?: unknown) => void = () => undefined,
    /**
     * The agent's own voice on a call, when it is not simply the call's outgoing track: in a three-way call
     * that track is the local mix (the agent plus the other party), which would put the third party on the left.
     */
    private readonly micFor: (callId: string) => MediaStreamTrack | null = () => null
  ) {}

  /** Follows the driver's call facts. */
  onCall(call: CallSnapshot): void {
    const id = call.callId
    try {
      if (call.state === 'established' && !this.active.has(id) && !this.starting.has(id)) void this.start(id, call.linkedTo)
      if (call.state === 'established' && call.conferenceWith) this.addRemote(id, call.conferenceWith)
      if (call.state === 'terminating' || call.state === 'terminated') this.stop(id)
    } catch (err) {
      // The call matters more than its recording: never let the recorder break call handling.
      this.log('recording: error', { callId: id, error: (err as Error).message })
    }
  }

  /** A consultation (linkedTo: the citizen's call on hold) is recorded as its own leg, linked to that call. */
  private async start(callId: string, linkedTo: string | null): Promise<void> {
    if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported(RECORDING_MIME)) {
      this.log('recording: Opus/WebM MediaRecorder unavailable')
      return
    }
    this.starting.add(callId)
    try {
      // Nothing can be said or heard before the media path is up (ICE and DTLS), so the recorder is built once it
      // is: building it earlier would take CPU from the handshake the agent is waiting on to hear the caller.
      const early = this.peerFor(callId)
      if (early) await connected(early, 5000)
      if (!this.starting.has(callId)) return
      const startedAt = Date.now()
      const res = await this.api.begin({ callId, startedAt, mimeType: RECORDING_MIME, linkedTo })
      if (!res.ok || !res.value.record) return
      const pc = this.peerFor(callId)
      if (!pc || !this.starting.has(callId)) return
      const ctx = new AudioContext()
      void ctx.resume().catch(() => undefined)
      const merger = ctx.createChannelMerger(2)
      const dest = ctx.createMediaStreamDestination()
      dest.channelCount = 2
      merger.connect(dest)
      const recorder = new MediaRecorder(dest.stream, { mimeType: RECORDING_MIME, audioBitsPerSecond: RECORDING_BITS_PER_SECOND })
      const a: Active = { ctx, merger, recorder, seq: 0, sending: Promise.resolve(), startedAt, mic: null, remotes: new Set(), watch: setInterval(() => this.follow(callId), TIMESLICE_MS), stopped: false }
      this.active.set(callId, a)
      this.follow(callId)
      this.addRemote(callId, callId)
      recorder.ondataavailable = (e) => {
        if (e.data.size) this.send(callId, a, e.data)
      }
      recorder.onstop = () => {
        a.sending = a.sending.then(async () => {
          await this.api.end({ callId, durationMs: Date.now() - a.startedAt })
        })
      }
      recorder.start(TIMESLICE_MS)
      this.log('recording: started', { callId })
    } catch (err) {
      this.log('recording: could not start', { callId, error: (err as Error).message })
    } finally {
      this.starting.delete(callId)
    }
  }

  /** The agent's side: the call's outgoing microphone track, again if it was replaced (device switch). */
  private follow(callId: string): void {
    const a = this.active.get(callId)
    const pc = this.peerFor(callId)
    if (!a || !pc) return
    const mic = this.micFor(callId)
    if (a.mic && a.mic.track.readyState === 'live' && (!mic || mic === a.mic.track)) return
    const track = mic ?? pc.getSenders().find((s) => s.track?.kind === 'audio')?.track
    if (!track || track.readyState !== 'live') return
    a.mic?.node.disconnect()
    const node = a.ctx.createMediaStreamSource(new MediaStream([track]))
    node.connect(a.merger, 0, 0)
    a.mic = { track, node }
  }

  /** A far end (the caller, or the third party of a three-way call) onto the right channel. */
  private addRemote(callId: string, legId: string): void {
    const a = this.active.get(callId)
    const pc = this.peerFor(legId)
    if (!a || !pc || a.remotes.has(legId)) return
    const tracks = pc.getReceivers().flatMap((r) => (r.track && r.track.kind === 'audio' ? [r.track] : []))
    if (!tracks.length) return
    a.remotes.add(legId)
    a.ctx.createMediaStreamSource(new MediaStream(tracks)).connect(a.merger, 0, 1)
  }

  private send(callId: string, a: Active, blob: Blob): void {
    const seq = a.seq++
    const handed = performance.now()
    a.sending = a.sending.then(async () => {
      const data = toBase64(new Uint8Array(await blob.arrayBuffer()))
      // Main drops a seq it already holds, so resending after a lost answer is safe.
      for (let attempt = 0; attempt < 5; attempt++) {
        const res = await this.api.chunk({ callId, seq, data })
        if (res.ok) break
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, CHUNK_RESEND)))
      }
      const ms = performance.now() - handed
      this.stats.chunks++
      this.stats.bytes += blob.size
      this.stats.lastDurableMs = Math.round(ms)
      this.stats.maxDurableMs = Math.max(this.stats.maxDurableMs, Math.round(ms))
    })
  }

  private stop(callId: string): void {
    this.starting.delete(callId)
    const a = this.active.get(callId)
    if (!a || a.stopped) return
    a.stopped = true
    this.active.delete(callId)
    clearInterval(a.watch)
    try {
      if (a.recorder.state !== 'inactive') a.recorder.stop()
    } catch {
      /* already stopped */
    }
    // Close the graph once the last chunk is out.
    void a.sending.then(() => new Promise((r) => setTimeout(r, 3000))).then(() => a.ctx.close().catch(() => undefined))
  }

  /** Calls being recorded now (for the host page's status and tests). */
  recording(): string[] {
    return [...this.active.keys()]
  }
}

/** Resolves once the peer connection's media path is up, or after `ms` (then the recorder starts anyway). */
function connected(pc: RTCPeerConnection, ms: number): Promise<void> {
  if (pc.connectionState === 'connected' || pc.connectionState === 'closed' || pc.connectionState === 'failed') return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      pc.removeEventListener('connectionstatechange', check)
      resolve()
    }
    const check = () => {
      if (pc.connectionState !== 'new' && pc.connectionState !== 'connecting') done()
    }
    const timer = setTimeout(done, ms)
    pc.addEventListener('connectionstatechange', check)
  })
}

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}
