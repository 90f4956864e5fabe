import { Invitation, Inviter, SessionState, type Core, type Info, type SessionDescriptionHandler } from 'sip.js'
import { callFailure, phoneError, type DtmfMode, type PhoneError, type PhoneResult } from '../shared/phone'
import { callConstraints, type CallContext, type CallRec } from './call-legs'

/**
 * The moves on one call: answer, reject, hang up, hold, mute, DTMF; and what the far end does on the call's
 * dialog (its DTMF, its hold). The driver has already checked the move against the call state table.
 */
export const ok = (callId: string | null = null): PhoneResult => ({ ok: true, value: { callId } })
export const fail = (error: PhoneError): PhoneResult => ({ ok: false, error })

export async function answer(ctx: CallContext, rec: CallRec): Promise<PhoneResult> {
  const inv = rec.session
  if (!(inv instanceof Invitation)) return fail(phoneError('illegal-state'))
  ctx.media?.ringStop(rec.snap.callId)
  ctx.legs.set(rec, 'answering')
  try {
    await inv.accept({ sessionDescriptionHandlerOptions: { constraints: callConstraints(ctx) } })
    return ok(rec.snap.callId)
  } catch (err) {
    // An offer we cannot use (bad SDP) or no microphone: sip.js has answered 488/500; tell the agent.
    const error = phoneError('media', { detail: (err as Error).message })
    rec.cause = error
    rec.endedBy = 'local'
    ctx.emit({ type: 'error', error, callId: rec.snap.callId, command: 'answer' })
    if (inv.state === SessionState.Initial || inv.state === SessionState.Establishing) await inv.reject({ statusCode: 488 }).catch(() => undefined)
    // Whatever sip.js managed to send, the agent must not be left with a call that cannot go anywhere.
    if (ctx.legs.has(rec.snap.callId)) {
      ctx.log?.('warn', 'answer failed; dropping the call', { state: inv.state })
      ctx.legs.ended(rec, 'inbound')
    }
    return fail(error)
  }
}

export async function reject(ctx: CallContext, rec: CallRec, status: number | undefined): Promise<PhoneResult> {
  if (!(rec.session instanceof Invitation) || rec.snap.state !== 'ringing') return fail(phoneError('illegal-state', { detail: `reject in ${rec.snap.state}` }))
  rec.endedBy = 'local'
  ctx.media?.ringStop(rec.snap.callId)
  await rec.session.reject({ statusCode: status ?? ctx.options().rejectStatus })
  return ok(rec.snap.callId)
}

export async function hangup(ctx: CallContext, rec: CallRec): Promise<PhoneResult> {
  const s = rec.session
  rec.endedBy = 'local'
  if (s.state === SessionState.Terminated || s.state === SessionState.Terminating) return ok(rec.snap.callId)
  if (s instanceof Invitation && s.state !== SessionState.Established) await s.reject({ statusCode: ctx.options().rejectStatus })
  else if (s instanceof Inviter && s.state !== SessionState.Established) await s.cancel()
  else await s.bye()
  return ok(rec.snap.callId)
}

/** re-INVITE with the new direction; retried on glare (491, and sip.js's 500 while it finishes an ACK). */
async function reinvite(ctx: CallContext, rec: CallRec, hold: boolean): Promise<PhoneError | null> {
  const s = rec.session
  await Promise.race([rec.acked, new Promise((r) => setTimeout(r, 2000))])
  s.sessionDescriptionHandlerOptionsReInvite = { ...s.sessionDescriptionHandlerOptionsReInvite, hold } as typeof s.sessionDescriptionHandlerOptionsReInvite
  for (let attempt = 0; attempt < 4; attempt++) {
    const status = await new Promise<number>((resolve) => {
      s.invite({
        requestDelegate: {
          onAccept: () => resolve(200),
          onReject: (res) => resolve((res.message.statusCode ?? 0))
        }
      }).catch(() => resolve(-1))
    })
    if (status === 200) return null
    if (status !== 491 && status !== 500 && status !== -1) return callFailure(status)
    await new Promise((r) => setTimeout(r, 100 + Math.round(ctx.random() * 200) * (attempt + 1)))
  }
  return phoneError('request-pending')
}

