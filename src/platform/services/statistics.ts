import type { District } from '../../shared/api'
import { errors } from '../http/api-error'
import type { Handlers } from '../http/handler-types'

const SATISFIED = "('very_satisfied', 'satisfied', 'basically_satisfied')"

function countsBy(rows: { k: string; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.k, r.n]))
}

/** Figures over [from, to) computed from the stored tickets and calls (KPI 4–6 formulas as the contract states them). */
export const statisticsHandlers = {
  getStatistics: ({ ctx, query, now }) => {
    if (Date.parse(query.from) >= Date.parse(query.to)) throw errors.field('to', '结束时间必须晚于开始时间', 'to must be after from')
    const db = ctx.db
    const range = { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), now }
    const by = (col: string) => db.prepare(`SELECT ${col} AS k, count(*) AS n FROM tickets WHERE created_at >= @from AND created_at < @to GROUP BY ${col}`).all(range) as { k: string; n: number }[]
    const t = db
      .prepare(
        `SELECT count(*) AS total,
           coalesce(sum(handling_mode = 'direct_answer' AND status = 'closed'), 0) AS direct,
           coalesce(sum(deadline IS NOT NULL AND deadline < @now AND status IN ('dispatched', 'signed', 'returned')), 0) AS overdue
         FROM tickets WHERE created_at >= @from AND created_at < @to`
      )
      .get(range) as { total: number; direct: number; overdue: number }
    const c = db
      .prepare(
        `SELECT coalesce(sum(direction = 'inbound' AND coalesce(result, '') <> 'blocked'), 0) AS offered,
           coalesce(sum(direction = 'inbound' AND answered_at IS NOT NULL), 0) AS answered,
           coalesce(sum(direction = 'inbound' AND result IN ('abandoned', 'missed')), 0) AS abandoned,
           coalesce(avg(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN (julianday(ended_at) - julianday(answered_at)) * 86400 END), 0) AS aht,
           coalesce(sum(satisfaction IS NOT NULL AND satisfaction <> 'no_response'), 0) AS surveyed,
           coalesce(sum(satisfaction IN ${SATISFIED}), 0) AS satisfied
         FROM calls WHERE queued_at >= @from AND queued_at < @to`
      )
      .get(range) as { offered: number; answered: number; abandoned: number; aht: number; surveyed: number; satisfied: number }
    const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000)
    return {
      from: range.from,
      to: range.to,
      tickets: {
        total: t.total,
        byType: countsBy(by('type')),
        byStatus: countsBy(by('status')),
        byChannel: countsBy(by('channel')),
        byDistrict: countsBy(by('district')) as Partial<Record<District, number>>,
        overdue: t.overdue,
        directAnswerRate: ratio(t.direct, t.total)
      },
      calls: {
        offered: c.offered,
        answered: c.answered,
        abandoned: c.abandoned,
        answerRate: ratio(c.answered, c.offered),
        lossRate: ratio(c.offered - c.answered, c.offered),
        averageHandleSeconds: Math.round(c.aht)
      },
      satisfaction: { surveyed: c.surveyed, satisfied: c.satisfied, rate: ratio(c.satisfied, c.surveyed) }
    }
  }
} satisfies Partial<Handlers>
