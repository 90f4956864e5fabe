import { describe, expect, it } from 'vitest'
import { CALL_STATES, CALL_TRANSITIONS, canChangeFlags, transitionCall, type CallState } from './call-state'
import { IllegalTransitionError } from './state-machine'

/** The allowed moves, written out independently of the table under test. */
const ALLOWED = new Set([
  'idle>ringing',
  'idle>dialing',
  'idle>terminated',
  'ringing>answering',
  'ringing>terminated',
  'answering>established',
  'answering>terminated',
  'dialing>early',
  'dialing>established',
  'dialing>terminated',
  'early>established',
  'early>terminated',
  'established>terminating',
  'established>terminated',
  'terminating>terminated'
])

describe('call state machine', () => {
  const pairs: [CallState, CallState][] = CALL_STATES.flatMap((from) => CALL_STATES.map((to) => [from, to] as [CallState, CallState]))

  it.each(pairs)('%s → %s', (from, to) => {
    if (ALLOWED.has(`${from}>${to}`)) expect(transitionCall(from, to)).toBe(to)
    else expect(() => transitionCall(from, to)).toThrow(IllegalTransitionError)
  })

  it('covers all 64 pairs and the table has exactly the allowed moves', () => {
    expect(pairs).toHaveLength(64)
    const fromTable = Object.entries(CALL_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`))
    expect(new Set(fromTable)).toEqual(ALLOWED)
  })

  it('every state can end, and terminated is final', () => {
    for (const s of CALL_STATES) if (s !== 'terminated') expect(() => transitionCall(s, 'terminated')).not.toThrow()
    expect(CALL_TRANSITIONS.terminated).toEqual([])
  })

  it('hold/mute are flags, changeable only while established', () => {
    expect(CALL_STATES.filter(canChangeFlags)).toEqual(['established'])
  })

  it('an unknown state is refused, not crashed on', () => {
    expect(() => transitionCall('bogus' as CallState, 'idle')).toThrow(/illegal transition bogus → idle/)
  })
})
