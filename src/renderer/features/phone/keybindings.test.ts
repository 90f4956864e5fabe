// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { useCallShortcuts, useKeypadKeys } from './keybindings'

/** The desk's key bindings on their own: which keys act, when, and which are left to the page. */
afterEach(() => document.body.replaceChildren())

function press(target: EventTarget, key: string, mods: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...mods })
  target.dispatchEvent(e)
  return e
}

describe('useCallShortcuts', () => {
  const ran: string[] = []
  let ringing = true
  const Bar = defineComponent({
    setup() {
      useCallShortcuts({
        F2: { when: () => ringing, run: () => ran.push('answer') },
        F4: { when: () => true, run: () => ran.push('hangup') }
      })
      return () => h('div', [h('input', { 'aria-label': 'field' }), h('textarea'), h('div', { contenteditable: 'true', 'data-testid': 'editable' }), h('button', 'ok')])
    }
  })

  it.each([
    ['F2 on the page while ringing answers and is taken from the page', () => document.body, 'F2', true, ['answer'], true],
    ['F4 on a button hangs up', () => document.querySelector('button')!, 'F4', true, ['hangup'], true],
    ['F2 when nothing rings does nothing and is left to the page', () => document.body, 'F2', false, [], false],
    ['F2 typed in an input is the field’s', () => document.querySelector('input')!, 'F2', true, [], false],
    ['F4 typed in a textarea is the field’s', () => document.querySelector('textarea')!, 'F4', true, [], false],
    ['F4 typed in editable text is the field’s', () => document.querySelector('[data-testid="editable"]')!, 'F4', true, [], false],
    ['an unbound key does nothing', () => document.body, 'F8', true, [], false],
    ['a digit on the page does nothing', () => document.body, '5', true, [], false]
  ] as const)('%s', (_name, target, key, isRinging, expected, prevented) => {
    ran.length = 0
    ringing = isRinging
    const w = mount(Bar, { attachTo: document.body })
    const e = press(target(), key)
    expect(ran).toEqual(expected)
    expect(e.defaultPrevented).toBe(prevented)
    w.unmount()
  })

  it('stops listening when the bar goes away', () => {
    ran.length = 0
    ringing = true
    mount(Bar, { attachTo: document.body }).unmount()
    press(document.body, 'F2')
    expect(ran).toEqual([])
  })
})

describe('useKeypadKeys', () => {
  const digits: string[] = []
  const Pad = defineComponent({
    setup() {
      const pad = ref<HTMLElement | null>(null)
      useKeypadKeys(pad, (d) => digits.push(d))
      return () => h('div', [h('div', { ref: pad, tabindex: 0, 'data-testid': 'pad' }, [h('button', '1')]), h('input')])
    }
  })

  it('takes 0–9 * # pressed on the keypad or its buttons, without Ctrl, Alt or ⌘, and nothing typed elsewhere', async () => {
    const w = mount(Pad, { attachTo: document.body })
    // The keypad's listener is attached on the tick after mounting, once its element exists.
    await nextTick()
    const pad = document.querySelector('[data-testid="pad"]')!
    const taken = ['0', '9', '*', '#'].map((k) => press(pad, k).defaultPrevented)
    press(pad.querySelector('button')!, '5')
    for (const mods of [{ ctrlKey: true }, { altKey: true }, { metaKey: true }]) press(pad, '1', mods)
    expect(press(pad, 'a').defaultPrevented).toBe(false)
    press(document.querySelector('input')!, '3')
    press(document.body, '4')
    expect(digits).toEqual(['0', '9', '*', '#', '5'])
    expect(taken).toEqual([true, true, true, true])
    w.unmount()
  })
})
