import { MAX_AUDIO_RANGE } from '../../../shared/ipc/services/recordings'

/**
 * Plays a recording that main hands over in byte ranges (recordings.audio), so an
 * hour-long call never crosses IPC in one message and playback starts after the
 * first range. In Chromium the ranges are appended to a MediaSource as they come
 * (the WebM's Duration, written when the recording was finalised, gives the
 * player its length at once; seeking into a part not yet loaded waits for it).
 * Elsewhere, or for a format MediaSource cannot take, the ranges are assembled
 * into one Blob first. Chromium keeps at most ~12 MB of audio in a MediaSource;
 * a longer call is assembled in the background as well and replaces the stream
 * once loaded, so seeking back into any part of it keeps working.
 */
export const STREAM_MIME = 'audio/webm;codecs=opus'

export interface AudioRange {
  contentType: string
  data: string
  offset: number
  bytes: number
  total: number
  durationMs: number | null
}
export interface RangeError {
  message: string
  messageEn: string
}
export type FetchRange = (offset: number, length: number) => Promise<{ ok: true; value: AudioRange } | { ok: false; error: RangeError }>

export interface RangePlayback {
  /** Object URL for the <audio> element. */
  url: string
  /** 'stream': MediaSource fed range by range; 'whole': one Blob of every range. */
  mode: 'stream' | 'whole'
  /** Settles once every range is in (or loading stopped on an error). */
  loaded: Promise<void>
  stop(): void
}

export interface PlaybackHooks {
  error(e: RangeError): void
  /** The stream could not hold the whole call: play this URL (the whole file) from where the player is. */
  replaceUrl(url: string): void
}

const decode = (b64: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
const once = (target: EventTarget, name: string) => new Promise<void>((resolve) => target.addEventListener(name, () => resolve(), { once: true }))

export function canStream(contentType: string): boolean {
  return typeof MediaSource !== 'undefined' && contentType.split(';')[0]!.trim() === 'audio/webm' && MediaSource.isTypeSupported(STREAM_MIME)
}

/** Fetches the first range and starts playback; null (after hooks.error) when it is refused. */
export async function startRangePlayback(fetchRange: FetchRange, hooks: PlaybackHooks, rangeBytes = MAX_AUDIO_RANGE): Promise<RangePlayback | null> {
  const first = await fetchRange(0, rangeBytes)
  if (!first.ok) {
    hooks.error(first.error)
    return null
  }
  const { contentType, total, durationMs } = first.value
  const parts: Uint8Array<ArrayBuffer>[] = [decode(first.value.data)]
  const urls: string[] = []
  let stopped = false
  const stop = () => {
    stopped = true
    urls.splice(0).forEach((u) => URL.revokeObjectURL(u))
  }
  const wholeUrl = () => {
    const url = URL.createObjectURL(new Blob(parts, { type: contentType }))
    urls.push(url)
    return url
  }
  /** The ranges after the first, in order; false when stopped or refused. */
  const fetchRest = async (each?: (bytes: Uint8Array<ArrayBuffer>) => Promise<void>): Promise<boolean> => {
    let offset = parts[0]!.length
    while (offset < total) {
      if (stopped) return false
      const r = await fetchRange(offset, rangeBytes)
      if (stopped) return false
      if (!r.ok) {
        hooks.error(r.error)
        return false
      }
      const bytes = decode(r.value.data)
      // Main never answers an empty range before the end; guard against looping on one anyway.
      if (!bytes.length) return false
      parts.push(bytes)
      offset += bytes.length
      await each?.(bytes)
    }
    return !stopped
  }

  if (!canStream(contentType)) {
    if (!(await fetchRest())) return null
    return { url: wholeUrl(), mode: 'whole', loaded: Promise.resolve(), stop }
  }

  const source = new MediaSource()
  const url = URL.createObjectURL(source)
  urls.push(url)
  const loaded = (async () => {
    await once(source, 'sourceopen')
    if (stopped) return
    const buffer = source.addSourceBuffer(STREAM_MIME)
    let streaming = true
    buffer.addEventListener('error', () => (streaming = false))
    const append = async (bytes: Uint8Array<ArrayBuffer>) => {
      if (!streaming || stopped || source.readyState !== 'open') return
      try {
        buffer.appendBuffer(bytes)
        await once(buffer, 'updateend')
      } catch {
        // QuotaExceededError: the browser holds no more of this call; the whole file takes over once loaded.
        streaming = false
      }
    }
    await append(parts[0]!)
    if (streaming && !Number.isFinite(source.duration) && durationMs !== null && source.readyState === 'open' && !buffer.updating) source.duration = durationMs / 1000
    const complete = await fetchRest(append)
    if (!complete) {
      if (source.readyState === 'open' && !buffer.updating) source.endOfStream('network')
      return
    }
    // Everything appended and nothing evicted: one buffered range from the start.
    const whole = streaming && buffer.buffered.length === 1 && buffer.buffered.start(0) < 0.5
    if (whole && source.readyState === 'open') {
      source.endOfStream()
      return
    }
    hooks.replaceUrl(wholeUrl())
  })()
  return { url, mode: 'stream', loaded, stop }
}
