import { describe, expect, it } from 'vitest'
import { contract, type MethodSpec } from '../../shared/ipc/contract'
import { createMemoryLogger } from '../logging'
import { IpcDispatcher, type Handlers, type SessionUser } from './dispatcher'

/**
 * The idle lock is decided by the contract, not by each feature: every method
 * carries an explicit `citizenData` yes or no, and the dispatcher refuses the
 * yeses while the screen is locked. These tests walk the whole contract, so a
 * method added later is covered the day it is added.
 */
const everyRole: SessionUser = { id: 'u1', username: 'agent01', displayName: '话务员一', roles: ['agent', 'team_lead', 'qa', 'trainer', 'admin'], seatId: 'S01' }

const allMethods = Object.entries(contract).flatMap(([service, methods]) =>
  Object.entries(methods as Record<string, MethodSpec>).map(([name, spec]) => ({ service, name, spec }))
)

/** Handlers for every method of the contract, recording which ones ran. */
function recordingHandlers(ran: string[]): Handlers {
  const services = Object.fromEntries(
    allMethods.map(({ service }) => [
      service,
      new Proxy(
        {},
        {
          get: (_t, name) => () => {
            ran.push(`${service}.${String(name)}`)
            return null
          }
        }
      )
    ])
  )
  return services as unknown as Handlers
}

describe('the idle lock over the IPC contract', () => {
  it('has an explicit citizen-data decision on every method', () => {
    const undecided = allMethods.filter(({ spec }) => typeof (spec as { citizenData?: unknown }).citizenData !== 'boolean').map((m) => `${m.service}.${m.name}`)
    expect(undecided).toEqual([])
    // The decisions this desk relies on, spelled out: a change to any of them is a deliberate one.
    const marked = allMethods.filter(({ spec }) => spec.citizenData).map((m) => `${m.service}.${m.name}`)
    for (const m of ['callbacks.list', 'callbacks.record', 'sms.send', 'sms.message', 'sms.forTicket', 'knowledge.notes', 'knowledge.saveNote', 'recordings.list', 'recordings.audio', 'callerHistory.lookup', 'drafts.get', 'drafts.list', 'tickets.get', 'tickets.submit', 'worklist.list', 'sync.problems'])
      expect(marked).toContain(m)
    for (const m of ['privacy.status', 'privacy.unlock', 'session.logout', 'system.snapshot', 'phone.hangup', 'drafts.save'])
      expect(marked).not.toContain(m)
  })

  it('refuses every citizen-data method while locked, with a typed error and without running it; lets every other method through', async () => {
    const ran: string[] = []
    let locked = true
    const log = createMemoryLogger()
    const d = new IpcDispatcher(recordingHandlers(ran), () => everyRole, log, () => locked)
    for (const { service, name, spec } of allMethods) {
      const res = await d.handle(spec.caller, service, name, {})
      if (spec.citizenData) {
        expect(res, `${service}.${name}`).toEqual({ ok: false, error: { code: 'locked', message: '屏幕已锁定，请先解锁', messageEn: 'The screen is locked: unlock first' } })
        expect(ran).not.toContain(`${service}.${name}`)
      } else {
        // Arguments may not fit ({} for a method that takes some), but the lock is never the reason.
        expect(res.ok || res.error.code !== 'locked', `${service}.${name}`).toBe(true)
      }
    }
    expect(log.entries.filter((e) => e.message.includes('locked screen'))).toHaveLength(allMethods.filter((m) => m.spec.citizenData).length)

    locked = false
    const citizen = allMethods.find((m) => m.service === 'worklist')!
    expect(await d.handle('ui', citizen.service, citizen.name, {})).toEqual({ ok: true, value: null })
    expect(ran).toContain('worklist.list')
  })

  it('asks for a session before it speaks of the lock', async () => {
    const d = new IpcDispatcher(recordingHandlers([]), () => null, createMemoryLogger(), () => true)
    expect(await d.handle('ui', 'worklist', 'list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })
})
