import { sessionKey } from '../auth'

/** Close code of a socket whose session ended (signed out or expired): reconnecting needs a new sign-in. */
export const SESSION_ENDED = 4401
/** setTimeout's longest delay; a later expiry is re-checked when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface PushSocket {
  close(code?: number, reason?: string): void
}

/**
 * The open push sockets, by session. A session's sockets are closed when it is signed out and when it expires,
 * so a token that no longer opens the API no longer receives events either.
 */
export class PushSessions {
  private readonly bySession = new Map<string, Map<PushSocket, NodeJS.Timeout>>()

  constructor(private readonly validUntil: (token: string) => string | null, private readonly clock: () => Date) {}

  add(token: string, socket: PushSocket, expiresAt: string): void {
    const key = sessionKey(token)
    const sockets = this.bySession.get(key) ?? new Map<PushSocket, NodeJS.Timeout>()
    this.bySession.set(key, sockets)
    const arm = (until: string) => {
      const timer = setTimeout(() => {
        // The clock may differ from the timer's idea of time (tests, a corrected clock): ask the database again.
        const still = this.validUntil(token)
        if (still) arm(still)
        else this.close(key, socket, 'session expired')
      }, Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(until) - this.clock().getTime())))
      sockets.set(socket, timer)
    }
    arm(expiresAt)
  }

  /** The socket closed on its own: forget it. */
  remove(token: string, socket: PushSocket): void {
    const key = sessionKey(token)
    const sockets = this.bySession.get(key)
    clearTimeout(sockets?.get(socket))
    sockets?.delete(socket)
    if (sockets?.size === 0) this.bySession.delete(key)
  }

  endSession(token: string, reason: string): void {
    const key = sessionKey(token)
    for (const socket of [...(this.bySession.get(key)?.keys() ?? [])]) this.close(key, socket, reason)
  }

  closeAll(code: number): void {
    for (const sockets of this.bySession.values())
      for (const [socket, timer] of sockets) {
        clearTimeout(timer)
        socket.close(code)
      }
    this.bySession.clear()
  }

  private close(key: string, socket: PushSocket, reason: string): void {
    const sockets = this.bySession.get(key)
    clearTimeout(sockets?.get(socket))
    sockets?.delete(socket)
    if (sockets?.size === 0) this.bySession.delete(key)
    socket.close(SESSION_ENDED, reason)
  }
}
