import { describe, expect, it } from 'vitest'
import { matchesQuery, pinyinInitials } from './pinyin'

describe('pinyinInitials', () => {
  it('gives the initials of place and category names from the collation order', () => {
    const cases: Record<string, string> = { 玉州区: 'YZQ', 福绵区: 'FMQ', 北流市: 'BLS', 容县: 'RX', 陆川县: 'LCX', 博白县: 'BBX', 兴业县: 'XYX', 城市管理: 'CSGL', 噪音扰民: 'ZYRM', 他: 'T', 欧阳: 'OY', 物业: 'WY' }
    for (const [word, want] of Object.entries(cases)) expect(pinyinInitials(word), word).toBe(want)
  })

  it('matches by substring or by initials, never on unrelated letters', () => {
    expect(matchesQuery('噪音扰民', 'zy')).toBe(true)
    expect(matchesQuery('噪音扰民', 'ZYRM')).toBe(true)
    expect(matchesQuery('噪音扰民', '扰民')).toBe(true)
    expect(matchesQuery('供水', 'zy')).toBe(false)
    expect(matchesQuery('供水', '')).toBe(true)
  })
})
