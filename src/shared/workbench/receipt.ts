import { DEADLINE_HOURS } from './deadline'
import type { DraftFields } from './draft'

/**
 * The ticket receipt by SMS (受理回执短信, R5): when the agent leaves 短信告知
 * ticked, the citizen gets the platform's 受理告知 template with the ticket's
 * number and how many days the answer may take, once the platform has numbered
 * the ticket. Anonymous callers, tickets answered on the line (the citizen has
 * just heard the answer) and numbers that cannot take an SMS get none.
 */
export const RECEIPT_TEMPLATE_ID = 'ticket_received'

export interface ReceiptPlan {
  templateId: string
  phone: string
  /** Working days promised in the text: the dispatch deadline by urgency, at least 1. */
  days: number
}

/** Mainland mobile numbers (11 digits from 1, optionally +86/86/0 before): landlines cannot take an SMS. */
export function smsNumber(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '').replace(/^(\+?86|0)(?=1\d{10}$)/, '')
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null
}

export function receiptFor(d: Pick<DraftFields, 'smsReceipt' | 'anonymous' | 'handling' | 'callerNumber' | 'urgency'>): ReceiptPlan | null {
  if (!d.smsReceipt || d.anonymous || d.handling === 'direct_answer') return null
  const phone = smsNumber(d.callerNumber)
  if (!phone) return null
  return { templateId: RECEIPT_TEMPLATE_ID, phone, days: Math.max(1, Math.ceil(DEADLINE_HOURS[d.urgency] / 24)) }
}

/** Why the form's 短信告知 box has no effect, for the hint beside it (null: a receipt will be sent). */
export function receiptBlocked(d: Pick<DraftFields, 'anonymous' | 'handling' | 'callerNumber'>): { zh: string; en: string } | null {
  if (d.anonymous) return { zh: '匿名来电不发送短信', en: 'no SMS for an anonymous caller' }
  if (d.handling === 'direct_answer') return { zh: '直接答复的工单不发送受理回执', en: 'no receipt for a ticket answered on the line' }
  if (!smsNumber(d.callerNumber)) return { zh: '来电号码不是手机号，无法发送短信', en: 'the caller number is not a mobile number' }
  return null
}
