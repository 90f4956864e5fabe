import type { Call, CallerHistory } from '../../shared/api'
import type { Handlers } from '../http/handler-types'
import { SUMMARY_COLUMNS, toTicketSummary, type TicketRow } from './ticket-records'
import { CALL_COLUMNS, toCall, type CallRow } from './calls'

const LATEST = 20
const DAY_MS = 24 * 3600_000
/** A repeat caller (重复来电) has called 2+ times within 30 days (R2). */
const REPEAT_WINDOW_MS = 30 * DAY_MS

/**
 * Screen pop while the phone rings: must answer in a few ms at 1M tickets.
 * Every query below is a range scan of the (number, …) indexes, touching only
 * the caller's own rows (see migration 1).
 */
export const callerHistoryHandlers = {
  getCallerHistory: ({ ctx, params, now }): CallerHistory => {
    const db = ctx.db
    const phone = params.phone
    const tickets = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tickets WHERE citizen_phone = ? ORDER BY id DESC LIMIT ${LATEST}`).all(phone) as TicketRow[]
    const ticketTotals = db
      .prepare("SELECT count(*) AS total, coalesce(sum(status NOT IN ('closed', 'draft')), 0) AS open FROM tickets WHERE citizen_phone = ?")
      .get(phone) as { total: number; open: number }
    const calls = db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE caller_number = ? ORDER BY queued_at DESC LIMIT ${LATEST}`).all(phone) as CallRow[]
    const since = (ms: number) => new Date(Date.parse(now) - ms).toISOString()
    const callTotals = db
      .prepare('SELECT count(*) AS total, coalesce(sum(queued_at >= ?), 0) AS week, coalesce(sum(queued_at >= ?), 0) AS recent FROM calls WHERE caller_number = ?')
      .get(since(7 * DAY_MS), since(REPEAT_WINDOW_MS), phone) as { total: number; week: number; recent: number }
    const listed = db.prepare('SELECT reason FROM malicious_numbers WHERE phone = ?').get(phone) as { reason: string } | undefined
    const latest = tickets[0]
    return {
      phone,
      tickets: tickets.map(toTicketSummary),
      calls: calls.map((c) => {
        const { callerNumber: _omit, ...rest }: Call = toCall(c)
        return rest
      }),
      totals: { tickets: ticketTotals.total, openTickets: ticketTotals.open, calls: callTotals.total, callsLast7Days: callTotals.week, callsLast30Days: callTotals.recent },
      flags: {
        repeatCaller: callTotals.recent >= 2,
        hasOpenTicket: ticketTotals.open > 0,
        malicious: listed !== undefined,
        maliciousReason: listed?.reason ?? null
      },
      areaGuess: latest ? { district: latest.district, town: latest.town } : null
    }
  }
} satisfies Partial<Handlers>
