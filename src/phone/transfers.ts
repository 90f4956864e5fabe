import type { Notification, Referral, Session, URI } from 'sip.js'
import { normaliseCallerNumber, phoneError, type PhoneError, type PhoneResult } from '../shared/phone'
import { fail, hangup, hold, ok } from './call-control'
import { callConstraints, type CallContext, type CallRec } from './call-legs'
import { dial, targetUri } from './call-setup'

/**
 * Transfers: blind (REFER to a target), attended (consult a second call linked to the first, then REFER with
 * Replaces), and being transferred ourselves (following a REFER with a new call).
 */
type TransferState = 'requested' | 'accepted' | 'completed' | 'failed'

function transferFact(ctx: CallContext, rec: CallRec, kind: 'blind' | 'attended', state: TransferState, target: string, error: PhoneError | null = null): void {
  ctx.emit({ type: 'transfer', callId: rec.snap.callId, kind, state, target, error })
}

/** REFER, then our BYE once the far end reports the new call answered (or the REFER is accepted and nothing follows). */
function refer(ctx: CallContext, rec: CallRec, to: URI | Session, kind: 'blind' | 'attended', target: string): Promise<PhoneResult> {
  transferFact(ctx, rec, kind, 'requested', target)
  return new Promise<PhoneResult>((resolve) => {
    let settled = false
    const done = (r: PhoneResult) => {
      if (!settled) {
        settled = true
        resolve(r)
      }
    }
    const failTransfer = (status: number | null, detail: string | null) => {
      const error = phoneError('transfer-failed', { sipStatus: status, detail })
      transferFact(ctx, rec, kind, 'failed', target, error)
      ctx.emit({ type: 'error', error, callId: rec.snap.callId, command: kind === 'blind' ? 'blindTransfer' : 'completeTransfer' })
      done(fail(error))
    }
    const complete = () => {
      if (settled) return
      transferFact(ctx, rec, kind, 'completed', target)
      rec.endedBy = 'transfer'
      void rec.session.bye().catch(() => undefined)
      done(ok(rec.snap.callId))
    }
    rec.session
      .refer(to, {
        requestDelegate: {
          onAccept: () => {
            transferFact(ctx, rec, kind, 'accepted', target)
            // Some servers never NOTIFY: do not keep the agent on the line forever.
            setTimeout(complete, 4000)
          },
          onReject: (res) => failTransfer((res.message.statusCode ?? 0), res.message.reasonPhrase ?? null)
        },
        onNotify: (n: Notification) => {
          void n.accept().catch(() => undefined)
          const frag = /SIP\/2\.0\s+(\d{3})/.exec(n.request.body ?? '')
          const status = frag ? Number(frag[1]) : 0
          if (status >= 200 && status < 300) complete()
          else if (status >= 300) failTransfer(status, 'transfer target did not answer')
        }
      })
      .catch((err: Error) => failTransfer(null, err.message))
  })
}

export function blindTransfer(ctx: CallContext, rec: CallRec, target: string): Promise<PhoneResult> | PhoneResult {
  if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
  const uri = targetUri(ctx, target)
  if (!uri) return fail(phoneError('bad-command', { detail: `bad target ${target}` }))
  return refer(ctx, rec, uri, 'blind', target)
}

/** Attended transfer, step 1: the call on hold, a second call to the target linked to it. */
export async function consult(ctx: CallContext, rec: CallRec, target: string, consultCallId: string | undefined): Promise<PhoneResult> {
  if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
  if (!rec.snap.flags.held) {
    const held = await hold(ctx, rec, true)
    if (!held.ok) return held
  }
  return dial(ctx, target, { callId: consultCallId, linkedTo: rec.snap.callId })
}

/** Attended transfer, step 2: REFER with Replaces joins the original party to the consulted one. */
export async function completeTransfer(ctx: CallContext, rec: CallRec, consultCallId: string): Promise<PhoneResult> {
  const consulted = ctx.legs.get(consultCallId)
  if (!consulted) return fail(phoneError('no-such-call', { detail: consultCallId }))
  if (rec.snap.state !== 'established' || consulted.snap.state !== 'established') return fail(phoneError('illegal-state'))
  // Refer-To is the consulted party's address (not its WebSocket contact, which a proxy cannot route) with Replaces.
  const d = consulted.session.dialog
  if (!d) return fail(phoneError('illegal-state', { detail: 'consultation has no dialog' }))
  const referTo = consulted.session.remoteIdentity.uri.clone()
  const replaces = encodeURIComponent(`${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}`)
  // sip.js writes a URI target bare into Refer-To; with ?headers it must be a name-addr (<…>) or peers cannot parse it.
  const text = `<${referTo.toString()}?Replaces=${replaces}>`
  referTo.toString = () => text
  const result = await refer(ctx, rec, referTo, 'attended', consulted.snap.peer.raw)
  if (result.ok) {
    // The consulted party gets the original caller through Replaces and drops our leg; make sure it goes.
    setTimeout(() => {
      if (ctx.legs.has(consultCallId)) void hangup(ctx, consulted)
    }, 3000)
  }
  return result
}

/** We are being transferred: follow the REFER with a new call (the old one ends with the transferor's BYE). */
export function onRefer(ctx: CallContext, referral: Referral): void {
  void referral.accept().then(() => {
    const ua = ctx.userAgent()
    if (!ua) return
    const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: { constraints: callConstraints(ctx) } })
    const peer = normaliseCallerNumber(referral.referTo.uri.user, { homeAreaCode: ctx.options().homeAreaCode })
    const next = ctx.legs.track(inviter, 'outbound', ctx.legs.newCallId(), peer, null, null)
    ctx.legs.set(next, 'dialing')
    void inviter.invite().catch(() => undefined)
  })
}
