import { defineStore } from 'pinia'
import { computed, ref, shallowReactive, shallowRef } from 'vue'
import { applyChange, type AppState } from '../../shared/ipc/state'
import type { AppError } from '../../shared/result'
import { desk, transport } from '../services/bridge'
import { share } from './structural-share'

/**
 * Mirrors main's application state: a snapshot, then change events applied in
 * revision order. A gap (reload, reconnect, missed event) triggers a resync
 * from a fresh snapshot, so the window never shows state main does not have.
 *
 * One reactive slot per topic: a change to `phone` re-renders what reads `phone`, not the whole workbench (the
 * answer click brings three or four `phone` and `recording` changes while the call's media is being set up).
 */
export const useDeskStore = defineStore('desk', () => {
  const revision = ref(-1)
  const state = shallowRef<AppState | null>(null)
  const resyncs = ref(0)
  const lastError = ref<AppError | null>(null)
  let started = false

  async function resync(): Promise<void> {
    const res = await desk.system.snapshot({})
    if (!res.ok) {
      lastError.value = res.error
      return
    }
    revision.value = res.value.revision
    const cur = state.value
    if (!cur) state.value = shallowReactive({ ...res.value.state })
    else for (const [k, v] of Object.entries(res.value.state)) (cur as Record<string, unknown>)[k] = share((cur as Record<string, unknown>)[k], v)
    resyncs.value += 1
  }

  function start(): Promise<void> {
    if (started) return Promise.resolve()
    started = true
    transport.onEvent((event) => {
      if (event.kind !== 'state' || !state.value) return
      // Applied in place: only the changed topic's slot fires.
      const mirror = { revision: revision.value, state: state.value }
      const change = event as Parameters<typeof applyChange>[1]
      // The unchanged parts of the topic stay the objects the components already read (see structural-share.ts).
      const outcome = applyChange(mirror, { ...change, value: share((state.value as Record<string, unknown>)[change.topic], change.value) } as typeof change)
      if (outcome === 'applied') revision.value = mirror.revision
      else if (outcome === 'resync') void resync()
    })
    transport.onReconnect(() => void resync())
    return resync()
  }

  const user = computed(() => state.value?.session.user ?? null)
  const isSandbox = computed(() => state.value?.app.profile === 'sandbox')

  return { revision, state, resyncs, lastError, user, isSandbox, start, resync }
})
