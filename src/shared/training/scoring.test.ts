import { describe, expect, it } from 'vitest'
import { scoreAttempt } from './scoring'

const scenario = { expected: { category: ['劳动和社会保障', '劳动关系', '拖欠工资'], department: 'rsj' } }

describe('scoring a simulated call', () => {
  it('full marks: right category and department, answered in 5 s, agent closed', () => {
    const s = scoreAttempt(scenario, { ringingAt: 0, answeredAt: 5000, endedBy: 'agent', ticket: { category: '劳动和社会保障/劳动关系/拖欠工资', department: 'rsj' } })
    expect(s.total).toBe(100)
  })

  it('half marks for the right first level, none for the wrong department, and says what was expected', () => {
    const s = scoreAttempt(scenario, { ringingAt: 0, answeredAt: 20_000, endedBy: 'citizen', ticket: { category: '劳动和社会保障 > 社会保险 > 养老保险', department: 'scjgj' } })
    expect(s.items.map((i) => i.points)).toEqual([20, 0, 5, 0])
    expect(s.items[0]!.note).toContain('拖欠工资')
    expect(s.items[1]!.note).toContain('rsj')
    expect(s.total).toBe(25)
  })

  it('an unanswered call scores nothing', () => {
    expect(scoreAttempt(scenario, { ringingAt: 0, answeredAt: null, endedBy: 'citizen', ticket: null }).total).toBe(0)
  })
})
