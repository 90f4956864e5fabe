import { describe, expect, it } from 'vitest'
import { share } from './structural-share'

const phone = () => ({
  registration: { state: 'registered', transport: 'connected', reason: null },
  agent: { status: 'ready', reason: null, since: 1 },
  devices: { inputs: [{ deviceId: 'a', label: '耳麦' }], outputs: [], selected: { mic: '', speaker: '', ringer: '' } },
  calls: [
    { callId: 'c1', state: 'ringing', flags: { held: false, muted: false } },
    { callId: 'c2', state: 'established', flags: { held: true, muted: false } }
  ]
})

describe('structural sharing of the state mirror', () => {
  it('keeps the unchanged parts as the old objects and gives the changed ones anew', () => {
    const prev = phone()
    const next = phone()
    next.calls[0]!.state = 'answering'
    const out = share(prev, next)
    expect(out).toEqual(next)
    expect(out).not.toBe(prev)
    expect(out.agent).toBe(prev.agent)
    expect(out.devices).toBe(prev.devices)
    expect(out.registration).toBe(prev.registration)
    expect(out.calls).not.toBe(prev.calls)
    expect(out.calls[0]).not.toBe(prev.calls[0])
    expect(out.calls[0]!.flags).toBe(prev.calls[0]!.flags)
    expect(out.calls[1]).toBe(prev.calls[1])
  })

  it('returns the old value itself when nothing changed', () => {
    const prev = phone()
    expect(share(prev, phone())).toBe(prev)
  })

  it('sees added, removed and retyped members', () => {
    const prev = phone()
    const fewer = { ...phone(), calls: [phone().calls[0]!] }
    const out = share(prev, fewer)
    expect(out.calls).toHaveLength(1)
    expect(out.calls[0]).toBe(prev.calls[0])
    const extra = { ...phone(), autoAnswer: true }
    expect(share(prev, extra)).toEqual(extra)
    expect(share({ a: null }, { a: {} })).toEqual({ a: {} })
    expect(share({ a: [1] }, { a: { 0: 1 } })).toEqual({ a: { 0: 1 } })
    expect(share({ a: 1, b: 2 }, { a: 1 })).toEqual({ a: 1 })
  })
})
