/**
 * MediaRecorder writes WebM as a live stream: the Segment and its Clusters have
 * "unknown" sizes and the Info element has no Duration, so a player shows no
 * length and cannot seek. Once the call is over we know the length: this reads
 * the last block's timestamp and writes a Duration into Info (what the browser
 * package `fix-webm-duration` does, here in Node on a Buffer). Nothing else moves,
 * because MediaRecorder's WebM has no SeekHead or Cues with byte offsets.
 */
const ID = {
  ebml: 0x1a45dfa3,
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1
}
/** Level-1 elements: meeting one ends a Cluster of unknown size. */
const LEVEL1 = new Set([ID.info, ID.cluster, 0x1654ae6b, 0x1c53bb6b, 0x1254c367, 0x114d9b74, 0x1043a770, 0x1941a469])

interface Header {
  id: number
  /** null: unknown size (runs to the parent's end). */
  size: number | null
  /** Where the element's data starts. */
  data: number
}

function readVint(buf: Buffer, pos: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | null {
  if (pos >= buf.length) return null
  const first = buf[pos]!
  let length = 1
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++
  if (length > 8 || pos + length > buf.length) return null
  let value = keepMarker ? first : first & (0xff >> length)
  let allOnes = value === 0xff >> length
  for (let i = 1; i < length; i++) {
    value = value * 256 + buf[pos + i]!
    if (buf[pos + i] !== 0xff) allOnes = false
  }
  return { value, length, unknown: !keepMarker && allOnes }
}

function readHeader(buf: Buffer, pos: number): Header | null {
  const id = readVint(buf, pos, true)
  if (!id) return null
  const size = readVint(buf, pos + id.length, false)
  if (!size) return null
  return { id: id.value, size: size.unknown ? null : size.value, data: pos + id.length + size.length }
}

function readUint(buf: Buffer, pos: number, len: number): number {
  let v = 0
  for (let i = 0; i < len; i++) v = v * 256 + buf[pos + i]!
  return v
}

/** An 8-byte EBML size (so a rewritten element's header has a fixed length). */
function size8(n: number): Buffer {
  const b = Buffer.alloc(8)
  b[0] = 0x01
  b.writeUIntBE(n, 2, 6)
  return b
}

export interface WebmTiming {
  /** Timestamp units in nanoseconds (1 000 000 = milliseconds, MediaRecorder's). */
  timecodeScale: number
  /** The last block's start, in ms, plus one Opus frame (20 ms). */
  durationMs: number
}

interface Layout {
  segment: Header & { headerAt: number }
  info: Header & { headerAt: number }
  timing: WebmTiming
}

function layout(buf: Buffer): Layout | null {
  const ebml = readHeader(buf, 0)
  if (!ebml || ebml.id !== ID.ebml || ebml.size === null) return null
  const segAt = ebml.data + ebml.size
  const seg = readHeader(buf, segAt)
  if (!seg || seg.id !== ID.segment) return null
  const segEnd = seg.size === null ? buf.length : Math.min(buf.length, seg.data + seg.size)
  let info: Layout['info'] | null = null
  let scale = 1_000_000
  let last = -1
  let pos = seg.data
  while (pos < segEnd) {
    const h = readHeader(buf, pos)
    if (!h) break
    if (h.id === ID.info && h.size !== null) {
      info = { ...h, headerAt: pos }
      for (let p = h.data; p < h.data + h.size; ) {
        const c = readHeader(buf, p)
        if (!c || c.size === null) break
        if (c.id === ID.timecodeScale) scale = readUint(buf, c.data, c.size)
        p = c.data + c.size
      }
    }
    if (h.id === ID.cluster) {
      // A Cluster of unknown size ends where the next level-1 element begins.
      const end = h.size === null ? segEnd : Math.min(segEnd, h.data + h.size)
      let clusterTc = 0
      let p = h.data
      while (p < end) {
        const c = readHeader(buf, p)
        if (!c || (h.size === null && LEVEL1.has(c.id))) break
        const cEnd = c.size === null ? end : c.data + c.size
        if (c.id === ID.timecode && c.size !== null) clusterTc = readUint(buf, c.data, c.size)
        const blockAt = c.id === ID.simpleBlock ? c.data : c.id === ID.blockGroup ? blockInGroup(buf, c.data, cEnd) : null
        if (blockAt !== null && cEnd <= buf.length) {
          const track = readVint(buf, blockAt, false)
          if (track && blockAt + track.length + 2 <= buf.length) last = Math.max(last, clusterTc + buf.readInt16BE(blockAt + track.length))
        }
        p = cEnd
      }
      pos = p
      continue
    }
    if (h.size === null) break
    pos = h.data + h.size
  }
  if (!info || last < 0) return null
  const frame = 20_000_000 / scale
  return { segment: { ...seg, headerAt: segAt }, info, timing: { timecodeScale: scale, durationMs: ((last + frame) * scale) / 1_000_000 } }
}

function blockInGroup(buf: Buffer, from: number, to: number): number | null {
  for (let p = from; p < to; ) {
    const c = readHeader(buf, p)
    if (!c || c.size === null) return null
    if (c.id === ID.block) return c.data
    p = c.data + c.size
  }
  return null
}

/** The recording's length as its blocks say, or null when it is not a WebM we can read. */
export function webmTiming(buf: Buffer): WebmTiming | null {
  return layout(buf)?.timing ?? null
}

/**
 * Returns the WebM with Info's Duration set (replacing one already there) and
 * the measured length; the input unchanged and null when it cannot be parsed.
 */
export function fixWebmDuration(buf: Buffer): { webm: Buffer; durationMs: number | null } {
  const l = layout(buf)
  if (!l) return { webm: buf, durationMs: null }
  const { info, segment, timing } = l
  const kept: Buffer[] = []
  for (let p = info.data; p < info.data + info.size!; ) {
    const c = readHeader(buf, p)!
    const end = c.data + c.size!
    if (c.id !== ID.duration) kept.push(buf.subarray(p, end))
    p = end
  }
  const duration = Buffer.alloc(11)
  duration.writeUInt16BE(ID.duration, 0)
  duration[2] = 0x88
  duration.writeDoubleBE((timing.durationMs * 1_000_000) / timing.timecodeScale, 3)
  const infoBody = Buffer.concat([...kept, duration])
  const infoIdLength = info.data - info.headerAt - sizeLength(buf, info.headerAt)
  const newInfo = Buffer.concat([buf.subarray(info.headerAt, info.headerAt + infoIdLength), size8(infoBody.length), infoBody])
  const before = buf.subarray(0, info.headerAt)
  const after = buf.subarray(info.data + info.size!)
  let out = Buffer.concat([before, newInfo, after])
  if (segment.size !== null) {
    // A Segment of known size grows by what Info grew.
    const grown = segment.size + newInfo.length - (info.data + info.size! - info.headerAt)
    const idLen = 4
    const oldSizeLen = segment.data - segment.headerAt - idLen
    out = Buffer.concat([out.subarray(0, segment.headerAt + idLen), size8(grown), out.subarray(segment.headerAt + idLen + oldSizeLen)])
  }
  return { webm: out, durationMs: Math.round(timing.durationMs) }
}

function sizeLength(buf: Buffer, headerAt: number): number {
  const id = readVint(buf, headerAt, true)!
  return readVint(buf, headerAt + id.length, false)!.length
}
