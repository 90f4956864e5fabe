import { z } from 'zod'

/**
 * Call quality from getStats: an E-model (ITU-T G.107) estimate of MOS from one-way
 * delay, jitter and packet loss, simplified the usual way for VoIP monitoring:
 *
 *   effective delay d = RTT/2 + 2·jitter + codec/packetisation delay
 *   Id  = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)                 (G.107 delay impairment, simplified)
 *   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl)          (G.107 §7.4, random loss: BurstR = 1)
 *   R = 93.2 − Id − Ie,eff                                          (Ro − Is with default values, A = 0)
 *   MOS = 1 + 0.035R + R(R − 60)(100 − R)·7·10⁻⁶   for 0 < R < 100 (G.107 Annex B)
 */
export interface CodecImpairment {
  /** Equipment impairment factor Ie (G.113 Appendix I). */
  ie: number
  /** Packet-loss robustness factor Bpl. */
  bpl: number
  /** Codec + packetisation delay (ms). */
  delayMs: number
}

/** G.711 with PLC (G.113: Ie 0, Bpl 25.1); Opus has no G.113 entry: wideband PLC, treated as robust. */
export const CODECS = {
  pcmu: { ie: 0, bpl: 25.1, delayMs: 20 },
  pcma: { ie: 0, bpl: 25.1, delayMs: 20 },
  opus: { ie: 0, bpl: 30, delayMs: 25 }
} as const satisfies Record<string, CodecImpairment>

export interface QualityInput {
  rttMs: number
  jitterMs: number
  /** Packet loss in percent (0–100). */
  lossPct: number
}

export function rFactor(q: QualityInput, codec: CodecImpairment = CODECS.opus): number {
  const rtt = clampFinite(q.rttMs, 0, 10_000)
  const jitter = clampFinite(q.jitterMs, 0, 10_000)
  const loss = clampFinite(q.lossPct, 0, 100)
  const d = rtt / 2 + 2 * jitter + codec.delayMs
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0)
  const ieEff = codec.ie + ((95 - codec.ie) * loss) / (loss + codec.bpl)
  return 93.2 - id - ieEff
}

export function mosFromR(r: number): number {
  if (!(r > 0)) return 1
  if (r >= 100) return 4.5
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6
}

/** MOS estimate 1.0–4.5, rounded to two decimals. Garbage input (NaN, negative) is clamped, never thrown. */
export function estimateMos(q: QualityInput, codec?: CodecImpairment): number {
  return Math.round(mosFromR(rFactor(q, codec)) * 100) / 100
}

function clampFinite(v: number, lo: number, hi: number): number {
  if (!Number.isFinite(v)) return v === Infinity ? hi : lo
  return Math.min(hi, Math.max(lo, v))
}

export const QualitySampleSchema = z.object({
  callId: z.string(),
  at: z.number(),
  rttMs: z.number().nullable(),
  jitterMs: z.number().nullable(),
  lossPct: z.number().nullable(),
  mos: z.number().nullable(),
  /** Cumulative RTP counters, for "is media flowing" checks. */
  bytesSent: z.number().nullable(),
  bytesReceived: z.number().nullable(),
  /** Current inbound audio level 0–1 when the stack reports it. */
  audioLevel: z.number().nullable(),
  warning: z.boolean(),
  /** When the call's first inbound RTP arrived (ms since epoch), once known. */
  firstMediaAt: z.number().nullable().optional(),
  /** The agent's microphone over the last sample period: RMS level 0–1 (the 电平 meter), when the stack reports it. */
  micLevel: z.number().nullable().optional(),
  /** The microphone has picked up nothing for MIC_SILENT_SAMPLES samples while neither muted nor on hold. */
  micSilent: z.boolean().optional()
})
export type QualitySample = z.infer<typeof QualitySampleSchema>

export interface QualityWatchOptions {
  /** Warn when MOS stays under this… */
  threshold?: number
  /** …for at least this long (ms). */
  holdMs?: number
  /** Clear the warning only after MOS has been back at/over the threshold this long (ms). */
  clearMs?: number
  /** A gap between samples longer than this breaks a streak (stats stalled, call on hold). */
  maxGapMs?: number
}

