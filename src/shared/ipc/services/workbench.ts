import { z } from 'zod'
import { method, NoArgs, type ServiceGroup } from '../method'
import type { Role } from '../../roles'
import { DraftFieldsSchema, DraftSchema } from '../../workbench/draft'
import { TicketSchema, TicketSummarySchema, ChannelSchema, UrgencySchema } from '../../api/tickets'
import { CallSchema } from '../../api/calls'
import { AreaListResponse, DistrictSchema } from '../../api/areas'
import { CategoryNodeSchema } from '../../api/knowledge'

/** Take calls and file tickets (the platform's DESK roles; trainers demonstrate in the sandbox). */
const DESK: readonly Role[] = ['agent', 'team_lead', 'trainer']
/** Read the work list: the desk plus quality inspection. */
const READERS: readonly Role[] = ['agent', 'team_lead', 'qa', 'trainer']

const DraftId = z.uuid('草稿编号无效 (invalid draft id)')
const CallId = z.string().min(1).max(128)

export const DraftSummarySchema = z.object({ id: z.string(), callId: z.string().nullable(), updatedAt: z.number(), preview: z.string(), callerDisplay: z.string() })

/** The screen pop as the role may see it: the number masked where required. */
export const CallerViewSchema = z.object({
  phone: z.string(),
  masked: z.boolean(),
  source: z.enum(['cache', 'platform']),
  refreshedAt: z.number().nullable(),
  tickets: z.array(TicketSummarySchema),
  calls: z.array(CallSchema.omit({ callerNumber: true })),
  totals: z.object({ tickets: z.number().int(), openTickets: z.number().int(), calls: z.number().int() }),
  flags: z.object({
    /** Two or more calls in the last 30 days. */
    repeatCaller: z.boolean(),
    callsLast30Days: z.number().int(),
    hasOpenTicket: z.boolean(),
    malicious: z.boolean(),
    maliciousReason: z.string().nullable()
  }),
  areaGuess: z.object({ district: DistrictSchema, town: z.string().nullable() }).nullable()
})
export type CallerView = z.infer<typeof CallerViewSchema>

export const WorkRowSchema = z.object({
  key: z.string(),
  kind: z.enum(['ticket', 'pending', 'draft']),
  ticketId: z.number().int().nullable(),
  draftId: z.string().nullable(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  channel: ChannelSchema,
  urgency: UrgencySchema,
  deadline: z.string().nullable(),
  at: z.number(),
  /** red: past its deadline; yellow: due within a day. */
  mark: z.enum(['red', 'yellow']).nullable()
})
export type WorkRow = z.infer<typeof WorkRowSchema>

export const PrivacyStatusSchema = z.object({
  locked: z.boolean(),
  lockAfterMs: z.number().int(),
  /** For the watermark: seat and account. */
  seatId: z.string().nullable(),
  username: z.string(),
  now: z.number()
})

export const IntakeReferenceSchema = z.object({
  areas: AreaListResponse.shape.districts,
  categories: z.array(CategoryNodeSchema),
  departments: z.array(z.object({ id: z.string(), name: z.string() }))
})
export type IntakeReference = z.infer<typeof IntakeReferenceSchema>

/** The agent workbench: screen pop, intake, drafts, work list, privacy (issue 5). Every method is role-checked in main. */
export const workbenchServices = {
  drafts: {
    /**
     * Every change of the form (batched by the window); durable when it answers. Not refused on a locked screen: it
     * returns nothing of the draft, and the last keystrokes before the lock must still reach the disk.
     */
    save: method({
      caller: 'ui',
      session: true,
      citizenData: false,
      roles: DESK,
      args: z.strictObject({ id: DraftId, callId: CallId.nullable(), rev: z.number().int().nonnegative(), fields: DraftFieldsSchema }),
      result: z.object({ status: z.enum(['saved', 'stale']), savedAt: z.number() })
    }),
    get: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: z.strictObject({ id: DraftId }), result: DraftSchema.nullable() }),
    /** My open drafts (newest first); with callId, that call's. */
    list: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: z.strictObject({ callId: CallId.optional() }), result: z.object({ items: z.array(DraftSummarySchema) }) }),
    discard: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: z.strictObject({ id: DraftId }), result: z.null() })
  },
  tickets: {
    /** Files the draft (createTicket with its handling) through the outbox: exactly once, offline too. */
    submit: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: DESK,
      args: z.strictObject({ draftId: DraftId }),
      /** receiptTo: the (masked) number the 受理回执 SMS will go to once the ticket is numbered, or null. */
      result: z.object({ idempotencyKey: z.string(), queuedAt: z.number(), receiptTo: z.string().nullable() })
    }),
    get: method({ caller: 'ui', session: true, citizenData: true, roles: READERS, args: z.strictObject({ id: z.number().int().positive() }), result: TicketSchema })
  },
  callerHistory: {
    /** source 'cache': at once from the local cache; 'platform': refreshed (and cached). Every view is audited. */
    lookup: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: DESK,
      args: z.strictObject({ phone: z.string().regex(/^\+?\d{3,20}$/, '电话号码只能包含 3 到 20 位数字 (3 to 20 digits)'), source: z.enum(['cache', 'platform']) }),
      result: CallerViewSchema.nullable()
    })
  },
  worklist: {
    list: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: READERS,
      args: NoArgs,
      result: z.object({ mine: z.array(WorkRowSchema), drafts: z.array(WorkRowSchema), channels: z.array(WorkRowSchema), overdue: z.array(WorkRowSchema), offline: z.boolean() })
    })
  },
  intakeRef: {
    /** Areas, the category tree and departments for the form (cached locally for offline use). */
    get: method({ caller: 'ui', session: true, citizenData: false, args: NoArgs, result: IntakeReferenceSchema })
  },
  privacy: {
    status: method({ caller: 'ui', session: true, citizenData: false, args: NoArgs, result: PrivacyStatusSchema }),
    /** The agent is at the keyboard (throttled by the window). Does not unlock. */
    activity: method({ caller: 'ui', session: true, citizenData: false, args: NoArgs, result: PrivacyStatusSchema }),
    lock: method({ caller: 'ui', session: true, citizenData: false, args: NoArgs, result: PrivacyStatusSchema }),
    unlock: method({ caller: 'ui', session: true, citizenData: false, args: z.strictObject({ password: z.string().min(1, '请输入密码 (password required)').max(256) }), result: PrivacyStatusSchema })
  }
} as const satisfies ServiceGroup
