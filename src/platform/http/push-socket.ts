import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PUSH_PATH, PUSH_REPLAY_LIMIT, type PushControl, type PushEvent } from '../../shared/api'
import { bearerToken, sessionForToken, sessionKey } from '../auth'
import { errors } from './api-error'
import type { PlatformContext } from './handler-types'

const PING_MS = 25_000
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

function tokenOf(req: FastifyRequest): string | null {
  const q = req.query as { token?: unknown }
  return typeof q.token === 'string' ? q.token : bearerToken(req.headers.authorization)
}

function sinceOf(req: FastifyRequest): number | null {
  const raw = (req.query as { since?: unknown }).since
  if (raw === undefined) return null
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw errors.field('since', 'since 必须是非负整数', 'since must be a non-negative integer')
  return n
}

/**
 * The push WebSocket: `GET /api/v1/push?token=…[&since=REV]`.
 * 1. `{type:'hello', latestRevision}`;
 * 2. with `since`, every stored event after it, in order (or `resync_required`
 *    and a close when more than PUSH_REPLAY_LIMIT were missed — page with
 *    listEvents, then reconnect);
 * 3. live events as they commit.
 * Steps 2 and 3 are joined in one synchronous block, so no event falls between them.
 */
export function registerPushSocket(app: FastifyInstance, ctx: PlatformContext): void {
  app.get(
    PUSH_PATH,
    {
      websocket: true,
      // Refuse before the upgrade, so an unauthenticated client gets a plain 401.
      preValidation: async (req) => {
        sinceOf(req)
        const token = tokenOf(req)
        if (!token || !sessionForToken(ctx.db, token, ctx.clock())) throw errors.unauthenticated()
      }
    },
    (socket, req) => {
      const since = sinceOf(req)
      const token = tokenOf(req)!
      // Signed out or expired between the check and the upgrade: nothing is sent.
      const session = sessionForToken(ctx.db, token, ctx.clock())
      if (!session) return socket.close(SESSION_ENDED, 'session ended')
      const send = (m: PushEvent | PushControl) => socket.send(JSON.stringify(m))
      const latest = ctx.events.latestRevision()
      send({ type: 'hello', latestRevision: latest })
      if (since !== null && latest - since > PUSH_REPLAY_LIMIT) {
        send({ type: 'resync_required', since, latestRevision: latest })
        socket.close(4409, 'resync required')
        return
      }
      if (since !== null) for (const e of ctx.events.since(since, PUSH_REPLAY_LIMIT)) send(e)
      const unsubscribe = ctx.events.subscribe(send)
      ctx.push.add(token, socket, session.expiresAt)
      const ping = setInterval(() => socket.ping(), PING_MS)
      socket.on('close', () => {
        clearInterval(ping)
        unsubscribe()
        ctx.push.remove(token, socket)
      })
    }
  )
}
