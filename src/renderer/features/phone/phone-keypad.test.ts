// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../i18n'

/**
 * The DTMF keypad and the phone bar's shortcuts: digits go to the phone in the order pressed, by click or by
 * keyboard while the keypad has focus; digits and F2/F4/F8 typed in a form field never reach the phone. The
 * bridge is faked here; tests/phone/media.e2e.ts sends a keypad digit to a real far end.
 */
const sent: { method: string; args: Record<string, unknown> }[] = []
let release: (() => void) | null = null
vi.mock('../../services/bridge', () => {
  const record = (method: string) => async (args: Record<string, unknown>) => {
    sent.push({ method, args })
    // The first digit's INFO is slow to be answered: later digits must wait for it.
    if (method === 'phone.dtmf' && sent.filter((s) => s.method === 'phone.dtmf').length === 1) await new Promise<void>((r) => (release = r))
    return { ok: true as const, value: null }
  }
  return {
    transport: { onEvent: () => () => {}, onReconnect: () => () => {} },
    desk: { phone: new Proxy({}, { get: (_t, name: string) => record(`phone.${name}`) }) }
  }
})

const DtmfKeypad = (await import('./DtmfKeypad.vue')).default
const PhoneBar = (await import('./PhoneBar.vue')).default
const { useDeskStore } = await import('../../stores/desk')

const call = (state: string) => ({
  callId: 'c1',
  direction: 'inbound',
  state,
  flags: { held: false, muted: false, remoteHeld: false },
  peer: { raw: '13907751234', display: '139****1234', kind: 'mobile', normalised: '13907751234', problem: null },
  peerName: null,
  linkedTo: null,
  answeredAt: state === 'established' ? Date.now() : null
})

beforeEach(() => {
  setActivePinia(createPinia())
  sent.length = 0
  release = null
})
afterEach(() => document.body.replaceChildren())

describe('DTMF keypad', () => {
  it('sends clicked and typed digits in order, one at a time, and shows them', async () => {
    const w = mount(DtmfKeypad, { props: { callId: 'c1' }, global: { plugins: [i18n] }, attachTo: document.body })
    const pad = w.get('[role="group"][aria-label="拨号盘"]')
    expect(w.findAll('button').map((b) => b.attributes('aria-label'))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'].map((d) => `按键 ${d}`))
    await w.get('button[aria-label="按键 5"]').trigger('click')
    await pad.trigger('keydown', { key: '9' })
    await pad.trigger('keydown', { key: '#' })
    await pad.trigger('keydown', { key: 'a' })
    await pad.trigger('keydown', { key: '1', ctrlKey: true })
    await flushPromises()
    expect(sent.map((s) => s.args.digits)).toEqual(['5'])
    release!()
    await flushPromises()
    expect(sent).toEqual([
      { method: 'phone.dtmf', args: { callId: 'c1', digits: '5' } },
      { method: 'phone.dtmf', args: { callId: 'c1', digits: '9' } },
      { method: 'phone.dtmf', args: { callId: 'c1', digits: '#' } }
    ])
    expect(w.get('[data-testid="dtmf-sent"]').text()).toBe('59#')
  })

  it('is inert without a call in progress', async () => {
    const w = mount(DtmfKeypad, { props: { callId: null }, global: { plugins: [i18n] }, attachTo: document.body })
    expect(w.get('button[aria-label="按键 1"]').attributes('disabled')).toBeDefined()
    await w.get('[role="group"]').trigger('keydown', { key: '1' })
    await flushPromises()
    expect(sent).toEqual([])
  })
})

describe('phone bar buttons follow the moves the call allows', () => {
  const mountWith = async (calls: object[]) => {
    const w = mount(PhoneBar, { global: { plugins: [i18n] }, attachTo: document.body })
    useDeskStore().state = { phone: { registration: null, calls, agent: null, quality: [], devices: null, autoAnswer: false }, phoneHost: { status: 'alive' } } as never
    await flushPromises()
    const enabled = (name: string) => w.findAll('button').find((b) => b.text() === name)!.attributes('disabled') === undefined
    return { w, enabled }
  }

  it('a ringing call offers 接听 and 拒接 only, and F4 rejects it', async () => {
    const { w, enabled } = await mountWith([call('ringing')])
    expect(['接听', '拒接', '挂断', '保持', '静音', '转接', '三方通话', '满意度评价'].filter(enabled)).toEqual(['接听', '拒接'])
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'F4', bubbles: true }))
    await flushPromises()
    expect(sent.map((s) => s.method)).toEqual(['phone.reject'])
    w.unmount()
  })

  it('a held call offers 取回, a consultation 三方通话, a three-way call no transfer', async () => {
    const held = await mountWith([{ ...call('established'), flags: { held: true, muted: false, remoteHeld: false } }])
    expect(['挂断', '取回', '静音', '转接', '三方通话'].filter(held.enabled)).toEqual(['挂断', '取回', '静音', '转接'])
    held.w.unmount()
    const consultation = { ...call('established'), callId: 'c2', linkedTo: 'c1', conferenceWith: null }
    const consulting = await mountWith([{ ...call('established'), flags: { held: true, muted: false, remoteHeld: false } }, consultation])
    expect(consulting.enabled('三方通话')).toBe(true)
    consulting.w.unmount()
    const threeWay = await mountWith([{ ...call('established'), conferenceWith: 'c2' }, { ...consultation, conferenceWith: 'c1' }])
    expect(['挂断', '保持', '静音', '转接', '三方通话', '满意度评价'].filter(threeWay.enabled)).toEqual(['挂断', '保持', '静音'])
    threeWay.w.unmount()
  })
})

describe('phone bar shortcuts and the keypad', () => {
  it('F2 answers, but not while typing in a form field; digits typed in a field are no DTMF', async () => {
    const w = mount(PhoneBar, { global: { plugins: [i18n] }, attachTo: document.body })
    const store = useDeskStore()
    store.state = { phone: { registration: null, calls: [call('ringing')], agent: null, quality: [], devices: null, autoAnswer: false }, phoneHost: { status: 'alive' } } as never
    await flushPromises()
    const field = w.get('input[aria-label="外呼号码"]')
    await field.trigger('keydown', { key: 'F2' })
    await field.trigger('keydown', { key: '5' })
    await flushPromises()
    expect(sent).toEqual([])
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'F2', bubbles: true }))
    await flushPromises()
    expect(sent.map((s) => s.method)).toEqual(['phone.answer'])
  })

  it('the keypad opens from 拨号盘 only during an established call', async () => {
    const w = mount(PhoneBar, { global: { plugins: [i18n] }, attachTo: document.body })
    const store = useDeskStore()
    const keypadButton = () => w.findAll('button').find((b) => b.text() === '拨号盘')!
    store.state = { phone: { registration: null, calls: [call('ringing')], agent: null, quality: [], devices: null, autoAnswer: false }, phoneHost: { status: 'alive' } } as never
    await flushPromises()
    expect(keypadButton().attributes('disabled')).toBeDefined()
    store.state = { phone: { registration: null, calls: [call('established')], agent: null, quality: [], devices: null, autoAnswer: false }, phoneHost: { status: 'alive' } } as never
    await flushPromises()
    expect(keypadButton().attributes('disabled')).toBeUndefined()
    await keypadButton().trigger('click')
    await flushPromises()
    const key = document.body.querySelector<HTMLButtonElement>('button[aria-label="按键 7"]')!
    expect(key.disabled).toBe(false)
    key.click()
    await flushPromises()
    expect(sent).toEqual([{ method: 'phone.dtmf', args: { callId: 'c1', digits: '7' } }])
  })
})
