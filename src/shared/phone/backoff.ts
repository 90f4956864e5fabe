import { backoffDelay as delay } from '../backoff'

/**
 * The phone's registration retries: the shared backoff with equal jitter, capped
 * at 2 s so "registration back within 3 s of the server returning" holds while
 * the jitter spreads hundreds of seats over a restarted registrar.
 */
export interface BackoffOptions {
  baseMs?: number
  maxMs?: number
}

export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  return delay(attempt, { baseMs: opts.baseMs ?? 250, maxMs: opts.maxMs ?? 2000, minShare: 0.5 }, random)
}
