import { describe, expect, it } from 'vitest'
import { receiptBlocked, receiptFor, smsNumber } from './receipt'

describe('ticket receipt SMS', () => {
  it('takes mainland mobile numbers only, with or without a country or trunk prefix', () => {
    expect(smsNumber('139 0775 1234')).toBe('13907751234')
    expect(smsNumber('+8613907751234')).toBe('13907751234')
    expect(smsNumber('013907751234')).toBe('13907751234')
    expect(smsNumber('07752830000')).toBeNull()
    expect(smsNumber('12345')).toBeNull()
    expect(smsNumber('1390775123x')).toBeNull()
  })

  it('promises the days of the deadline for the urgency, and sends nothing when it should not', () => {
    const d = { smsReceipt: true, anonymous: false, handling: 'dispatch' as const, callerNumber: '13907751234', urgency: 'normal' as const }
    expect(receiptFor(d)).toEqual({ templateId: 'ticket_received', phone: '13907751234', days: 10 })
    expect(receiptFor({ ...d, urgency: 'critical' })?.days).toBe(1)
    expect(receiptFor({ ...d, smsReceipt: false })).toBeNull()
    expect(receiptFor({ ...d, anonymous: true })).toBeNull()
    expect(receiptFor({ ...d, handling: 'direct_answer' })).toBeNull()
    expect(receiptBlocked({ ...d, callerNumber: '07752830000' })?.zh).toMatch(/不是手机号/)
    expect(receiptBlocked(d)).toBeNull()
  })
})
