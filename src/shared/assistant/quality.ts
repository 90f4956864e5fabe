/**
 * Smart quality inspection (智能质检) of a finished call and its ticket. Rules score two of the contract's
 * measures:
 *   服务达标率 (service compliance): greeting, closing, no forbidden phrases, handling-time thresholds, hold time;
 *   解答准确率 (answer accuracy):    category/department consistency, required fields, the dispatch model agreeing.
 * Each measure is the weighted share of its rules passed (0–100); a call "passes" a measure at or above the pass
 * mark. Every finding says what was checked and what was seen, so the agent and the QA role can act on it.
 */

export interface TranscriptTurn {
  speaker: 'agent' | 'caller'
  text: string
}

export interface InspectedTicket {
  category?: string
  departmentId?: string
  content?: string
  callerName?: string
  callerPhone?: string
  address?: string
}

export interface CallFacts {
  /** Talk time, seconds. */
  talkSeconds: number
  holdSeconds?: number
  /** After-call work (话后处理), seconds. */
  wrapUpSeconds?: number
}

export interface QualityConfig {
  greetings: string[]
  closings: string[]
  forbidden: string[]
  /** The greeting must come within the agent's first `greetingTurns` turns. */
  greetingTurns: number
  maxTalkSeconds: number
  maxHoldSeconds: number
  maxWrapUpSeconds: number
  requiredFields: (keyof InspectedTicket)[]
  /** Which departments may handle which category; a category absent here is not checked. */
  categoryDepartments: Record<string, string[]>
  passMark: number
}

export const DEFAULT_QUALITY_CONFIG: QualityConfig = {
  greetings: ['您好', '你好', '很高兴为您服务', '12345', '请问有什么可以帮您'],
  closings: ['感谢您的来电', '谢谢您的来电', '再见', '请您先挂机', '祝您生活愉快', '还有其他问题吗', '还有什么可以帮您'],
  forbidden: ['不知道', '不归我们管', '这不是我的事', '你自己去问', '没办法', '我也没办法', '不清楚', '你听不懂吗', '说了多少遍', '爱找谁找谁', '随便你', '挂了'],
  greetingTurns: 1,
  maxTalkSeconds: 600,
  maxHoldSeconds: 60,
  maxWrapUpSeconds: 180,
  requiredFields: ['category', 'departmentId', 'content', 'callerPhone'],
  categoryDepartments: {},
  passMark: 80
}

export type Measure = 'service' | 'accuracy'

export interface Finding {
  rule: string
  measure: Measure
  passed: boolean
  weight: number
  detail: string
}

export interface QualityReport {
  /** 服务达标 score 0–100. */
  service: number
  /** 解答准确 score 0–100. */
  accuracy: number
  servicePassed: boolean
  accuracyPassed: boolean
  findings: Finding[]
}

function compact(s: string): string {
  return s.normalize('NFKC').replace(/[\s\p{P}]+/gu, '')
}

function findAny(text: string, phrases: readonly string[]): string | undefined {
  const t = compact(text)
  return phrases.find((p) => t.includes(compact(p)))
}

/**
 * Inspects a finished call and ticket. `suggestedCategory` is what the dispatch model recommended (when it did not
 * abstain): a ticket filed elsewhere is flagged for review, not failed outright.
 */
