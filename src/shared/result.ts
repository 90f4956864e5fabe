/**
 * Results cross every boundary (IPC, worker, platform client) as values, never as
 * thrown exceptions, so a renderer never sees a stack trace and callers must look
 * at the failure (pattern from Signal Desktop's SQL channel).
 */
export type ErrorCode =
  | 'bad_request' // arguments failed the contract's schema
  | 'unknown_method' // service or method not in the contract
  | 'wrong_caller' // e.g. the UI window calling a phone-host method
  | 'unauthenticated' // no session where one is needed
  | 'forbidden' // the session's role may not do this
  | 'locked' // the screen is locked: citizen data waits for the password
  | 'conflict' // stale version
  | 'unavailable' // a dependency (platform, database) is not reachable
  | 'internal'

export interface AppError {
  code: ErrorCode
  /** Chinese first: shown to the agent as is. */
  message: string
  /** English second, for logs and the English UI. */
  messageEn: string
  /** Field-level details, e.g. which argument failed validation. */
  issues?: { path: string; message: string }[]
  /** A move refused in the state it was tried in (a call command the call does not allow now, an agent-state move). */
  illegalMove?: IllegalMove
}

export interface IllegalMove {
  /** Which state machine: 'call', 'agent'. */
  machine: string
  state: string
  move: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: ErrorCode, message: string, messageEn: string, issues?: AppError['issues']): Result<never> => ({
  ok: false,
  error: issues ? { code, message, messageEn, issues } : { code, message, messageEn }
})

/** Makes a forgotten case in an exhaustive switch a compile error. */
export function missingCase(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`)
}
