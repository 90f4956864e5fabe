import type { Db } from '../db/open-database'
import { ticketNumber } from '../services/ticket-records'
import { YULIN_AREAS } from './yulin-areas'
import type { District } from '../../shared/api'

/** mulberry32: small, fast, deterministic — the same seed gives the same sandbox everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface LeafInfo {
  id: string
  name: string
  department: string
  samples: string[]
}

const SURNAMES = '陈李黄梁林刘张王杨吴钟罗冯庞覃韦莫何邓谢'
const GIVEN = ['秀英', '志强', '丽娟', '建华', '海燕', '国平', '春梅', '伟明', '小红', '振东', '桂芳', '永福', '美玲', '家豪', '玉兰', '德胜']
const PLACES = ['人民路', '江滨路', '民主路', '教育路', '城站路', '二环北路', '玉容路', '新民路', '清湾大道', '金港大道']
const TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'complaint', 'consult', 'help'] as const

export interface HistoryOptions {
  seed: number
  phones: number
  now: Date
}

/**
 * Past calls and tickets for a fixed set of phone numbers, so the sandbox's
 * screen pop shows a real history: repeat callers, open and closed tickets,
 * several districts. Times are offsets before `now`.
 */
export function generateHistory(db: Db, leaves: LeafInfo[], opts: HistoryOptions): { phones: string[]; tickets: number; calls: number } {
  const rand = prng(opts.seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const districts = Object.keys(YULIN_AREAS) as District[]
  const insertCall = db.prepare(
    `INSERT INTO calls (direction, caller_number, dialled_number, queue, agent_id, status, queued_at, answered_at, ended_at, result, satisfaction)
     VALUES ('inbound', ?, '12345', 'general', ?, 'ended', ?, ?, ?, ?, ?)`
  )
  const insertTicket = db.prepare(
    `INSERT INTO tickets (number, status, version, type, category_id, district, town, address, title, content, urgency, confidential, anonymous,
       citizen_name, citizen_phone, channel, handling_mode, call_id, reply, deadline, satisfaction, created_by, created_at, updated_at, closed_at)
     VALUES ('', @status, 1, @type, @category, @district, @town, @address, @title, @content, 'normal', 0, 0, @name, @phone, @channel, @mode, @callId, @reply, @deadline, @satisfaction, 'agent01', @at, @at, @closedAt)`
  )
  const setNumber = db.prepare('UPDATE tickets SET number = ? WHERE id = ?')
  const insertDept = db.prepare("INSERT INTO ticket_departments (ticket_id, department_id, role, status, deadline, signed_at, handled_at, reply) VALUES (?, ?, 'lead', ?, ?, ?, ?, ?)")
  const timeline = db.prepare("INSERT INTO ticket_timeline (ticket_id, at, actor, action, from_status, to_status, note) VALUES (?, ?, 'agent01', ?, ?, ?, ?)")
  const phones: string[] = []
  let tickets = 0
  let calls = 0
  const iso = (ms: number) => new Date(ms).toISOString()
  for (let p = 0; p < opts.phones; p++) {
    const phone = `1${pick(['39', '38', '37', '58', '77', '88'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`
    phones.push(phone)
    const name = pick([...SURNAMES]) + pick(GIVEN)
    const home = pick(districts)
    const towns = [...YULIN_AREAS[home].streets, ...YULIN_AREAS[home].towns]
    const town = pick(towns)
    // The first numbers are frequent callers (several calls this week), the rest occasional.
    const callCount = p < 5 ? 4 + Math.floor(rand() * 5) : 1 + Math.floor(rand() * 4)
    for (let c = 0; c < callCount; c++) {
      const daysAgo = p < 5 && c < 3 ? rand() * 6 : 7 + rand() * 170
      const queued = opts.now.getTime() - daysAgo * 86400_000
      const abandoned = rand() < 0.12
      const answered = abandoned ? null : queued + (5 + rand() * 40) * 1000
      const ended = (answered ?? queued) + (abandoned ? 20_000 : (90 + rand() * 400) * 1000)
      const satisfaction = abandoned ? null : pick(['very_satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'no_response'])
      const info = insertCall.run(phone, abandoned ? null : pick(['agent01', 'agent02']), iso(queued), answered ? iso(answered) : null, iso(ended), abandoned ? 'abandoned' : 'answered', satisfaction)
      calls++
      if (abandoned || rand() < 0.25) continue
      const leaf = pick(leaves)
      const content = pick(leaf.samples).replaceAll('{地点}', `${home}${town}${pick(PLACES)}`)
      const direct = rand() < 0.4
      const open = !direct && daysAgo < 20 && rand() < 0.6
      const status = direct ? 'closed' : open ? pick(['dispatched', 'signed', 'handled']) : 'closed'
      const at = iso(answered! + 60_000)
      const deadline = direct ? null : iso(answered! + 10 * 86400_000)
      const t = insertTicket.run({
        status,
        type: pick(TYPES),
        category: leaf.id,
        district: home,
        town,
        address: `${home}${town}${pick(PLACES)}`,
        title: `${leaf.name}：${content.slice(0, 14)}`,
        content,
        name,
        phone,
        channel: rand() < 0.85 ? 'phone' : pick(['app', 'wechat', 'web']),
        mode: direct ? 'direct_answer' : 'dispatch',
        callId: Number(info.lastInsertRowid),
        reply: direct ? '已按知识库口径向来电人解释相关政策和办理途径，来电人表示理解。' : status === 'closed' || status === 'handled' ? '承办单位已核实处理并电话告知来电人。' : null,
        deadline,
        satisfaction: status === 'closed' && !direct ? satisfaction : null,
        at,
        closedAt: status === 'closed' ? iso(answered! + (direct ? 120_000 : 6 * 86400_000)) : null
      })
      const id = Number(t.lastInsertRowid)
      setNumber.run(ticketNumber(id, at), id)
      timeline.run(id, at, 'create', null, 'submitted', '受理')
      if (direct) timeline.run(id, at, 'answer', 'submitted', 'closed', '直接答复，一次办结')
      else {
        const deptStatus = status === 'dispatched' ? 'pending' : status === 'signed' ? 'signed' : 'handled'
        insertDept.run(id, leaf.department, deptStatus, deadline, deptStatus === 'pending' ? null : at, deptStatus === 'handled' ? at : null, deptStatus === 'handled' ? '已核实处理。' : null)
        timeline.run(id, at, 'dispatch', 'submitted', 'dispatched', `主办：${leaf.department}`)
      }
      db.prepare('UPDATE calls SET ticket_id = ? WHERE id = ?').run(id, Number(info.lastInsertRowid))
      tickets++
    }
  }
  return { phones, tickets, calls }
}
