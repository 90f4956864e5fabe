import { phoneError, type PhoneResult } from '../shared/phone'
import { fail, hold, mute, ok } from './call-control'
import type { CallContext, CallRec } from './call-legs'

/**
 * The three-way call: both legs off hold and mixed locally by the phone host (each far end hears the other and
 * the agent); from then on one mute for both.
 */
export async function conference(ctx: CallContext, rec: CallRec, consultCallId: string): Promise<PhoneResult> {
  const other = ctx.legs.get(consultCallId)
  if (!other) return fail(phoneError('no-such-call', { detail: consultCallId }))
  if (rec.snap.state !== 'established' || other.snap.state !== 'established') return fail(phoneError('illegal-state'))
  for (const leg of [rec, other]) {
    if (leg.snap.flags.held) {
      const r = await hold(ctx, leg, false)
      if (!r.ok) return r
    }
  }
  ctx.media?.conference?.(rec.session, other.session)
  // Mute was per leg until now: the three-way call has one, on when either leg had it.
  const muted = rec.snap.flags.muted || other.snap.flags.muted
  ctx.legs.set(rec, 'established', { conferenceWith: other.snap.callId })
  ctx.legs.set(other, 'established', { conferenceWith: rec.snap.callId })
  mute(ctx, rec, muted)
  return ok(rec.snap.callId)
}
