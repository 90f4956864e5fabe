import { describe, expect, it } from 'vitest'
import { callbackDueMark } from './callbacks'

describe('callback due marks', () => {
  const now = Date.parse('2026-11-30T08:00:00Z')
  it('is due from its due time and overdue a day later; never for finished or future tasks', () => {
    expect(callbackDueMark({ status: 'pending', dueAt: '2026-11-30T07:59:00Z' }, now)).toBe('due')
    expect(callbackDueMark({ status: 'pending', dueAt: '2026-11-29T07:59:00Z' }, now)).toBe('overdue')
    expect(callbackDueMark({ status: 'pending', dueAt: '2026-11-30T09:00:00Z' }, now)).toBeNull()
    expect(callbackDueMark({ status: 'done', dueAt: '2026-11-20T00:00:00Z' }, now)).toBeNull()
    expect(callbackDueMark({ status: 'pending', dueAt: 'not a date' }, now)).toBeNull()
  })
})
