import { describe, expect, it } from 'vitest'
import { detectAlerts } from './alerts'
import { findDuplicates, textSimilarity } from './duplicates'
import { inspectCall, qualityRates } from './quality'

describe('detectAlerts', () => {
  it('flags self-harm as critical with escalation', () => {
    const a = detectAlerts('工资一直不发，我真的活不下去了，再不解决我就跳楼')
    expect(a[0]).toMatchObject({ kind: 'self-harm', severity: 'critical', escalate: true })
    expect(a[0]!.cues).toEqual(['活不下去', '跳楼'])
  })

  it('honours a nearby negation but not one in another clause', () => {
    expect(detectAlerts('你放心，我不会自杀的')).toEqual([])
    expect(detectAlerts('我没有威胁谁')).toEqual([])
    expect(detectAlerts('我不想闹事，但我要报复他们').map((x) => x.kind)).toEqual(['threat'])
  })

  it('detects abuse of the agent and orders by severity', () => {
    const a = detectAlerts('你们就是一群废物！气死我了，我要弄死他')
    expect(a.map((x) => x.kind)).toEqual(['threat', 'abuse', 'anger'])
    expect(a.find((x) => x.kind === 'anger')!.escalate).toBe(false)
  })

  it('escalates repeated anger', () => {
    const a = detectAlerts('受够了！太过分了，你们一直踢皮球，没人管')
    expect(a[0]).toMatchObject({ kind: 'anger', severity: 'high', escalate: true })
  })

  it('is quiet on an ordinary request', () => {
    expect(detectAlerts('请问小区路灯坏了找哪个部门修理？')).toEqual([])
  })
})

describe('duplicates', () => {
  const history = [
    { id: 'a', text: '幸福小区3栋门口路灯坏了一个月，晚上很黑', createdAt: '2024-05-01T10:00:00Z', callerPhone: '13800000001' },
    { id: 'b', text: '咨询社保卡补办需要什么材料', createdAt: '2024-05-20T10:00:00Z', callerPhone: '+86 138-0000-0002' },
    { id: 'c', text: '幸福小区3栋门口的路灯坏了一个月了，晚上很黑！', createdAt: '2024-03-01T10:00:00Z' }
  ]

  it('similarity is high for re-worded copies and low for unrelated text', () => {
    expect(textSimilarity('幸福小区3栋门口路灯坏了', '幸福小区5栋门口的路灯坏了！')).toBeGreaterThan(0.8)
    expect(textSimilarity('幸福小区路灯坏了', '社保卡补办材料')).toBeLessThan(0.1)
  })

  it('finds near-identical content and the same caller within the window', () => {
    const found = findDuplicates(
      { text: '我们幸福小区3栋门口的路灯坏了一个月了，晚上很黑', callerPhone: '13800000002', at: '2024-05-25T10:00:00Z' },
      history,
      { withinDays: 30 }
    )
    expect(found.map((f) => [f.ticketId, f.reason])).toEqual([
      ['a', 'similar-content'],
      ['b', 'same-caller']
    ])
    expect(found[0]!.daysAgo).toBe(24)
  })

  it('rejects a bad time', () => {
    expect(() => findDuplicates({ text: 'x', at: 'yesterday' }, history)).toThrow(/bad time/)
  })
})

describe('inspectCall', () => {
  const transcript = [
    { speaker: 'agent' as const, text: '您好，12345热线，请问有什么可以帮您？' },
    { speaker: 'caller' as const, text: '我们小区路灯坏了一个月了' },
    { speaker: 'agent' as const, text: '好的，已为您记录，会转城市管理局处理。' },
    { speaker: 'agent' as const, text: '感谢您的来电，再见。' }
  ]
  const ticket = { category: '城乡建设', departmentId: 'city', content: '幸福小区路灯坏了一个月，请维修', callerPhone: '138' }
  const cfg = { categoryDepartments: { 城乡建设: ['city', 'housing'] } }

  it('passes a compliant call on both measures', () => {
    const r = inspectCall(transcript, ticket, { talkSeconds: 120, holdSeconds: 0 }, cfg, '城乡建设')
    expect(r).toMatchObject({ service: 100, accuracy: 100, servicePassed: true, accuracyPassed: true })
  })

  it('fails forbidden phrases, missing greeting and wrong department with reasons', () => {
    const bad = [
      { speaker: 'agent' as const, text: '喂，说吧。' },
      { speaker: 'caller' as const, text: '我们小区路灯坏了' },
      { speaker: 'agent' as const, text: '这个我不知道，不归我们管。' }
    ]
    const r = inspectCall(bad, { ...ticket, departmentId: 'labour' }, { talkSeconds: 900, holdSeconds: 120 }, cfg, '环境保护')
    expect(r.servicePassed).toBe(false)
    expect(r.accuracyPassed).toBe(false)
    const failed = r.findings.filter((f) => !f.passed).map((f) => f.rule)
    expect(failed).toEqual(['greeting', 'closing', 'forbidden-phrases', 'talk-time', 'hold-time', 'category-department', 'model-agreement'])
    expect(r.findings.find((f) => f.rule === 'forbidden-phrases')!.detail).toContain('不知道')
    expect(qualityRates([r, inspectCall(transcript, ticket, { talkSeconds: 60 }, cfg)])).toEqual({ serviceRate: 0.5, accuracyRate: 0.5, n: 2 })
  })
})
