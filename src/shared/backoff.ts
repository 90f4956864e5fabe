/**
 * Retry delays, one formula for every reconnect, resend and lock-out wait in the desktop and the platform:
 * capped exponential backoff with jitter. The cap bounds how long a desk waits
 * once the other side is back; the jitter spreads hundreds of desks so a
 * restarted server is not hit by all of them in the same instant.
 *
 *   ceiling(n) = min(maxMs, baseMs · 2^n)
 *   delay(n)   = ceiling(n) · (minShare + (1 − minShare) · random)
 *
 * `minShare` 0 is "full jitter" (anywhere up to the ceiling), 0.5 is "equal
 * jitter" (at least half of it), 1 is no jitter at all.
 */
export interface Backoff {
  /** The first delay's ceiling (ms); each later attempt doubles it. */
  baseMs: number
  /** No delay is longer than this (ms). */
  maxMs: number
  /** Share of the ceiling always waited, 0…1 (default 0: full jitter). */
  minShare?: number
}

/** Past this many doublings every ceiling is the cap anyway; it keeps 2^n finite. */
const MAX_DOUBLINGS = 30

/** The delay before retry number `attempt` (0 for the first retry), in whole ms. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const n = Math.max(0, Math.min(MAX_DOUBLINGS, Math.floor(attempt)))
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** n)
  const minShare = clamp01(backoff.minShare ?? 0)
  return Math.round(ceiling * (minShare + (1 - minShare) * clamp01(random())))
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x))
}
