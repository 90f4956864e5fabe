import { z } from 'zod'

/**
 * Caller numbers as they arrive in SIP (From / P-Asserted-Identity user part) are
 * messy: `+86 138-0013-8000`, `008613800138000`, `0775-2123456`, `2123456` (local,
 * no area code), `sip:12345@gw`, full-width digits, `anonymous`, letters, 200 digits.
 * `normaliseCallerNumber` turns any string into a clear result and never throws.
 *
 * `normalised` is the national dialable form used for lookups (screen pop, blocking):
 * mobile `13800138000`, landline with area code `07752123456`, service `12345`.
 */
export const NUMBER_KINDS = ['mobile', 'landline', 'service', 'emergency', 'international', 'anonymous', 'invalid'] as const
export type NumberKind = (typeof NUMBER_KINDS)[number]

export const NormalisedNumberSchema = z.object({
  /** The input as given (control characters removed, at most 64 chars). */
  raw: z.string(),
  kind: z.enum(NUMBER_KINDS),
  /** National dialable digits; null for anonymous / invalid. */
  normalised: z.string().nullable(),
  /** +86… for Chinese numbers, + country code for international; null otherwise. */
  e164: z.string().nullable(),
  /** Landline area code with its leading 0 (0775 for Yulin). */
  areaCode: z.string().nullable(),
  /** True when the number is a landline in the configured home area. */
  local: z.boolean(),
  /** Human-readable form: 138 0013 8000, 0775-2123456. */
  display: z.string(),
  /** Why the number is invalid/anonymous, zh-CN and English. */
  problem: z.object({ zh: z.string(), en: z.string() }).nullable()
})
export type NormalisedNumber = z.infer<typeof NormalisedNumberSchema>

export interface NormaliseOptions {
  /** Area code of the centre (Yulin: 0775): local numbers without one get it. */
  homeAreaCode?: string
}

const MAX_RAW = 64
const MAX_DIGITS = 20
const EMERGENCY = new Set(['110', '119', '120', '122'])
const ANONYMOUS = /^(anonymous|unknown|unavailable|restricted|private|withheld|匿名|未知|无主叫号码?)$/i
/** Three-digit area codes (with the 0): Beijing 010 and 020–029. Every other area code has four digits. */
const THREE_DIGIT_AREA = /^0(10|2\d)$/

const invalid = (raw: string, display: string, zh: string, en: string): NormalisedNumber => ({
  raw,
  kind: 'invalid',
  normalised: null,
  e164: null,
  areaCode: null,
  local: false,
  display,
  problem: { zh, en }
})

