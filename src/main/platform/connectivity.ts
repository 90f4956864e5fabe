import type { Logger } from '../logging'
import type { StateHub } from '../state/state-hub'
import type { PlatformGateway } from './gateway'
import { msg, type UiMessage } from '../../shared/messages'

/** Above this round trip the link works but the agent should know it is slow. */
const DEGRADED_MS = 1500

/**
 * The connectivity indicator the agent sees: online, degraded (slow or erroring)
 * or offline. Probes on a timer; the sync worker also reports what it sees.
 */
export class ConnectivityMonitor {
  private timer: NodeJS.Timeout | null = null
  private readonly listeners = new Set<(next: 'online' | 'degraded' | 'offline') => void>()

  constructor(
    private readonly hub: StateHub,
    private readonly gateway: PlatformGateway,
    private readonly log: Logger,
    private readonly intervalMs = 5000
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.probe(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  async probe(): Promise<void> {
    let next: 'online' | 'degraded' | 'offline'
    let detail: UiMessage
    try {
      const { ok, latencyMs } = await this.gateway.health()
      next = !ok ? 'degraded' : latencyMs > DEGRADED_MS ? 'degraded' : 'online'
      detail = !ok ? msg('connectivity.platformError') : msg('connectivity.roundTrip', { ms: latencyMs })
    } catch (err) {
      next = 'offline'
      detail = msg('connectivity.unreachable', { reason: (err as Error).message })
    }
    this.report(next, detail)
  }

  report(platform: 'online' | 'degraded' | 'offline', detail: UiMessage): void {
    const current = this.hub.get('connectivity')
    if (current.platform === platform) return
    this.log.info('connectivity changed', { from: current.platform, to: platform, detail })
    this.hub.set('connectivity', { platform, detail, since: Date.now() })
    for (const l of this.listeners) l(platform)
  }

  onChange(listener: (next: 'online' | 'degraded' | 'offline') => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
