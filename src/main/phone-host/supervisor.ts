import type { StateHub } from '../state/state-hub'
import type { Logger } from '../logging'

export interface PhoneHostControl {
  /** Reload or recreate the phone-host page (Electron: the hidden window; browser host: its headless page). */
  restart(): void | Promise<void>
}

export interface SupervisorOptions {
  heartbeatMs: number
  /** Silence longer than this means the phone host is gone. */
  timeoutMs: number
  now?: () => number
}

/**
 * Main owns the phone host: it expects a hello and then a heartbeat every
 * `heartbeatMs`; after `timeoutMs` of silence it marks the host lost and asks
 * the runtime to restart it. The UI shows this state as the truth about whether
 * the phone can work at all.
 */
export class PhoneHostSupervisor {
  private timer: NodeJS.Timeout | null = null
  private control: PhoneHostControl | null = null
  private readonly now: () => number

  constructor(
    private readonly hub: StateHub,
    private readonly log: Logger,
    private readonly opts: SupervisorOptions
  ) {
    this.now = opts.now ?? Date.now
  }

  attach(control: PhoneHostControl): void {
    this.control = control
    this.timer ??= setInterval(() => this.check(), Math.min(1000, this.opts.heartbeatMs))
    this.timer.unref()
  }

  hello(userAgent: string): { heartbeatMs: number } {
    const now = this.now()
    this.hub.set('phoneHost', { ...this.hub.get('phoneHost'), status: 'alive', since: now, lastHeartbeat: now, userAgent })
    this.log.info('phone host: hello', { userAgent })
    return { heartbeatMs: this.opts.heartbeatMs }
  }

  heartbeat(): void {
    const state = this.hub.get('phoneHost')
    const now = this.now()
    // Heartbeats are frequent: only a status change is published, not every beat.
    if (state.status !== 'alive') this.hub.set('phoneHost', { ...state, status: 'alive', since: now, lastHeartbeat: now })
    else state.lastHeartbeat = now
  }

  check(): void {
    const state = this.hub.get('phoneHost')
    const now = this.now()
    const silentFor = now - (state.lastHeartbeat ?? state.since)
    if (silentFor <= this.opts.timeoutMs || !this.control) return
    if (state.status === 'lost' && now - state.since < this.opts.timeoutMs) return // restart already under way
    this.log.warn('phone host: silent, restarting', { silentFor, previous: state.status })
    this.hub.set('phoneHost', { ...state, status: 'lost', since: now, restarts: state.restarts + 1 })
    void Promise.resolve(this.control.restart()).catch((err: Error) => this.log.error('phone host: restart failed', { error: err.message }))
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
