import type { Scenario } from '../sandbox/scenario'

/**
 * How a trainee's attempt at a simulated call is scored: did the ticket carry
 * the scenario's category and department, was the call answered promptly, and
 * did the agent (not the impatient citizen) close the call. Points add up to
 * 100; each item says why it scored what it did, for the trainer's debrief.
 */
export interface AttemptFacts {
  ringingAt: number | null
  answeredAt: number | null
  endedBy: 'agent' | 'citizen' | 'rejected' | 'failed' | null
  ticket: { category: string | null; department: string | null } | null
}

export interface ScoreItem {
  key: 'category' | 'department' | 'answer' | 'closing'
  points: number
  max: number
  note: string
}

export interface AttemptScore {
  total: number
  items: ScoreItem[]
}

/** Answered within this long after ringing: full marks (the 12345 service norm is "three rings"). */
export const PROMPT_ANSWER_MS = 15_000

/** `category` on a ticket is a path joined with '/' or '>' or the leaf only; any of them matches. */
function categoryMatches(chosen: string | null, expected: string[]): 'exact' | 'partial' | 'wrong' {
  if (!chosen) return 'wrong'
  const parts = chosen.split(/\s*[/>＞]\s*/).filter(Boolean)
  const leaf = parts.at(-1)
  if (leaf === expected.at(-1)) return 'exact'
  if (parts[0] === expected[0] || leaf === expected[0]) return 'partial'
  return 'wrong'
}

/** `departmentName` turns a department id into what the trainee saw in the form. */
export function scoreAttempt(s: Pick<Scenario, 'expected'>, f: AttemptFacts, departmentName: (id: string) => string = (id) => id): AttemptScore {
  const items: ScoreItem[] = []
  const cat = categoryMatches(f.ticket?.category ?? null, s.expected.category)
  items.push({
    key: 'category',
    max: 40,
    points: cat === 'exact' ? 40 : cat === 'partial' ? 20 : 0,
    note: !f.ticket ? '未提交工单 (no ticket submitted)' : cat === 'exact' ? '诉求类型正确' : cat === 'partial' ? `一级类型正确，末级应为「${s.expected.category.at(-1)}」` : `诉求类型应为「${s.expected.category.join(' > ')}」`
  })
  const dept = f.ticket?.department ?? null
  items.push({
    key: 'department',
    max: 40,
    points: dept === s.expected.department ? 40 : 0,
    note: !f.ticket ? '未提交工单 (no ticket submitted)' : dept === s.expected.department ? '承办部门正确' : `承办部门应为「${departmentName(s.expected.department)}」`
  })
  const wait = f.ringingAt !== null && f.answeredAt !== null ? f.answeredAt - f.ringingAt : null
  items.push({
    key: 'answer',
    max: 10,
    points: wait === null ? 0 : wait <= PROMPT_ANSWER_MS ? 10 : 5,
    note: wait === null ? '未接听 (not answered)' : `振铃 ${(wait / 1000).toFixed(1)} 秒后接听${wait <= PROMPT_ANSWER_MS ? '' : '，超过 15 秒'}`
  })
  items.push({
    key: 'closing',
    max: 10,
    points: f.endedBy === 'agent' ? 10 : 0,
    note: f.endedBy === 'agent' ? '坐席完成通话后挂机' : f.endedBy === 'citizen' ? '来电人先挂断（等待过久或未得到答复）' : '通话未完成'
  })
  return { total: items.reduce((a, i) => a + i.points, 0), items }
}
