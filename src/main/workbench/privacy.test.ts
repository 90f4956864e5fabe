import { describe, expect, it } from 'vitest'
import { IdleLock } from './privacy'

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
})
