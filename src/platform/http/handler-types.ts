import type { Binary, OperationId, Operations, ParamsOut, PushEvent, PushEventType, QueryOut, BodyOut, ResponseOut } from '../../shared/api'
import type { AuditLog } from '../audit-log'
import type { SessionUser } from '../auth'
import type { Db } from '../db/open-database'
import type { EventLog } from '../events/event-log'
import type { LoginThrottle } from '../login-throttle'
import type { SmsCarrier } from '../services/sms-carrier'
import type { PushSessions } from './push-sessions'

export type Profile = 'sandbox' | 'production'

/** What every handler may use: the database and the platform's long-lived parts. */
export interface PlatformContext {
  db: Db
  events: EventLog
  audit: AuditLog
  profile: Profile
  sms: SmsCarrier
  clock: () => Date
  logins: LoginThrottle
  /** Open push sockets by session, closed when their session ends. */
  push: PushSessions
}

type PayloadOf<K extends PushEventType> = Extract<PushEvent, { type: K }>['payload']

/** A recording (or any raw body) answered with its media type; the router applies Range. */
export interface BinaryAnswer {
  data: Uint8Array
  contentType: string
}

export interface HandlerArgs<K extends OperationId> {
  ctx: PlatformContext
  /** Signed-in user; only `login` (public) runs without one. */
  user: SessionUser
  token: string | null
  params: ParamsOut<Operations[K]>
  query: QueryOut<Operations[K]>
  body: BodyOut<Operations[K]>
  /** The client's IP address (sign-in throttling). */
  clientAddress: string
  /** The request body's media type (lower case, no parameters), e.g. audio/wav. */
  contentType: string
  /** The request's time, ISO-8601, the same for every row it writes. */
  now: string
  /** Records a push event in the current transaction; it is sent once the transaction commits. */
  emit<T extends PushEventType>(type: T, payload: PayloadOf<T>): void
  /** Runs after the transaction commits (e.g. hand an SMS to the carrier). */
  afterCommit(fn: () => void): void
}

type AnswerOf<O> = O extends { response: Binary } ? BinaryAnswer : ResponseOut<O>

export type Handler<K extends OperationId> = (args: HandlerArgs<K>) => AnswerOf<Operations[K]>

const AWAITS = Symbol('awaits outside the request transaction')
/**
 * A handler that awaits (a password check in the thread pool), so it cannot run inside the request's SQLite
 * transaction: it writes with single statements, and its operation must be exempt from Idempotency-Key.
 */
export type AwaitingHandler<K extends OperationId> = ((args: HandlerArgs<K>) => Promise<AnswerOf<Operations[K]>>) & { [AWAITS]: true }
export function awaiting<K extends OperationId>(fn: (args: HandlerArgs<K>) => Promise<AnswerOf<Operations[K]>>): AwaitingHandler<K> {
  return Object.assign(fn, { [AWAITS]: true as const })
}
export function isAwaiting(handler: unknown): handler is AwaitingHandler<OperationId> {
  return typeof handler === 'function' && AWAITS in handler
}

export type Handlers = { [K in OperationId]: Handler<K> | AwaitingHandler<K> }

/** The parts of a request that code shared by several handlers needs to write. */
export type WriteScope = Pick<HandlerArgs<OperationId>, 'ctx' | 'user' | 'now' | 'emit' | 'afterCommit'>
