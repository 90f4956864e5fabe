import { z } from 'zod'

/** Departments and their duty list (职责清单), the basis of dispatch (R4). */
export const DutyClauseSchema = z.object({ id: z.number().int(), text: z.string(), keywords: z.array(z.string()) })
export const DepartmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['city_bureau', 'district_government', 'public_utility']),
  phone: z.string(),
  address: z.string(),
  officeHours: z.string(),
  duties: z.array(DutyClauseSchema)
})
export type Department = z.infer<typeof DepartmentSchema>
export const DepartmentListResponse = z.object({ items: z.array(DepartmentSchema) })
export const DepartmentParams = z.strictObject({ departmentId: z.string().min(1).max(64) })
