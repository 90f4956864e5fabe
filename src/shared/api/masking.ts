import type { z } from 'zod'
import type { Role } from '../roles'
import { CallSchema } from './calls'
import { CallbackTaskSchema } from './callbacks'
import { SmsMessageSchema } from './sms'
import { TicketSchema } from './tickets'

/** The one way citizen data is masked, on the platform and on the desk: 139****1234, 张**, 玉州区名山街*******. */
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

/** 玉州区名山街道人民路12号 → 玉州区名山街*******: where in the city stays, the street and the door do not. */
export function maskAddress(address: string): string {
  const chars = [...address]
  const keep = Math.min(6, Math.floor(chars.length / 2))
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep)
}

/**
 * Citizen data in the platform's answers (R10): which fields of which schemas hold a citizen's number, name or
 * address, and how each role sees them. The platform applies this to every operation's answer where operations
 * are registered, so a new operation that returns one of these schemas (or a list, a page or a part of one) is
 * masked without its service knowing.
 */
export type CitizenKind = 'phone' | 'name' | 'address'
export type Visibility = 'full' | 'masked' | 'hidden'

/**
 * How each role sees each kind on an ordinary record. Roles that phone citizens or answer for the centre see it
 * in full; quality inspection and trainers, who never call a citizen back, see 139****1234, 张** and the start of
 * the address.
 */
export const CITIZEN_VIEW: Record<Role, Record<CitizenKind, Visibility>> = {
  agent: { phone: 'full', name: 'full', address: 'full' },
  team_lead: { phone: 'full', name: 'full', address: 'full' },
  qa: { phone: 'masked', name: 'masked', address: 'masked' },
  trainer: { phone: 'masked', name: 'masked', address: 'masked' },
  admin: { phone: 'full', name: 'full', address: 'full' }
}

/** Who sees a 保密 (confidential) record as an ordinary one: the agent who filed it and team leads. */
const SEES_CONFIDENTIAL: readonly Role[] = ['team_lead']
/** Who may mark a ticket 保密 or lift it: the agent who filed it, team leads and administrators. */
const CHANGES_CONFIDENTIALITY: readonly Role[] = ['team_lead', 'admin']

/** A record's 保密 rule: whether it is confidential and who filed it. */
export interface ConfidentialityRule {
  confidential: boolean
  createdBy: string
}

export interface CitizenRecord {
  /** The object schema the fields belong to; schemas made from it (omit, pick, extend) are recognised too. */
  schema: z.ZodObject
  /** Dotted paths within the object. */
  fields: Record<string, CitizenKind>
  /** A boolean field set to whether anything in the record was withheld from this reader. */
  maskedFlag?: string
  /**
   * Where the record's 保密 rule comes from: its own fields (a ticket), or the ticket it belongs to (a call, an
   * SMS or a callback about a 保密 ticket is as confidential as the ticket).
   */
  confidentiality?: { own: (record: Record<string, unknown>) => ConfidentialityRule } | { ticketIdField: string }
}

/**
 * THE table of citizen data. Deliberately not in it: the number a caller-history lookup was asked about (echoed
 * back to whoever typed it), the malicious-number list (the block list every desk that takes calls needs whole;
 * QA cannot read it) and the audit log (administrators only, who see everything in full).
 */
export const CITIZEN_RECORDS: readonly CitizenRecord[] = [
  {
    schema: TicketSchema,
    fields: { 'citizen.name': 'name', 'citizen.phone': 'phone', address: 'address' },
    maskedFlag: 'citizen.masked',
    confidentiality: { own: (t) => ({ confidential: t.confidential === true, createdBy: String(t.createdBy) }) }
  },
  // An outbound call (a callback) dials the citizen: both ends may be a citizen's number.
  { schema: CallSchema, fields: { callerNumber: 'phone', dialledNumber: 'phone' }, confidentiality: { ticketIdField: 'ticketId' } },
  { schema: SmsMessageSchema, fields: { phone: 'phone' }, confidentiality: { ticketIdField: 'ticketId' } },
  { schema: CallbackTaskSchema, fields: { phone: 'phone' }, confidentiality: { ticketIdField: 'ticketId' } }
]

export interface CitizenViewer {
  id: string
  roles: readonly Role[]
  /** The 保密 rule of a ticket by id (null when there is no such ticket); records linked to a ticket follow it. */
  ticketConfidentiality?: (ticketId: number) => ConfidentialityRule | null
}

const RANK: Record<Visibility, number> = { hidden: 0, masked: 1, full: 2 }
const BY_RANK: Visibility[] = ['hidden', 'masked', 'full']

/** The most any of the viewer's roles may see of `kind`; one step less on a 保密 record the viewer neither filed nor leads. */
export function citizenVisibility(roles: readonly Role[], kind: CitizenKind, seesRecordInFull = true): Visibility {
  const best = Math.max(RANK.hidden, ...roles.map((r) => RANK[CITIZEN_VIEW[r][kind]]))
  return BY_RANK[seesRecordInFull ? best : Math.max(RANK.hidden, best - 1)]!
}

/** Whether the viewer is one of those who see a 保密 record as an ordinary one. */
export function seesConfidentialRecord(viewer: CitizenViewer, createdBy: string): boolean {
  return viewer.id === createdBy || viewer.roles.some((r) => SEES_CONFIDENTIAL.includes(r))
}

export function mayChangeConfidentiality(viewer: CitizenViewer, createdBy: string): boolean {
  return viewer.id === createdBy || viewer.roles.some((r) => CHANGES_CONFIDENTIALITY.includes(r))
}

const MASK: Record<CitizenKind, (value: string) => string> = { phone: maskPhone, name: maskName, address: maskAddress }

/** Rewrites one value of `kind` as `visibility` shows it; hidden is null where the field allows it, else empty. */
export function showCitizenValue(value: string, kind: CitizenKind, visibility: Visibility, nullable: boolean): string | null {
  if (visibility === 'full') return value
  if (visibility === 'masked') return MASK[kind](value)
  return nullable ? null : ''
}

/** Whether the viewer sees a citizen's number in full (the desk's own screens ask this of the same table). */
export function maySeeCitizenContact(roles: readonly Role[], opts: { confidential: boolean; isCreator: boolean }): boolean {
  const inFull = !opts.confidential || opts.isCreator || roles.some((r) => SEES_CONFIDENTIAL.includes(r))
  return citizenVisibility(roles, 'phone', inFull) === 'full'
}
