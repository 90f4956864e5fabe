import { z } from 'zod'
import { method, NoArgs, type ServiceGroup } from '../method'
import type { Role } from '../../roles'
import { DialTargetSchema, PhoneFactSchema, PhoneCommandResultSchema } from '../../phone/driver'
import { PhoneErrorSchema } from '../../phone/errors'
import { NotReadyReasonSchema } from '../../phone/agent-state'

/** Who takes and places calls (trainers demonstrate in the sandbox). */
export const PHONE_ROLES: readonly Role[] = ['agent', 'team_lead', 'trainer']

const callId = z.string().min(1).max(64)
const CallArgs = z.strictObject({ callId })
const CallResult = z.object({ callId: z.string().nullable() })
/** Call control and agent moves answer with a call id or nothing: no citizen data, so they work on a locked screen (a call can still be hung up). */
const uiCall = <A extends z.ZodType>(args: A) => method({ caller: 'ui', session: true, citizenData: false, roles: PHONE_ROLES, args, result: CallResult })
const agentMove = <A extends z.ZodType>(args: A) => method({ caller: 'ui', session: true, citizenData: false, roles: PHONE_ROLES, args, result: z.null() })

/** The softphone: registration, call control, agent state, devices, recordings (issue 4). */
export const phoneServices = {
  phone: {
    /** Outbound call; `callback` presents the 12345 number (From / P-Asserted-Identity). */
    dial: uiCall(
      z.strictObject({
        number: DialTargetSchema,
        purpose: z.enum(['callback', 'other']),
        ticketId: z.string().max(64).optional()
      })
    ),
    answer: uiCall(CallArgs),
    reject: uiCall(CallArgs),
    hangup: uiCall(CallArgs),
    hold: uiCall(CallArgs),
    unhold: uiCall(CallArgs),
    mute: uiCall(CallArgs),
    unmute: uiCall(CallArgs),
    dtmf: uiCall(z.strictObject({ callId, digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/, '按键只能是 0-9 * # A-D (DTMF digits 0-9 * # A-D)') })),
    blindTransfer: uiCall(z.strictObject({ callId, target: DialTargetSchema })),
    consult: uiCall(z.strictObject({ callId, target: DialTargetSchema })),
    completeTransfer: uiCall(z.strictObject({ callId, consultCallId: callId })),
    conference: uiCall(z.strictObject({ callId, consultCallId: callId })),
    /** 满意度评价: hand the caller to the satisfaction survey at the end of the call. */
    survey: uiCall(CallArgs),
    /** 签入 / 签出 / 置闲 / 置忙. */
    signIn: agentMove(NoArgs),
    signOut: agentMove(NoArgs),
    setReady: agentMove(NoArgs),
    setNotReady: agentMove(z.strictObject({ reason: NotReadyReasonSchema })),
    /** Choose the microphone, speaker and ringer (device ids from the phone topic's devices). */
    setDevices: agentMove(z.strictObject({ mic: z.string().max(256).optional(), speaker: z.string().max(256).optional(), ringer: z.string().max(256).optional() })),
    /** 上岗自检: registration and round trip, the microphone picks up sound, an output exists. */
    selfCheck: method({
      caller: 'ui',
      session: true,
      citizenData: false,
      roles: PHONE_ROLES,
      args: NoArgs,
      result: z.object({
        ok: z.boolean(),
        registration: z.object({ ok: z.boolean(), roundTripMs: z.number().nullable() }),
        microphone: z.object({ ok: z.boolean(), level: z.number().nullable(), label: z.string().nullable() }),
        speaker: z.object({ ok: z.boolean() })
      })
    }),
    /** 自动接听 on or off. */
    setAutoAnswer: agentMove(z.strictObject({ enabled: z.boolean() })),
    /** Register again now (the indicator's retry button). */
    reRegister: agentMove(NoArgs),

    // ── from the phone host ──
    /** A fact from the driver (registration, incoming call, call state, DTMF, errors). */
    fact: method({ caller: 'phone', session: false, citizenData: false, args: PhoneFactSchema, result: z.null() }),
    /** The answer to a command main sent as a `driver` phone-command event. */
    commandResult: method({
      caller: 'phone',
      session: false,
      citizenData: false,
      args: z.strictObject({
        id: z.number().int(),
        result: z.union([z.object({ ok: z.literal(true), value: PhoneCommandResultSchema }), z.object({ ok: z.literal(false), error: PhoneErrorSchema })])
      }),
      result: z.null()
    })
  }
} as const satisfies ServiceGroup
