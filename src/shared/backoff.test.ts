import { describe, expect, it } from 'vitest'
import { backoffDelay, type Backoff } from './backoff'
import { Rng } from './dispatch/rng'

// The bounds the desktop's callers use, so the table shows each one's shape.
const OUTBOX: Backoff = { baseMs: 500, maxMs: 30_000 }
const PUSH: Backoff = { baseMs: 500, maxMs: 30_000, minShare: 0.5 }
const REGISTRATION: Backoff = { baseMs: 250, maxMs: 2000, minShare: 0.5 }
const DESK_LINK: Backoff = { baseMs: 200, maxMs: 5000, minShare: 0.5 }
const RECORDING_CHUNK: Backoff = { baseMs: 200, maxMs: 3200, minShare: 1 }

describe('backoffDelay', () => {
  it.each([
    // backoff, attempt, random, delay
    [OUTBOX, 0, 0, 0],
    [OUTBOX, 0, 1, 500],
    [OUTBOX, 3, 0.5, 2000],
    [OUTBOX, 6, 1, 30_000],
    [OUTBOX, 1000, 1, 30_000],
    [PUSH, 0, 0, 250],
    [PUSH, 0, 1, 500],
    [PUSH, 10, 0, 15_000],
    [REGISTRATION, 0, 0, 125],
    [REGISTRATION, 2, 1, 1000],
    [REGISTRATION, 5, 1, 2000],
    [DESK_LINK, 0, 0.5, 150],
    [DESK_LINK, 5, 1, 5000],
    [RECORDING_CHUNK, 0, 0.3, 200],
    [RECORDING_CHUNK, 4, 0.9, 3200],
    // out-of-range inputs are clamped, never a negative or endless wait
    [OUTBOX, -3, 1, 500],
    [OUTBOX, 2.7, 1, 2000],
    [OUTBOX, 0, 7, 500],
    [OUTBOX, 0, -1, 0],
    [{ baseMs: 100, maxMs: 1000, minShare: 2 }, 0, 0, 100]
  ] as const)('%o, attempt %d, random %d → %d ms', (backoff, attempt, random, delay) => {
    expect(backoffDelay(attempt, backoff, () => random)).toBe(delay)
  })

  it.each([OUTBOX, PUSH, REGISTRATION, DESK_LINK, RECORDING_CHUNK])('%o: every delay lies between the kept share and the ceiling', (backoff) => {
    const rng = new Rng(12345)
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt)
      for (let draw = 0; draw < 20; draw++) {
        const delay = backoffDelay(attempt, backoff, () => rng.next())
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * (backoff.minShare ?? 0)))
        expect(delay).toBeLessThanOrEqual(ceiling)
      }
    }
  })

  it('spreads desks retrying at the same attempt (full jitter fills the range)', () => {
    const rng = new Rng(7)
    const delays = Array.from({ length: 1000 }, () => backoffDelay(6, OUTBOX, () => rng.next()))
    const buckets = [0, 0, 0, 0]
    for (const d of delays) buckets[Math.min(3, Math.floor(d / 7500))]!++
    for (const count of buckets) expect(count).toBeGreaterThan(200)
  })
})
