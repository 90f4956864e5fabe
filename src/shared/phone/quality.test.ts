import { describe, expect, it } from 'vitest'
import { CODECS, estimateMos, firstPacketAt, initialQualityWatch, intervalLevel, MIC_SILENT_SAMPLES, mosFromR, ptimeOf, rFactor, stepMicSilence, stepQualityWatch, type QualityWatchState } from './quality'

describe('E-model MOS estimate', () => {
  it('G.107 R→MOS mapping at reference points', () => {
    expect(mosFromR(0)).toBe(1)
    expect(mosFromR(-5)).toBe(1)
    expect(mosFromR(100)).toBe(4.5)
    expect(mosFromR(93.2)).toBeCloseTo(4.41, 2)
    expect(mosFromR(50)).toBeCloseTo(2.58, 2)
    expect(mosFromR(70)).toBeCloseTo(3.6, 1)
  })

  it('a clean loopback call scores about 4.4', () => {
    expect(estimateMos({ rttMs: 1, jitterMs: 0.5, lossPct: 0 })).toBeGreaterThan(4.35)
  })

  it('falls with loss, jitter and delay', () => {
    const base = estimateMos({ rttMs: 40, jitterMs: 5, lossPct: 0 })
    expect(estimateMos({ rttMs: 40, jitterMs: 5, lossPct: 3 })).toBeLessThan(base)
    expect(estimateMos({ rttMs: 40, jitterMs: 60, lossPct: 0 })).toBeLessThan(base)
    expect(estimateMos({ rttMs: 600, jitterMs: 5, lossPct: 0 })).toBeLessThan(estimateMos({ rttMs: 300, jitterMs: 5, lossPct: 0 }))
    // 10 % random loss on G.711 with PLC is poor (well below 3.5)
    expect(estimateMos({ rttMs: 50, jitterMs: 10, lossPct: 10 }, CODECS.pcmu)).toBeLessThan(3.5)
    // the delay knee at 177.3 ms one-way
    const knee = rFactor({ rttMs: 2 * (177.3 - 25), jitterMs: 0, lossPct: 0 })
    expect(knee).toBeCloseTo(93.2 - 0.024 * 177.3, 5)
  })

  it('never throws on garbage and stays within 1–4.5', () => {
    for (const v of [NaN, -1, Infinity, -Infinity, 1e12]) {
      const mos = estimateMos({ rttMs: v, jitterMs: v, lossPct: v })
      expect(mos).toBeGreaterThanOrEqual(1)
      expect(mos).toBeLessThanOrEqual(4.5)
    }
  })
})

describe('MOS < 3.5 for 5 s warning', () => {
  const run = (samples: [number, number | null][], opts = {}) => {
    let s: QualityWatchState = initialQualityWatch()
    const out: boolean[] = []
    for (const [t, m] of samples) {
      s = stepQualityWatch(s, t, m, opts)
      out.push(s.warning)
    }
    return out
  }
  it('warns only after 5 s of continuously bad samples', () => {
    const bad = Array.from({ length: 7 }, (_, i) => [i * 1000, 3.0] as [number, number])
    expect(run(bad)).toEqual([false, false, false, false, false, true, true])
  })
  it('one good sample restarts the streak', () => {
    expect(run([[0, 3], [1000, 3], [2000, 3], [3000, 4.2], [4000, 3], [5000, 3], [6000, 3], [7000, 3], [8000, 3], [9000, 3]])).toEqual([
      false, false, false, false, false, false, false, false, false, true
    ])
  })
  it('clears after 3 s of good samples, not at the first', () => {
    const s = [...Array.from({ length: 6 }, (_, i) => [i * 1000, 2.5] as [number, number]), [6000, 4], [7000, 4], [8000, 4], [9000, 4]] as [number, number][]
    expect(run(s)).toEqual([false, false, false, false, false, true, true, true, true, false])
  })
  it('a stats gap or a sample without MOS (hold, stall) breaks the streak and clears the warning', () => {
    expect(run([[0, 3], [1000, 3], [10_000, 3], [11_000, 3]])).toEqual([false, false, false, false])
    expect(run([[0, 3], [5000, 3], [5500, null], [6000, 3]], { maxGapMs: 10_000 })).toEqual([false, true, false, false])
  })
  it('threshold and duration are configurable', () => {
    expect(run([[0, 3.9], [2000, 3.9]], { threshold: 4, holdMs: 2000 })).toEqual([false, true])
  })
})

describe('first inbound packet time', () => {
  it('steps back from the last packet by one ptime per earlier packet', () => {
    // Report seen at 1100 (cached since 1080) with 3 packets, the last at 1078: the first came at 1038.
    expect(firstPacketAt({ lastPacketAt: 1078, packets: 3, ptimeMs: 20, seenAt: 1100, noneAt: 1030 })).toBe(1038)
  })

  it('never before the last report that showed no packet, never after the last packet', () => {
    expect(firstPacketAt({ lastPacketAt: 1078, packets: 9, ptimeMs: 20, seenAt: 1100, noneAt: 1030 })).toBe(1030)
    expect(firstPacketAt({ lastPacketAt: 1078, packets: 1, ptimeMs: 20, seenAt: 1100, noneAt: null })).toBe(1078)
    expect(firstPacketAt({ lastPacketAt: 2000, packets: 1, ptimeMs: 20, seenAt: 1100, noneAt: null })).toBe(1100)
  })

  it('falls back to when it was seen without a packet time', () => {
    expect(firstPacketAt({ lastPacketAt: null, packets: 2, ptimeMs: 20, seenAt: 1100, noneAt: 1000 })).toBe(1100)
    expect(firstPacketAt({ lastPacketAt: Number.NaN, packets: 2, ptimeMs: 20, seenAt: 1100, noneAt: 1000 })).toBe(1100)
  })

  it('reads a=ptime from the remote SDP, 20 ms otherwise', () => {
    expect(ptimeOf('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ptime:40\r\n')).toBe(40)
    expect(ptimeOf('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n')).toBe(20)
    expect(ptimeOf(undefined)).toBe(20)
    expect(ptimeOf('a=ptime:0\r\n')).toBe(20)
  })
})

describe('microphone level and silence', () => {
  it('is the RMS of what was captured between two reports', () => {
    // 1 s at a constant 0.1 level: energy grows by 0.1² × 1.
    expect(intervalLevel({ energy: 0.5, duration: 10 }, { energy: 0.51, duration: 11 })).toBeCloseTo(0.1, 6)
    expect(intervalLevel({ energy: 0.5, duration: 10 }, { energy: 0.5, duration: 11 })).toBe(0)
  })

  it('gives no level without two reports or with counters that went backwards', () => {
    expect(intervalLevel(null, { energy: 1, duration: 1 })).toBeNull()
    expect(intervalLevel({ energy: 1, duration: 2 }, { energy: 1, duration: 2 })).toBeNull()
    expect(intervalLevel({ energy: 2, duration: 1 }, { energy: 1, duration: 2 })).toBeNull()
  })

  it('counts silent seconds, and starts again on sound, mute or hold', () => {
    let n = 0
    for (let i = 0; i < MIC_SILENT_SAMPLES; i++) n = stepMicSilence(n, 0, false)
    expect(n).toBe(MIC_SILENT_SAMPLES)
    expect(stepMicSilence(n, 0.02, false)).toBe(0)
    expect(stepMicSilence(n, 0, true)).toBe(0)
    expect(stepMicSilence(n, null, false)).toBe(0)
  })
})
