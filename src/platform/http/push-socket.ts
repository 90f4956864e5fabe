import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PUSH_PATH, PUSH_REPLAY_LIMIT, type PushControl, type PushEvent } from '../../shared/api'
import { bearerToken, sessionForToken } from '../auth'
import { errors } from './api-error'
import { SESSION_ENDED } from './push-sessions'
import type { PlatformContext } from './handler-types'

const PING_MS = 25_000

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
