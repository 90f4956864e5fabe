// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { startRangePlayback, type FetchRange } from './range-playback'

/** The recording main holds, served in ranges the way recordings.audio does. */
const FILE = Uint8Array.from({ length: 10 }, (_, i) => 0x40 + i)
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
function server(opts: { failAt?: number } = {}) {
  const asked: [number, number][] = []
  const fetchRange: FetchRange = async (offset, length) => {
    asked.push([offset, length])
    if (offset === opts.failAt) return { ok: false, error: { message: '录音不存在或已删除', messageEn: 'the recording does not exist or was deleted' } }
    const data = FILE.subarray(offset, offset + length)
    return { ok: true, value: { contentType: 'audio/webm', data: b64(data), offset, bytes: data.length, total: FILE.length, durationMs: 1000 } }
  }
  return { asked, fetchRange }
}

let blobs: Blob[] = []
beforeEach(() => {
  blobs = []
  URL.createObjectURL = vi.fn((b: Blob) => {
    blobs.push(b)
    return `blob:${blobs.length}`
  }) as never
  URL.revokeObjectURL = vi.fn()
})

describe('range playback without MediaSource', () => {
  it('fetches every range in order and plays them as one file', async () => {
    const s = server()
    const errors: unknown[] = []
    const p = await startRangePlayback(s.fetchRange, { error: (e) => errors.push(e), replaceUrl: () => undefined }, 4)
    expect(p).toMatchObject({ mode: 'whole', url: 'blob:1' })
    expect(s.asked).toEqual([
      [0, 4],
      [4, 4],
      [8, 4]
    ])
    expect(new Uint8Array(await blobs[0]!.arrayBuffer())).toEqual(FILE)
    expect(blobs[0]!.type).toBe('audio/webm')
    expect(errors).toEqual([])
    p!.stop()
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:1')
  })

  it('says why and plays nothing when a range is refused (deleted meanwhile)', async () => {
    const s = server({ failAt: 4 })
    const errors: { messageEn: string }[] = []
    expect(await startRangePlayback(s.fetchRange, { error: (e) => errors.push(e), replaceUrl: () => undefined }, 4)).toBeNull()
    expect(errors.map((e) => e.messageEn)).toEqual(['the recording does not exist or was deleted'])
    expect(blobs).toEqual([])
  })

  it('says why when the first range is refused', async () => {
    const errors: unknown[] = []
    expect(await startRangePlayback(server({ failAt: 0 }).fetchRange, { error: (e) => errors.push(e), replaceUrl: () => undefined })).toBeNull()
    expect(errors).toHaveLength(1)
  })
})
