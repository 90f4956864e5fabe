import type { StateHub } from '../state/state-hub'

/**
 * Platform work (the call record, the agent state) held back while the desk does what the agent sees or hears
 * first: the screen pop as a call starts ringing (the caller card is painted meanwhile), and the first audio after
 * 接听 (until `AnswerQuiet` ends). It keeps its order and its times (each change carries the moment it happened).
 */
export class PlatformHold {
  private held: { timer: NodeJS.Timeout | null; work: (() => void)[] } | null = null

  /** Holds platform work for `ms`, or (ms null) until `release`; a longer hold takes over a shorter one. */
  hold(ms: number | null): void {
    const h = this.held
    if (h && (h.timer === null || ms !== null)) return
    if (h?.timer) clearTimeout(h.timer)
    const timer = ms === null ? null : setTimeout(() => this.release(), ms)
    timer?.unref?.()
    this.held = { timer, work: h?.work ?? [] }
  }

  /** Does the held work now, in order. */
  release(): void {
    const h = this.held
    if (!h) return
    if (h.timer) clearTimeout(h.timer)
    this.held = null
    for (const w of h.work) w()
  }

  /** Does `fn` now, or after the hold. */
  work(fn: () => void): void {
    if (this.held) this.held.work.push(fn)
    else fn()
  }
}

/**
 * Sound first, paint after. From 接听 until the call's first audio arrives (at most `quietMs`), state changes
 * are held from the windows (StateHub.hold) and the platform is not told of the agent state: on a two-core agent
 * PC the windows' re-render (≈60–75 ms of renderer CPU plus the compositor's, measured with
 * `BENCH_PHASES=1 npm run bench:phone`) and the platform round trip would otherwise run exactly while the phone
 * host sets up the media, and delay the citizen's first words. The platform's call record waits likewise. The
 * 接听 button is disabled at once by the window itself; the windows catch up in one go, usually ≈80 ms after
 * the click.
 */
export class AnswerQuiet {
  private quiet: { timer: NodeJS.Timeout; release: () => void; over: Promise<void>; end: () => void } | null = null

  constructor(
    private readonly hub: Pick<StateHub, 'hold'>,
    private readonly platform: PlatformHold,
    private readonly quietMs: number
  ) {}

  /** Settles when the quiet ends; null when there is none. */
  get over(): Promise<void> | null {
    return this.quiet?.over ?? null
  }

  begin(): void {
    if (this.quiet) return
    const timer = setTimeout(() => this.end(), this.quietMs)
    timer.unref?.()
    let end = () => {}
    const over = new Promise<void>((resolve) => (end = resolve))
    this.platform.hold(null)
    this.quiet = { timer, release: this.hub.hold(), over, end }
  }

  /** The answered call's audio is flowing (or it ended, failed, or took too long): catch up in one go. */
  end(): void {
    const q = this.quiet
    if (!q) return
    clearTimeout(q.timer)
    this.quiet = null
    q.release()
    this.platform.release()
    q.end()
  }
}
