import { describe, expect, it } from 'vitest'
import { type DutyEntry, type TrainingTicket, fitAbstainThreshold, fitTemperature, trainDispatchModel } from './model'
import { DispatchModelFileError, loadDispatchModel, serialiseDispatchModel } from './model-file'
import { evaluate } from './metrics'

// Our own small tickets: five categories, segmented and raw mixed, with departments.
const base: [string, string, string][] = [
  ['小区 路灯 坏 晚上 很 黑 修理', '城乡建设', 'city'],
  ['马路 井盖 缺失 行人 危险', '城乡建设', 'city'],
  ['小区 物业 乱收 停车费 业主 意见', '城乡建设', 'housing'],
  ['物业 公司 不 维修 电梯 业主 投诉', '城乡建设', 'housing'],
  ['道路 施工 占用 人行道', '城乡建设', 'city'],
  ['老旧 小区 改造 房屋 漏水', '城乡建设', 'housing'],
  ['公司 拖欠 工资 三个月 不 发', '劳动和社会保障', 'labour'],
  ['单位 不给 缴纳 社保 养老保险', '劳动和社会保障', 'labour'],
  ['工伤 认定 材料 咨询', '劳动和社会保障', 'labour'],
  ['失业 保险金 申领 流程', '劳动和社会保障', 'labour'],
  ['劳动 合同 到期 单位 补偿 工资', '劳动和社会保障', 'labour'],
  ['学校 乱 收费 补课 家长 负担', '教育文体', 'education'],
  ['幼儿园 学位 不足 孩子 入园 难', '教育文体', 'education'],
  ['小学 划片 入学 户口 房产', '教育文体', 'education'],
  ['教师 体罚 学生 家长 投诉', '教育文体', 'education'],
  ['中学 食堂 饭菜 学生 反映', '教育文体', 'education'],
  ['工厂 排放 废气 气味 污染 空气', '环境保护', 'environment'],
  ['河道 污水 直排 发臭 死鱼', '环境保护', 'environment'],
  ['工地 夜间 噪音 污染 休息', '环境保护', 'environment'],
  ['垃圾 焚烧 浓烟 居民 污染', '环境保护', 'environment'],
  ['餐馆 油烟 扰民 排气', '环境保护', 'environment'],
  ['公交 线路 调整 站点 出行 不便', '交通运输', 'transport'],
  ['出租车 拒载 绕路 收费', '交通运输', 'transport'],
  ['客运站 班车 超载 司机', '交通运输', 'transport'],
  ['网约车 司机 态度 投诉', '交通运输', 'transport'],
  ['公路 坑洼 货车 超限', '交通运输', 'transport']
]
// Repeat with small variations so the calibration fold has enough cases.
const tickets: TrainingTicket[] = []
for (let r = 0; r < 4; r++) {
  base.forEach(([text, label, department], i) => {
    const words = text.split(' ')
    const variant = words.filter((_, k) => (k + r) % 5 !== 0).join(' ')
    tickets.push({ id: `t${r}-${i}`, text: variant, label, department })
  })
}
const duty: DutyEntry[] = [
  { departmentId: 'city', name: '城市管理局', clauses: ['负责市政道路、路灯、井盖等设施的维护管理'] },
  { departmentId: 'market', name: '市场监督管理局', clauses: ['负责查处销售假冒伪劣商品', '负责食品安全和价格违法投诉处理'] }
]
const opts = { minDf: 1, svm: { C: 1, epochs: 30, tol: 0.01, seed: 1 }, calibrationShare: 0.25 }
const model = trainDispatchModel(tickets, duty, opts)

describe('trainDispatchModel / predict', () => {
  it('ranks the right category first on raw text with function words and punctuation', () => {
    const p = model.predict('我们公司已经拖欠工资三个月了，请帮忙！')
    expect(p.top3[0]!.label).toBe('劳动和社会保障')
    expect(p.top3).toHaveLength(3)
    const sum = p.top3.reduce((a, r) => a + r.confidence, 0)
    expect(sum).toBeLessThanOrEqual(1 + 1e-9)
    expect(p.confidence).toBe(p.top3[0]!.confidence)
    expect(p.top3[0]!.confidence).toBeGreaterThanOrEqual(p.top3[1]!.confidence)
  })

  it('explains with the words that drove it and similar past tickets', () => {
    const p = model.predict('河道里的污水直排，发臭了')
    expect(p.top3[0]!.label).toBe('环境保护')
    const words = p.explanation.words.map((w) => w.text).join(' ')
    expect(words).toMatch(/污水|直排|发臭|河道/)
    expect(p.explanation.similarTickets[0]!.label).toBe('环境保护')
    expect(p.explanation.similarTickets[0]!.snippet).toContain('污水')
  })

  it('recommends a department known only from its duty list, with the clause', () => {
    const p = model.predict('超市销售假冒伪劣商品')
    expect(p.department?.top3.map((r) => r.label)).toContain('market')
    const m = p.department!.top3.find((r) => r.label === 'market')!
    expect(m.name).toBe('市场监督管理局')
    expect(p.explanation.dutyClauses.find((c) => c.departmentId === 'market')?.text).toContain('假冒伪劣')
  })

  it('abstains on text it has no evidence for', () => {
    const p = model.predict('今天天气怎么样')
    expect(p.abstain).toBe(true)
  })

  it('is deterministic', () => {
    const again = trainDispatchModel(tickets, duty, opts)
    expect(again.predict('学校乱收补课费').top3).toEqual(model.predict('学校乱收补课费').top3)
  })

  it('refuses to train on nothing', () => {
    expect(() => trainDispatchModel([], [])).toThrow(/zero tickets/)
  })

  it('learns a vocabulary from raw history when no ticket is segmented', () => {
    const raw = tickets.map((t) => ({ ...t, text: t.text.replace(/ /g, '') }))
    const m = trainDispatchModel(raw, [], opts)
    expect(m.data.vocabulary.size).toBeGreaterThan(20)
    expect(m.predict('孩子入园难，幼儿园学位不足').top3[0]!.label).toBe('教育文体')
  })
})

