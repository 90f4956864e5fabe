import { describe, expect, it } from 'vitest'
import { IdleLock } from './idle-lock'

describe('IdleLock', () => {
  it('locks after the idle time, stays locked through activity, unlocks only when told', () => {
    let now = 0
    const locks: string[] = []
    const lock = new IdleLock(60_000, (r) => locks.push(r), () => now)
    now = 59_000
    lock.touch()
    now = 118_000
    expect(lock.isLocked()).toBe(false)
    now = 119_000
    expect(lock.isLocked()).toBe(true)
    lock.touch()
    expect(lock.isLocked()).toBe(true)
    lock.unlock()
    expect(lock.isLocked()).toBe(false)
    lock.lock()
    expect(locks).toEqual(['idle', 'manual'])
    lock.reset()
    expect(lock.isLocked()).toBe(false)
  })

  it('does not lock during a call without typing; the idle time counts from the end of the call', () => {
    let now = 0
    let onCall = true
    const lock = new IdleLock(60_000, () => undefined, () => now, () => onCall)
    now = 10 * 60_000
    expect(lock.isLocked()).toBe(false)
    onCall = false
    now += 59_000
    expect(lock.isLocked()).toBe(false)
    now += 1_000
    expect(lock.isLocked()).toBe(true)
  })
})
