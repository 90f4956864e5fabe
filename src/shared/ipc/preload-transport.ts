import type { DeskTransport } from './api'
import type { DeskEvent } from './contract'
import type { Result } from '../result'

/** What the Electron preload puts on `window.desk` (see src/preload/expose.ts). */
export interface PreloadDesk {
  api: Record<string, Record<string, (args: unknown) => Promise<Result<unknown>>>>
  onEvent(listener: (event: DeskEvent) => void): () => void
}

/** Adapts the preload bridge to the transport interface. IPC never drops, so no reconnects. */
export function createPreloadTransport(desk: PreloadDesk): DeskTransport {
  return {
    invoke: (service, method, args) => {
      const fn = desk.api[service]?.[method]
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: '未知的操作', messageEn: 'Unknown method' } })
      return fn(args)
    },
    onEvent: (listener) => desk.onEvent(listener),
    onReconnect: () => () => undefined
  }
}
