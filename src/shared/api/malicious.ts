import { z } from 'zod'
import { PhoneSchema, text } from './common'

/** Malicious-number list (拦截恶意号码, R1): calls from these numbers are blocked and flagged. */
export const MaliciousNumberSchema = z.object({ phone: z.string(), reason: z.string(), addedBy: z.string(), addedAt: z.string() })
export const AddMaliciousNumberRequest = z.strictObject({ phone: PhoneSchema, reason: text(500, 2) })
export const MaliciousParams = z.strictObject({ phone: PhoneSchema })
