import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import {
  BINARY,
  citizenMasker,
  IDEMPOTENCY_HEADER,
  RECORDING_CONTENT_TYPES,
  isMutating,
  operations,
  requiresIdempotencyKey,
  toValidationIssues,
  type OperationDef,
  type OperationId,
  type PushEvent
} from '../../shared/api'
import { bearerToken, binaryDigest, requestHash, sameRequest, userForToken, type SessionUser } from '../auth'
import { ApiError, errors } from './api-error'
import { isAwaiting, type AwaitingHandler, type BinaryAnswer, type Handler, type Handlers, type PlatformContext } from './handler-types'
import { ticketConfidentiality } from '../services/ticket-records'
import { sendBinary } from './ranged-binary'

const JSON_BODY_LIMIT = 1024 * 1024

interface Options {
  /** Check every answer against the operation's response schema (tests and development). */
  validateResponses: boolean
}

/** Fastify paths use :name where OpenAPI uses {name}. */
export const toFastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1')

function parse(schema: z.ZodType | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) {
    // No schema: nothing may be sent (an empty object is what many clients send).
    const empty = value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)
    if (!empty) throw errors.field(where, '此操作不接受该部分参数', `this operation takes no ${where}`)
    return undefined
  }
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}), { reportInput: true })
  if (!result.success) throw errors.validation(toValidationIssues(result.error))
  return result.data
}

function authenticate(ctx: PlatformContext, op: OperationDef, req: FastifyRequest, now: Date): { user: SessionUser | null; token: string | null } {
  const token = bearerToken(req.headers.authorization)
  if (op.access === 'public') return { user: null, token }
  const user = token ? userForToken(ctx.db, token, now) : null
  if (!user) throw errors.unauthenticated()
  if (Array.isArray(op.access) && !user.roles.some((r) => (op.access as readonly string[]).includes(r))) throw errors.forbidden()
  return { user, token }
}

function idempotencyKeyOf(op: OperationDef, req: FastifyRequest): string | null {
  if (!requiresIdempotencyKey(op)) return null
  const key = req.headers[IDEMPOTENCY_HEADER]
  if (typeof key !== 'string' || key.length < 8 || key.length > 200) throw errors.idempotencyKeyRequired()
  return key
}

function auditEntityId(params: unknown, answer: unknown): string {
  const p = (params ?? {}) as Record<string, unknown>
  const a = (answer ?? {}) as Record<string, unknown>
  return String(p.id ?? p.phone ?? p.agentId ?? a.id ?? a.phone ?? '*')
}

/**
 * Registers every operation of the table as a Fastify route. One pipeline for
 * all: authenticate → role → Idempotency-Key → validate → run in a transaction
 * (stored answer replayed for a known key) → audit → publish events.
 */
export function registerOperations(app: FastifyInstance, ctx: PlatformContext, handlers: Handlers, options: Options): void {
  const { db } = ctx
  const findKey = db.prepare('SELECT operation_id, request_hash, status, response FROM idempotency_keys WHERE user_id = ? AND key = ?')
  const storeKey = db.prepare(
    'INSERT INTO idempotency_keys (user_id, key, operation_id, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )

  const confidentialityOfTicket = ticketConfidentiality(db)

  for (const [operationId, op] of Object.entries(operations) as [OperationId, OperationDef][]) {
    const handler = handlers[operationId] as unknown as Handler<OperationId> | AwaitingHandler<OperationId>
    if (isAwaiting(handler) && requiresIdempotencyKey(op)) throw new Error(`${operationId} awaits outside a transaction, so it cannot store an Idempotency-Key answer`)
    const okStatus = op.status ?? 200
    // Citizen data leaves the platform only as the reader's role may see it: one layer for every operation.
    const maskCitizenData = op.response === BINARY ? null : citizenMasker(op.response)

    const route = async (req: FastifyRequest, reply: FastifyReply) => {
      const clock = ctx.clock()
      const now = clock.toISOString()
      const { user, token } = authenticate(ctx, op, req, clock)
      const key = idempotencyKeyOf(op, req)
      const params = parse(op.params, req.params, 'params')
      const query = parse(op.query, req.query, 'query')
      const rawBody = req.body
      const body = op.body === BINARY ? binaryBody(rawBody) : parse(op.body, rawBody, 'body')

      const pendingEvents: PushEvent[] = []
      const afterCommit: (() => void)[] = []
      const args = {
        ctx,
        user: user as SessionUser,
        token,
        params,
        query,
        body,
        clientAddress: req.ip,
        contentType: (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
        now,
        emit: (type: PushEvent['type'], payload: unknown) => pendingEvents.push(ctx.events.append(type, payload as never, now)),
        afterCommit: (fn: () => void) => afterCommit.push(fn)
      } as Parameters<Handler<OperationId>>[0]

      let status: number = okStatus
      let answer: unknown
      let replayed = false
      if (isAwaiting(handler)) {
        answer = await handler(args)
        ctx.events.publish(pendingEvents)
        for (const fn of afterCommit) fn()
      } else if (isMutating(op)) {
        const parts = [operationId, req.params, req.query, op.body === BINARY ? binaryDigest(body as Buffer) : rawBody]
        const run = db.transaction(() => {
          if (key && user) {
            const stored = findKey.get(user.id, key) as { operation_id: string; request_hash: string; status: number; response: string } | undefined
            if (stored) {
              if (stored.operation_id !== operationId || !sameRequest(stored.request_hash, parts)) throw errors.idempotencyKeyReused()
              replayed = true
              return { status: stored.status, answer: JSON.parse(stored.response) as unknown }
            }
          }
          const result = handler(args)
          if (op.audit && user) ctx.audit.change(user, op.audit.entity, auditEntityId(params, result), operationId, '', now)
          if (key && user) storeKey.run(user.id, key, operationId, requestHash(parts), okStatus, JSON.stringify(result), now)
          return { status: okStatus, answer: result }
        })
        ;({ status, answer } = run())
        ctx.events.publish(pendingEvents)
        for (const fn of afterCommit) fn()
      } else {
        answer = db.transaction(() => handler(args))()
        if (op.audit && user) ctx.audit.read(user, op.audit.entity, auditEntityId(params, answer), operationId, op.query ? JSON.stringify(query) : '', now)
      }

      if (op.response === BINARY) return sendBinary(req, reply, answer as BinaryAnswer)
      if (maskCitizenData) answer = maskCitizenData(answer, { id: user?.id ?? '', roles: user?.roles ?? [], ticketConfidentiality: confidentialityOfTicket })
      if (options.validateResponses && !replayed) {
        const check = op.response.safeParse(answer)
        if (!check.success) throw new Error(`${operationId} answered outside its schema: ${JSON.stringify(check.error.issues.slice(0, 5))}`)
      }
      if (replayed) void reply.header('idempotent-replayed', 'true')
      return reply.code(status).send(answer)
    }

    app.route({
      method: op.method,
      url: toFastifyPath(op.path),
      ...(op.body === BINARY ? {} : { bodyLimit: JSON_BODY_LIMIT }),
      handler: route
    })
  }
}

function binaryBody(raw: unknown): Buffer {
  if (!Buffer.isBuffer(raw)) throw errors.unsupportedMediaType(RECORDING_CONTENT_TYPES.join(', '))
  if (raw.length === 0) throw errors.field('body', '请求体必须是非空的音频数据', 'the body must be non-empty audio')
  return raw
}

export { ApiError }
