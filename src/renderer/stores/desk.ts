import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { applyChange, type AppState } from '../../shared/ipc/state'
import type { AppError } from '../../shared/result'
import { desk, transport } from '../services/bridge'

/**
 * Mirrors main's application state: a snapshot, then change events applied in
 * revision order. A gap (reload, reconnect, missed event) triggers a resync
 * from a fresh snapshot, so the window never shows state main does not have.
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
    state.value = res.value.state
    resyncs.value += 1
  }

  function start(): Promise<void> {
    if (started) return Promise.resolve()
    started = true
    transport.onEvent((event) => {
      if (event.kind !== 'state' || !state.value) return
      const mirror = { revision: revision.value, state: { ...state.value } }
      const outcome = applyChange(mirror, event as Parameters<typeof applyChange>[1])
      if (outcome === 'applied') {
        revision.value = mirror.revision
        state.value = mirror.state
      } else if (outcome === 'resync') void resync()
    })
    transport.onReconnect(() => void resync())
    return resync()
  }

  const user = computed(() => state.value?.session.user ?? null)
  const isSandbox = computed(() => state.value?.app.profile === 'sandbox')

  return { revision, state, resyncs, lastError, user, isSandbox, start, resync }
})
