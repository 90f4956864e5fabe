import { onKeyStroke } from '@vueuse/core'
import type { MaybeRefOrGetter } from 'vue'

/**
 * The desk's keyboard: every phone shortcut is bound here, on @vueuse/core's `onKeyStroke`, so the keys a feature
 * answers to are read in one place and each listener goes away with the component that made it.
 */

/** A key the agent presses and what it does; `when` says whether it applies now (else the key does what it would). */
export interface KeyBinding {
  when: () => boolean
  run: () => void
}

/** A keystroke typed into a field belongs to the field. */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

/**
 * Call shortcuts on the whole window (F2 answer, F4 hang up, F8 hold/retrieve), not while typing in a field. A key
 * that applies is taken from the page (its default is prevented); one that does not is left alone.
 */
export function useCallShortcuts(bindings: Record<string, KeyBinding>): void {
  onKeyStroke(Object.keys(bindings), (e) => {
    if (typingIn(e.target)) return
    const binding = bindings[e.key]
    if (!binding?.when()) return
    binding.run()
    e.preventDefault()
  })
}

/** The keys of a DTMF keypad. */
export const KEYPAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const

/** While `target` (the keypad) holds focus, the keyboard's 0–9 * # press its keys; with Ctrl, Alt or ⌘ they do not. */
export function useKeypadKeys(target: MaybeRefOrGetter<HTMLElement | null | undefined>, press: (digit: string) => void): void {
  onKeyStroke(
    (e) => !e.ctrlKey && !e.altKey && !e.metaKey && (KEYPAD_KEYS as readonly string[]).includes(e.key),
    (e) => {
      e.preventDefault()
      press(e.key)
    },
    { target }
  )
}
