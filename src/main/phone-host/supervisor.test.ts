import { describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../logging'
import { StateHub } from '../state/state-hub'
import { PhoneHostSupervisor } from './supervisor'
import { initialPhoneState } from '../../shared/ipc/state'

function setup() {
  let now = 1_000
  const hub = new StateHub({
    app: { version: 't', profile: 'sandbox', runtime: 'test', dataDir: '/tmp', startedAt: 0 },
    session: { user: null, since: null },
    phoneHost: { status: 'starting', since: now, lastHeartbeat: null, restarts: 0, userAgent: null },
    connectivity: { platform: 'offline', detail: { key: 'connectivity.connecting' }, since: 0 },
    sync: { pending: 0, rejected: 0, conflict: 0, derived: 0, lastSyncedAt: null, push: 'off', pushRevision: null },
    phone: initialPhoneState(0),
    training: { active: null, callee: null, scored: 0 },
    recording: { enabled: true, active: [] },
    notices: []
  })
  const restarts: number[] = []
  const sup = new PhoneHostSupervisor(hub, createMemoryLogger(), { heartbeatMs: 1000, timeoutMs: 5000, now: () => now })
  sup.attach({ restart: () => void restarts.push(now) })
  sup.dispose() // drive check() by hand with a fake clock
  return { hub, sup, restarts, advance: (ms: number) => (now += ms) }
}

describe('PhoneHostSupervisor', () => {
  it('marks the host alive on hello and keeps it alive while heartbeats arrive', () => {
    const { hub, sup, restarts, advance } = setup()
    expect(sup.hello('Chromium')).toEqual({ heartbeatMs: 1000 })
    expect(hub.get('phoneHost').status).toBe('alive')
    for (let i = 0; i < 20; i++) {
      advance(1000)
      sup.heartbeat()
      sup.check()
    }
    expect(restarts).toEqual([])
  })

  it('heartbeats do not publish a state change each time (no event storm)', () => {
    const { hub, sup, advance } = setup()
    sup.hello('Chromium')
    const changes: string[] = []
    hub.onChange((c) => changes.push(c.topic))
    for (let i = 0; i < 10; i++) {
      advance(1000)
      sup.heartbeat()
    }
    expect(changes).toEqual([])
  })

  it('restarts a silent host once per timeout and counts restarts', () => {
    const { hub, sup, restarts, advance } = setup()
    sup.hello('Chromium')
    advance(5001)
    sup.check()
    expect(hub.get('phoneHost')).toMatchObject({ status: 'lost', restarts: 1 })
    advance(1000)
    sup.check() // restart under way: not again yet
    expect(restarts).toHaveLength(1)
    advance(5000)
    sup.check()
    expect(restarts).toHaveLength(2)
    sup.hello('Chromium') // it came back
    expect(hub.get('phoneHost')).toMatchObject({ status: 'alive', restarts: 2 })
  })

  it('restarts a host that never said hello', () => {
    const { sup, restarts, advance } = setup()
    advance(5001)
    sup.check()
    expect(restarts).toHaveLength(1)
  })
})
