import { z } from 'zod'

/** The five roles of the contract (分权分域). Stable identifiers; labels are for display. */
export const RoleSchema = z.enum(['agent', 'team_lead', 'qa', 'trainer', 'admin'])
export type Role = z.infer<typeof RoleSchema>

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  agent: { zh: '话务员', en: 'Agent' },
  team_lead: { zh: '班长', en: 'Team lead' },
  qa: { zh: '质检员', en: 'QA inspector' },
  trainer: { zh: '培训师', en: 'Trainer' },
  admin: { zh: '管理员', en: 'Administrator' }
}
