import type { Logger } from '../logging'
import { backoffDelay } from '../../shared/backoff'
import { OneAtATime } from './one-at-a-time'

/**
 * What follows from the platform acknowledging a change: when it numbers a submitted ticket, the citizen's receipt
 * SMS is queued and the ticket is announced to the other features (the recording's link, the assistant's feedback,
 * the training score). The acknowledgement is one transaction in the sync worker; what follows cannot be in it
 * (it needs the data key and the features), so each source of derived work keeps its own record in the store of
 * what is acknowledged and not yet derived, and sweeps it: at start (once every feature listens), after every
 * acknowledgement, and again later while something failed. A sweep goes on batch by batch until it finds nothing
 * left, so no batch size decides what waits, and a crash anywhere only means the next start sweeps again: every
 * step a source takes must be safe to repeat. The sync indicator counts what is still to derive (`sync.counts`).
 */
export interface DerivedSource {
  readonly name: string
  /** Derives everything acknowledged and not yet derived; false when some of it failed (to be swept again later). */
  sweep(): Promise<boolean>
}

export interface DerivedChangesOptions {
  /** First wait before sweeping again after a failure; doubles up to maxRetryMs. */
  retryMs?: number
  maxRetryMs?: number
}

/** Runs the sources' sweeps, one sweep at a time; a request while one runs makes it go round once more. */
export class DerivedChanges {
  private readonly sources: DerivedSource[] = []
  private readonly sweeps = new OneAtATime(() => this.sweepAll())
  private started = false
  private failures = 0
  private retryTimer: NodeJS.Timeout | null = null
  private readonly opts: Required<DerivedChangesOptions>

  constructor(
    private readonly log: Logger,
    /** A sweep ended (the sync indicator recounts). */
    private readonly changed: () => void,
    opts: DerivedChangesOptions = {}
  ) {
    this.opts = { retryMs: 1000, maxRetryMs: 60_000, ...opts }
  }

  register(source: DerivedSource): void {
    this.sources.push(source)
  }

  /** Every feature listens now: derive what a crash or a stop left behind. */
  start(): void {
    this.started = true
    this.kick()
  }

  /** Something was acknowledged (or given up): sweep now, or once more when the running sweep ends. */
  kick(): void {
    if (this.started) void this.sweeps.request()
  }

  /** Settles when no sweep runs or is asked for (tests, shutdown). */
  idle(): Promise<void> {
    return this.sweeps.idle()
  }

  async stop(): Promise<void> {
    this.started = false
    this.clearRetry()
    await this.idle()
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private async sweepAll(): Promise<void> {
    if (!this.started) return
    this.clearRetry()
    let complete = true
    for (const source of this.sources) {
      try {
        if (!(await source.sweep())) complete = false
      } catch (err) {
        complete = false
        this.log.warn('derived changes: sweep failed', { source: source.name, error: (err as Error).message })
      }
    }
    this.changed()
    if (complete) {
      this.failures = 0
      return
    }
    if (!this.started) return
    const wait = backoffDelay(this.failures++, { baseMs: this.opts.retryMs, maxMs: this.opts.maxRetryMs, minShare: 1 })
    this.retryTimer = setTimeout(() => this.kick(), wait)
    this.retryTimer.unref?.()
  }
}
