/**
 * Sensitive-word and emotion alerts for the seat assistant (坐席助手): threats, self-harm, abuse of the agent,
 * extreme anger, group incidents. Pure: a lexicon of our own writing, matched on normalised text, with cheap
 * negation handling (a negator shortly before the cue — "不会自杀", "没有威胁" — cancels that hit).
 *
 * Severity drives the UI: 'critical' → escalate to the team lead now (and, for self-harm, follow the crisis
 * script); 'high' → suggest escalation; 'medium' → soothing script prompt.
 */

export type AlertKind = 'self-harm' | 'threat' | 'abuse' | 'anger' | 'group-incident'
export type Severity = 'medium' | 'high' | 'critical'

export interface Alert {
  kind: AlertKind
  severity: Severity
  /** The cue words found, in order of appearance. */
  cues: string[]
  suggestion: string
  escalate: boolean
}

interface Rule {
  kind: AlertKind
  severity: Severity
  cues: string[]
}

const RULES: Rule[] = [
  {
    kind: 'self-harm',
    severity: 'critical',
    cues: ['自杀', '轻生', '跳楼', '跳河', '喝农药', '割腕', '不想活', '活不下去', '寻死', '一死了之', '死给你们看', '结束生命', '上吊', '烧炭']
  },
  {
    kind: 'threat',
    severity: 'critical',
    cues: ['杀了他', '杀了你', '弄死', '砍死', '同归于尽', '炸了', '炸掉', '放火', '烧了你们', '报复社会', '报复', '拿刀', '血洗', '要你命']
  },
  {
    kind: 'group-incident',
    severity: 'high',
    cues: ['集体上访', '围堵', '堵路', '拉横幅', '聚集', '到市政府门口', '找媒体曝光', '静坐', '群体']
  },
  {
    kind: 'abuse',
    severity: 'high',
    cues: ['你是猪', '废物', '混蛋', '王八蛋', '滚蛋', '去死', '傻逼', '傻b', '脑残', '狗东西', '白痴', '蠢货', '他妈的', '你妈', '畜生']
  },
  {
    kind: 'anger',
    severity: 'medium',
    cues: ['气死', '受够了', '忍无可忍', '太过分', '欺人太甚', '投诉你', '你工号', '什么态度', '第几次打', '打了无数次', '没人管', '踢皮球', '敷衍', '曝光', '告到']
  }
]

const SUGGESTIONS: Record<AlertKind, string> = {
  'self-harm': '疑似轻生倾向：保持通话、安抚情绪，立即通知班长，按危机干预流程转接或联系相关部门。',
  threat: '涉及人身威胁：保持冷静、记录原话，立即通知班长，按规定上报。',
  'group-incident': '可能涉及群体性事件：详细记录时间地点人数，通知班长研判并上报。',
  abuse: '来电人辱骂坐席：按规范提醒文明用语，持续辱骂可报班长处理。',
  anger: '来电人情绪激动：先致歉安抚，复述诉求，必要时请班长协助。'
}

const NEGATORS = ['不会', '不想', '没有', '没', '不', '别', '不是', '不要', '绝不', '并非', '从未', '无意']
/** How many characters before a cue a negator still applies. */
const NEGATION_WINDOW = 3

const SEVERITY_RANK: Record<Severity, number> = { medium: 1, high: 2, critical: 3 }

function normaliseForAlerts(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, (m) => (/[，。！？；,.!?;]/.test(m) ? '，' : ''))
}

function negated(text: string, at: number): boolean {
  // Stop at a clause boundary: "我不会……，但我要报复" keeps the second clause's cue.
  const start = Math.max(0, at - NEGATION_WINDOW - 2)
  const before = text.slice(start, at)
  const clause = before.slice(before.lastIndexOf('，') + 1)
  return NEGATORS.some((n) => {
    const i = clause.lastIndexOf(n)
    return i >= 0 && clause.length - (i + n.length) <= NEGATION_WINDOW
  })
}

/** Alerts in the text, most severe first; at most one alert per kind. */
export function detectAlerts(text: string): Alert[] {
  const t = normaliseForAlerts(text)
  const out: Alert[] = []
  for (const rule of RULES) {
    const hits: { cue: string; at: number }[] = []
    for (const cue of rule.cues) {
      let from = 0
      for (;;) {
        const at = t.indexOf(cue, from)
        if (at < 0) break
        from = at + cue.length
        // "报复" inside "报复社会" etc. is fine; skip cues covered by a longer cue already found.
        if (hits.some((h) => at >= h.at && at < h.at + h.cue.length)) continue
        if (!negated(t, at)) hits.push({ cue, at })
      }
    }
    if (hits.length === 0) continue
    hits.sort((a, b) => a.at - b.at)
    // Repeated anger cues escalate to 'high'.
    const severity: Severity = rule.kind === 'anger' && hits.length >= 3 ? 'high' : rule.severity
    out.push({
      kind: rule.kind,
      severity,
      cues: [...new Set(hits.map((h) => h.cue))],
      suggestion: SUGGESTIONS[rule.kind],
      escalate: SEVERITY_RANK[severity] >= SEVERITY_RANK.high
    })
  }
  return out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
}
