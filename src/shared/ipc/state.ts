import { z } from 'zod'
import { RoleSchema } from '../roles'
import { ProfileSchema } from '../config'
import { AgentStateSchema, initialAgentState } from '../phone/agent-state'
import { CallSnapshotSchema, DevicesSchema, RegistrationSchema } from '../phone/driver'
import { QualitySampleSchema } from '../phone/quality'
import { UiMessageSchema } from '../messages'

/**
 * Main owns the application state; windows hold mirrors. State is split into
 * topics; every change bumps one global revision and is published as
 * `{revision, topic, value}`. A window that sees a gap (it reloaded, or its
 * connection dropped) asks for a snapshot instead of guessing.
 */
export const SessionStateSchema = z.object({
  user: z
    .object({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      roles: z.array(RoleSchema),
      seatId: z.string().nullable()
    })
    .nullable(),
  since: z.number().nullable()
})

export const PhoneHostStateSchema = z.object({
  /** starting: not heard from yet; alive: heartbeats arrive; lost: heartbeats stopped (being restarted). */
  status: z.enum(['starting', 'alive', 'lost']),
  since: z.number(),
  lastHeartbeat: z.number().nullable(),
  restarts: z.number().int(),
  userAgent: z.string().nullable()
})

export const ConnectivitySchema = z.object({
  platform: z.enum(['online', 'degraded', 'offline']),
  detail: UiMessageSchema,
  since: z.number()
})

/** The outbox as the agent sees it: how much waits, and what needs the agent (refused or conflicting). */
export const SyncStateSchema = z.object({
  pending: z.number().int(),
  rejected: z.number().int(),
  conflict: z.number().int(),
  /** Changes the platform has acknowledged whose follow-ups (a receipt SMS to queue, the ticket's announcement) are still to come. */
  derived: z.number().int(),
  lastSyncedAt: z.number().nullable(),
  /** The platform's push channel: live means changes by others reach this desk as they happen. */
  push: z.enum(['off', 'connecting', 'live', 'resyncing']),
  /** The last platform event applied here. */
  pushRevision: z.number().int().nullable()
})

export const NoticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: UiMessageSchema,
  at: z.number()
})

export const AppInfoSchema = z.object({
  version: z.string(),
  profile: ProfileSchema,
  runtime: z.enum(['electron', 'browser-host', 'test']),
  dataDir: z.string(),
  startedAt: z.number()
})

/**
 * The softphone as every window sees it: registration ("can I take calls"), the
 * live calls (an incoming one appears here the moment the INVITE arrives, so the
 * screen pop starts before answer) and the agent's state.
 */
export const PhoneStateSchema = z.object({
  registration: RegistrationSchema.nullable(),
  calls: z.array(CallSnapshotSchema),
  agent: AgentStateSchema,
  /** The latest live-quality sample per established call (getStats → MOS, with the 5 s warning). */
  quality: z.array(QualitySampleSchema),
  /** Microphones and outputs the phone host sees, and the ones chosen for mic, speaker and ringer. */
  devices: DevicesSchema.nullable(),
  /** Calls are answered by themselves (headset agents on a busy shift). */
  autoAnswer: z.boolean()
})
export type PhoneState = z.infer<typeof PhoneStateSchema>
export const initialPhoneState = (now: number): PhoneState => ({ registration: null, calls: [], agent: initialAgentState(now), quality: [], devices: null, autoAnswer: false })

/** The sandbox's simulated call in progress, as the trainee and trainer see it live. */
export const TrainingStateSchema = z.object({
  active: z
    .object({
      attemptId: z.string(),
      scenarioId: z.string(),
      title: z.string(),
      status: z.enum(['preparing', 'ringing', 'talking', 'ended']),
      /** What the simulated citizen has said so far (the scenario's transcript). */
      lines: z.array(z.object({ index: z.number().int(), text: z.string(), at: z.number() })),
      endedBy: z.enum(['agent', 'citizen', 'rejected', 'failed']).nullable(),
      detail: UiMessageSchema.nullable()
    })
    .nullable(),
  /** The latest practice callback: the agent dialled out and the sandbox's simulated citizen answered. */
  callee: z
    .object({
      /** The dialled number, masked: practice needs no full number on screen. */
      number: z.string(),
      /** What the citizen's phone showed as the caller (the 12345 number for a callback). */
      presented: z.string(),
      status: z.enum(['ringing', 'talking', 'ended']),
      lines: z.array(z.object({ index: z.number().int(), text: z.string(), at: z.number() })),
      endedBy: z.enum(['agent', 'citizen']).nullable()
    })
    .nullable()
    .default(null),
  /** Bumped whenever an attempt is (re)scored, so an open attempts list refreshes itself. */
  scored: z.number().int().default(0)
})
export type TrainingState = z.infer<typeof TrainingStateSchema>

/** Call recording (issue 4): which calls are being recorded now, so the agent sees 录音中. */
export const RecordingStateSchema = z.object({
  enabled: z.boolean(),
  active: z.array(z.object({ callId: z.string(), since: z.number() }))
})
export type RecordingState = z.infer<typeof RecordingStateSchema>

export const AppStateSchema = z.object({
  app: AppInfoSchema,
  session: SessionStateSchema,
  phoneHost: PhoneHostStateSchema,
  connectivity: ConnectivitySchema,
  sync: SyncStateSchema,
  phone: PhoneStateSchema,
  training: TrainingStateSchema,
  recording: RecordingStateSchema,
  notices: z.array(NoticeSchema)
})

export type AppState = z.infer<typeof AppStateSchema>
export type Topic = keyof AppState
export const TOPICS = Object.keys(AppStateSchema.shape) as Topic[]

export const SnapshotSchema = z.object({ revision: z.number().int(), state: AppStateSchema })
export type Snapshot = z.infer<typeof SnapshotSchema>

export interface StateChange<T extends Topic = Topic> {
  revision: number
  topic: T
  value: AppState[T]
}

/**
 * The mirror's one rule: apply a change only if it is the next revision;
 * anything else (a gap, a replay) means the mirror must resync from a snapshot.
 */
export function applyChange(mirror: { revision: number; state: AppState }, change: StateChange): 'applied' | 'stale' | 'resync' {
  if (change.revision <= mirror.revision) return 'stale'
  if (change.revision !== mirror.revision + 1) return 'resync'
  ;(mirror.state as Record<Topic, unknown>)[change.topic] = change.value
  mirror.revision = change.revision
  return 'applied'
}
