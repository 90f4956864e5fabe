import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { formatDate, formatDateTime, formatDateTimeMinutes, formatDuration, formatTimeOfDay } from './format-time'

// Built from local parts, so the expectations hold in any time zone the tests run in.
const MORNING = new Date(2026, 11, 8, 9, 5, 3).getTime()

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('format-time', () => {
  it.each([
    ['zh-CN', formatDateTime, '2026-12-08 09:05:03'],
    ['zh-CN', formatDateTimeMinutes, '2026-12-08 09:05'],
    ['zh-CN', formatDate, '2026-12-08'],
    ['zh-CN', formatTimeOfDay, '09:05:03'],
    ['en', formatDateTime, '08/12/2026 09:05:03'],
    ['en', formatDateTimeMinutes, '08/12/2026 09:05'],
    ['en', formatDate, '08/12/2026'],
    ['en', formatTimeOfDay, '09:05:03']
  ] as const)('%s %o → %s', (locale, format, shown) => {
    i18n.global.locale.value = locale
    expect(format(MORNING)).toBe(shown)
    expect(format(new Date(MORNING).toISOString())).toBe(shown)
    expect(format(new Date(MORNING))).toBe(shown)
  })

  it('shows the desk’s local time for a moment the platform wrote in UTC', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Shanghai'
    try {
      expect(formatDateTimeMinutes('2026-12-07T17:05:03.000Z')).toBe('2026-12-08 01:05')
      expect(formatDate('2026-12-07T17:05:03.000Z')).toBe('2026-12-08')
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('shows — for a missing or unreadable moment', () => {
    for (const at of [null, undefined, 'not a date', Number.NaN]) expect(formatDateTime(at)).toBe('—')
  })

  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [7_000, '00:07'],
    [95_000, '01:35'],
    [754_900, '12:34'],
    [3_723_000, '1:02:03'],
    [-5_000, '00:00'],
    [null, '—'],
    [Number.POSITIVE_INFINITY, '—']
  ])('duration %d ms → %s', (ms, shown) => {
    expect(formatDuration(ms)).toBe(shown)
  })
})
