import type { DbClient } from '../db/client'
import type { FieldCipher } from '../crypto/field-cipher'
import type { CallerHistory } from '../../shared/api/caller-history'
import type { CallerView } from '../../shared/ipc/services/workbench'

const LATEST = 20
const REPEAT_WINDOW_MS = 30 * 24 * 3600_000

type Meta = Pick<CallerHistory, 'totals' | 'areaGuess'> & { flags: Pick<CallerHistory['flags'], 'malicious' | 'maliciousReason'> }
type CachedView = Omit<CallerView, 'phone' | 'masked'>

/**
 * The screen pop's local copy of caller history (R2): shown the moment the phone
 * rings, then refreshed from the platform. Rows are sealed; the number is only
 * present as a blind index (HMAC), which is also what makes the lookup an index
 * range scan however many tickets are cached.
 */
export class CallerCache {
  constructor(
    private readonly db: DbClient,
    private readonly cipher: FieldCipher
  ) {}

  indexOf(phone: string): string {
    return this.cipher.blindIndex(phone, 'caller-phone')
  }

  async lookup(phone: string, now = Date.now()): Promise<CachedView | null> {
    const hit = await this.db.call('wb.caller.lookup', { phoneIx: this.indexOf(phone), limit: LATEST })
    if (!hit.meta && hit.tickets.length === 0 && hit.calls.length === 0) return null
    const tickets = hit.tickets.map((s) => JSON.parse(this.cipher.decryptText(s)) as CallerView['tickets'][number])
    const calls = hit.calls.map((s) => JSON.parse(this.cipher.decryptText(s)) as CallerView['calls'][number])
    const meta: Meta | null = hit.meta ? (JSON.parse(this.cipher.decryptText(hit.meta)) as Meta) : null
    return toView('cache', hit.refreshedAt, tickets, calls, meta, now)
  }

  /** Stores the platform's answer and returns it as a view. */
  async store(history: CallerHistory, now = Date.now()): Promise<CachedView> {
    const meta: Meta = { totals: history.totals, areaGuess: history.areaGuess, flags: { malicious: history.flags.malicious, maliciousReason: history.flags.maliciousReason } }
    await this.db.call('wb.caller.store', {
      phoneIx: this.indexOf(history.phone),
      tickets: history.tickets.map((t) => ({ id: t.id, sealed: this.cipher.encryptText(JSON.stringify(t)) })),
      calls: history.calls.map((c) => ({ id: c.id, queuedAt: c.queuedAt, sealed: this.cipher.encryptText(JSON.stringify(c)) })),
      meta: this.cipher.encryptText(JSON.stringify(meta)),
      at: now
    })
    return toView('platform', now, history.tickets, history.calls, meta, now)
  }
}

function toView(source: CallerView['source'], refreshedAt: number | null, tickets: CallerView['tickets'], calls: CallerView['calls'], meta: Meta | null, now: number): CachedView {
  // Only the latest calls are kept here; a frequent caller has more within 30 days than that, and the
  // platform counted all of them at the last refresh (a count as old as that refresh, renewed as it rings).
  const counted = calls.filter((c) => now - Date.parse(c.queuedAt) <= REPEAT_WINDOW_MS).length
  const callsLast30Days = calls.length >= LATEST ? Math.max(counted, meta?.totals.callsLast30Days ?? 0) : counted
  const openTickets = meta?.totals.openTickets ?? tickets.filter((t) => t.status !== 'closed' && t.status !== 'draft').length
  const latest = tickets[0]
  return {
    source,
    refreshedAt,
    tickets,
    calls,
    totals: { tickets: meta?.totals.tickets ?? tickets.length, openTickets, calls: meta?.totals.calls ?? calls.length },
    flags: {
      repeatCaller: callsLast30Days >= 2,
      callsLast30Days,
      hasOpenTicket: openTickets > 0,
      malicious: meta?.flags.malicious ?? false,
      maliciousReason: meta?.flags.maliciousReason ?? null
    },
    areaGuess: meta?.areaGuess ?? (latest ? latest.area : null)
  }
}
