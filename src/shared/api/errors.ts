import { z } from 'zod'

/**
 * Error bodies of the platform API. Every non-2xx answer is one of these, with
 * Chinese text first (shown to the agent as is) and English second.
 *
 * | status | error            | when |
 * | ---    | ---              | ---  |
 * | 400    | validation       | a parameter, query or body field failed the schema; `issues` says which |
 * | 400    | malformed_json   | the body is not JSON |
 * | 400    | idempotency_key_required | a mutating call without `Idempotency-Key` |
 * | 401    | unauthenticated  | no or expired bearer token, or wrong password at login |
 * | 403    | forbidden        | the session's role may not call this operation |
 * | 403    | confidentiality_locked | only the ticket's filer, team leads and administrators may change 保密 |
 * | 404    | not_found        | no such record |
 * | 409    | conflict         | stale `version`; `currentVersion` is the stored one |
 * | 409    | invalid_transition | the ticket's status does not allow this action |
 * | 413    | payload_too_large | body above the limit |
 * | 415    | unsupported_media_type | body not `application/json` (or audio for recordings) |
 * | 416    | range_not_satisfiable | a recording range outside the file |
 * | 422    | idempotency_key_reused | the key was used before for a different request |
 * | 429    | login_throttled  | too many failed sign-ins for the account or address; `retryAfterSeconds` (and Retry-After) says when to try |
 * | 429    | login_locked     | locked out for a while after repeated failures, whatever the password; recorded in the audit log |
 * | 500    | internal         | a bug; the request may be retried with the same key |
 */
export const ValidationIssueSchema = z.object({
  path: z.string().meta({ description: '出错字段，点分路径 / dotted field path, e.g. area.district' }),
  message_zh: z.string(),
  message_en: z.string(),
  code: z.string()
})
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>

export const ApiErrorSchema = z.object({
  error: z.string(),
  message_zh: z.string(),
  message_en: z.string(),
  issues: z.array(ValidationIssueSchema).optional(),
  currentVersion: z.number().int().optional(),
  currentStatus: z.string().optional(),
  retryAfterSeconds: z.number().int().optional()
})
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>

export type ApiErrorCode =
  | 'validation'
  | 'malformed_json'
  | 'idempotency_key_required'
  | 'unauthenticated'
  | 'forbidden'
  | 'confidentiality_locked'
  | 'wrong_password'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'range_not_satisfiable'
  | 'idempotency_key_reused'
  | 'login_throttled'
  | 'login_locked'
  | 'internal'

/** The header that makes a mutating call safe to repeat. */
export const IDEMPOTENCY_HEADER = 'idempotency-key'
