import { z } from 'zod'
import { PageQuery, TimestampSchema } from './common'

/**
 * The dispatch training corpus (智能派单训练语料): filed tickets as text → category and lead department, for the
 * desktop's seat assistant to train its model from the platform's own history. Confidential tickets and drafts
 * are left out; no citizen contact data is in it.
 */
export const DispatchCorpusQuery = PageQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /** Only tickets created at or after this time. */
  since: TimestampSchema.optional()
})
export const DispatchCorpusItemSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  categoryId: z.string(),
  /** The lead (主办) department it was dispatched to; null for a direct answer. */
  departmentId: z.string().nullable(),
  content: z.string(),
  createdAt: z.string()
})
export type DispatchCorpusItem = z.infer<typeof DispatchCorpusItemSchema>
