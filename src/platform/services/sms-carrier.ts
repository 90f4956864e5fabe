/**
 * Where SMS leave the platform. The reference service ships a simulated carrier
 * (there is no real SMS gateway on a training machine); a deployment plugs its
 * operator's gateway in behind the same interface.
 */
export type DeliveryStatus = 'sent' | 'delivered' | 'failed'

export interface SmsCarrier {
  /** Takes one message; reports its progress later through `report`. */
  submit(message: { id: number; phone: string; text: string }, report: (status: DeliveryStatus, error: string | null) => void): void
  close(): void
}

/**
 * Simulated carrier: reports `sent` then `delivered` after short delays; numbers
 * ending in 0000 are treated as unreachable (空号) so the failure path is visible.
 */
export function createSimulatedCarrier(delayMs = 100): SmsCarrier {
  const timers = new Set<NodeJS.Timeout>()
  let closed = false
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t)
      if (!closed) fn()
    }, ms)
    timers.add(t)
  }
  return {
    submit(message, report) {
      later(delayMs / 2, () => {
        report('sent', null)
        later(delayMs, () => (message.phone.endsWith('0000') ? report('failed', '空号或停机 (number unreachable)') : report('delivered', null)))
      })
    },
    close() {
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
    }
  }
}
