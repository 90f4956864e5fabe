import { backoffDelay } from '../../shared/backoff'
import type { DbClient } from '../db/client'
import type { OutboxEntry } from '../db/outbox-operations'
import type { Logger } from '../logging'

/** What sending one outbox entry to the platform came to. */
export type SendOutcome =
  | { kind: 'ok'; response: unknown }
  /** Try again later: no answer (offline), or 5xx/429 (degraded). */
  | { kind: 'retry'; reason: 'offline' | 'degraded'; error: unknown }
  /** The platform refused the content (4xx): park it for the agent to fix. */
  | { kind: 'reject'; error: unknown }
  /** Stale version (409): park it; the agent decides, nothing is overwritten. */
  | { kind: 'conflict'; error: unknown }

export interface OutboxSender {
  send(entry: OutboxEntry): Promise<SendOutcome>
}

export interface SyncObserver {
  /** Every outcome, so the connectivity indicator reflects what sync really sees. */
  outcome(kind: SendOutcome['kind'], reason?: 'offline' | 'degraded'): void
  /** The queue changed (counts for the agent's indicator). */
  changed(): void
}

export interface SyncOptions {
  baseDelayMs?: number
  maxDelayMs?: number
  /** Idle poll when the queue is empty (enqueue and reconnect wake it at once). */
  idleMs?: number
  random?: () => number
  now?: () => number
}

/**
 * Drains the outbox to the platform strictly in order, one entry at a time, with
 * exponential backoff and full jitter (so a hundred desktops coming back after a
 * network cut don't hit the platform in lockstep). Entries survive restarts in
 * SQLite and are resent with the same idempotency key: exactly once end to end.
 */
export class SyncWorker {
  private running = false
  private wake: (() => void) | null = null
  private loop: Promise<void> | null = null
  private skipBackoff = false
  private readonly opts: Required<SyncOptions>

  constructor(
    private readonly db: DbClient,
    private readonly sender: OutboxSender,
    private readonly observer: SyncObserver,
    private readonly log: Logger,
    opts: SyncOptions = {}
  ) {
    this.opts = { baseDelayMs: 500, maxDelayMs: 30_000, idleMs: 5_000, random: Math.random, now: Date.now, ...opts }
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Something was enqueued: look now. */
  kick(): void {
    this.wake?.()
  }

  /** The platform is reachable again: retry the head now instead of waiting out its backoff. */
  reconnected(): void {
    this.skipBackoff = true
    this.wake?.()
  }

  async stop(): Promise<void> {
    this.running = false
    this.wake?.()
    await this.loop
  }

  backoffMs(attempts: number): number {
    return backoffDelay(attempts, { baseMs: this.opts.baseDelayMs, maxMs: this.opts.maxDelayMs }, this.opts.random)
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wake = done
    })
  }

  private async run(): Promise<void> {
    while (this.running) {
      let entry: OutboxEntry | null
      try {
        entry = await this.db.call('outbox.next', { now: this.opts.now() })
      } catch (err) {
        this.log.error('sync: cannot read the outbox', { error: (err as Error).message })
        await this.sleep(this.opts.idleMs)
        continue
      }
      if (!entry) {
        await this.sleep(this.opts.idleMs)
        continue
      }
      const wait = entry.nextAttemptAt - this.opts.now()
      if (wait > 0 && !this.skipBackoff) {
        await this.sleep(wait)
        continue
      }
      this.skipBackoff = false
      await this.sendOne(entry)
    }
  }

  private async sendOne(entry: OutboxEntry): Promise<void> {
    let outcome: SendOutcome
    try {
      outcome = await this.sender.send(entry)
    } catch (err) {
      outcome = { kind: 'retry', reason: 'offline', error: { message: (err as Error).message } }
    }
    this.observer.outcome(outcome.kind, outcome.kind === 'retry' ? outcome.reason : undefined)
    switch (outcome.kind) {
      case 'ok':
        await this.db.call('outbox.ack', { seq: entry.seq, response: outcome.response, at: this.opts.now() })
        break
      case 'retry':
        await this.db.call('outbox.retryLater', { seq: entry.seq, nextAttemptAt: this.opts.now() + this.backoffMs(entry.attempts), error: outcome.error })
        break
      case 'reject':
      case 'conflict':
        this.log.warn('sync: parked for the agent', { operation: entry.operation, key: entry.idempotencyKey, kind: outcome.kind })
        await this.db.call('outbox.park', { seq: entry.seq, status: outcome.kind === 'reject' ? 'rejected' : 'conflict', error: outcome.error })
        break
    }
    this.observer.changed()
  }
}
