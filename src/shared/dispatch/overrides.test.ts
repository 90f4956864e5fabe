import { describe, expect, it } from 'vitest'
import type { TrainingTicket } from './model'
import { type OverrideRecord, foldOverrides, isOverride, makeOverrideRecord, parseOverrideRecords, recentAccuracy, retrainWithOverrides } from './overrides'

const history: TrainingTicket[] = []
const seeds: [string, string][] = [
  ['小区 路灯 坏 修理', 'A'],
  ['马路 井盖 缺失 危险', 'A'],
  ['公司 拖欠 工资', 'B'],
  ['单位 不 缴纳 社保', 'B']
]
for (let r = 0; r < 6; r++) seeds.forEach(([text, label], i) => history.push({ id: `h${r}-${i}`, text, label }))

const rec = (ticketId: string, at: string, suggested: string, chosen: string, text = '菜市场 摊位 费 上涨'): OverrideRecord => ({
  version: 1,
  ticketId,
  at,
  agentId: 'agent-7',
  text,
  suggested: { category: suggested, confidence: 0.6, abstained: false },
  chosen: { category: chosen }
})

describe('override records', () => {
  it('validates records and reports bad ones by index', () => {
    const { records, errors } = parseOverrideRecords([rec('t1', '2024-05-01T00:00:00Z', 'A', 'C'), { version: 1, ticketId: '' }])
    expect(records).toHaveLength(1)
    expect(errors[0]!.index).toBe(1)
  })

  it('folds the latest record per ticket in with a weight, replacing the historical label', () => {
    const folded = foldOverrides(history, [
      rec('h0-0', '2024-05-01T00:00:00Z', 'A', 'B', '小区 路灯 坏 修理'),
      rec('h0-0', '2024-05-02T00:00:00Z', 'A', 'C', '小区 路灯 坏 修理'),
      rec('n1', '2024-05-02T00:00:00Z', 'C', 'C')
    ])
    expect(folded).toHaveLength(history.length + 1)
    expect(folded.find((t) => t.id === 'h0-0')).toMatchObject({ label: 'C', weight: 3 })
    expect(folded.find((t) => t.id === 'n1')).toMatchObject({ label: 'C', weight: 1 })
  })

  it('a retrained model learns a category only the agents taught it', () => {
    const records = Array.from({ length: 8 }, (_, i) => rec(`n${i}`, '2024-05-02T00:00:00Z', 'A', 'C', i % 2 ? '菜市场 摊位 费 上涨' : '超市 商品 价格 欺诈'))
    const m = retrainWithOverrides(history, records, [], {}, { minDf: 1, calibrationShare: 0 })
    expect(m.labels).toContain('C')
    expect(m.predict('菜市场摊位费又上涨了').top3[0]!.label).toBe('C')
    expect(m.predict('公司拖欠工资').top3[0]!.label).toBe('B')
  })

  it('reports accuracy on recent tickets', () => {
    const records = [
      rec('1', '2024-05-30T00:00:00Z', 'A', 'A'),
      rec('2', '2024-05-29T00:00:00Z', 'A', 'B'),
      { ...rec('3', '2024-05-28T00:00:00Z', 'B', 'B'), suggested: { category: 'B', confidence: 0.3, abstained: true } },
      rec('4', '2024-01-01T00:00:00Z', 'A', 'B')
    ]
    const r = recentAccuracy(records, '2024-05-31T00:00:00Z', 30)
    expect(r).toMatchObject({ n: 3, overrides: 1, abstainRate: 1 / 3 })
    expect(r.top1).toBeCloseTo(2 / 3)
    expect(r.top1WhenConfident).toBe(0.5)
    expect(r.byCategory).toEqual({ A: { n: 1, top1: 1 }, B: { n: 2, top1: 0.5 } })
  })

  it('makes a record from a prediction', () => {
    const r = makeOverrideRecord(
      { ticketId: 't', at: '2024-05-01T00:00:00Z', agentId: 'a', text: '路灯坏了', chosen: { category: 'B' } },
      { top3: [{ label: 'A' }], confidence: 0.9, abstain: false }
    )
    expect(isOverride(r)).toBe(true)
    expect(parseOverrideRecords([r]).errors).toEqual([])
  })
})