describe('calibration helpers', () => {
  it('fitTemperature sharpens under-confident scores and softens over-confident ones', () => {
    const gold = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    const right = gold.map((g) => (g === 0 ? [0.2, 0] : [0, 0.2]))
    expect(fitTemperature(right, gold)).toBeLessThan(0.2)
    const half = [0, 1, 0, 1].map((g) => (g === 0 ? [5, 0] : [5, 0]))
    expect(fitTemperature(half, [0, 1, 0, 1])).toBeGreaterThan(5)
  })

  it('fitAbstainThreshold picks the lowest confidence that keeps the target accuracy', () => {
    const conf = [0.99, 0.95, 0.9, 0.8, 0.7, 0.6]
    const correct = [true, true, true, false, true, false]
    expect(fitAbstainThreshold(conf, correct, 0.95)).toBe(0.9)
    expect(fitAbstainThreshold(conf, correct, 0.8)).toBe(0.7)
  })
})

describe('metrics', () => {
  it('computes top-k, macro-F1, ECE and accuracy at 70 % coverage', () => {
    const cases = [
      { gold: 'a', ranked: ['a', 'b', 'c'], confidence: 0.9 },
      { gold: 'b', ranked: ['a', 'b', 'c'], confidence: 0.5 },
      { gold: 'b', ranked: ['b', 'a', 'c'], confidence: 0.8 },
      { gold: 'c', ranked: ['a', 'b', 'd'], confidence: 0.3 }
    ]
    const r = evaluate(cases)
    expect(r.top1).toBe(0.5)
    expect(r.top3).toBe(0.75)
    expect(r.perClassF1).toEqual({ a: 0.5, b: 0.6667, c: 0 })
    expect(r.macroF1).toBeCloseTo(0.3889, 3)
    expect(r.accuracyAt70Coverage).toBeCloseTo(2 / 3, 3)
    expect(r.ece).toBeGreaterThan(0)
  })
})

describe('model file', () => {
  it('round-trips through JSON with identical predictions', () => {
    const loaded = loadDispatchModel(serialiseDispatchModel(model))
    for (const t of ['小区路灯坏了', '出租车拒载', '超市销售假冒伪劣商品']) {
      const a = model.predict(t)
      const b = loaded.predict(t)
      expect(b.top3.map((r) => r.label)).toEqual(a.top3.map((r) => r.label))
      expect(b.confidence).toBeCloseTo(a.confidence, 5)
      expect(b.explanation.similarTickets.map((s) => s.id)).toEqual(a.explanation.similarTickets.map((s) => s.id))
      expect(b.department?.top3[0]?.label).toBe(a.department?.top3[0]?.label)
    }
  })

  it('gives clear errors for bad files', () => {
    const good = JSON.parse(serialiseDispatchModel(model)) as Record<string, unknown>
    expect(() => loadDispatchModel('not json')).toThrow(DispatchModelFileError)
    expect(() => loadDispatchModel('{"format":"other"}')).toThrow(/not a dispatch model/)
    expect(() => loadDispatchModel(JSON.stringify({ ...good, version: 99 }))).toThrow(/version 99 is not supported/)
    expect(() => loadDispatchModel(JSON.stringify({ ...good, category: { ...(good['category'] as object), temperature: -1 } }))).toThrow(
      /category\.temperature/
    )
    const cat = good['category'] as { weights: string[] }
    expect(() => loadDispatchModel(JSON.stringify({ ...good, category: { ...cat, weights: cat.weights.map((w) => w.slice(0, 8)) } }))).toThrow(
      /category weights of .*expected \d+ numbers/
    )
  })
})
