import { z } from 'zod'
import { DistrictSchema } from './areas'
import { PhoneSchema } from './common'
import { CallSchema } from './calls'
import { TicketSummarySchema } from './tickets'

/** Screen pop (R2): what the platform knows about a number, fetched while the phone rings. */
export const CallerParams = z.strictObject({ phone: PhoneSchema })

export const CallerHistoryResponse = z.object({
  phone: z.string(),
  tickets: z.array(TicketSummarySchema).meta({ description: '最近 20 张工单，新的在前 / latest 20 tickets, newest first' }),
  calls: z.array(CallSchema.omit({ callerNumber: true })).meta({ description: '最近 20 通来电 / latest 20 calls' }),
  totals: z.object({
    tickets: z.number().int(),
    openTickets: z.number().int(),
    calls: z.number().int(),
    callsLast7Days: z.number().int(),
    callsLast30Days: z.number().int().meta({ description: '30 天内来电次数（全部，不限于最近 20 通）/ calls within 30 days, all of them' })
  }),
  flags: z.object({
    repeatCaller: z.boolean().meta({ description: '30 天内来电 2 次以上 / 2+ calls within 30 days' }),
    hasOpenTicket: z.boolean(),
    malicious: z.boolean(),
    maliciousReason: z.string().nullable()
  }),
  areaGuess: z.object({ district: DistrictSchema, town: z.string().nullable() }).nullable()
})
export type CallerHistory = z.infer<typeof CallerHistoryResponse>
