import type { Role } from '../../shared/roles'
import type { OperationId, RequestOf, ResponseOf } from '../../shared/api/operations'
import type { OutboxEntry } from '../db/outbox-operations'
import type { SendOutcome } from '../sync/sync-worker'

/**
 * The adapter seam (R9): everything the desktop needs from a hotline platform.
 * The reference platform is reached through HttpPlatformGateway; a production
 * deployment maps these calls onto the region's platform with its own
 * implementation of this interface, and nothing else in main changes.
 */
export interface PlatformUser {
  id: string
  username: string
  displayName: string
  roles: Role[]
  seatId: string | null
}

export interface PlatformGateway {
  readonly baseUrl: string
  login(username: string, password: string): Promise<{ token: string; user: PlatformUser }>
  logout(token: string): Promise<void>
  /** Cheap reachability probe for the connectivity indicator. */
  health(): Promise<{ ok: boolean; latencyMs: number }>
  /**
   * Sends one queued change (an outbox entry: operation, payload, idempotency key)
   * and classifies the answer for the sync worker. Must be safe to repeat: the
   * idempotency key travels with every attempt.
   */
  sendChange(entry: OutboxEntry, token: string | null): Promise<SendOutcome>
  /**
   * One operation of the API contract (src/shared/api/operations.ts), answered
   * now: reads (caller history, knowledge, lists) and the few changes that must
   * not wait in the outbox. Throws PlatformError on any non-2xx answer.
   */
  call<K extends OperationId>(operation: K, request: PlatformRequest<K>, token: string | null): Promise<ResponseOf<K>>
  /**
   * An operation whose request body is raw bytes (a call recording), answered now.
   * Throws PlatformError like `call`. Optional: an adapter without it cannot upload recordings.
   */
  upload?(operation: OperationId, request: RawUpload, token: string | null): Promise<unknown>
  /** An operation answered with raw bytes (a recording's audio). Throws PlatformError like `call`. Optional. */
  download?(operation: OperationId, params: Record<string, string | number>, token: string | null): Promise<{ data: Buffer; contentType: string }>
}

/** A raw-body request: the bytes, their media type, the query, and the idempotency key every attempt repeats. */
export interface RawUpload {
  query?: Record<string, string | number>
  body: Buffer
  contentType: string
  idempotencyKey: string
}

/** The parts of a request an operation takes; omit the ones it has none of. */
export type PlatformRequest<K extends OperationId> = Partial<RequestOf<K>> & { idempotencyKey?: string }

/** A failure talking to the platform. `status` 0 means no HTTP answer at all. */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown
  ) {
    super(message)
    this.name = 'PlatformError'
  }
}
