import type { CALL_RESULTS } from '../../shared/api/calls'
import type { CallSnapshot } from '../../shared/phone'

/** How a call ended, as the platform's call record (the call detail record) says it. */
export type PlatformCallResult = (typeof CALL_RESULTS)[number]

/**
 * How long an inbound call rings before the desk counts the caller's hang-up as the switch giving up on the
 * agent (未接来电, `missed`) rather than the caller giving up (`abandoned`). The desk sees both as a CANCEL: the
 * phone host does not pass on the switch's Reason, so the time it rang is the only evidence here. The platform's
 * 呼损 (loss rate, KPI 4) counts both the same; the split only tells a team lead which of the two it was.
 */
export const RING_NO_ANSWER_MS = 30_000

export interface HowItEnded {
  direction: CallSnapshot['direction']
  startedAt: number
  answeredAt: number | null
  endedAt: number | null
  endedBy: CallSnapshot['endedBy']
  cause: CallSnapshot['cause']
  /** The agent handed the caller to the satisfaction survey (a blind transfer that ends a handled call). */
  surveyed?: boolean
}

/**
 * The result of a call from the way it ended (the phone host's facts):
 * - answered, then hung up by either side: `answered`; handed to the satisfaction survey: still `answered`
 *   (the agent handled it; the survey is its last step); blind or attended transfer away: `transferred`;
 * - inbound, never answered: the agent rejected it (拒接) → `rejected`; answering failed (no usable media) or the
 *   phone host died while it rang → `missed`; the caller hung up within RING_NO_ANSWER_MS → `abandoned`, later, or
 *   the switch timed it out → `missed`;
 * - outbound, never answered: the agent gave up dialling → `abandoned`; no answer, busy, refused → `missed`.
 * (`blocked` is decided before ringing: the malicious-number check, see CallRecords.blocked.)
 */
export function callResult(call: HowItEnded, ringNoAnswerMs = RING_NO_ANSWER_MS): PlatformCallResult {
  if (call.answeredAt !== null || call.endedBy === 'transfer') {
    if (call.endedBy === 'transfer') return call.surveyed ? 'answered' : 'transferred'
    return 'answered'
  }
  // The agent's CANCEL comes back as the far end's 487, so 'cancelled' is the agent giving up too.
  if (call.direction === 'outbound') return call.endedBy === 'local' || call.cause?.code === 'cancelled' ? 'abandoned' : 'missed'
  if (call.endedBy === 'local') return call.cause ? 'missed' : 'rejected'
  const code = call.cause?.code
  if (code === 'timeout' || code === 'internal') return 'missed'
  const rang = (call.endedAt ?? call.startedAt) - call.startedAt
  return rang >= ringNoAnswerMs ? 'missed' : 'abandoned'
}
