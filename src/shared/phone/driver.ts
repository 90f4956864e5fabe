import { z } from 'zod'
import { CallFlagsSchema, CallStateSchema } from './call-state'
import { NormalisedNumberSchema } from './caller-number'
import { PhoneErrorSchema, type PhoneError } from './errors'
import { QualitySampleSchema } from './quality'

/**
 * The `PhoneDriver` port: commands in, facts out. Main owns the phone; the phone
 * host (sip.js + WebRTC, src/phone) is one implementation, a CTI-controlled desk
 * phone could be another. Both directions are zod schemas so they cross IPC as
 * validated plain data. Facts carry a sequence number; `snapshot()` lets main
 * resync after the phone host (or main) restarts.
 */

// ───────────── configuration ─────────────

const wsUrl = z
  .string()
  .max(512)
  .regex(/^wss?:\/\/[^\s]+$/, 'SIP 服务器地址须为 ws:// 或 wss:// (server must be a ws:// or wss:// URL)')
const sipUri = z
  .string()
  .max(256)
  .regex(/^sips?:[^\s@]+@[^\s]+$/, 'SIP 地址格式应为 sip:分机@域 (AOR must look like sip:user@domain)')
/** A dial target: digits (with * # +), an extension/skill-group name, or a full SIP URI. */
export const DialTargetSchema = z
  .string()
  .trim()
  .min(1, '请输入号码 (number required)')
  .max(256)
  .refine((s) => /^[0-9*#+]{1,40}$/.test(s) || /^[A-Za-z0-9._-]{1,64}$/.test(s) || /^sips?:[^\s<>"]+$/.test(s), '号码格式不正确 (bad number)')

/** Caller ID presented on outbound calls (the 12345 number for callbacks). */
export const CallerIdSchema = z.object({
  fromDisplay: z.string().max(64).optional(),
  fromUser: z
    .string()
    .regex(/^[A-Za-z0-9+*#._-]{1,40}$/)
    .optional(),
  /** Full value of P-Asserted-Identity, e.g. `<sip:12345@gw>` or `<tel:+867752812345>`. */
  pAssertedIdentity: z
    .string()
    .max(256)
    .regex(/^[^\r\n]+$/)
    .optional()
})
export type CallerId = z.infer<typeof CallerIdSchema>

export const SipAccountSchema = z.object({
  server: wsUrl,
  aor: sipUri,
  authorizationUsername: z.string().max(64).optional(),
  password: z.string().max(256).optional(),
  displayName: z.string().max(64).optional(),
  /** REGISTER expiry asked of the registrar. */
  expiresSec: z.number().int().min(10).max(3600).default(300)
})
export type SipAccount = z.input<typeof SipAccountSchema>

export const DTMF_MODES = ['info', 'rfc4733'] as const
export type DtmfMode = (typeof DTMF_MODES)[number]

export const PhoneOptionsSchema = z.object({
  autoAnswer: z.boolean(),
  autoAnswerDelayMs: z.number().int().min(0).max(10_000),
  dtmfMode: z.enum(DTMF_MODES),
  /** Normalised numbers rejected before ringing (malicious-number blocking); 603 + a fact. */
  blockedNumbers: z.array(z.string().max(40)).max(10_000),
  /** Defaults for outbound caller ID; a dial command may override them. */
  callerId: CallerIdSchema,
  /** Centre's area code for normalising local numbers (Yulin 0775). */
  homeAreaCode: z.string().regex(/^0\d{2,3}$/),
  /** SIP status for "reject" when the command gives none. */
  rejectStatus: z.union([z.literal(486), z.literal(603), z.literal(480)])
})
export type PhoneOptions = z.infer<typeof PhoneOptionsSchema>
export const DEFAULT_PHONE_OPTIONS: PhoneOptions = {
  autoAnswer: false,
  autoAnswerDelayMs: 0,
  dtmfMode: 'info',
  blockedNumbers: [],
  callerId: {},
  homeAreaCode: '0775',
  rejectStatus: 486
}

export const DEVICE_KINDS = ['mic', 'speaker', 'ringer'] as const
export type DeviceKind = (typeof DEVICE_KINDS)[number]
const deviceId = z.string().max(256)

// ───────────── commands ─────────────

const callId = z.string().min(1).max(64)
const cmd = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.strictObject({ type: z.literal(type), ...shape })

export const PhoneCommandSchema = z.discriminatedUnion('type', [
  cmd('register', { account: SipAccountSchema }),
  cmd('unregister', {}),
  cmd('answer', { callId }),
  cmd('reject', { callId, status: z.union([z.literal(486), z.literal(603), z.literal(480), z.literal(403)]).optional() }),
  cmd('hangup', { callId }),
  cmd('hold', { callId }),
  cmd('unhold', { callId }),
  cmd('mute', { callId }),
  cmd('unmute', { callId }),
  cmd('dtmf', {
    callId,
    digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/, '按键只能是 0-9 * # A-D (DTMF digits 0-9 * # A-D)'),
    mode: z.enum(DTMF_MODES).optional()
  }),
  /** REFER to a target; the call ends for the agent once the transfer is accepted. */
  cmd('blindTransfer', { callId, target: DialTargetSchema }),
  /** Attended transfer, step 1: hold `callId` and dial `target` as a second call linked to it. */
  cmd('consult', { callId, target: DialTargetSchema, consultCallId: callId.optional() }),
  /** Attended transfer, step 2: REFER with Replaces joins the original party to the consulted one. */
  cmd('completeTransfer', { callId, consultCallId: callId }),
  /** Three-way call: both legs off hold, mixed locally (each hears the other two). */
  cmd('conference', { callId, consultCallId: callId }),
  cmd('dial', { target: DialTargetSchema, callId: callId.optional(), callerId: CallerIdSchema.optional() }),
  cmd('setDevices', { mic: deviceId.optional(), speaker: deviceId.optional(), ringer: deviceId.optional() }),
  cmd('setOptions', { options: PhoneOptionsSchema.partial() }),
  /** Pre-shift self-check: listen to the chosen microphone for a moment; answered by a `selfCheck` fact. */
  cmd('selfCheck', { listenMs: z.number().int().min(200).max(5000).optional() })
])
export type PhoneCommand = z.input<typeof PhoneCommandSchema>
export type PhoneCommandType = PhoneCommand['type']

export const PhoneCommandResultSchema = z.object({ callId: z.string().nullable() })
export type PhoneResult = { ok: true; value: { callId: string | null } } | { ok: false; error: PhoneError }

// ───────────── facts ─────────────

export const REGISTRATION_STATES = ['unregistered', 'registering', 'registered', 'failed'] as const
export type RegistrationState = (typeof REGISTRATION_STATES)[number]

export const RegistrationSchema = z.object({
  state: z.enum(REGISTRATION_STATES),
  aor: z.string().nullable(),
  /** Why it failed (or why it is being retried). */
  reason: PhoneErrorSchema.nullable(),
  /** Consecutive failed attempts; 0 once registered. */
  attempt: z.number().int(),
  /** When the next attempt is due (ms since epoch), while retrying. */
  retryAt: z.number().nullable(),
  /** Transport (WebSocket) state underneath. */
  transport: z.enum(['disconnected', 'connecting', 'connected']),
  /** Last REGISTER round trip (ms). */
  roundTripMs: z.number().nullable(),
  since: z.number()
})
export type Registration = z.infer<typeof RegistrationSchema>

export const CallSnapshotSchema = z.object({
  callId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  state: CallStateSchema,
  flags: CallFlagsSchema,
  /** The other party: number as given plus normalised. */
  peer: NormalisedNumberSchema,
  peerName: z.string().nullable(),
  /** For a consultation call: the call it consults about. */
  linkedTo: z.string().nullable(),
  /** In a three-way call with this other leg. */
  conferenceWith: z.string().nullable(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endedBy: z.enum(['local', 'remote', 'transfer']).nullable(),
  /** Why it ended or failed. */
  cause: PhoneErrorSchema.nullable(),
  sipCallId: z.string().nullable()
})
export type CallSnapshot = z.infer<typeof CallSnapshotSchema>

export const DeviceInfoSchema = z.object({ deviceId: z.string(), label: z.string(), kind: z.enum(['audioinput', 'audiooutput']) })
export const DevicesSchema = z.object({
  inputs: z.array(DeviceInfoSchema),
  outputs: z.array(DeviceInfoSchema),
  selected: z.object({ mic: z.string(), speaker: z.string(), ringer: z.string() })
})
export type Devices = z.infer<typeof DevicesSchema>

const fact = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), seq: z.number().int(), at: z.number(), ...shape })

export const PhoneFactSchema = z.discriminatedUnion('type', [
  fact('registration', { registration: RegistrationSchema }),
  /**
   * Emitted the moment an INVITE is accepted by the stack, before ringing is
   * played and before any answer, so the screen pop can start at once.
   */
  fact('incoming', {
    callId: z.string(),
    sipCallId: z.string(),
    caller: NormalisedNumberSchema,
    callerName: z.string().nullable(),
    assertedIdentity: NormalisedNumberSchema.nullable(),
    /** The number or extension that was called (To user). */
    callee: z.string().nullable(),
    /** Attended transfer arriving here: the call this one replaces. */
    replacesCallId: z.string().nullable(),
    /** Malicious-number blocking rejected it before ringing. */
    blocked: z.boolean()
  }),
  fact('call', { call: CallSnapshotSchema, previous: CallStateSchema.nullable() }),
  fact('quality', { sample: QualitySampleSchema }),
  fact('devices', {
    devices: DevicesSchema,
    /** A selected device disappeared and the phone fell back to another. */
    fallback: z.object({ kind: z.enum(DEVICE_KINDS), from: z.string(), to: z.string() }).nullable(),
    /** Live calls had no microphone at all (the agent was told) and have one again. */
    micRestored: z.boolean().optional()
  }),
  fact('dtmf', { callId: z.string(), digit: z.string(), via: z.enum(DTMF_MODES) }),
  fact('transfer', {
    callId: z.string(),
    kind: z.enum(['blind', 'attended']),
    state: z.enum(['requested', 'accepted', 'completed', 'failed']),
    target: z.string(),
    error: PhoneErrorSchema.nullable()
  }),
  fact('error', { error: PhoneErrorSchema, callId: z.string().nullable(), command: z.string().nullable() }),
  fact('selfCheck', {
    /** Peak RMS (0–1) heard from the chosen microphone; null when it could not be opened. */
    micLevel: z.number().nullable(),
    micLabel: z.string().nullable(),
    /** An output device exists to play the far end on. */
    speakerOk: z.boolean(),
    error: PhoneErrorSchema.nullable()
  })
])
export type PhoneFact = z.infer<typeof PhoneFactSchema>
export type PhoneFactType = PhoneFact['type']
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
/** A fact before the driver stamps it with seq and time. */
export type PhoneFactBody = DistributiveOmit<PhoneFact, 'seq' | 'at'>

export const PhoneSnapshotSchema = z.object({
  driver: z.string(),
  registration: RegistrationSchema,
  calls: z.array(CallSnapshotSchema),
  devices: DevicesSchema.nullable(),
  options: PhoneOptionsSchema,
  /** The last fact's seq: a fact with seq ≤ this is already reflected here. */
  seq: z.number().int()
})
export type PhoneSnapshot = z.infer<typeof PhoneSnapshotSchema>

/** The port main talks to. */
export interface PhoneDriver {
  /** 'sipjs' for the phone host, e.g. 'cti' for a desk phone. */
  readonly kind: string
  /** Validates and carries out one command; never throws, failures come back as values. */
  execute(command: PhoneCommand): Promise<PhoneResult>
  onFact(listener: (fact: PhoneFact) => void): () => void
  snapshot(): PhoneSnapshot
  /** Unregisters, hangs up nothing (calls end with the page), releases devices and timers. */
  dispose(): Promise<void>
}

/**
 * Whether the agent can take calls right now: the single truthful indicator the
 * phone bar shows (host alive is main's knowledge, registration is the driver's).
 */
export function canTakeCalls(reg: Registration, hostAlive: boolean): boolean {
  return hostAlive && reg.state === 'registered' && reg.transport === 'connected'
}

/** Which call commands a call allows now: one rule for the phone bar's buttons and the driver's refusals. */
export { allowedCallCommands } from './call-commands'

export const DEFAULT_REGISTRATION = (now: number): Registration => ({
  state: 'unregistered',
  aor: null,
  reason: null,
  attempt: 0,
  retryAt: null,
  transport: 'disconnected',
  roundTripMs: null,
  since: now
})
