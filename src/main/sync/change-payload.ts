/**
 * What an outbox row carries for the platform: path parameters and the JSON body of one operation. The gateway
 * sends it; the sync worker fills `paramsFrom` just before sending (dependent-changes.ts). Its own module so
 * the outbox, the gateway and the sync worker share it without importing each other.
 */
export interface ChangePayload {
  params?: Record<string, string | number>
  body?: unknown
  /** Path parameters taken from an earlier change's platform answer when sent (see dependent-changes.ts). */
  paramsFrom?: Record<string, ParamSource>
}

/** Where a path parameter comes from: a field of an earlier change's stored platform answer. */
export interface ParamSource {
  /** The idempotency key of the earlier outbox entry whose platform answer holds the value. */
  key: string
  /** The field of that answer (e.g. the new record's `id`). */
  field: string
}
