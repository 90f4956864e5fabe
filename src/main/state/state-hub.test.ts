import { describe, expect, it } from 'vitest'
import { initialPhoneState, type AppState, type StateChange } from '../../shared/ipc/state'
import { applyChange } from '../../shared/ipc/state'
import { StateHub } from './state-hub'

function hub() {
  const h = new StateHub({
    app: { version: 't', profile: 'sandbox', runtime: 'test', dataDir: '/tmp', startedAt: 0 },
    session: { user: null, since: null },
    phone: initialPhoneState(0),
    notices: []
  } as unknown as AppState)
  const changes: StateChange[] = []
  h.onChange((c) => changes.push(c))
  return { h, changes }
}

describe('StateHub', () => {
  it('emits every change once, with consecutive revisions', () => {
    const { h, changes } = hub()
    h.set('notices', [])
    h.update('phone', { autoAnswer: true })
    expect(changes.map((c) => [c.revision, c.topic])).toEqual([
      [1, 'notices'],
      [2, 'phone']
    ])
  })

  it('holds changes from listeners while held, then emits each topic once with its latest value; a window mirror applies them without a resync', () => {
    const { h, changes } = hub()
    const mirror = h.snapshot()
    const release = h.hold()
    h.update('phone', { autoAnswer: true })
    h.set('notices', [])
    h.update('phone', { autoAnswer: false })
    h.update('phone', { autoAnswer: true })
    // main itself sees every change at once
    expect(h.get('phone').autoAnswer).toBe(true)
    expect(changes).toEqual([])
    release()
    expect(changes.map((c) => [c.revision, c.topic])).toEqual([
      [1, 'phone'],
      [2, 'notices']
    ])
    expect((changes[0]!.value as AppState['phone']).autoAnswer).toBe(true)
    expect(changes.map((c) => applyChange(mirror, c))).toEqual(['applied', 'applied'])
    expect(mirror.state.phone.autoAnswer).toBe(true)
    // a second release is harmless
    release()
    expect(changes).toHaveLength(2)
  })

  it('nested holds emit when the last one is released', () => {
    const { h, changes } = hub()
    const a = h.hold()
    const b = h.hold()
    h.set('notices', [])
    a()
    expect(changes).toEqual([])
    b()
    expect(changes.map((c) => c.topic)).toEqual(['notices'])
    h.set('notices', [])
    expect(changes).toHaveLength(2)
  })
})
