import type { Feature, FeatureContext } from '../features/feature'
import type { phoneServices } from '../../shared/ipc/services/phone'
import { DomainError } from '../ipc/dispatcher'
import type { ErrorCode } from '../../shared/result'
import type { PhoneCommand, PhoneErrorCode } from '../../shared/phone'
import { PhoneCommandError, PhoneService, type CallPurpose } from './phone-service'
import { CallRecords } from './call-records'

const ERROR_CODES: Partial<Record<PhoneErrorCode, ErrorCode>> = {
  'bad-command': 'bad_request',
  'no-such-call': 'conflict',
  'illegal-state': 'conflict',
  'request-pending': 'conflict',
  'not-registered': 'unavailable',
  'transport-failed': 'unavailable',
  'service-unavailable': 'unavailable',
  timeout: 'unavailable',
  forbidden: 'forbidden'
}

/** A phone failure as the window sees it: the phone's own bilingual message. */
async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof PhoneCommandError) throw new DomainError(ERROR_CODES[err.error.code] ?? 'internal', err.error.message, err.error.messageEn, undefined, err.error.illegalMove)
    throw err
  }
}

/** Builds the phone feature's services (see shared/ipc/services/phone.ts). */
export async function createPhoneFeature(ctx: FeatureContext): Promise<Feature<keyof typeof phoneServices>> {
  // Every call is registered on the platform (the call detail record) through the outbox, never in the phone's way.
  const records = new CallRecords(ctx)
  // Calls cut off when main last stopped get their records closed (before any new call can ring).
  await records.recover().catch((err: Error) => ctx.log.warn('phone: open call records not recovered', { error: err.message }))
  const svc = new PhoneService(ctx, { records })
  // Delivered: the workbench waits until the link is queued (its failures are logged where it is queued).
  const offTicket = ctx.bus.on('ticket.submitted', async (t) => {
    if (t.callId) await records.linkTicket(t.callId, t.ticketId)
  })
  const run = (command: PhoneCommand, meta?: { purpose: CallPurpose; ticketId: string | null }) => guard(() => svc.run(command, meta))
  const sip = ctx.config.sip
  // Malicious numbers change on the platform: follow them.
  const offEvents = ctx.onPlatformEvent((event) => {
    if (/malicious/i.test(JSON.stringify(event).slice(0, 200))) void svc.refreshBlocked()
  })
  return {
    handlers: {
      phone: {
        dial: (args) => run({ type: 'dial', target: args.number, callerId: args.purpose === 'callback' ? svc.callbackCallerId() : undefined }, { purpose: args.purpose, ticketId: args.ticketId ?? null }),
        answer: (args) => run({ type: 'answer', callId: args.callId }),
        reject: (args) => run({ type: 'reject', callId: args.callId }),
        hangup: (args) => run({ type: 'hangup', callId: args.callId }),
        hold: (args) => run({ type: 'hold', callId: args.callId }),
        unhold: (args) => run({ type: 'unhold', callId: args.callId }),
        mute: (args) => run({ type: 'mute', callId: args.callId }),
        unmute: (args) => run({ type: 'unmute', callId: args.callId }),
        dtmf: (args) => run({ type: 'dtmf', callId: args.callId, digits: args.digits }),
        blindTransfer: (args) => run({ type: 'blindTransfer', callId: args.callId, target: args.target }),
        consult: (args) => run({ type: 'consult', callId: args.callId, target: args.target }),
        completeTransfer: (args) => run({ type: 'completeTransfer', callId: args.callId, consultCallId: args.consultCallId }),
        conference: (args) => run({ type: 'conference', callId: args.callId, consultCallId: args.consultCallId }),
        survey: async (args) => {
          svc.noteSurvey(args.callId, true)
          try {
            return await run({ type: 'blindTransfer', callId: args.callId, target: sip?.surveyTarget ?? 'survey' })
          } catch (err) {
            svc.noteSurvey(args.callId, false)
            throw err
          }
        },
        signIn: () => guard(() => (svc.signIn(), null)),
        signOut: () => guard(() => (svc.agentMove('signed-out'), null)),
        setReady: () => guard(() => (svc.agentMove('ready'), null)),
        setNotReady: (args) => guard(() => (svc.agentMove('not-ready', args.reason), null)),
        setDevices: (args) => guard(async () => (await svc.run({ type: 'setDevices', mic: args.mic, speaker: args.speaker, ringer: args.ringer }), null)),
        selfCheck: () => svc.selfCheck(),
        setAutoAnswer: (args) => guard(async () => (await svc.setAutoAnswer(args.enabled), null)),
        reRegister: async () => {
          await svc.refreshBlocked()
          const res = sip ? await svc.command({ type: 'register', account: { server: sip.wsUrl, aor: `sip:${sip.user}@${sip.domain}`, authorizationUsername: sip.user, password: sip.password } }) : null
          if (res && !res.ok) throw new DomainError('unavailable', res.error.message, res.error.messageEn)
          return null
        },
        fact: (fact) => {
          svc.fact(fact)
          return null
        },
        commandResult: (args) => {
          svc.commandResult(args.id, args.result)
          return null
        }
      }
    },
    stop() {
      offEvents()
      offTicket()
      svc.stop()
      records.stop()
    }
  }
}
