import { z } from 'zod'
import { PageQuery, PhoneSchema, text } from './common'

/** SMS (R5, KPI 3): templates with {{variables}}, sending, delivery status. */
export const SmsTemplateSchema = z.object({ id: z.string(), name: z.string(), body: z.string(), variables: z.array(z.string()) })
export const SmsTemplateListResponse = z.object({ items: z.array(SmsTemplateSchema) })

export const SMS_STATUSES = ['queued', 'sent', 'delivered', 'failed'] as const
export const SmsMessageSchema = z.object({
  id: z.number().int(),
  templateId: z.string(),
  phone: z.string(),
  text: z.string(),
  ticketId: z.number().int().nullable(),
  status: z.enum(SMS_STATUSES),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string()
})
export type SmsMessage = z.infer<typeof SmsMessageSchema>

export const SendSmsRequest = z.strictObject({
  templateId: z.string().min(1).max(64),
  phone: PhoneSchema,
  variables: z.record(z.string().regex(/^\w{1,32}$/), text(200)).default({}),
  ticketId: z.number().int().positive().nullable().default(null)
})
export const ListSmsQuery = PageQuery.extend({ ticketId: z.coerce.number().int().positive().optional() })

/** Fills `{{name}}` placeholders; returns the names that had no value. */
export function renderSmsTemplate(body: string, variables: Record<string, string>): { text: string; missing: string[] } {
  const missing: string[] = []
  const out = body.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const value = variables[name]
    if (value === undefined) {
      missing.push(name)
      return ''
    }
    return value
  })
  return { text: out, missing }
}
