import { z } from 'zod'
import { DistrictSchema } from './areas'

/** Figures for the wallboard and reports (R6, R8), over a period. */
export const StatisticsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true })
})
const counts = z.record(z.string(), z.number().int())
export const StatisticsResponse = z.object({
  from: z.string(),
  to: z.string(),
  tickets: z.object({ total: z.number().int(), byType: counts, byStatus: counts, byChannel: counts, byDistrict: z.partialRecord(DistrictSchema, z.number().int()), overdue: z.number().int(), directAnswerRate: z.number() }),
  calls: z.object({
    offered: z.number().int(),
    answered: z.number().int(),
    abandoned: z.number().int(),
    answerRate: z.number().meta({ description: '人工接通率 (KPI 5)' }),
    lossRate: z.number().meta({ description: '呼损率 (KPI 4)' }),
    averageHandleSeconds: z.number()
  }),
  satisfaction: z.object({ surveyed: z.number().int(), satisfied: z.number().int(), rate: z.number().meta({ description: '满意率 (KPI 6)' }) })
})
