import { z } from 'zod'
import { method, NoArgs, type ServiceGroup } from '../method'
import type { Role } from '../../roles'
import { CallbackTaskSchema, RecordCallbackResultRequest } from '../../api/callbacks'
import { SmsMessageSchema, SmsTemplateSchema } from '../../api/sms'

/**
 * Knowledge base (知识库), callbacks (回访) and SMS (issue 5). Knowledge search runs on the desktop's local
 * index (works offline); callbacks and SMS go to the platform, callback results through the outbox.
 */
const EVERYONE: readonly Role[] = ['agent', 'team_lead', 'qa', 'trainer', 'admin']
/** Who phones citizens back and texts them (the platform's DESK roles). */
const DESK: readonly Role[] = ['agent', 'team_lead', 'trainer']
/** QA listens to the outcome of callbacks too, with numbers masked. */
const CALLBACK_READERS: readonly Role[] = ['agent', 'team_lead', 'trainer', 'qa']

/** A callback task as this role may see it, with what this desk knows of its result. */
export const CallbackViewSchema = CallbackTaskSchema.extend({
  /** The number is masked for roles that do not phone citizens back. */
  phoneMasked: z.boolean(),
  /** A result recorded here and waiting in the outbox. */
  queued: z.boolean(),
  /** The last call placed from this desk for the task's ticket (the softphone reports it when it ends). */
  lastCall: z.object({ answered: z.boolean(), endedAt: z.number() }).nullable(),
  /** A result the platform refused: its reason and the fields it named. */
  refused: z
    .object({ seq: z.number().int(), message: z.string(), messageEn: z.string(), fields: z.array(z.object({ path: z.string(), message: z.string(), messageEn: z.string() })) })
    .nullable()
})
export type CallbackView = z.infer<typeof CallbackViewSchema>

export const SmsViewSchema = SmsMessageSchema.extend({ phoneMasked: z.boolean() })
export type SmsView = z.infer<typeof SmsViewSchema>

const q = z.string().max(200, '检索词最多 200 字 (query too long)')
const categoryId = z.string().min(1).max(40)

export const KnowledgeHitSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  categoryId: z.string().nullable(),
  departmentId: z.string().nullable(),
  snippet: z.string(),
  version: z.number().int(),
  score: z.number()
})
export type KnowledgeHit = z.infer<typeof KnowledgeHitSchema>

export const KnowledgeIndexStatusSchema = z.object({
  articles: z.number().int(),
  syncedAt: z.number().nullable(),
  syncing: z.boolean(),
  /** Why the last sync failed (the index still answers from what it holds). */
  error: z.string().nullable()
})

export const LocalArticleSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  categoryId: z.string().nullable(),
  departmentId: z.string().nullable(),
  body: z.string(),
  keywords: z.array(z.string()),
  version: z.number().int(),
  status: z.enum(['published', 'retired']),
  source: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  versions: z.array(z.object({ version: z.number().int(), title: z.string(), body: z.string(), updatedAt: z.string(), updatedBy: z.string() }))
})
export type LocalArticle = z.infer<typeof LocalArticleSchema>

export const NoteSchema = z.object({ id: z.number().int(), title: z.string(), body: z.string(), updatedAt: z.number() })
export type Note = z.infer<typeof NoteSchema>

const CategorySchema = z.object({ id: z.string(), parentId: z.string().nullable(), level: z.number().int(), name: z.string(), defaultDepartmentId: z.string().nullable() })
const YellowPageSchema = z.object({ departmentId: z.string(), name: z.string(), phone: z.string(), address: z.string(), officeHours: z.string() })
const ReplyTemplateSchema = z.object({ id: z.number().int(), title: z.string(), categoryId: z.string().nullable(), body: z.string() })

export const knowledgeServices = {
  knowledge: {
    search: method({
      caller: 'ui',
      session: true,
      citizenData: false,
      roles: EVERYONE,
      args: z.strictObject({ q, categoryId: categoryId.nullish(), departmentId: z.string().min(1).max(64).nullish(), limit: z.number().int().min(1).max(50).default(10) }),
      result: z.object({ items: z.array(KnowledgeHitSchema) })
    }),
    article: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: z.strictObject({ id: z.number().int().positive() }), result: LocalArticleSchema }),
    status: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: NoArgs, result: KnowledgeIndexStatusSchema }),
    /** Pull changes from the platform now (also done at sign-in, on push events and every few minutes). */
    sync: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: NoArgs, result: KnowledgeIndexStatusSchema }),
    categories: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: NoArgs, result: z.object({ items: z.array(CategorySchema) }) }),
    yellowPages: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: z.strictObject({ q: q.default('') }), result: z.object({ items: z.array(YellowPageSchema) }) }),
    templates: method({ caller: 'ui', session: true, citizenData: false, roles: EVERYONE, args: z.strictObject({ q: q.default(''), categoryId: categoryId.nullish() }), result: z.object({ items: z.array(ReplyTemplateSchema) }) }),
    notes: method({ caller: 'ui', session: true, citizenData: true, roles: EVERYONE, args: z.strictObject({ q: q.default('') }), result: z.object({ items: z.array(NoteSchema) }) }),
    saveNote: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: EVERYONE,
      args: z.strictObject({
        id: z.number().int().positive().nullable().default(null),
        title: z.string().trim().min(1, '请填写笔记标题 (a note needs a title)').max(100, '标题最多 100 字 (title too long)'),
        body: z.string().max(20000, '笔记最多 20000 字 (note too long)')
      }),
      result: NoteSchema
    }),
    deleteNote: method({ caller: 'ui', session: true, citizenData: true, roles: EVERYONE, args: z.strictObject({ id: z.number().int().positive() }), result: z.null() })
  },
  callbacks: {
    /** Tasks from the platform, earliest due first; `due` only those due now. */
    list: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: CALLBACK_READERS,
      args: z.strictObject({ status: z.enum(['pending', 'done', 'failed']).default('pending'), due: z.boolean().default(false) }),
      result: z.object({ items: z.array(CallbackViewSchema) })
    }),
    /** Records a result through the outbox (durable at once, sent exactly once; refused results come back in `list`). */
    record: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: DESK,
      args: z.strictObject({ taskId: z.number().int().positive(), result: RecordCallbackResultRequest }),
      result: z.object({ queued: z.literal(true) })
    })
  },
  sms: {
    templates: method({ caller: 'ui', session: true, citizenData: false, roles: DESK, args: NoArgs, result: z.object({ items: z.array(SmsTemplateSchema) }) }),
    /**
     * Sends a template to the citizen of a ticket: the number is the ticket's (main reads it; the window never
     * needs the unmasked number) unless one is given.
     */
    send: method({
      caller: 'ui',
      session: true,
      citizenData: true,
      roles: DESK,
      args: z.strictObject({
        templateId: z.string().min(1).max(64),
        ticketId: z.number().int().positive().nullable().default(null),
        phone: z.string().regex(/^\+?\d{3,20}$/, '电话号码只能包含 3 到 20 位数字 (a phone number is 3 to 20 digits)').nullable().default(null),
        variables: z.record(z.string().regex(/^\w{1,32}$/), z.string().max(200, '变量最多 200 字 (variable too long)')).default({})
      }),
      result: SmsViewSchema
    }),
    message: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: z.strictObject({ id: z.number().int().positive() }), result: SmsViewSchema }),
    forTicket: method({ caller: 'ui', session: true, citizenData: true, roles: DESK, args: z.strictObject({ ticketId: z.number().int().positive() }), result: z.object({ items: z.array(SmsViewSchema) }) })
  }
} as const satisfies ServiceGroup