function groupMobile(n: string): string {
  return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`
}

function toHalfWidth(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF0B]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

export function normaliseCallerNumber(input: unknown, opts: NormaliseOptions = {}): NormalisedNumber {
  const home = opts.homeAreaCode ?? '0775'
  // Anything that is not a string (null from a missing header, numbers) is made one; control chars go.
  // eslint-disable-next-line no-control-regex
  const text = (typeof input === 'string' ? input : input == null ? '' : String(input)).replace(/[\u0000-\u001f\u007f]/g, '').trim()
  const raw = text.length > MAX_RAW ? `${text.slice(0, MAX_RAW)}…` : text
  if (text === '') return { ...invalid(raw, '未知号码', '未提供主叫号码', 'no caller number'), kind: 'anonymous' }

  // A SIP/tel URI: keep the user part only.
  let s = toHalfWidth(text)
  const uri = /^(?:sips?|tel):([^@;>?]*)/i.exec(s)
  if (uri) s = uri[1]!
  s = s.replace(/^<|>$/g, '')
  try {
    s = decodeURIComponent(s)
  } catch {
    /* keep as is */
  }
  if (ANONYMOUS.test(s.trim())) return { ...invalid(raw, '隐藏号码', '主叫号码被隐藏', 'caller withheld the number'), kind: 'anonymous' }

  // Visual separators are allowed; anything else that is not a digit makes the number invalid.
  const compact = s.replace(/[\s\-().\u00a0\u3000]/g, '')
  const shown = raw.length > 24 ? `${raw.slice(0, 24)}…` : raw
  if (!/^\+?\d+$/.test(compact)) {
    return invalid(raw, shown, '号码含有非数字字符', 'number contains characters other than digits')
  }
  const plus = compact.startsWith('+')
  let digits = plus ? compact.slice(1) : compact
  if (digits.length > MAX_DIGITS) return invalid(raw, shown, `号码过长（${digits.length} 位）`, `number too long (${digits.length} digits)`)

  // Country code: +86, 0086, or a bare 86 in front of an 11-digit mobile.
  let international = false
  let countryStripped = false
  if (plus) {
    if (digits.startsWith('86')) {
      digits = digits.slice(2)
      countryStripped = true
    } else international = true
  } else if (digits.startsWith('00')) {
    if (digits.startsWith('0086')) {
      digits = digits.slice(4)
      countryStripped = true
    } else {
      international = true
      digits = digits.slice(2)
    }
  } else if (/^861[3-9]\d{9}$/.test(digits)) {
    digits = digits.slice(2)
  }
  if (international) {
    if (digits.length < 7) return invalid(raw, shown, '国际号码不完整', 'incomplete international number')
    return { raw, kind: 'international', normalised: `00${digits}`, e164: `+${digits}`, areaCode: null, local: false, display: `+${digits}`, problem: null }
  }
  if (digits === '') return invalid(raw, shown, '号码为空', 'empty number')
  // +86 775 2123456: after the country code a landline has lost its trunk 0.
  if (countryStripped && /^[2-9]\d{8,10}$/.test(digits)) digits = `0${digits}`

  // Mobile, also with a trunk 0 in front (some gateways add one).
  const mobile = /^0?(1[3-9]\d{9})$/.exec(digits)
  if (mobile) {
    const n = mobile[1]!
    return { raw, kind: 'mobile', normalised: n, e164: `+86${n}`, areaCode: null, local: false, display: groupMobile(n), problem: null }
  }
  if (EMERGENCY.has(digits)) {
    return { raw, kind: 'emergency', normalised: digits, e164: null, areaCode: null, local: false, display: digits, problem: null }
  }
  // Service numbers: 1xxxx (12345, 10086, 12315…), 95xxx(xx), 96xxx(xx), 400/800 numbers.
  if (/^1\d{2,4}$/.test(digits) || /^9[56]\d{3,6}$/.test(digits) || /^[48]00\d{7}$/.test(digits)) {
    const display = /^[48]00/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}` : digits
    return { raw, kind: 'service', normalised: digits, e164: null, areaCode: null, local: false, display, problem: null }
  }
  // Landline with area code: 0 + 2/3-digit area + 7/8-digit subscriber.
  if (/^0[1-9]\d{8,10}$/.test(digits)) {
    const area = THREE_DIGIT_AREA.test(digits.slice(0, 3)) ? digits.slice(0, 3) : digits.slice(0, 4)
    const subscriber = digits.slice(area.length)
    if (subscriber.length >= 7 && subscriber.length <= 8 && !/^[01]/.test(subscriber)) {
      return {
        raw,
        kind: 'landline',
        normalised: digits,
        e164: `+86${digits.slice(1)}`,
        areaCode: area,
        local: area === home,
        display: `${area}-${subscriber}`,
        problem: null
      }
    }
  }
  // Local landline without area code: 7–8 digits not starting 0 or 1 → home area.
  if (/^[2-9]\d{6,7}$/.test(digits)) {
    const full = `${home}${digits}`
    return { raw, kind: 'landline', normalised: full, e164: `+86${full.slice(1)}`, areaCode: home, local: true, display: `${home}-${digits}`, problem: null }
  }
  return invalid(raw, shown, '无法识别的号码格式', 'unrecognised number format')
}
