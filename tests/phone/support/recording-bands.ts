import path from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { GOERTZEL_JS } from './bare-page'

/** Mean power (dB) at each frequency over a window of a decoded recording, per channel. */
export interface Bands {
  left: Record<number, number>
  right: Record<number, number>
  /** RMS of the left channel (the agent) over the window: is there any sound at all. */
  leftRms: number
}

export interface RecordingRow {
  id: string
  callId: string
  /** A consultation leg's citizen call. */
  parentCallId: string | null
  status: string
  startedAt: number
  durationMs: number | null
  platformRecordingId: number | null
}

/** The desk's recordings as main stored them, oldest first. */
export function recordingRows(dataDir: string): RecordingRow[] {
  const db = new Database(path.join(dataDir, 'desk.sqlite'), { readonly: true })
  try {
    return db
      .prepare(
        `SELECT id, call_id AS callId, parent_call_id AS parentCallId, status, started_at AS startedAt, duration_ms AS durationMs,
         platform_recording_id AS platformRecordingId FROM recordings ORDER BY started_at`
      )
      .all() as RecordingRow[]
  } finally {
    db.close()
  }
}

/** Page code: \`audio\`, the recording in \`b64\` (base64 WebM/Opus) decoded at 48 kHz, two channels. */
const DECODE_JS = (b64: string) => `
    const bin = atob(${JSON.stringify(b64)})
    const buf = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i)
    const audio = await new OfflineAudioContext(2, 48000, 48000).decodeAudioData(buf.buffer)`

/** How long a recording plays, decoded (seconds). */
export function recordingSeconds(page: Page, b64: string): Promise<number> {
  return page.evaluate(`(async () => {${DECODE_JS(b64)}
    return audio.duration
  })()`)
}

/**
 * Decodes a recording (base64 WebM/Opus) in a page and measures each frequency (Goertzel over 100 ms frames)
 * on both channels in each [from, to] window (seconds). The page code is a string: the test runner's
 * transform would otherwise reference helpers the page does not have.
 */
export function recordingBands(page: Page, b64: string, freqs: number[], windows: [number, number][]): Promise<Bands[]> {
  return page.evaluate(`(async () => {
    ${GOERTZEL_JS}${DECODE_JS(b64)}
    const rate = audio.sampleRate
    const frame = rate / 10
    return ${JSON.stringify(windows)}.map(([from, to]) => {
      const out = { left: {}, right: {}, leftRms: 0 }
      for (const [c, side] of [[0, 'left'], [1, 'right']]) {
        const ch = audio.getChannelData(c).subarray(Math.floor(from * rate), Math.floor(to * rate))
        if (c === 0) {
          let sum = 0
          for (const v of ch) sum += v * v
          out.leftRms = Math.sqrt(sum / Math.max(1, ch.length))
        }
        for (const hz of ${JSON.stringify(freqs)}) {
          let total = 0
          let frames = 0
          for (let i = 0; i + frame <= ch.length; i += frame) {
            total += goertzelPower(ch, i, i + frame, hz, rate)
            frames++
          }
          out[side][hz] = Math.round(10 * Math.log10(total / Math.max(1, frames) + 1e-20) * 10) / 10
        }
      }
      return out
    })
  })()`)
}