export interface QualityWatchState {
  warning: boolean
  /** Start of the current run of bad samples (MOS under threshold), or null. */
  badSince: number | null
  /** Start of the current run of good samples while warning, or null. */
  goodSince: number | null
  lastAt: number | null
}

export const initialQualityWatch = (): QualityWatchState => ({ warning: false, badSince: null, goodSince: null, lastAt: null })

/**
 * "MOS under 3.5 for 5 s" as a pure step: feed each sample's time and MOS (null
 * when there is none, e.g. on hold: that clears everything); the warning comes on after `holdMs` of
 * continuously bad samples and goes off after `clearMs` of good ones.
 */
export function stepQualityWatch(state: QualityWatchState, at: number, mos: number | null, opts: QualityWatchOptions = {}): QualityWatchState {
  const threshold = opts.threshold ?? 3.5
  const holdMs = opts.holdMs ?? 5000
  const clearMs = opts.clearMs ?? 3000
  const maxGapMs = opts.maxGapMs ?? 3000
  const gap = state.lastAt !== null && at - state.lastAt > maxGapMs
  // No MOS (on hold, no media yet): nothing to judge, so no warning and no streak.
  if (mos === null || !Number.isFinite(mos)) return { ...initialQualityWatch(), lastAt: at }
  const base = gap ? { ...initialQualityWatch(), warning: false } : state
  if (mos < threshold) {
    const badSince = base.badSince ?? at
    return { warning: base.warning || at - badSince >= holdMs, badSince, goodSince: null, lastAt: at }
  }
  if (!base.warning) return { warning: false, badSince: null, goodSince: null, lastAt: at }
  const goodSince = base.goodSince ?? at
  const cleared = at - goodSince >= clearMs
  return { warning: !cleared, badSince: null, goodSince: cleared ? null : goodSince, lastAt: at }
}

/**
 * When the first inbound RTP packet of a call arrived, from the first stats
 * report that shows any. Chromium caches getStats results for 50 ms, so however
 * often it is polled, "the first report with bytes" lands up to 50 ms after the
 * packet did. The report also gives the last packet's arrival time and the count:
 * packets come one per ptime, so the first came (count − 1) × ptime before the
 * last. Bounded by the last report that still showed none (it had not arrived)
 * and by the last packet's own time.
 */
export function firstPacketAt(s: { lastPacketAt: number | null; packets: number; ptimeMs: number; seenAt: number; noneAt: number | null }): number {
  if (s.lastPacketAt === null || !Number.isFinite(s.lastPacketAt) || s.packets < 1) return s.seenAt
  const estimate = s.lastPacketAt - (s.packets - 1) * s.ptimeMs
  const upper = Math.min(s.lastPacketAt, s.seenAt)
  return Math.max(s.noneAt ?? -Infinity, Math.min(estimate, upper))
}

/** The packet duration a remote SDP asks for (a=ptime), 20 ms (Opus' and G.711's usual) when it names none. */
export function ptimeOf(sdp: string | undefined): number {
  const m = /^a=ptime:(\d+)/m.exec(sdp ?? '')
  const v = m ? Number(m[1]) : 20
  return v >= 5 && v <= 120 ? v : 20
}

/**
 * The microphone's level over an interval, from two media-source stats reports: the RMS of what was captured in
 * between (totalAudioEnergy is the sum of squared levels × duration), so a short word between two samples still
 * counts, unlike the instantaneous `audioLevel`.
 */
export function intervalLevel(prev: { energy: number; duration: number } | null, cur: { energy: number; duration: number } | null): number | null {
  if (!prev || !cur) return null
  const dd = cur.duration - prev.duration
  const de = cur.energy - prev.energy
  if (!(dd > 0) || !(de >= 0)) return null
  return Math.min(1, Math.sqrt(de / dd))
}

/** Below this RMS (about −66 dBFS) a headset microphone is taken to be picking up nothing at all. */
export const MIC_SILENCE_LEVEL = 0.0005
/** Seconds of such silence (one sample a second) before the agent is told. */
export const MIC_SILENT_SAMPLES = 8

/** Counts silent samples; muted or held (the agent is not meant to be heard) starts the count again. */
export function stepMicSilence(count: number, level: number | null, paused: boolean): number {
  if (paused || level === null || level >= MIC_SILENCE_LEVEL) return 0
  return count + 1
}
