import type { Binary, OperationId, Operations, ParamsOut, PushEvent, PushEventType, QueryOut, BodyOut, ResponseOut } from '../../shared/api'
import type { AuditLog } from '../audit-log'
import type { SessionUser } from '../auth'
import type { Db } from '../db/open-database'
import type { EventLog } from '../events/event-log'
import type { SmsCarrier } from '../services/sms-carrier'

export type Profile = 'sandbox' | 'production'

/** What every handler may use: the database and the platform's long-lived parts. */
export interface PlatformContext {
  db: Db
  events: EventLog
  audit: AuditLog
  profile: Profile
  sms: SmsCarrier
  clock: () => Date
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
export type Handlers = { [K in OperationId]: Handler<K> }

/** The parts of a request that code shared by several handlers needs to write. */
export type WriteScope = Pick<HandlerArgs<OperationId>, 'ctx' | 'user' | 'now' | 'emit' | 'afterCommit'>
