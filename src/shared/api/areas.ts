import { z } from 'zod'

/** Yulin City's seven county-level divisions (R2). Towns and streets come from listAreas. */
export const YULIN_DISTRICTS = ['玉州区', '福绵区', '北流市', '容县', '陆川县', '博白县', '兴业县'] as const
export const DistrictSchema = z.enum(YULIN_DISTRICTS)
export type District = z.infer<typeof DistrictSchema>

export const AreaRefSchema = z.strictObject({
  district: DistrictSchema,
  town: z.string().min(1).max(40).nullable().default(null).meta({ description: '乡镇/街道 / town or street' })
})
export type AreaRef = z.infer<typeof AreaRefSchema>

export const AreaListResponse = z.object({
  districts: z.array(
    z.object({
      name: DistrictSchema,
      towns: z.array(z.object({ name: z.string(), kind: z.enum(['街道', '镇', '乡']) }))
    })
  )
})