export function inspectCall(
  transcript: readonly TranscriptTurn[],
  ticket: InspectedTicket,
  facts: CallFacts,
  config: Partial<QualityConfig> = {},
  suggestedCategory?: string
): QualityReport {
  const c = { ...DEFAULT_QUALITY_CONFIG, ...config }
  const findings: Finding[] = []
  const add = (rule: string, measure: Measure, passed: boolean, weight: number, detail: string): void => {
    findings.push({ rule, measure, passed, weight, detail })
  }
  const agentTurns = transcript.filter((t) => t.speaker === 'agent')

  // Greeting, closing and forbidden phrases are judged on what was said: without a transcript (no speech-to-text
  // provider yet, see transcription.ts) they are not assessed rather than failed.
  if (transcript.length > 0) {
    const opening = agentTurns.slice(0, c.greetingTurns).map((t) => t.text).join(' ')
    const greeting = findAny(opening, c.greetings)
    add('greeting', 'service', greeting !== undefined, 2, greeting ? `开场白：“${greeting}”` : '坐席开场未使用规范问候语')

    const lastAgent = agentTurns.slice(-2).map((t) => t.text).join(' ')
    const closing = findAny(lastAgent, c.closings)
    add('closing', 'service', closing !== undefined, 2, closing ? `结束语：“${closing}”` : '坐席结束时未使用规范结束语')

    const bad = agentTurns.flatMap((t) => c.forbidden.filter((p) => compact(t.text).includes(compact(p))))
    add('forbidden-phrases', 'service', bad.length === 0, 3, bad.length ? `使用服务禁语：${[...new Set(bad)].join('、')}` : '未使用服务禁语')
  }

  add(
    'talk-time',
    'service',
    facts.talkSeconds <= c.maxTalkSeconds,
    1,
    `通话时长 ${Math.round(facts.talkSeconds)} 秒（上限 ${c.maxTalkSeconds} 秒）`
  )
  const hold = facts.holdSeconds ?? 0
  add('hold-time', 'service', hold <= c.maxHoldSeconds, 1, `保持时长 ${Math.round(hold)} 秒（上限 ${c.maxHoldSeconds} 秒）`)
  if (facts.wrapUpSeconds !== undefined) {
    add(
      'wrap-up-time',
      'service',
      facts.wrapUpSeconds <= c.maxWrapUpSeconds,
      1,
      `话后处理 ${Math.round(facts.wrapUpSeconds)} 秒（上限 ${c.maxWrapUpSeconds} 秒）`
    )
  }

  const missing = c.requiredFields.filter((f) => (ticket[f] ?? '').trim() === '')
  add('required-fields', 'accuracy', missing.length === 0, 2, missing.length ? `必填项缺失：${missing.join(', ')}` : '必填项完整')

  if (ticket.category && ticket.departmentId && c.categoryDepartments[ticket.category]) {
    const ok = c.categoryDepartments[ticket.category]!.includes(ticket.departmentId)
    add(
      'category-department',
      'accuracy',
      ok,
      3,
      ok ? '分类与承办单位一致' : `承办单位 ${ticket.departmentId} 不在“${ticket.category}”的归口单位中`
    )
  }
  if (ticket.category && suggestedCategory) {
    const ok = suggestedCategory === ticket.category
    add('model-agreement', 'accuracy', ok, 1, ok ? '分类与智能派单建议一致' : `分类“${ticket.category}”与智能派单建议“${suggestedCategory}”不同，请复核`)
  }
  if (ticket.content !== undefined) {
    const callerWords = transcript.filter((t) => t.speaker === 'caller').map((t) => t.text).join('')
    const long = compact(ticket.content).length >= Math.min(15, compact(callerWords).length)
    add('content-recorded', 'accuracy', long, 1, long ? '诉求内容已记录' : '工单诉求内容过短，未完整记录来电诉求')
  }

  const score = (m: Measure): number => {
    const fs = findings.filter((f) => f.measure === m)
    const total = fs.reduce((a, f) => a + f.weight, 0)
    return total === 0 ? 100 : Math.round((100 * fs.filter((f) => f.passed).reduce((a, f) => a + f.weight, 0)) / total)
  }
  const service = score('service')
  const accuracy = score('accuracy')
  return { service, accuracy, servicePassed: service >= c.passMark, accuracyPassed: accuracy >= c.passMark, findings }
}

/** 服务达标率 and 解答准确率 over many inspected calls: the share of calls passing each measure. */
export function qualityRates(reports: readonly QualityReport[]): { serviceRate: number; accuracyRate: number; n: number } {
  const n = reports.length
  if (n === 0) return { serviceRate: 0, accuracyRate: 0, n }
  return {
    serviceRate: reports.filter((r) => r.servicePassed).length / n,
    accuracyRate: reports.filter((r) => r.accuracyPassed).length / n,
    n
  }
}
