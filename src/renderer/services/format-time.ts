import dayjs from 'dayjs'
import { i18n } from '../i18n'

/**
 * Every time the workbench shows goes through here, so the same kind of time looks the same on every screen and
 * follows the UI language: a moment with seconds (a ticket's deadline, when a recording started), with minutes (a
 * timeline entry, the watermark), a day, a time of day, and a length (a call's timer, a recording). Times are the
 * desk's local time, whatever zone the platform wrote them in.
 */
const FORMATS = {
  'zh-CN': { dateTime: 'YYYY-MM-DD HH:mm:ss', dateTimeMinutes: 'YYYY-MM-DD HH:mm', date: 'YYYY-MM-DD', time: 'HH:mm:ss' },
  en: { dateTime: 'DD/MM/YYYY HH:mm:ss', dateTimeMinutes: 'DD/MM/YYYY HH:mm', date: 'DD/MM/YYYY', time: 'HH:mm:ss' }
} as const

type Moment = number | string | Date | null | undefined
type Kind = keyof (typeof FORMATS)['zh-CN']

/** Shown where a moment is missing or unreadable. */
const NONE = '—'

function format(at: Moment, kind: Kind): string {
  if (at === null || at === undefined) return NONE
  const d = dayjs(at)
  if (!d.isValid()) return NONE
  // Reading the locale ref here makes a rendered time follow a language switch.
  const formats = i18n.global.locale.value === 'en' ? FORMATS.en : FORMATS['zh-CN']
  return d.format(formats[kind])
}

/** A moment to the second: 2026-12-08 09:05:03 (08/12/2026 09:05:03 in English). */
export const formatDateTime = (at: Moment): string => format(at, 'dateTime')
/** A moment to the minute: 2026-12-08 09:05. */
export const formatDateTimeMinutes = (at: Moment): string => format(at, 'dateTimeMinutes')
/** A day: 2026-12-08. */
export const formatDate = (at: Moment): string => format(at, 'date')
/** A time of day: 09:05:03. */
export const formatTimeOfDay = (at: Moment): string => format(at, 'time')

/** A length of time, whole seconds cut off: 00:07, 12:34, 1:02:03 past an hour; — when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE
  const s = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60]
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`
}
