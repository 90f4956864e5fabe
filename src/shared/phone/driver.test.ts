import { describe, expect, it } from 'vitest'
import { allowedCallCommands, canTakeCalls, DEFAULT_REGISTRATION, PhoneCommandSchema, PhoneFactSchema } from './driver'
import { backoffDelay } from './backoff'
import { callFailure, registrationFailure } from './errors'
import { NO_FLAGS } from './call-state'

describe('PhoneDriver contract schemas', () => {
  it('accepts well-formed commands and refuses bad ones with a message', () => {
    expect(PhoneCommandSchema.safeParse({ type: 'register', account: { server: 'ws://127.0.0.1:8088', aor: 'sip:1001@127.0.0.1', password: 'x' } }).success).toBe(true)
    expect(PhoneCommandSchema.safeParse({ type: 'dtmf', callId: 'c1', digits: '12#', mode: 'rfc4733' }).success).toBe(true)
    expect(PhoneCommandSchema.safeParse({ type: 'dial', target: '13800138000', callerId: { fromDisplay: '12345热线', fromUser: '12345', pAssertedIdentity: '<sip:12345@127.0.0.1>' } }).success).toBe(true)
    const bad = [
      { type: 'register', account: { server: 'http://x', aor: 'sip:1@x' } },
      { type: 'dtmf', callId: 'c1', digits: '12x' },
      { type: 'dial', target: 'a b' },
      { type: 'dial', target: '1', callerId: { pAssertedIdentity: 'x\r\nVia: evil' } },
      { type: 'answer' },
      { type: 'answer', callId: 'c1', extra: 1 },
      { type: 'format-disk' }
    ]
    for (const b of bad) expect(PhoneCommandSchema.safeParse(b).success, JSON.stringify(b)).toBe(false)
  })

  it('facts round-trip through their schema', () => {
    const reg = { type: 'registration', seq: 1, at: 1, registration: DEFAULT_REGISTRATION(1) }
    expect(PhoneFactSchema.parse(reg)).toEqual(reg)
  })

  it('allowed commands follow the call state and flags', () => {
    const base = { direction: 'inbound' as const, linkedTo: null, conferenceWith: null, flags: NO_FLAGS }
    expect(allowedCallCommands({ ...base, state: 'ringing' })).toEqual(['answer', 'reject'])
    expect(allowedCallCommands({ ...base, state: 'established' })).toEqual(['hangup', 'hold', 'mute', 'dtmf', 'blindTransfer', 'consult'])
    expect(allowedCallCommands({ ...base, state: 'established', flags: { ...NO_FLAGS, held: true, muted: true }, linkedTo: 'c1' })).toContain('unhold')
    expect(allowedCallCommands({ ...base, state: 'established', linkedTo: 'c1' })).toContain('completeTransfer')
    expect(allowedCallCommands({ ...base, state: 'terminated' })).toEqual([])
  })

  it('can-take-calls needs the host, the transport and the registration', () => {
    const reg = { ...DEFAULT_REGISTRATION(0), state: 'registered' as const, transport: 'connected' as const }
    expect(canTakeCalls(reg, true)).toBe(true)
    expect(canTakeCalls(reg, false)).toBe(false)
    expect(canTakeCalls({ ...reg, transport: 'disconnected' }, true)).toBe(false)
  })
})

describe('errors', () => {
  it('maps SIP answers to clear messages', () => {
    expect(callFailure(486)).toMatchObject({ code: 'busy', message: '对方忙 (486)', messageEn: 'the callee is busy (486)' })
    expect(callFailure(403).code).toBe('forbidden')
    expect(callFailure(404).code).toBe('not-found')
    expect(callFailure(503).code).toBe('service-unavailable')
    expect(callFailure(499).code).toBe('call-failed')
    expect(registrationFailure(401).code).toBe('auth-failed')
    expect(registrationFailure(500).code).toBe('registration-failed')
  })
})

describe('backoff', () => {
  it('grows exponentially with jitter and stays under the cap', () => {
    expect(backoffDelay(0, {}, () => 0)).toBe(125)
    expect(backoffDelay(0, {}, () => 1)).toBe(250)
    expect(backoffDelay(2, {}, () => 1)).toBe(1000)
    for (let n = 0; n < 50; n++) expect(backoffDelay(n)).toBeLessThanOrEqual(2000)
    expect(backoffDelay(10, { maxMs: 30_000, baseMs: 1000 }, () => 0)).toBe(15_000)
  })
})
