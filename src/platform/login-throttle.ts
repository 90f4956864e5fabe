import { errors } from './http/api-error'
import { backoffDelay } from '../shared/backoff'

/** How fast one key (an account name, or a client address) may fail to sign in. */
export interface ThrottlePolicy {
  /** Failures allowed at full speed. */
  freeFailures: number
  /** The wait after the first failure beyond the free ones; it doubles with each further failure. */
  baseDelayMs: number
  maxDelayMs: number
  /** At this many failures the key is locked out for lockoutMs, whatever the password. */
  lockoutAfter: number
  lockoutMs: number
  /** A key with no failure for this long starts afresh. */
  forgetAfterMs: number
}

export interface LoginThrottlePolicies {
  account: ThrottlePolicy
  address: ThrottlePolicy
}

/**
 * An account is guessed at slowly (after 3 failures 1 s, 2 s, 4 s … apart) and locked for 15 minutes at 10; an
 * address, which may be a whole centre behind one gateway, gets more room before the same treatment.
 */
export const LOGIN_THROTTLE: LoginThrottlePolicies = {
  account: { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 60_000, lockoutAfter: 10, lockoutMs: 15 * 60_000, forgetAfterMs: 15 * 60_000 },
  address: { freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 60_000, lockoutAfter: 100, lockoutMs: 15 * 60_000, forgetAfterMs: 15 * 60_000 }
}

/** Keys remembered per kind; past this the longest-quiet ones are forgotten, so random names cannot fill memory. */
const MAX_KEYS = 10_000

interface KeyState {
  failures: number
  /** No attempt before this (ms since epoch). */
  notBefore: number
  lockedUntil: number
  lastFailure: number
}

export interface Lockout {
  kind: 'account' | 'address'
  key: string
  failures: number
  until: string
}

/** One sign-in attempt that passed the throttle: say how it ended. */
export interface LoginAttempt {
  failed(): void
  succeeded(): void
}

class KeyThrottle {
  private readonly keys = new Map<string, KeyState>()

  constructor(
    private readonly kind: 'account' | 'address',
    private readonly policy: ThrottlePolicy
  ) {}

  /** The refusal for `key` at `now`, if it may not try now. */
  refusal(key: string, now: number) {
    const s = this.current(key, now)
    if (!s) return null
    if (s.lockedUntil > now) return errors.loginLocked(Math.ceil((s.lockedUntil - now) / 1000))
    if (s.notBefore > now) return errors.loginThrottled(Math.ceil((s.notBefore - now) / 1000))
    return null
  }

  /**
   * Counts the attempt as a failure from the moment it starts: a thousand guesses sent at once are throttled as
   * if they came one after another, instead of all passing while the first is still being hashed.
   */
  reserve(key: string, now: number): void {
    const s = this.current(key, now) ?? { failures: 0, notBefore: 0, lockedUntil: 0, lastFailure: 0 }
    s.failures++
    s.lastFailure = now
    s.notBefore = this.notBefore(s)
    this.keys.delete(key)
    this.keys.set(key, s)
    if (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value!)
  }

  /** The attempt's password was wrong: at the policy's count the key is locked out (returned, to be audited). */
  failed(key: string, now: number): Lockout | null {
    const s = this.keys.get(key)
    if (!s || s.failures < this.policy.lockoutAfter || s.lockedUntil > now) return null
    s.lockedUntil = now + this.policy.lockoutMs
    return { kind: this.kind, key, failures: s.failures, until: new Date(s.lockedUntil).toISOString() }
  }

  /** A right password: the account starts afresh. */
  clear(key: string): void {
    this.keys.delete(key)
  }

  /** The attempt was no guess after all: its count is handed back (the address's other failures still count). */
  release(key: string): void {
    const s = this.keys.get(key)
    if (!s || s.failures === 0) return
    s.failures--
    s.notBefore = this.notBefore(s)
  }

  /** Free failures cost nothing; each one after them doubles the wait, up to the policy's longest. */
  private notBefore(s: KeyState): number {
    const over = s.failures - this.policy.freeFailures
    return over > 0 ? s.lastFailure + backoffDelay(over - 1, { baseMs: this.policy.baseDelayMs, maxMs: this.policy.maxDelayMs, minShare: 1 }) : 0
  }

  private current(key: string, now: number): KeyState | null {
    const s = this.keys.get(key)
    if (!s) return null
    if (s.lockedUntil <= now && now - s.lastFailure > this.policy.forgetAfterMs) {
      this.keys.delete(key)
      return null
    }
    if (s.lockedUntil && s.lockedUntil <= now) {
      // A lockout served: the next failure is timed again from the free allowance.
      s.failures = 0
      s.lockedUntil = 0
      s.notBefore = 0
    }
    return s
  }
}

/**
 * Sign-in throttling per account name and per client address (R10). Names are throttled whether or not the
 * account exists, so the refusals are the same for both. Kept in memory: a restart forgets the counts, which an
 * attacker cannot cause from outside.
 */
export class LoginThrottle {
  private readonly account: KeyThrottle
  private readonly address: KeyThrottle

  constructor(
    policies: LoginThrottlePolicies,
    private readonly clock: () => Date,
    private readonly onLockout: (lockout: Lockout, username: string, address: string) => void
  ) {
    this.account = new KeyThrottle('account', policies.account)
    this.address = new KeyThrottle('address', policies.address)
  }

  /** Refuses (429, typed) while either key must wait; otherwise counts the attempt and returns its handle. */
  begin(username: string, address: string): LoginAttempt {
    const t = this.clock().getTime()
    const refused = this.account.refusal(username, t) ?? this.address.refusal(address, t)
    if (refused) throw refused
    this.account.reserve(username, t)
    this.address.reserve(address, t)
    return {
      failed: () => {
        const at = this.clock().getTime()
        for (const lockout of [this.account.failed(username, at), this.address.failed(address, at)]) if (lockout) this.onLockout(lockout, username, address)
      },
      succeeded: () => {
        this.account.clear(username)
        this.address.release(address)
      }
    }
  }
}
