// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../i18n'

/**
 * The screen pop starts from the phone state: a ringing inbound call ties the
 * draft to its call (saved at once, before anything is typed) and looks the
 * caller up, cache first. The bridge is faked here; the e2e specs use the real one.
 */
const calls: { method: string; args: Record<string, unknown> }[] = []
const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value })
vi.mock('../../services/bridge', () => {
  const record =
    (method: string, answer: (a: Record<string, unknown>) => unknown = () => null) =>
    (args: Record<string, unknown>) => {
      calls.push({ method, args })
      return ok(answer(args))
    }
  return {
    transport: { onEvent: () => () => {}, onReconnect: () => () => {} },
    desk: {
      intakeRef: { get: record('intakeRef.get', () => ({ areas: [], categories: [], departments: [] })) },
      drafts: {
        list: record('drafts.list', () => ({ items: [] })),
        save: record('drafts.save', () => ({ status: 'saved', savedAt: Date.now() })),
        get: record('drafts.get'),
        discard: record('drafts.discard')
      },
      callerHistory: { lookup: record('callerHistory.lookup') },
      tickets: { get: record('tickets.get'), submit: record('tickets.submit') }
    }
  }
})

describe('IntakeArea', () => {
  it('ties the draft to a ringing call and pops the caller', async () => {
    setActivePinia(createPinia())
    const { useDeskStore } = await import('../../stores/desk')
    const { screenLocked } = await import('./privacy-state')
    const { useIntakeStore } = await import('../../stores/intake')
    const IntakeArea = (await import('./IntakeArea.vue')).default
    screenLocked.value = false
    const w = mount(IntakeArea, { global: { plugins: [i18n] } })
    await flushPromises()
    expect(calls.map((c) => c.method)).toEqual(['intakeRef.get', 'drafts.list'])

    const desk = useDeskStore()
    const call = {
      callId: 'call-7',
      direction: 'inbound',
      state: 'ringing',
      peer: { raw: '13907751234', kind: 'mobile', normalised: '13907751234', e164: '+8613907751234' },
      peerName: null
    }
    desk.state = { phone: { registration: null, calls: [call], agent: {} } } as never
    await flushPromises()
    await new Promise((r) => setTimeout(r, 150))
    await flushPromises()
    const intake = useIntakeStore()
    expect(intake.callId).toBe('call-7')
    expect(intake.callerNumber).toBe('13907751234')
    const save = calls.find((c) => c.method === 'drafts.save')
    expect(save?.args).toMatchObject({ callId: 'call-7', fields: { callerNumber: '13907751234' } })
    expect(calls.filter((c) => c.method === 'callerHistory.lookup').map((c) => c.args.source)).toEqual(['cache', 'platform'])
    expect(w.text()).toContain('来电振铃中')
    w.unmount()
  })
})
