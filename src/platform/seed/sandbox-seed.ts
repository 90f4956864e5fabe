import type { Role } from '../../shared/roles'
import { insertUser } from '../auth'
import type { Db } from '../db/open-database'
import { insertArticle } from '../services/knowledge'
import { CATEGORY_TREE } from './categories'
import { DEPARTMENTS, OFFICE_HOURS } from './departments'
import { generateHistory, type LeafInfo } from './history-generator'
import { ARTICLES, REPLY_TEMPLATES, SMS_TEMPLATES } from './knowledge-content'
import { YULIN_AREAS } from './yulin-areas'

export const SANDBOX_PASSWORD = 'sandbox'
const SEED_KEY = 'seed.sandbox'
const SEED_VERSION = '1'
/** Fixed seed of the history generator: every sandbox shows the same callers. */
export const HISTORY_SEED = 12345

const ACCOUNTS: { id: string; name: string; roles: Role[]; seat: string | null }[] = [
  { id: 'agent01', name: '话务员 李晓梅', roles: ['agent'], seat: 'seat-01' },
  { id: 'agent02', name: '话务员 陈志华', roles: ['agent'], seat: 'seat-02' },
  { id: 'lead01', name: '班长 黄丽娟', roles: ['team_lead'], seat: 'seat-09' },
  { id: 'qa01', name: '质检员 梁国平', roles: ['qa'], seat: null },
  { id: 'trainer01', name: '培训师 庞春燕', roles: ['trainer'], seat: 'seat-10' },
  { id: 'admin01', name: '管理员 覃建明', roles: ['admin'], seat: null }
]

/** Writes the category tree; returns the level-3 leaves with their usual department. */
function seedCategories(db: Db): LeafInfo[] {
  const insert = db.prepare('INSERT INTO categories (id, parent_id, level, name, default_department_id, sort) VALUES (?, ?, ?, ?, ?, ?)')
  const leaves: LeafInfo[] = []
  CATEGORY_TREE.forEach(([l1, children], i) => {
    const id1 = String(i + 1).padStart(2, '0')
    insert.run(id1, null, 1, l1, null, i)
    children.forEach(([l2, leafs], j) => {
      const id2 = `${id1}.${String(j + 1).padStart(2, '0')}`
      insert.run(id2, id1, 2, l2, leafs[0]?.department ?? null, j)
      leafs.forEach((leaf, k) => {
        const id3 = `${id2}.${String(k + 1).padStart(2, '0')}`
        insert.run(id3, id2, 3, leaf.name, leaf.department, k)
        leaves.push({ id: id3, name: leaf.name, department: leaf.department, samples: leaf.samples })
      })
    })
  })
  return leaves
}

/**
 * Loads the training sandbox's data once per data directory (a restart finds
 * the marker and skips). All of it is the project's own writing or generated.
 */
export function seedSandbox(db: Db, now = new Date()): void {
  if (db.prepare('SELECT 1 FROM meta WHERE key = ?').get(SEED_KEY)) return
  db.transaction(() => {
    const at = now.toISOString()
    const groups = [
      ['sg-general', '综合咨询组', 'general', '政策咨询、一般求助'],
      ['sg-complaint', '投诉举报组', 'complaint', '投诉举报、疑难诉求'],
      ['sg-enterprise', '企业服务组', 'enterprise', '营商环境、涉企诉求']
    ] as const
    for (const g of groups) db.prepare('INSERT INTO skill_groups (id, name, queue, description) VALUES (?, ?, ?, ?)').run(...g)
    for (let i = 1; i <= 10; i++) {
      const id = `seat-${String(i).padStart(2, '0')}`
      const sg = i <= 6 ? ['sg-general', 'sg-complaint'] : i <= 8 ? ['sg-enterprise'] : ['sg-general', 'sg-complaint', 'sg-enterprise']
      db.prepare('INSERT INTO seats (id, name, extension, skill_group_ids) VALUES (?, ?, ?, ?)').run(id, `${i}号座席`, String(8000 + i), JSON.stringify(sg))
    }
    for (const a of ACCOUNTS) insertUser(db, { id: a.id, username: a.id, displayName: a.name, roles: a.roles, seatId: a.seat, password: SANDBOX_PASSWORD, sandbox: true })

    let d = 0
    for (const [district, { streets, towns }] of Object.entries(YULIN_AREAS)) {
      db.prepare('INSERT INTO districts (name, sort) VALUES (?, ?)').run(district, d++)
      let t = 0
      for (const s of streets) db.prepare('INSERT INTO towns (district, name, kind, sort) VALUES (?, ?, ?, ?)').run(district, s, '街道', t++)
      for (const s of towns) db.prepare('INSERT INTO towns (district, name, kind, sort) VALUES (?, ?, ?, ?)').run(district, s, s.endsWith('乡') ? '乡' : '镇', t++)
    }
    for (const dep of DEPARTMENTS) {
      db.prepare('INSERT INTO departments (id, name, kind, phone, address, office_hours) VALUES (?, ?, ?, ?, ?, ?)').run(dep.id, dep.name, dep.kind, dep.phone, dep.address, OFFICE_HOURS)
      for (const [text, keywords] of dep.duties) db.prepare('INSERT INTO duty_clauses (department_id, text, keywords) VALUES (?, ?, ?)').run(dep.id, text, JSON.stringify(keywords))
    }
    const leaves = seedCategories(db)
    const leafId = new Map(leaves.map((l) => [l.name, l.id]))
    for (const a of ARTICLES) insertArticle(db, { title: a.title, categoryId: a.category ? (leafId.get(a.category) ?? null) : null, body: a.body, keywords: a.keywords, source: '沙箱示例（本项目编写）' }, 'admin01', at)
    for (const t of REPLY_TEMPLATES)
      db.prepare('INSERT INTO reply_templates (title, category_id, body) VALUES (?, ?, ?)').run(t.title, t.category ? (leafId.get(t.category) ?? null) : null, t.body)
    for (const s of SMS_TEMPLATES) {
      const variables = [...new Set([...s.body.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!))]
      db.prepare('INSERT INTO sms_templates (id, name, body, variables) VALUES (?, ?, ?, ?)').run(s.id, s.name, s.body, JSON.stringify(variables))
    }
    const history = generateHistory(db, leaves, { seed: HISTORY_SEED, phones: 60, now })
    // One of the generated numbers is a known nuisance caller, so the malicious flag shows in the screen pop.
    db.prepare('INSERT INTO malicious_numbers (phone, reason, added_by, added_at) VALUES (?, ?, ?, ?)').run(history.phones[59], '多次拨打辱骂话务员（沙箱示例）', 'lead01', at)
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(SEED_KEY, SEED_VERSION)
  })()
}
