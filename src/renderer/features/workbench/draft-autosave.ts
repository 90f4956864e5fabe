import { ref } from 'vue'
import type { Result } from '../../../shared/result'
import type { DraftFieldsInput } from '../../../shared/workbench/draft'

export interface SaveArgs {
  id: string
  callId: string | null
  rev: number
  fields: DraftFieldsInput
}

/**
 * Draft autosave (R2): every change reaches main's SQLite within the budget.
 * A change starts a short timer (not reset by further typing, so fast typing
 * still saves every `delayMs`); one save is in flight at a time and the next
 * one carries everything typed meanwhile, so saves never queue up behind a
 * slow disk. Revisions are time-based and increasing: after a reload the new
 * window's saves are always newer than anything the old one sent.
 */
export function createDraftAutosave(opts: {
  current: () => SaveArgs | null
  save: (args: SaveArgs) => Promise<Result<{ status: 'saved' | 'stale'; savedAt: number }>>
  delayMs?: number
  now?: () => number
}) {
  const delayMs = opts.delayMs ?? 60
  const now = opts.now ?? Date.now
  const state = ref<'idle' | 'saving' | 'saved' | 'failed'>('idle')
  const savedAt = ref<number | null>(null)
  const error = ref('')
  let rev = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  let inFlight: Promise<void> | null = null
  let dirty = false

  function changed(): void {
    dirty = true
    if (!timer && !inFlight) timer = setTimeout(() => void run(), delayMs)
  }

  async function run(): Promise<void> {
    timer = null
    const args = opts.current()
    if (!args || !dirty) return
    dirty = false
    rev = Math.max(rev + 1, now())
    state.value = 'saving'
    inFlight = (async () => {
      const res = await opts.save({ ...args, rev })
      if (res.ok) {
        state.value = 'saved'
        savedAt.value = res.value.savedAt
        error.value = ''
      } else {
        state.value = 'failed'
        error.value = res.error.message
        // Kept for the next attempt: nothing typed is dropped because one save failed.
        dirty = true
      }
    })()
    await inFlight
    inFlight = null
    const failed = (state.value as string) === 'failed'
    if (dirty) timer = setTimeout(() => void run(), failed ? 1000 : 0)
  }

  /** Save now (before submit); resolves when everything typed so far is durable. */
  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer)
    timer = null
    if (inFlight) await inFlight
    dirty = true
    await run()
  }

  /** A draft was loaded: continue after its revision. */
  function loaded(loadedRev: number): void {
    rev = Math.max(rev, loadedRev)
    dirty = false
  }

  function dispose(): void {
    if (timer) clearTimeout(timer)
    timer = null
  }

  return { state, savedAt, error, changed, flush, loaded, dispose }
}
