import { describe, expect, it } from 'vitest'
import { checkDraft, type CheckReference } from './checks'
import { inspectCall } from './quality'
import { transcriptTurns } from './transcription'

const ref: CheckReference = {
  categories: [
    { id: '01', parentId: null, level: 1, name: '城乡建设', defaultDepartmentId: null },
    { id: '01.01', parentId: '01', level: 2, name: '物业管理', defaultDepartmentId: 'zjj' },
    { id: '01.01.01', parentId: '01.01', level: 3, name: '物业服务', defaultDepartmentId: 'zjj' }
  ],
  departments: [
    { id: 'zjj', name: '市住房和城乡建设局' },
    { id: 'jyj', name: '市教育局' }
  ],
  districts: [
    { name: '玉州区', towns: ['名山街道', '仁东镇'] },
    { name: '北流市', towns: ['城南街道', '民安镇'] }
  ],
  categoryDepartments: { '01.01.01': ['zjj'] }
}
const good = { content: '小区电梯坏了半个月没修', category: ['01', '01.01', '01.01.01'], department: 'zjj', area: ['玉州区', '名山街道'], address: '玉州区名山街道人民路 3 号', callerPhone: '13900000001', anonymous: false }

describe('checkDraft', () => {
  it('passes a complete, consistent draft', () => {
    expect(checkDraft(good, ref)).toEqual([])
  })
  it('names a town of another district in the address', () => {
    const issues = checkDraft({ ...good, address: '民安镇新街 5 号' }, ref)
    expect(issues).toMatchObject([{ field: 'address', code: 'address-area-mismatch', severity: 'warning' }])
    expect(issues[0]!.zh).toContain('北流市')
  })
  it('names another town of the same district', () => {
    expect(checkDraft({ ...good, address: '仁东镇 5 号' }, ref).map((i) => i.code)).toEqual(['address-town-mismatch'])
  })
  it('warns when the department does not handle the category, and when a confident model disagrees', () => {
    const codes = checkDraft({ ...good, department: 'jyj' }, ref, { categoryId: 'other', categoryName: '教育', confidence: 0.9, abstain: false }).map((i) => i.code)
    expect(codes).toEqual(['category-department-mismatch', 'model-disagrees'])
    // An abstaining model says nothing.
    expect(checkDraft(good, ref, { categoryId: 'other', categoryName: '教育', confidence: 0.3, abstain: true })).toEqual([])
  })
  it('requires a level-3 category and a phone unless anonymous', () => {
    const codes = checkDraft({ ...good, category: ['01', '01.01'], callerPhone: '' }, ref).map((i) => i.code)
    expect(codes).toEqual(['category-not-leaf', 'phone-required'])
    expect(checkDraft({ ...good, callerPhone: '', anonymous: true }, ref)).toEqual([])
    expect(checkDraft({ ...good, callerPhone: '138****5678' }, ref)).toEqual([])
  })
})

describe('quality inspection without a transcript', () => {
  it('does not fail greeting and closing it could not hear', () => {
    const r = inspectCall([], { category: 'a', departmentId: 'zjj', content: '小区电梯坏了', callerPhone: '1' }, { talkSeconds: 100 })
    expect(r.findings.map((f) => f.rule)).not.toContain('greeting')
    expect(r.service).toBe(100)
  })
  it('joins a provider’s final segments into turns', () => {
    const turns = transcriptTurns([
      { callId: 'c', speaker: 'agent', text: '您好，', startMs: 0, endMs: 500, final: true },
      { callId: 'c', speaker: 'agent', text: '12345', startMs: 600, endMs: 900, final: true },
      { callId: 'c', speaker: 'caller', text: '我要反映', startMs: 1000, endMs: 2000, final: false },
      { callId: 'c', speaker: 'caller', text: '电梯坏了', startMs: 1000, endMs: 2000, final: true }
    ])
    expect(turns).toEqual([
      { speaker: 'agent', text: '您好，12345' },
      { speaker: 'caller', text: '电梯坏了' }
    ])
  })
})
