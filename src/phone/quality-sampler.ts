import { CODECS, estimateMos, firstPacketAt, initialQualityWatch, intervalLevel, MIC_SILENT_SAMPLES, ptimeOf, stepMicSilence, stepQualityWatch, type QualitySample, type QualityWatchState } from '../shared/phone'
import { peerOf } from './media'
import type { SipJsDriver } from './sipjs-driver'

/**
 * Live call quality: once a second, getStats on every established call →
 * jitter, loss, RTT, bytes and inbound audio level → an E-model MOS, with the
 * "MOS under 3.5 for 5 s" warning. Each sample goes to main as a `quality` fact.
 */
interface Prev {
  lost: number
  received: number
  watch: QualityWatchState
  mic: { energy: number; duration: number } | null
  micSilentFor: number
}

export function startQualitySampler(driver: SipJsDriver, everyMs = 1000): () => void {
  const prev = new Map<string, Prev>()
  /** When each call's first inbound RTP arrived (answer → media, for the agent's record and bench:phone). */
  const firstMedia = new Map<string, number>()
  // From the moment a call is answered until its first RTP arrives, look every 25 ms: that moment is worth knowing
  // exactly. Chromium serves the same cached report for 50 ms, so the moment is worked out from the report's packet
  // times (exact whatever the polling rate); polling faster would only take CPU from the handshake itself. One
  // getStats at a time: overlapping ones queue up on WebRTC's threads.
  let watching = true
  const watchFirstMedia = async (callId: string) => {
    const started = Date.now()
    let noneAt: number | null = null
    while (watching && !firstMedia.has(callId) && Date.now() - started < 10_000) {
      const session = driver.sessionOf(callId)
      const pc = session ? peerOf(session) : null
      if (!pc || pc.connectionState === 'closed') return
      const s = await sample(pc).catch(() => null)
      if (s && !(s.bytesReceived && s.bytesReceived > 0)) noneAt = s.reportAt
      if (s && s.bytesReceived && s.bytesReceived > 0 && !firstMedia.has(callId)) {
        const at = Math.round(firstPacketAt({ lastPacketAt: s.lastPacketAt, packets: s.packetsReceived, ptimeMs: ptimeOf(pc.remoteDescription?.sdp), seenAt: Date.now(), noneAt }))
        firstMedia.set(callId, at)
        driver.report({
          type: 'quality',
          sample: { callId, at, rttMs: s.rttMs, jitterMs: s.jitterMs, lossPct: null, mos: null, bytesSent: s.bytesSent, bytesReceived: s.bytesReceived, audioLevel: s.audioLevel, warning: false, firstMediaAt: at }
        })
        return
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  const off = driver.onFact((f) => {
    if (f.type === 'call' && f.call.state === 'established' && f.previous !== null && !firstMedia.has(f.call.callId)) void watchFirstMedia(f.call.callId)
  })
  const timer = setInterval(() => {
    const live = driver.snapshot().calls.filter((c) => c.state === 'established')
    for (const id of prev.keys()) if (!live.some((c) => c.callId === id)) prev.delete(id)
    for (const id of firstMedia.keys()) if (!driver.snapshot().calls.some((c) => c.callId === id)) firstMedia.delete(id)
    for (const call of live) {
      const session = driver.sessionOf(call.callId)
      const pc = session ? peerOf(session) : null
      if (!pc) continue
      void sample(pc).then((s) => {
        const p = prev.get(call.callId) ?? { lost: 0, received: 0, watch: initialQualityWatch(), mic: null, micSilentFor: 0 }
        const dLost = Math.max(0, s.packetsLost - p.lost)
        const dRecv = Math.max(0, s.packetsReceived - p.received)
        const lossPct = dLost + dRecv > 0 ? (100 * dLost) / (dLost + dRecv) : null
        const flowing = dRecv > 0 && !call.flags.held && !call.flags.remoteHeld
        const mos = flowing ? estimateMos({ rttMs: s.rttMs ?? 0, jitterMs: s.jitterMs ?? 0, lossPct: lossPct ?? 0 }, /opus/i.test(s.codec) ? CODECS.opus : CODECS.pcmu) : null
        const at = Date.now()
        const watch = stepQualityWatch(p.watch, at, mos)
        const micLevel = intervalLevel(p.mic, s.mic)
        const micSilentFor = stepMicSilence(p.micSilentFor, micLevel, call.flags.muted || call.flags.held)
        prev.set(call.callId, { lost: s.packetsLost, received: s.packetsReceived, watch, mic: s.mic, micSilentFor })
        const out: QualitySample = {
          callId: call.callId,
          at,
          rttMs: s.rttMs,
          jitterMs: s.jitterMs,
          lossPct,
          mos,
          bytesSent: s.bytesSent,
          bytesReceived: s.bytesReceived,
          audioLevel: s.audioLevel,
          warning: watch.warning,
          firstMediaAt: firstMedia.get(call.callId) ?? null,
          micLevel,
          micSilent: micSilentFor >= MIC_SILENT_SAMPLES
        }
        driver.report({ type: 'quality', sample: out })
      })
    }
  }, everyMs)
  return () => {
    clearInterval(timer)
    off()
    watching = false
  }
}

interface RawStats {
  bytesSent: number | null
  bytesReceived: number | null
  packetsLost: number
  packetsReceived: number
  jitterMs: number | null
  rttMs: number | null
  audioLevel: number | null
  codec: string
  /** When the inbound stream's last packet arrived (epoch ms), and when the report was made. */
  lastPacketAt: number | null
  reportAt: number | null
  /** The microphone's cumulative energy and captured seconds (media-source), for its level over an interval. */
  mic: { energy: number; duration: number } | null
}

async function sample(pc: RTCPeerConnection): Promise<RawStats> {
  const out: RawStats = { bytesSent: null, bytesReceived: null, packetsLost: 0, packetsReceived: 0, jitterMs: null, rttMs: null, audioLevel: null, codec: '', lastPacketAt: null, reportAt: null, mic: null }
  const report = await pc.getStats()
  const codecs = new Map<string, string>()
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'codec') codecs.set(s.id as string, String(s.mimeType ?? ''))
    // Every entry of one report carries the time it was made (before the first packet there is no inbound-rtp).
    if (typeof s.timestamp === 'number') out.reportAt = s.timestamp
  })
  report.forEach((s: Record<string, unknown>) => {
    if (s.kind !== 'audio' && s.mediaType !== 'audio' && s.type !== 'candidate-pair') return
    if (s.type === 'inbound-rtp') {
      out.bytesReceived = Number(s.bytesReceived ?? 0)
      out.packetsReceived = Number(s.packetsReceived ?? 0)
      out.packetsLost = Math.max(0, Number(s.packetsLost ?? 0))
      if (typeof s.jitter === 'number') out.jitterMs = s.jitter * 1000
      if (typeof s.audioLevel === 'number') out.audioLevel = s.audioLevel
      if (typeof s.lastPacketReceivedTimestamp === 'number') out.lastPacketAt = s.lastPacketReceivedTimestamp
      out.codec = codecs.get(s.codecId as string) ?? out.codec
    } else if (s.type === 'media-source' && typeof s.totalAudioEnergy === 'number' && typeof s.totalSamplesDuration === 'number') {
      out.mic = { energy: s.totalAudioEnergy, duration: s.totalSamplesDuration }
    } else if (s.type === 'outbound-rtp') {
      out.bytesSent = Number(s.bytesSent ?? 0)
    } else if (s.type === 'remote-inbound-rtp' && typeof s.roundTripTime === 'number') {
      out.rttMs = s.roundTripTime * 1000
    } else if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number' && out.rttMs === null) {
      out.rttMs = s.currentRoundTripTime * 1000
    }
  })
  return out
}