export async function hold(ctx: CallContext, rec: CallRec, hold: boolean): Promise<PhoneResult> {
  if (rec.snap.state !== 'established') return fail(phoneError('illegal-state', { detail: `hold in ${rec.snap.state}` }))
  if (rec.holdBusy) return fail(phoneError('request-pending'))
  if (rec.snap.flags.held === hold) return ok(rec.snap.callId)
  rec.holdBusy = true
  try {
    const error = await reinvite(ctx, rec, hold)
    if (error) {
      ctx.emit({ type: 'error', error, callId: rec.snap.callId, command: hold ? 'hold' : 'unhold' })
      return fail(error)
    }
    if (rec.snap.state !== 'established') return fail(phoneError('no-such-call', { detail: rec.snap.callId }))
    // A held caller must not hear the agent (sendonly still lets our microphone through).
    senderTracks(rec, !hold && (!rec.snap.flags.muted || !!ctx.media?.mixed?.(rec.session)))
    ctx.legs.setFlags(rec, { held: hold })
    return ok(rec.snap.callId)
  } finally {
    rec.holdBusy = false
  }
}

export function mute(ctx: CallContext, rec: CallRec, mute: boolean): PhoneResult {
  if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
  // In a three-way call the agent is muted for both far ends, who keep hearing each other: muting the
  // leg's whole track would cut one far end off from the other and leave the agent audible to it.
  const partner = rec.snap.conferenceWith ? ctx.legs.get(rec.snap.conferenceWith) : undefined
  for (const leg of partner ? [rec, partner] : [rec]) {
    const media = ctx.media
    if (media?.mixed?.(leg.session)) media.muteMix?.(leg.session, mute)
    else senderTracks(leg, !mute && !leg.snap.flags.held)
    if (leg.snap.flags.muted !== mute) ctx.legs.setFlags(leg, { muted: mute })
  }
  return ok(rec.snap.callId)
}

function senderTracks(rec: CallRec, on: boolean): void {
  const sdh = rec.session.sessionDescriptionHandler as (SessionDescriptionHandler & { enableSenderTracks?(on: boolean): void }) | undefined
  sdh?.enableSenderTracks?.(on)
}

export async function dtmf(rec: CallRec, digits: string, mode: DtmfMode): Promise<PhoneResult> {
  if (rec.snap.state !== 'established') return fail(phoneError('illegal-state'))
  if (mode === 'rfc4733') {
    const sent = rec.session.sessionDescriptionHandler?.sendDtmf(digits, { duration: 100, interToneGap: 70 })
    return sent ? ok(rec.snap.callId) : fail(phoneError('media', { detail: 'RFC 4733 DTMF not possible on this call' }))
  }
  for (const d of digits) {
    const status = await new Promise<number>((resolve) => {
      rec.session
        .info({
          requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${d}\r\nDuration=100\r\n` } },
          requestDelegate: { onAccept: () => resolve(200), onReject: (r) => resolve((r.message.statusCode ?? 0)) }
        })
        .catch(() => resolve(-1))
    })
    if (status !== 200) return fail(status > 0 ? callFailure(status) : phoneError('call-failed', { detail: 'INFO not sent' }))
  }
  return ok(rec.snap.callId)
}

/** A digit the far end sent by SIP INFO. */
export function onInfo(ctx: CallContext, rec: CallRec, info: Info): void {
  const body = info.request.body ?? ''
  const type = info.request.getHeader('Content-Type') ?? ''
  const m = /Signal\s*=\s*([0-9*#A-Da-d])/.exec(body) ?? (/dtmf$/i.test(type.trim()) ? /^\s*([0-9*#A-Da-d])/.exec(body) : null)
  void info.accept().catch(() => undefined)
  if (m) ctx.emit({ type: 'dtmf', callId: rec.snap.callId, digit: m[1]!.toUpperCase(), via: 'info' })
}

/** A re-INVITE from the far end: sendonly/inactive means it put us on hold. */
export function onReInvite(ctx: CallContext, rec: CallRec, request: Core.IncomingRequestMessage): void {
  const body = request.body ?? ''
  if (!body) return
  const remoteHeld = /a=(sendonly|inactive)/.test(body)
  if (remoteHeld !== rec.snap.flags.remoteHeld) ctx.legs.setFlags(rec, { remoteHeld })
}
