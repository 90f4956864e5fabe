import WebSocket from 'ws'
import { PushControlSchema, PushEventSchema } from '../../shared/api/events'
import { PUSH_PATH } from '../../shared/api/operations'
import { backoffDelay } from '../../shared/backoff'
import type { Logger } from '../logging'

export type PushStatus = 'off' | 'connecting' | 'live' | 'resyncing'
export interface PlatformEvent {
  revision: number
  type: string
  at: string
  payload: unknown
}

export interface PushClientDeps {
  baseUrl: string
  /** The signed-in session's bearer token; null stops the channel. */
  token(): string | null
  /** The last revision applied, persisted so a restart resumes instead of replaying everything. */
  loadRevision(): Promise<number | null>
  saveRevision(revision: number): Promise<void>
  /** Pages of events after a revision (listEvents), for a resync. */
  fetchEvents(since: number): Promise<{ events: PlatformEvent[]; latestRevision: number; hasMore: boolean }>
  /** Called once per revision, in order, never twice. */
  onEvent(event: PlatformEvent): void | Promise<void>
  onStatus(status: PushStatus, revision: number | null): void
  log: Logger
  random?: () => number
  /** Backoff between reconnects (ms). */
  baseDelayMs?: number
  maxDelayMs?: number
}

/**
 * The platform's push channel (agent states, queue changes, ticket updates),
 * kept up by the app: reconnects with backoff and jitter, resumes from the last
 * applied revision (`since=`), and when the platform says too much was missed,
 * pages the gap through listEvents before going live again. Events are applied
 * strictly in revision order, exactly once, even across restarts.
 */
export class PushClient {
  private socket: WebSocket | null = null
  private revision: number | null = null
  private attempt = 0
  private timer: NodeJS.Timeout | null = null
  private running = false
  private status: PushStatus = 'off'
  /** Serialises event application: a message never overtakes the previous one's save. */
  private chain: Promise<void> = Promise.resolve()

  constructor(private readonly deps: PushClientDeps) {}

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    this.revision = await this.deps.loadRevision()
    this.connect()
  }

  stop(): void {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const socket = this.socket
    this.socket = null
    if (socket) {
      socket.removeAllListeners()
      // Terminating a socket still connecting emits 'error' ("closed before the connection was
      // established"): swallow it, or it surfaces as an uncaught exception in main.
      socket.on('error', () => undefined)
      socket.terminate()
    }
    this.setStatus('off')
  }

  /** The network came back (or the machine woke up): don't wait out the backoff. */
  nudge(): void {
    if (!this.running || this.socket) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.attempt = 0
    this.connect()
  }

  currentRevision(): number | null {
    return this.revision
  }

  private setStatus(s: PushStatus): void {
    if (s === this.status) return
    this.status = s
    this.deps.onStatus(s, this.revision)
  }

  private connect(): void {
    const token = this.deps.token()
    if (!this.running || !token) return this.setStatus('off')
    this.setStatus('connecting')
    const url = new URL(PUSH_PATH, this.deps.baseUrl.replace(/^http/, 'ws'))
    url.searchParams.set('token', token)
    if (this.revision !== null) url.searchParams.set('since', String(this.revision))
    const socket = new WebSocket(url, { handshakeTimeout: 8000 })
    this.socket = socket
    socket.on('message', (data) => {
      const text = data.toString()
      this.chain = this.chain.then(() => this.handle(text)).catch((err: Error) => {
        this.deps.log.warn('push: handling a message failed; reconnecting', { error: err.message })
        socket.terminate()
      })
    })
    socket.on('close', (code) => {
      if (this.socket !== socket) return
      this.socket = null
      void this.chain.then(() => this.afterClose(code))
    })
    socket.on('error', (err) => this.deps.log.info('push: socket error', { error: err.message }))
  }

  private async afterClose(code: number): Promise<void> {
    if (!this.running) return
    if (code === 4409) {
      // Too much missed for a replay: page it, then go live from where the pages end.
      await this.resync().catch((err: Error) => this.deps.log.warn('push: resync failed', { error: err.message }))
      if (!this.running) return
      this.attempt = 0
      return this.connect()
    }
    this.setStatus('connecting')
    const delay = backoffDelay(this.attempt++, { baseMs: this.deps.baseDelayMs ?? 500, maxMs: this.deps.maxDelayMs ?? 30_000, minShare: 0.5 }, this.deps.random)
    this.timer = setTimeout(() => {
      this.timer = null
      this.connect()
    }, delay)
  }

  private async handle(text: string): Promise<void> {
    const json = JSON.parse(text) as unknown
    const control = PushControlSchema.safeParse(json)
    if (control.success) {
      if (control.data.type === 'hello') {
        this.attempt = 0
        if (this.revision === null) {
          // First connection of this profile: start from now; history comes from the platform's lists.
          this.revision = control.data.latestRevision
          await this.deps.saveRevision(this.revision)
        } else if (control.data.latestRevision < this.revision) {
          // The platform's event log is behind ours (restored from backup): take its word and resync from there.
          this.deps.log.warn('push: platform revision went backwards; following it', { ours: this.revision, theirs: control.data.latestRevision })
          this.revision = control.data.latestRevision
          await this.deps.saveRevision(this.revision)
        }
        this.setStatus('live')
      } else this.setStatus('resyncing')
      return
    }
    const event = PushEventSchema.parse(json)
    if (this.revision !== null && event.revision <= this.revision) return // a replay we already applied
    if (this.revision !== null && event.revision > this.revision + 1) {
      // A hole: fill it from the list before applying this one.
      this.setStatus('resyncing')
      await this.resync(event.revision - 1)
      this.setStatus('live')
      if (event.revision <= this.revision!) return
    }
    await this.apply(event)
  }

  private async apply(event: PlatformEvent): Promise<void> {
    await this.deps.onEvent(event)
    this.revision = event.revision
    await this.deps.saveRevision(event.revision)
  }

  /** Pages events after our revision (up to `until` when given) through listEvents. */
  private async resync(until?: number): Promise<void> {
    this.setStatus('resyncing')
    for (;;) {
      const page = await this.deps.fetchEvents(this.revision ?? 0)
      for (const e of page.events) {
        if (until !== undefined && e.revision > until) return
        if (this.revision === null || e.revision > this.revision) await this.apply(e)
      }
      if (!page.hasMore || !page.events.length) return
    }
  }
}
