import { Inviter, UserAgent, type Invitation, type URI } from 'sip.js'
import { callFailure, normaliseCallerNumber, phoneError, type CallerId, type PhoneResult } from '../shared/phone'
import { answer, fail, hangup, ok } from './call-control'
import { callConstraints, type CallContext } from './call-legs'

/**
 * Calls coming in (the screen-pop fact first, blocking, ringing, preparing the answer) and going out (caller
 * ID, the target's SIP URI).
 */

/** How long after the ring starts the answer is prepared (see answerPrep). */
const PREPARE_AFTER_MS = 150

/** The user part of a SIP URI inside a header value (`"x" <sip:123@host>;tag=…`). */
function userOf(header: string | undefined): string | null {
  if (!header) return null
  const m = /<?(?:sips?|tel):([^@;>]*)/i.exec(header)
  return m ? m[1]! : null
}

function isBlocked(ctx: CallContext, n: string | null): boolean {
  return n !== null && ctx.options().blockedNumbers.includes(n)
}

export function onInvite(ctx: CallContext, ua: UserAgent, invitation: Invitation): void {
  const options = ctx.options()
  const req = invitation.request
  const fromUser = invitation.remoteIdentity.uri.user ?? userOf(req.getHeader('From'))
  const caller = normaliseCallerNumber(fromUser, { homeAreaCode: options.homeAreaCode })
  const pai = req.getHeader('P-Asserted-Identity')
  const asserted = pai ? normaliseCallerNumber(userOf(pai), { homeAreaCode: options.homeAreaCode }) : null
  const effective = asserted && asserted.kind !== 'invalid' && asserted.kind !== 'anonymous' ? asserted : caller
  const blocked = isBlocked(ctx, caller.normalised) || isBlocked(ctx, asserted?.normalised ?? null)
  const callId = ctx.legs.newCallId()
  const replaces = req.getHeader('Replaces')
  const replaced = replaces ? ctx.legs.findByDialog(replaces) : null
  // The screen pop starts from this fact: before ringing, before anything else.
  ctx.emit({
    type: 'incoming',
    callId,
    sipCallId: req.callId,
    caller,
    callerName: invitation.remoteIdentity.displayName || null,
    assertedIdentity: asserted,
    callee: invitation.localIdentity.uri.user ?? null,
    replacesCallId: replaced?.snap.callId ?? null,
    blocked
  })
  if (caller.problem && caller.kind === 'invalid') ctx.log?.('warn', 'incoming call with a bad caller number', { raw: caller.raw, problem: caller.problem.en })
  if (blocked) {
    ctx.log?.('info', 'blocked caller rejected before ringing', { number: caller.normalised })
    void invitation.reject({ statusCode: 603 }).catch(() => undefined)
    return
  }
  if (ua !== ctx.userAgent()) {
    void invitation.reject({ statusCode: 480 }).catch(() => undefined)
    return
  }
  const rec = ctx.legs.track(invitation, 'inbound', callId, effective, invitation.remoteIdentity.displayName || null, null)
  ctx.legs.set(rec, 'ringing')
  if (replaced) {
    // Attended transfer arriving here: take the new leg at once and drop the one it replaces.
    void answer(ctx, rec)
    void hangup(ctx, replaced)
    return
  }
  ctx.media?.ringStart(callId)
  // The screen pop first: the caller card is being painted in these first ~100 ms, and on a two-core desk the
  // preparation (≈25 ms of CPU) would slow it; nobody answers that fast (an earlier answer just does it all).
  const prep = ctx.answerPrep
  if (prep) setTimeout(() => rec.snap.state === 'ringing' && prep.prepare(invitation, callConstraints(ctx)), PREPARE_AFTER_MS)
  if (options.autoAnswer) setTimeout(() => void answer(ctx, rec), options.autoAnswerDelayMs)
}

export function dial(ctx: CallContext, target: string, o: { callId?: string; callerId?: CallerId; linkedTo?: string }): PhoneResult {
  const ua = ctx.userAgent()
  if (!ua || !ctx.registered()) return fail(phoneError('not-registered'))
  const uri = targetUri(ctx, target)
  if (!uri) return fail(phoneError('bad-command', { detail: `bad target ${target}` }))
  const callerId = { ...ctx.options().callerId, ...o.callerId }
  const extraHeaders: string[] = []
  if (callerId.pAssertedIdentity) extraHeaders.push(`P-Asserted-Identity: ${callerId.pAssertedIdentity}`)
  const params: { fromDisplayName?: string; fromUri?: URI } = {}
  if (callerId.fromDisplay) params.fromDisplayName = callerId.fromDisplay
  if (callerId.fromUser) params.fromUri = UserAgent.makeURI(`sip:${callerId.fromUser}@${ua.configuration.uri.host}`)
  const inviter = new Inviter(ua, uri, {
    extraHeaders,
    params,
    sessionDescriptionHandlerOptions: { constraints: callConstraints(ctx) }
  })
  const callId = o.callId ?? ctx.legs.newCallId()
  if (ctx.legs.has(callId)) return fail(phoneError('bad-command', { detail: `call id ${callId} in use` }))
  const peer = normaliseCallerNumber(uri.user ?? target, { homeAreaCode: ctx.options().homeAreaCode })
  const rec = ctx.legs.track(inviter, 'outbound', callId, peer, null, o.linkedTo ?? null)
  ctx.legs.set(rec, 'dialing')
  inviter
    .invite({
      requestDelegate: {
        onProgress: (res) => {
          if ((res.message.statusCode ?? 0) > 100 && rec.snap.state === 'dialing') ctx.legs.set(rec, 'early')
        },
        onReject: (res) => {
          rec.cause = callFailure((res.message.statusCode ?? 0), res.message.reasonPhrase)
          rec.endedBy = 'remote'
        }
      }
    })
    .catch((err: Error) => {
      rec.cause = phoneError('call-failed', { detail: err.message })
      ctx.emit({ type: 'error', error: rec.cause, callId, command: 'dial' })
    })
  return ok(callId)
}

/** The SIP URI of a dial target: a full URI as given, else a number or extension at the registrar's domain. */
export function targetUri(ctx: CallContext, target: string): URI | undefined {
  if (/^sips?:/i.test(target)) return UserAgent.makeURI(target)
  const host = ctx.userAgent()!.configuration.uri.host
  return UserAgent.makeURI(`sip:${encodeURIComponent(target).replace(/%2B/g, '+').replace(/%23/g, '%23')}@${host}`)
}
