import { z } from 'zod'

/**
 * Building blocks shared by every platform API schema. Request objects are
 * strict (unknown fields are rejected, not silently dropped): the desktop and
 * the platform are generated from the same table, so an unknown field is a
 * client bug or a newer client, and losing a field an agent typed is worse
 * than a clear 400.
 */

/** A field error that carries its own Chinese and English text (see validation-messages.ts). */
export function bilingual(zh: string, en: string): { params: { zh: string; en: string } } {
  return { params: { zh, en } }
}

/** Phone numbers are stored as digits (an optional leading +): mobile, landline with area code, or short numbers. */
export const PhoneSchema = z
  .string()
  .refine((v) => /^\+?\d{3,20}$/.test(v), bilingual('电话号码只能包含 3 到 20 位数字', 'a phone number is 3 to 20 digits'))
  .meta({ description: '电话号码（纯数字，可带 +） / phone number, digits only', examples: ['13907751234'] })

/** Timestamps cross the API as ISO-8601 strings with offset, e.g. 2025-03-01T08:30:00.000Z. */
export const TimestampSchema = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 时间 / timestamp' })

export const IdSchema = z.coerce.number().int().positive().meta({ description: '记录编号 / record id' })
export const IdParams = z.strictObject({ id: IdSchema })
export const CodeSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/)

/**
 * Cursor pagination: `limit` (1–200, default 50) and the opaque `cursor` from the
 * previous page's `nextCursor`. A null `nextCursor` means the last page.
 */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional()
})
export type PageQuery = z.infer<typeof PageQuery>

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** Free text from citizens and agents: stored and returned verbatim, never interpreted. */
export function text(max: number, min = 0) {
  return z.string().min(min).max(max)
}

export const OkSchema = z.object({ ok: z.literal(true) })
