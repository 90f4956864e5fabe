import { z } from 'zod'
import { method, NoArgs, type ServiceGroup } from '../method'
import type { Role } from '../../roles'

/** Who may listen to a call recording: the platform's downloadRecording roles (agents may not). */
export const RECORDING_PLAY_ROLES: readonly Role[] = ['team_lead', 'qa', 'trainer', 'admin']
/** Who may delete one: the platform's deleteRecording role. */
export const RECORDING_DELETE_ROLES: readonly Role[] = ['admin']

/** A chunk from the phone host: ~1 s of Opus, base64; far below this cap. */
export const MAX_CHUNK_BASE64 = 2 * 1024 * 1024
/**
 * Playback reads a recording in ranges of at most this many bytes (≈2 min of the
 * 64 kbit/s Opus), so an hour-long call (~29 MB) never crosses IPC in one message
 * and the player starts after the first range.
 */
export const MAX_AUDIO_RANGE = 1024 * 1024

const callId = z.string().min(1).max(64)

export const RecordingStatusSchema = z.enum(['recording', 'finalised', 'uploaded', 'rejected'])
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>

export const RecordingSummarySchema = z.object({
  /** A local recording's id, or `p-<n>` for one only the platform holds (recorded on another desk). */
  id: z.string(),
  source: z.enum(['local', 'platform']),
  callId: z.string(),
  direction: z.enum(['inbound', 'outbound']).nullable(),
  /** The citizen's number, masked for roles that may not see it. */
  remoteNumber: z.string().nullable(),
  agent: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  /** Null for a platform recording (its size is not listed). */
  bytes: z.number().nullable(),
  status: RecordingStatusSchema,
  /** Why the platform refused the upload (Chinese first), when it did. */
  problem: z.string().nullable(),
  platformRecordingId: z.number().nullable(),
  /** The ticket filed for the call (platform id and 工单编号), when there is one. */
  ticketId: z.number().nullable(),
  ticketNumber: z.string().nullable(),
  /** False once retention removed the local copy (it then plays from the platform), and for platform recordings. */
  local: z.boolean(),
  /** 'consult': the agent's consultation with another seat while the citizen held (咨询), listed under the citizen's call. */
  leg: z.enum(['call', 'consult']),
  /** For a consultation leg: the citizen's call's recording (listed just before it), when there is one. */
  parentId: z.string().nullable()
})
export type RecordingSummary = z.infer<typeof RecordingSummarySchema>

/** Call recording (issue 4): the phone host records, main seals and uploads, permitted roles play and delete. */
export const recordingServices = {
  recordings: {
    // ── from the phone host ──
    /** A call was answered: should it be recorded (config switch), and open its file. A consultation names the citizen's call (linkedTo). */
    begin: method({
      caller: 'phone',
      session: false,
      citizenData: false,
      args: z.strictObject({ callId, startedAt: z.number(), mimeType: z.string().max(64), linkedTo: callId.nullable().optional() }),
      result: z.object({ record: z.boolean() })
    }),
    /** The next chunk of a call's recording, in order (seq from 0); a repeated seq is ignored. */
    chunk: method({
      caller: 'phone',
      session: false,
      citizenData: false,
      args: z.strictObject({ callId, seq: z.number().int().min(0), data: z.string().max(MAX_CHUNK_BASE64) }),
      result: z.null()
    }),
    /** The recorder stopped (hang-up): finalise and queue the upload. */
    end: method({ caller: 'phone', session: false, citizenData: false, args: z.strictObject({ callId, durationMs: z.number().min(0).nullable() }), result: z.null() }),

    // ── for the UI ──
    /** 录音 list, newest first: this desk's recordings and the platform's recent recorded calls. */
    list: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: RECORDING_PLAY_ROLES,
      args: z.strictObject({ limit: z.number().int().min(1).max(500).default(100) }),
      result: z.object({ items: z.array(RecordingSummarySchema), platformUnavailable: z.boolean() })
    }),
    /**
     * A byte range of the finished recording's audio (WebM/Opus, base64) for the player, from this desk or the
     * platform: `offset` from 0, `length` at most MAX_AUDIO_RANGE; `total` says how far to go. The role is checked
     * on every range; a playback (the range at offset 0, or the first range in a while) is audited once.
     */
    audio: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: RECORDING_PLAY_ROLES,
      args: z.strictObject({ id: z.string().min(1).max(64), offset: z.number().int().min(0).default(0), length: z.number().int().min(1).default(MAX_AUDIO_RANGE) }),
      result: z.object({ contentType: z.string(), data: z.string(), offset: z.number(), bytes: z.number(), total: z.number(), durationMs: z.number().nullable() })
    }),
    /** Delete the local copy and the platform's (admin only, audited). */
    remove: method({ caller: 'ui', session: true, citizenData: true, roles: RECORDING_DELETE_ROLES, args: z.strictObject({ id: z.string().min(1).max(64) }), result: z.null() }),
    /** Whether calls are being recorded (the config switch), for the UI's hint. */
    settings: method({ caller: 'ui', session: true, citizenData: false, args: NoArgs, result: z.object({ enabled: z.boolean(), retentionDays: z.number() }) })
  }
} as const satisfies ServiceGroup
