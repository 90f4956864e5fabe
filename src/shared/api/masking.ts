import type { Role } from '../roles'

/**
 * Masking of citizen contact data (R10): roles that do not phone citizens back
 * (QA, trainers) see 139****1234 and 张*; confidential (保密) tickets are
 * masked for everyone but team leads and the agent who filed them.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 4) return '*'.repeat(phone.length)
  if (phone.length < 8) return phone.slice(0, 1) + '*'.repeat(phone.length - 3) + phone.slice(-2)
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4)
}

export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return '*'
  return chars[0] + '*'.repeat(chars.length - 1)
}

const SEES_CONTACT: readonly Role[] = ['agent', 'team_lead', 'admin']

export function maySeeCitizenContact(roles: readonly Role[], opts: { confidential: boolean; isCreator: boolean }): boolean {
  if (opts.confidential) return opts.isCreator || roles.includes('team_lead')
  return roles.some((r) => SEES_CONTACT.includes(r))
}
