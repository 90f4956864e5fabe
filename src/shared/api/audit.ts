import { z } from 'zod'
import { PageQuery } from './common'

/** Audit log (R10): who read or changed which citizen record, and when. */
export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.string(),
  username: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  detail: z.string()
})
export const ListAuditQuery = PageQuery.extend({
  entity: z.string().max(40).optional(),
  entityId: z.string().max(64).optional(),
  userId: z.string().max(64).optional()
})
