import { describe, expect, it } from 'vitest'
import { CALL_COMMANDS, allowedCallCommands, illegalCallMove, moveCallId, refuseCallMove, type CallCommand, type CallMoveState } from './call-commands'
import { CALL_STATES, NO_FLAGS, type CallState } from './call-state'
import { PhoneErrorSchema } from './errors'

/**
 * Every call state × every call command, for each shape a call can have (held, muted, a consultation, in a
 * three-way call): the move is allowed exactly when written out below, and refused otherwise with an
 * 'illegal-state' error naming the state and the move.
 */
const SHAPES: Record<string, Omit<CallMoveState, 'state'>> = {
  plain: { flags: NO_FLAGS, linkedTo: null, conferenceWith: null },
  held: { flags: { ...NO_FLAGS, held: true }, linkedTo: null, conferenceWith: null },
  muted: { flags: { ...NO_FLAGS, muted: true }, linkedTo: null, conferenceWith: null },
  consultation: { flags: NO_FLAGS, linkedTo: 'c1', conferenceWith: null },
  threeWay: { flags: NO_FLAGS, linkedTo: 'c1', conferenceWith: 'c1' }
}

/** The allowed moves, written out independently of the function under test. */
function expected(state: CallState, shape: string): CallCommand[] {
  if (state === 'ringing') return ['answer', 'reject']
  if (state === 'answering' || state === 'dialing' || state === 'early') return ['hangup']
  if (state !== 'established') return []
  const base: Record<string, CallCommand[]> = {
    plain: ['hangup', 'hold', 'mute', 'dtmf', 'blindTransfer', 'consult'],
    held: ['hangup', 'unhold', 'mute', 'dtmf', 'blindTransfer', 'consult'],
    muted: ['hangup', 'hold', 'unmute', 'dtmf', 'blindTransfer', 'consult'],
    consultation: ['hangup', 'hold', 'mute', 'dtmf', 'blindTransfer', 'consult', 'completeTransfer', 'conference'],
    threeWay: ['hangup', 'hold', 'mute', 'dtmf']
  }
  return base[shape]!
}

describe('call commands over the call state table', () => {
  const cases = Object.keys(SHAPES).flatMap((shape) => CALL_STATES.flatMap((state) => CALL_COMMANDS.map((command) => [shape, state, command] as const)))

  it('covers every shape × state × command', () => {
    expect(cases).toHaveLength(Object.keys(SHAPES).length * CALL_STATES.length * CALL_COMMANDS.length)
  })

  it.each(cases)('%s call, %s: %s', (shape, state, command) => {
    const call = { ...SHAPES[shape]!, state }
    const refusal = refuseCallMove(call, command)
    if (expected(state, shape).includes(command)) {
      expect(refusal).toBeNull()
      expect(allowedCallCommands(call)).toContain(command)
    } else {
      expect(allowedCallCommands(call)).not.toContain(command)
      expect(refusal).toMatchObject({ code: 'illegal-state', illegalMove: { machine: 'call', state, move: command } })
    }
  })

  it('lists the allowed moves in the phone bar order', () => {
    for (const shape of Object.keys(SHAPES)) for (const state of CALL_STATES) expect(allowedCallCommands({ ...SHAPES[shape]!, state })).toEqual(expected(state, shape))
  })

  it('a refusal says in both languages which state refused which move, and crosses IPC whole', () => {
    const e = illegalCallMove({ state: 'ringing' }, 'hold')
    expect(e.message).toBe('当前通话为「振铃」，不能「保持」')
    expect(e.messageEn).toBe('cannot hold while the call is ringing')
    expect(PhoneErrorSchema.parse(e)).toEqual(e)
  })

  it('completing a transfer and the three-way call are judged on the consultation', () => {
    expect(moveCallId({ type: 'completeTransfer', callId: 'c1', consultCallId: 'c2' })).toBe('c2')
    expect(moveCallId({ type: 'conference', callId: 'c1', consultCallId: 'c2' })).toBe('c2')
    expect(moveCallId({ type: 'hold', callId: 'c1' })).toBe('c1')
  })
})
