import fs from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

/** Nanoseconds this thread has waited in the kernel's run queue for a CPU; null where the kernel does not say. */
function runQueueWaitNs(): number | null {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1])
  } catch {
    return null
  }
}

/**
 * How long main's event loop was held up while `work` ran. A timer ticks every 5 ms (and once more when the work
 * ends, so a hold-up just before it resolves counts too); a tick comes late either because main was busy (what
 * counts) or because a loaded machine had no CPU free for it, which the thread's run-queue wait tells apart on Linux
 * and is taken out. `delayMaxMs` is perf_hooks' raw event-loop delay maximum, for the record: it misses a hold-up
 * that starts with the work, before its first sample.
 */
export async function longestHoldUpMs(work: () => Promise<unknown>): Promise<{ heldMs: number; delayMaxMs: number }> {
  const TICK_MS = 5
  const delay = monitorEventLoopDelay({ resolution: TICK_MS })
  let heldMs = 0
  let at = performance.now()
  let waited = runQueueWaitNs()
  const tick = (): void => {
    const now = performance.now()
    const waitedNow = runQueueWaitNs()
    const queuedMs = waited !== null && waitedNow !== null ? (waitedNow - waited) / 1e6 : 0
    heldMs = Math.max(heldMs, now - at - TICK_MS - queuedMs)
    at = now
    waited = waitedNow
  }
  const ticker = setInterval(tick, TICK_MS)
  delay.enable()
  try {
    await work()
  } finally {
    tick()
    clearInterval(ticker)
    delay.disable()
  }
  return { heldMs, delayMaxMs: delay.max / 1e6 }
}
