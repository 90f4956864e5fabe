/**
 * Reconnect delays: exponential backoff with jitter, capped. The cap keeps
 * "registration back within 3 s of the server returning" true while the jitter
 * spreads hundreds of seats so a restarted server is not hit all at once.
 *
 *   delay(n) = random in [cap_n / 2, cap_n],  cap_n = min(maxMs, baseMs · 2^n)   ("equal jitter")
 */
export interface BackoffOptions {
  baseMs?: number
  maxMs?: number
}

export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = opts.baseMs ?? 250
  const max = opts.maxMs ?? 2000
  const n = Math.max(0, Math.min(30, Math.floor(attempt)))
  const cap = Math.min(max, base * 2 ** n)
  const r = Math.min(1, Math.max(0, random()))
  return Math.round(cap / 2 + (cap / 2) * r)
}
