import { z } from 'zod'
import { PageQuery, text } from './common'
import { SatisfactionSchema } from './calls'

/**
 * Callback (回访) tasks (R5). A task is created when a ticket's reply is
 * approved and the citizen left a number; no-answer is retried up to 3 times,
 * two hours apart.
 */
export const CALLBACK_MAX_ATTEMPTS = 3
/** A due callback should be made within this long (回访时限); after it the task is overdue. */
export const CALLBACK_WITHIN_HOURS = 24

/** 已到期 from the due time, 已超期 once CALLBACK_WITHIN_HOURS more have passed; finished tasks get no mark. */
export function callbackDueMark(task: { status: string; dueAt: string }, now: number): 'due' | 'overdue' | null {
  const due = Date.parse(task.dueAt)
  if (task.status !== 'pending' || !(due <= now)) return null
  return now - due > CALLBACK_WITHIN_HOURS * 3600_000 ? 'overdue' : 'due'
}
export const CallbackTaskSchema = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  ticketNumber: z.string(),
  phone: z.string(),
  status: z.enum(['pending', 'done', 'failed']),
  dueAt: z.string(),
  attempts: z.number().int(),
  result: z.enum(['reached', 'no_answer', 'refused']).nullable(),
  satisfaction: SatisfactionSchema.nullable(),
  dissatisfactionReason: z.string().nullable(),
  note: z.string(),
  updatedAt: z.string()
})
export type CallbackTask = z.infer<typeof CallbackTaskSchema>

export const ListCallbacksQuery = PageQuery.extend({
  status: z.enum(['pending', 'done', 'failed']).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional()
})

export const RecordCallbackResultRequest = z
  .strictObject({
    result: z.enum(['reached', 'no_answer', 'refused']),
    satisfaction: SatisfactionSchema.nullable().default(null),
    dissatisfactionReason: text(500).nullable().default(null),
    note: text(1000).default(''),
    callId: z.number().int().positive().nullable().default(null)
  })
  .superRefine((b, ctx) => {
    if (b.result === 'reached' && !b.satisfaction)
      ctx.addIssue({ code: 'custom', path: ['satisfaction'], params: { zh: '回访接通时必须记录满意度', en: 'a reached callback needs a satisfaction rating' } })
    if (b.satisfaction === 'dissatisfied' && !b.dissatisfactionReason?.trim())
      ctx.addIssue({ code: 'custom', path: ['dissatisfactionReason'], params: { zh: '不满意时必须填写原因', en: 'a dissatisfied rating needs a reason' } })
  })
