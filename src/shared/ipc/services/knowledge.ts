import { z } from 'zod'
import { method, NoArgs, type ServiceGroup } from '../method'
import type { Role } from '../../roles'

/**
 * Knowledge base (知识库), callbacks (回访) and SMS (issue 5). Knowledge search runs on the desktop's local
 * index (works offline); callbacks and SMS go to the platform, callback results through the outbox.
 */
const EVERYONE: readonly Role[] = ['agent', 'team_lead', 'qa', 'trainer', 'admin']

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
      roles: EVERYONE,
      args: z.strictObject({ q, categoryId: categoryId.nullish(), departmentId: z.string().min(1).max(64).nullish(), limit: z.number().int().min(1).max(50).default(10) }),
      result: z.object({ items: z.array(KnowledgeHitSchema) })
    }),
    article: method({ caller: 'ui', session: true, roles: EVERYONE, args: z.strictObject({ id: z.number().int().positive() }), result: LocalArticleSchema }),
    status: method({ caller: 'ui', session: true, roles: EVERYONE, args: NoArgs, result: KnowledgeIndexStatusSchema }),
    /** Pull changes from the platform now (also done at sign-in, on push events and every few minutes). */
    sync: method({ caller: 'ui', session: true, roles: EVERYONE, args: NoArgs, result: KnowledgeIndexStatusSchema }),
    categories: method({ caller: 'ui', session: true, roles: EVERYONE, args: NoArgs, result: z.object({ items: z.array(CategorySchema) }) }),
    yellowPages: method({ caller: 'ui', session: true, roles: EVERYONE, args: z.strictObject({ q: q.default('') }), result: z.object({ items: z.array(YellowPageSchema) }) }),
    templates: method({ caller: 'ui', session: true, roles: EVERYONE, args: z.strictObject({ q: q.default(''), categoryId: categoryId.nullish() }), result: z.object({ items: z.array(ReplyTemplateSchema) }) }),
    notes: method({ caller: 'ui', session: true, roles: EVERYONE, args: z.strictObject({ q: q.default('') }), result: z.object({ items: z.array(NoteSchema) }) }),
    saveNote: method({
      caller: 'ui',
      session: true,
      roles: EVERYONE,
      args: z.strictObject({
        id: z.number().int().positive().nullable().default(null),
        title: z.string().trim().min(1, '请填写笔记标题 (a note needs a title)').max(100, '标题最多 100 字 (title too long)'),
        body: z.string().max(20000, '笔记最多 20000 字 (note too long)')
      }),
      result: NoteSchema
    }),
    deleteNote: method({ caller: 'ui', session: true, roles: EVERYONE, args: z.strictObject({ id: z.number().int().positive() }), result: z.null() })
  }
} as const satisfies ServiceGroup
