import { z } from 'zod'
import { PageQuery, TimestampSchema, text } from './common'

/** Knowledge base (R3): versioned articles on the category tree, yellow pages, reply templates. */
export const CategoryNodeSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  level: z.number().int().min(1).max(3),
  name: z.string(),
  defaultDepartmentId: z.string().nullable()
})
export const CategoryListResponse = z.object({ items: z.array(CategoryNodeSchema) })

export const ArticleSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  categoryId: z.string().nullable(),
  body: z.string(),
  keywords: z.array(z.string()),
  version: z.number().int(),
  status: z.enum(['published', 'retired']),
  source: z.string().meta({ description: '来源（本项目编写 / 导入文件）/ where the text came from' }),
  updatedAt: z.string(),
  updatedBy: z.string()
})
export type Article = z.infer<typeof ArticleSchema>

export const ArticleVersionSchema = ArticleSchema.pick({ title: true, body: true, keywords: true, version: true, updatedAt: true, updatedBy: true })

export const SearchKnowledgeQuery = z.strictObject({
  q: text(100, 1),
  categoryId: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10)
})
export const KnowledgeHitSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  categoryId: z.string().nullable(),
  snippet: z.string().meta({ description: '命中片段（纯文本）/ plain-text excerpt' }),
  version: z.number().int(),
  score: z.number()
})
export const SearchKnowledgeResponse = z.object({ items: z.array(KnowledgeHitSchema) })

/** For the desktop's offline index: every article changed after `updatedSince`, oldest change first. */
export const ListArticlesQuery = PageQuery.extend({ updatedSince: TimestampSchema.optional() })

export const CreateArticleRequest = z.strictObject({
  title: text(200, 2),
  categoryId: z.string().max(40).nullable().default(null),
  body: text(20000, 2),
  keywords: z.array(text(40, 1)).max(30).default([])
})
export const UpdateArticleRequest = z.strictObject({
  version: z.number().int().positive(),
  title: text(200, 2).optional(),
  categoryId: z.string().max(40).nullable().optional(),
  body: text(20000, 2).optional(),
  keywords: z.array(text(40, 1)).max(30).optional(),
  status: z.enum(['published', 'retired']).optional()
})

export const ReplyTemplateSchema = z.object({ id: z.number().int(), title: z.string(), categoryId: z.string().nullable(), body: z.string() })
export const ReplyTemplateListResponse = z.object({ items: z.array(ReplyTemplateSchema) })

export const YellowPageEntrySchema = z.object({
  departmentId: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  officeHours: z.string()
})
export const YellowPageListResponse = z.object({ items: z.array(YellowPageEntrySchema) })
