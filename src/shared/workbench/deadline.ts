import type { URGENCIES } from '../api/tickets'

type Urgency = (typeof URGENCIES)[number]

/**
 * How long a department has for a dispatched ticket, by urgency (办理时限).
 * 特急 within a day, 紧急 within three, 一般 within ten (what the sandbox's
 * history uses too). The platform stores the deadline; this only proposes it.
 */
export const DEADLINE_HOURS: Record<Urgency, number> = { critical: 24, urgent: 72, normal: 240 }

export function deadlineFor(urgency: Urgency, now: number): string {
  return new Date(now + DEADLINE_HOURS[urgency] * 3600_000).toISOString()
}

/** Yellow once less than a day is left, red once the deadline has passed; closed tickets are never marked. */
export const DUE_SOON_MS = 24 * 3600_000

export function overdueMark(deadline: string | null, status: string, now: number): 'red' | 'yellow' | null {
  if (!deadline || status === 'closed' || status === 'draft') return null
  const left = Date.parse(deadline) - now
  if (left < 0) return 'red'
  if (left < DUE_SOON_MS) return 'yellow'
  return null
}
