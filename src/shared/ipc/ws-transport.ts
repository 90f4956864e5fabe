import { EventSchema, type DeskEvent } from './contract'
import type { DeskTransport } from './api'
import type { Result } from '../result'
import { backoffDelay } from '../backoff'

/** The subset of the WebSocket API the transport needs (the DOM's, or `ws` in Node tests). */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(): void
  // `never` parameters: the transport installs handlers that read only what it
  // needs, and both the DOM's WebSocket and `ws` accept them without a cast.
  onopen: ((ev: never) => void) | null
  onclose: ((ev: never) => void) | null
  onmessage: ((ev: never) => void) | null
}

const OPEN = 1
const UNAVAILABLE: Result<never> = {
  ok: false,
  error: { code: 'unavailable', message: '与主进程的连接已断开，正在重连', messageEn: 'The link to the desktop core dropped; reconnecting' }
}

/**
 * The browser host's side of the IPC contract: the same invoke/event shape as
 * Electron's preload, carried over a WebSocket that reconnects with backoff.
 * Calls in flight when the link drops fail as `unavailable` (never hang); after
 * a reconnect, listeners resync their mirrors from a snapshot.
 */
export function createWsTransport(
  url: string,
  createSocket: (url: string) => SocketLike,
  /** The runtime's timer (shared code has no runtime of its own). */
  later: (fn: () => void, ms: number) => unknown
): DeskTransport & { close(): void } {
  let socket: SocketLike | null = null
  let nextId = 1
  let attempts = 0
  let closed = false
  let everOpened = false
  const pending = new Map<number, (r: Result<unknown>) => void>()
  const queue: string[] = []
  const eventListeners = new Set<(e: DeskEvent) => void>()
  const reconnectListeners = new Set<() => void>()

  const connect = () => {
    const s = createSocket(url)
    socket = s
    s.onopen = () => {
      attempts = 0
      for (const text of queue.splice(0)) s.send(text)
      if (everOpened) for (const l of reconnectListeners) l()
      everOpened = true
    }
    s.onmessage = (ev: { data: unknown }) => {
      let msg: { type?: string; id?: number; result?: Result<unknown>; event?: unknown }
      try {
        msg = JSON.parse(String(ev.data))
      } catch {
        return
      }
      if (msg.type === 'result' && typeof msg.id === 'number') {
        pending.get(msg.id)?.(msg.result!)
        pending.delete(msg.id)
      } else if (msg.type === 'event') {
        const parsed = EventSchema.safeParse(msg.event)
        if (parsed.success) for (const l of eventListeners) l(parsed.data)
      }
    }
    s.onclose = () => {
      for (const resolve of pending.values()) resolve(UNAVAILABLE)
      pending.clear()
      if (closed) return
      // Capped at 5 s: the host restarts in about a second.
      later(connect, backoffDelay(attempts++, { baseMs: 200, maxMs: 5000, minShare: 0.5 }))
    }
  }
  connect()

  return {
    invoke(service, method, args) {
      const id = nextId++
      const text = JSON.stringify({ id, service, method, args })
      return new Promise((resolve) => {
        pending.set(id, resolve)
        if (socket?.readyState === OPEN) socket.send(text)
        else queue.push(text)
      })
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onReconnect(listener) {
      reconnectListeners.add(listener)
      return () => reconnectListeners.delete(listener)
    },
    close() {
      closed = true
      socket?.close()
    }
  }
}

/** In the browser host, the first path segment of the page's URL names the window (its token, or its path with a session cookie). */
export function bridgeUrlFromLocation(location: { protocol: string; host: string; pathname: string }): string {
  const token = location.pathname.split('/')[1] ?? ''
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/${token}/bridge`
}
