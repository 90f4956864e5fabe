/**
 * Decrypted recordings being played, kept a short while in main so that each
 * range the player asks for does not decrypt (or download) the whole file again.
 * Small on purpose: a couple of entries, dropped after a minute without a read,
 * and at once when the recording is deleted. Also remembers when each user's
 * playback of a recording was last audited: one audit per playback, not per range.
 */
export interface PlainAudio {
  contentType: string
  data: Buffer
  durationMs: number | null
}

export class PlaybackCache {
  private readonly entries = new Map<string, { audio: PlainAudio; timer: NodeJS.Timeout }>()
  private readonly audited = new Map<string, number>()

  constructor(
    private readonly opts: { maxEntries?: number; idleMs?: number; playbackMs?: number; now?: () => number } = {}
  ) {}

  async get(key: string, load: () => Promise<PlainAudio>): Promise<PlainAudio> {
    const hit = this.entries.get(key)
    if (hit) {
      this.touch(key, hit.audio)
      return hit.audio
    }
    const audio = await load()
    this.touch(key, audio)
    const max = this.opts.maxEntries ?? 2
    for (const old of this.entries.keys()) if (this.entries.size > max && old !== key) this.drop(old)
    return audio
  }

  private touch(key: string, audio: PlainAudio): void {
    const prev = this.entries.get(key)
    if (prev) clearTimeout(prev.timer)
    this.entries.delete(key)
    const timer = setTimeout(() => this.entries.delete(key), this.opts.idleMs ?? 60_000)
    timer.unref?.()
    this.entries.set(key, { audio, timer })
  }

  drop(key: string): void {
    const e = this.entries.get(key)
    if (e) clearTimeout(e.timer)
    this.entries.delete(key)
  }

  /**
   * True when this range starts a playback that must be audited: the player always
   * starts at offset 0; a reader that skips it is audited at its first range anyway.
   */
  startsPlayback(user: string, key: string, offset: number): boolean {
    const now = (this.opts.now ?? Date.now)()
    const k = `${user}\u0000${key}`
    const last = this.audited.get(k)
    const fresh = offset === 0 || last === undefined || now - last > (this.opts.playbackMs ?? 30 * 60_000)
    if (fresh) {
      for (const [old, at] of this.audited) if (now - at > (this.opts.playbackMs ?? 30 * 60_000)) this.audited.delete(old)
      this.audited.set(k, now)
    }
    return fresh
  }

  clear(): void {
    for (const e of this.entries.values()) clearTimeout(e.timer)
    this.entries.clear()
    this.audited.clear()
  }
}
