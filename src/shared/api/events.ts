import { z } from 'zod'
import { AgentStateRecord, QueueStatusSchema } from './agents'
import { TicketStatusSchema } from './tickets'

/**
 * The push channel. Every change the desktop mirrors is an event with a
 * revision that only grows. The WebSocket (`GET /api/v1/push?token=…&since=REV`)
 * first replays stored events after `since`, then sends live ones; a client
 * that reconnects passes the last revision it applied and misses nothing. The
 * same events page over HTTP with `GET /api/v1/events?since=REV`.
 *
 * Payloads carry no citizen data (no names, numbers or content): a client
 * that needs the record fetches it, which is authorised and audited.
 */
export const PushEventPayloads = {
  'agent.state': AgentStateRecord,
  'queue.changed': QueueStatusSchema,
  'ticket.updated': z.object({
    id: z.number().int(),
    number: z.string(),
    status: TicketStatusSchema,
    version: z.number().int(),
    departmentIds: z.array(z.string()),
    updatedAt: z.string()
  }),
  'call.updated': z.object({ id: z.number().int(), status: z.string(), queue: z.string().nullable(), agentId: z.string().nullable() }),
  'callback.updated': z.object({ id: z.number().int(), ticketId: z.number().int(), status: z.string() }),
  'sms.status': z.object({ id: z.number().int(), status: z.string(), ticketId: z.number().int().nullable() }),
  'knowledge.updated': z.object({ id: z.number().int(), version: z.number().int() }),
  'malicious.changed': z.object({ phone: z.string(), listed: z.boolean() })
} as const
export type PushEventType = keyof typeof PushEventPayloads
export const PUSH_EVENT_TYPES = Object.keys(PushEventPayloads) as PushEventType[]

export type PushEvent = {
  [K in PushEventType]: { revision: number; type: K; at: string; payload: z.infer<(typeof PushEventPayloads)[K]> }
}[PushEventType]

export const PushEventSchema = z.object({
  revision: z.number().int(),
  type: z.enum(PUSH_EVENT_TYPES as [PushEventType, ...PushEventType[]]),
  at: z.string(),
  payload: z.unknown()
})

/**
 * WebSocket control messages (no revision of their own):
 * - `hello`: sent once after connect, with the newest revision stored.
 * - `resync_required`: more than the replay limit was missed; page with listEvents from `since` and reconnect.
 */
export const PushControlSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), latestRevision: z.number().int() }),
  z.object({ type: z.literal('resync_required'), since: z.number().int(), latestRevision: z.number().int() })
])
export type PushControl = z.infer<typeof PushControlSchema>
export const PUSH_REPLAY_LIMIT = 1000

export const ListEventsQuery = z.strictObject({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500)
})
export const ListEventsResponse = z.object({ events: z.array(PushEventSchema), latestRevision: z.number().int(), hasMore: z.boolean() })
