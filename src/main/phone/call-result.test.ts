import { describe, expect, it } from 'vitest'
import { phoneError } from '../../shared/phone'
import { callResult, RING_NO_ANSWER_MS, type HowItEnded } from './call-result'

/** The platform's result for a call, from the way the phone host says it ended. */
const inbound = (p: Partial<HowItEnded>): HowItEnded => ({ direction: 'inbound', startedAt: 1000, answeredAt: null, endedAt: 5000, endedBy: 'remote', cause: null, ...p })
const outbound = (p: Partial<HowItEnded>) => inbound({ direction: 'outbound', ...p })

describe('callResult', () => {
  it('answered calls: answered whoever hangs up; transferred away; the survey is the end of a handled call', () => {
    expect(callResult(inbound({ answeredAt: 2000, endedBy: 'remote' }))).toBe('answered')
    expect(callResult(inbound({ answeredAt: 2000, endedBy: 'local' }))).toBe('answered')
    expect(callResult(inbound({ answeredAt: 2000, endedBy: 'transfer' }))).toBe('transferred')
    expect(callResult(inbound({ answeredAt: 2000, endedBy: 'transfer', surveyed: true }))).toBe('answered')
    // The phone host died mid-call: it was still answered.
    expect(callResult(inbound({ answeredAt: 2000, endedBy: 'remote', cause: phoneError('internal') }))).toBe('answered')
    expect(callResult(outbound({ answeredAt: 2000, endedBy: 'local' }))).toBe('answered')
    expect(callResult(outbound({ answeredAt: 2000, endedBy: 'transfer' }))).toBe('transferred')
  })

  it('inbound calls never answered: rejected by the agent, abandoned by the caller, missed when it rang out', () => {
    expect(callResult(inbound({ endedBy: 'local' }))).toBe('rejected')
    // The agent clicked 接听 but no media could be set up: the citizen was not served, and not refused either.
    expect(callResult(inbound({ endedBy: 'local', cause: phoneError('media') }))).toBe('missed')
    expect(callResult(inbound({ endedBy: 'remote', cause: phoneError('cancelled'), endedAt: 1000 + RING_NO_ANSWER_MS - 1 }))).toBe('abandoned')
    expect(callResult(inbound({ endedBy: 'remote', cause: phoneError('cancelled'), endedAt: 1000 + RING_NO_ANSWER_MS }))).toBe('missed')
    expect(callResult(inbound({ endedBy: 'remote', cause: phoneError('cancelled'), endedAt: 9000 }), 5000)).toBe('missed')
    expect(callResult(inbound({ endedBy: 'remote', cause: phoneError('timeout') }))).toBe('missed')
    expect(callResult(inbound({ endedBy: 'remote', cause: phoneError('internal') }))).toBe('missed')
    expect(callResult(inbound({ endedBy: null, endedAt: null }))).toBe('abandoned')
  })

  it('outbound calls never answered: the agent gave up (abandoned), else not reached (missed)', () => {
    expect(callResult(outbound({ endedBy: 'local' }))).toBe('abandoned')
    // sip.js turns the agent's CANCEL into the far end's 487.
    expect(callResult(outbound({ endedBy: 'remote', cause: phoneError('cancelled') }))).toBe('abandoned')
    expect(callResult(outbound({ endedBy: 'remote', cause: phoneError('busy') }))).toBe('missed')
    expect(callResult(outbound({ endedBy: 'remote', cause: phoneError('timeout') }))).toBe('missed')
    expect(callResult(outbound({ endedBy: 'remote', cause: phoneError('not-found') }))).toBe('missed')
  })
})
