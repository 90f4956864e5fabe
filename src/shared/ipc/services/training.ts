import { z } from 'zod'
import { method, NoArgs, type ServiceGroup } from '../method'
import { UiMessageSchema } from '../../messages'

const ScenarioSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  titleEn: z.string(),
  level: z.enum(['basic', 'intermediate', 'advanced']),
  callerName: z.string(),
  goals: z.array(z.string()),
  lines: z.number().int()
})

export const AttemptSchema = z.object({
  id: z.string(),
  scenarioId: z.string(),
  title: z.string(),
  trainee: z.string(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endedBy: z.enum(['agent', 'citizen', 'rejected', 'failed']).nullable(),
  linesSpoken: z.number().int(),
  ticket: z.object({ id: z.string().nullable(), category: z.string().nullable(), department: z.string().nullable() }).nullable(),
  score: z
    .object({
      total: z.number(),
      items: z.array(z.object({ key: z.string(), points: z.number(), max: z.number(), note: z.string() }))
    })
    .nullable()
})
export type Attempt = z.infer<typeof AttemptSchema>

export const CitizenEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ringing'), sipCallId: z.string().max(200) }),
  z.strictObject({ type: z.literal('answered') }),
  z.strictObject({ type: z.literal('line'), index: z.number().int().min(0).max(100), text: z.string().max(2000) }),
  z.strictObject({ type: z.literal('finished-speaking') }),
  z.strictObject({ type: z.literal('ended'), by: z.enum(['agent', 'citizen', 'rejected', 'failed']), detail: UiMessageSchema.optional() })
])
export type CitizenEventMessage = z.infer<typeof CitizenEventSchema>

/** What the sandbox's callee (the citizen answering the agent's outbound call) did; see src/phone/sandbox/simulated-callee.ts. */
const calleeNumber = z.string().regex(/^\+?\d{3,20}$/)
export const CalleeEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ringing'), number: calleeNumber, presented: z.string().max(64) }),
  z.strictObject({ type: z.literal('answered'), number: calleeNumber }),
  z.strictObject({ type: z.literal('line'), number: calleeNumber, index: z.number().int().min(0).max(100), text: z.string().max(2000) }),
  z.strictObject({ type: z.literal('ended'), number: calleeNumber, by: z.enum(['agent', 'citizen']) })
])

const attemptId = z.string().uuid()

/** The training sandbox: simulated citizens call the agent (issue 4 item 8); attempts are scored for the trainer. */
export const trainingServices = {
  training: {
    scenarios: method({
      caller: 'ui',
      session: true,
      citizenData: false,
      roles: ['agent', 'trainer', 'team_lead', 'admin'],
      args: NoArgs,
      result: z.object({ available: z.boolean(), items: z.array(ScenarioSummarySchema) })
    }),
    /** Ring this desk with a simulated citizen. Sandbox profile only. */
    start: method({
      caller: 'ui',
      session: true,
      citizenData: false,
      roles: ['agent', 'trainer'],
      args: z.strictObject({ scenarioId: z.string().regex(/^[a-z0-9-]{1,64}$/, '场景编号无效 (bad scenario id)') }),
      result: z.object({ attemptId: z.string() })
    }),
    /** The trainer ends the simulated call from the citizen's side. */
    stop: method({ caller: 'ui', session: true, citizenData: false, roles: ['agent', 'trainer'], args: z.strictObject({ attemptId }), result: z.null() }),
    /** Agents see their own attempts; trainers and team leads see everyone's. */
    attempts: method({
      caller: 'ui',
      session: true,
      citizenData: false,
      roles: ['agent', 'trainer', 'team_lead', 'admin'],
      args: z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
      result: z.object({ items: z.array(AttemptSchema) })
    }),
    /** The phone host reports what the simulated citizen did. */
    citizenEvent: method({ caller: 'phone', session: false, citizenData: false, args: z.strictObject({ attemptId, event: CitizenEventSchema }), result: z.null() }),
    /** The phone host reports what the citizen answering a practice callback did. */
    calleeEvent: method({ caller: 'phone', session: false, citizenData: false, args: z.strictObject({ event: CalleeEventSchema }), result: z.null() })
  }
} as const satisfies ServiceGroup
