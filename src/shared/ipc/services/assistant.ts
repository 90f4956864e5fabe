import { z } from 'zod'
import { method, NoArgs, type ServiceGroup } from '../method'
import { UiMessageSchema } from '../../messages'

/** The seat assistant: dispatch suggestions, alerts, checks, quality inspection (issue 6). */

/** Who files tickets (and so gets suggestions while typing). */
const DESK = ['agent', 'team_lead', 'trainer'] as const
const EVERYONE = ['agent', 'team_lead', 'qa', 'trainer', 'admin'] as const
const RETRAINERS = ['team_lead', 'admin'] as const

const Text = z.string().max(4000)

export const RankedSchema = z.object({
  /** Category: level-3 id; department: department id. */
  id: z.string(),
  name: z.string(),
  /** Category only: the ids and names of the three levels, for the intake form's cascader. */
  path: z.array(z.string()).optional(),
  pathNames: z.array(z.string()).optional(),
  /** Calibrated probability. */
  confidence: z.number()
})
export type RankedSuggestion = z.infer<typeof RankedSchema>

export const HeadSuggestionSchema = z.object({
  top3: z.array(RankedSchema),
  confidence: z.number(),
  /** Below the model's threshold: show the options, preselect nothing, the agent decides. */
  abstain: z.boolean()
})

export const ModelStatusSchema = z.object({
  state: z.enum(['none', 'training', 'ready', 'failed']),
  createdAt: z.string().nullable(),
  trainingSize: z.number().int(),
  categories: z.number().int(),
  departments: z.number().int(),
  /** Where the last model came from. */
  source: z.enum(['sealed-file', 'trained', 'none']),
  message: UiMessageSchema.nullable()
})
export type ModelStatus = z.infer<typeof ModelStatusSchema>

export const SuggestionSchema = z.object({
  ready: z.boolean(),
  category: HeadSuggestionSchema.nullable(),
  department: HeadSuggestionSchema.nullable(),
  explanation: z.object({
    words: z.array(z.object({ text: z.string(), weight: z.number() })),
    similarTickets: z.array(z.object({ id: z.string(), categoryName: z.string(), similarity: z.number(), snippet: z.string() })),
    dutyClauses: z.array(z.object({ departmentId: z.string(), departmentName: z.string(), text: z.string(), similarity: z.number() }))
  }),
  /** Time spent in the model (worker), ms. */
  modelMs: z.number()
})
export type Suggestion = z.infer<typeof SuggestionSchema>

export const AlertSchema = z.object({
  kind: z.enum(['self-harm', 'threat', 'abuse', 'anger', 'group-incident']),
  severity: z.enum(['medium', 'high', 'critical']),
  cues: z.array(z.string()),
  suggestion: z.string(),
  escalate: z.boolean()
})
export type AssistantAlert = z.infer<typeof AlertSchema>

export const DraftSchema = z.strictObject({
  content: Text,
  /** Category path (level-1..3 ids) as the intake form holds it; the last is the level-3 id. */
  category: z.array(z.string().max(40)).max(3).default([]),
  department: z.string().max(64).nullable().default(null),
  /** [district, town] names. */
  area: z.array(z.string().max(40)).max(2).default([]),
  address: z.string().max(200).default(''),
  callerPhone: z.string().max(32).default(''),
  anonymous: z.boolean().default(false)
})
export type DraftForCheck = z.infer<typeof DraftSchema>

export const CheckIssueSchema = z.object({
  field: z.enum(['content', 'category', 'department', 'area', 'address', 'callerPhone']),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  zh: z.string(),
  en: z.string()
})
export type CheckIssue = z.infer<typeof CheckIssueSchema>

export const DuplicateSchema = z.object({
  ticketId: z.string(),
  number: z.string().nullable(),
  title: z.string().nullable(),
  reason: z.enum(['same-caller', 'similar-content', 'same-caller-similar-content']),
  similarity: z.number(),
  daysAgo: z.number()
})

export const AccuracySchema = z.object({
  days: z.number().int(),
  n: z.number().int(),
  top1: z.number(),
  top1WhenConfident: z.number(),
  abstainRate: z.number(),
  overrides: z.number().int(),
  overridesTotal: z.number().int(),
  byCategory: z.array(z.object({ id: z.string(), name: z.string(), n: z.number().int(), top1: z.number() })),
  model: ModelStatusSchema,
  mayRetrain: z.boolean()
})

export const FindingSchema = z.object({ rule: z.string(), measure: z.enum(['service', 'accuracy']), passed: z.boolean(), weight: z.number(), detail: z.string() })
export const InspectionSchema = z.object({
  id: z.number().int(),
  ticketId: z.string().nullable(),
  callId: z.string().nullable(),
  agentId: z.string(),
  at: z.number(),
  service: z.number(),
  accuracy: z.number(),
  servicePassed: z.boolean(),
  accuracyPassed: z.boolean(),
  findings: z.array(FindingSchema)
})
export type Inspection = z.infer<typeof InspectionSchema>

export const assistantServices = {
  assistant: {
    status: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: NoArgs, result: ModelStatusSchema }),
    /** Top 3 categories and departments with calibrated confidence and why; abstains below the threshold. */
    suggest: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: z.strictObject({ text: Text }), result: SuggestionSchema }),
    /** Sensitive words and emotion: threats, self-harm, abuse of the agent → escalate to the team lead. */
    alerts: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: z.strictObject({ text: Text }), result: z.object({ items: z.array(AlertSchema) }) }),
    /** Before submit: required fields, area against address, category against department, the model's opinion. */
    check: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: DraftSchema, result: z.object({ issues: z.array(CheckIssueSchema) }) }),
    /** Repeat tickets: the same caller, or near-identical content, within N days. */
    duplicates: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: DESK,
      args: z.strictObject({ text: Text, callerPhone: z.string().max(32).default(''), withinDays: z.number().int().min(1).max(365).default(30) }),
      result: z.object({ items: z.array(DuplicateSchema) })
    }),
    /** Knowledge articles and reply templates for what the citizen says (through the platform). */
    knowledge: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: EVERYONE,
      args: z.strictObject({ text: Text, categoryId: z.string().max(40).nullable().default(null) }),
      result: z.object({
        articles: z.array(z.object({ id: z.number().int(), title: z.string(), snippet: z.string(), version: z.number().int() })),
        templates: z.array(z.object({ id: z.number().int(), title: z.string(), body: z.string() }))
      })
    }),
    /** The agent's final choice against the suggestion (an override when they differ). */
    recordOverride: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: DESK,
      args: z.strictObject({
        ticketId: z.string().min(1).max(64),
        text: z.string().min(1).max(4000),
        suggested: z.strictObject({ category: z.string().max(40), department: z.string().max(64).nullable().default(null) }).nullable(),
        chosen: z.strictObject({ category: z.string().min(1).max(40), department: z.string().max(64).nullable().default(null) })
      }),
      result: z.object({ override: z.boolean() })
    }),
    retrain: method({ caller: 'ui', session: true, citizenData: false, roles: RETRAINERS, args: NoArgs, result: ModelStatusSchema }),
    accuracy: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: z.strictObject({ days: z.number().int().min(1).max(365).default(30) }), result: AccuracySchema }),
    /** Inspect a finished call and ticket by hand (QA and team leads); filed tickets are inspected automatically. */
    inspect: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: ['qa', 'team_lead'],
      args: z.strictObject({
        agentId: z.string().min(1).max(64),
        ticketId: z.string().max(64).nullable().default(null),
        transcript: z.array(z.strictObject({ speaker: z.enum(['agent', 'caller']), text: z.string().max(4000) })).max(500).default([]),
        ticket: z.strictObject({ category: z.string().max(40).optional(), departmentId: z.string().max(64).optional(), content: Text.optional(), callerPhone: z.string().max(32).optional() }),
        talkSeconds: z.number().min(0).max(86_400),
        holdSeconds: z.number().min(0).max(86_400).default(0)
      }),
      result: InspectionSchema
    }),
    /** Quality inspection results: an agent sees their own, QA and team leads see everyone's. */
    inspections: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: EVERYONE,
      args: z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }),
      result: z.object({ items: z.array(InspectionSchema), serviceRate: z.number(), accuracyRate: z.number(), n: z.number().int() })
    })
  }
} as const satisfies ServiceGroup
