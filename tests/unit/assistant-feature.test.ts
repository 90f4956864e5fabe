import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore, type Core } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import { until } from '../platform/support'

/**
 * The seat assistant in the sandbox core with its embedded reference platform: the model trains from the
 * platform's history and duty list in a worker, is sealed at rest, suggests with explanations, and the agents'
 * choices and quality inspections are recorded with role checks in main.
 */
let dir: string
let core: Core
const log = createMemoryLogger()

type Ok<T> = { ok: true; value: T }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = async (method: string, args: Record<string, unknown> = {}): Promise<any> => core.dispatcher.handle('ui', 'assistant', method, args)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const value = async (method: string, args: Record<string, unknown> = {}): Promise<any> => {
  const r = (await call(method, args)) as Ok<unknown> | { ok: false; error: unknown }
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
  return r.value
}

/** Waits for the push channel to settle first: stopping it mid-handshake is a separate, known issue of the push client. */
async function switchUser(username: string): Promise<void> {
  await until(async () => core.hub.get('sync').push === 'live')
  await core.session.logout()
  await core.session.login(username, 'sandbox')
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-assistant-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  core = await createCore(config, { kind: 'test', version: '0.0.0-test', log })
  await core.session.login('agent01', 'sandbox')
  await until(async () => (await value('status')).state === 'ready', 60_000)
}, 90_000)
afterAll(async () => {
  await core?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('seat assistant (main)', () => {
  it('suggests the category path and department with calibrated confidence and says why', async () => {
    const s = await value('suggest', { text: '我们小区物业不作为，电梯坏了半个月都没人修，老人上下楼很困难' })
    expect(s.ready).toBe(true)
    const top = s.category.top3[0]
    expect(top.pathNames).toEqual(['城乡建设', '物业管理', '物业服务'])
    expect(top.path).toHaveLength(3)
    expect(s.category.top3).toHaveLength(3)
    const sum = s.category.top3.reduce((a: number, r: { confidence: number }) => a + r.confidence, 0)
    expect(sum).toBeLessThanOrEqual(1.0001)
    expect(s.department.top3[0]).toMatchObject({ id: 'zjj', name: '市住房和城乡建设局' })
    expect(s.explanation.words.map((w: { text: string }) => w.text).join()).toMatch(/物业|电梯/)
    expect(s.explanation.dutyClauses[0].text).toMatch(/物业/)
  })

  it('answers an empty text without a suggestion', async () => {
    expect((await value('suggest', { text: '  ' })).ready).toBe(false)
  })

  it('keeps the model sealed at rest', () => {
    const file = path.join(dir, 'data', 'assistant', 'dispatch-model.sealed')
    const bytes = fs.readFileSync(file)
    expect(bytes.length).toBeGreaterThan(1000)
    expect(bytes.toString('utf8')).not.toContain('yulin12345.dispatch-model')
    expect(bytes.toString('utf8')).not.toContain('物业')
  })

  it('alerts on a threat and suggests escalation to the team lead', async () => {
    const a = await value('alerts', { text: '再不给我解决，我就去把他们办公室炸了，同归于尽' })
    expect(a.items[0]).toMatchObject({ kind: 'threat', severity: 'critical', escalate: true })
    expect(a.items[0].suggestion).toMatch(/班长/)
    expect((await value('alerts', { text: '想咨询公租房怎么申请' })).items).toEqual([])
  })

  it('checks a draft: required fields, area against address, category against department', async () => {
    const s = await value('suggest', { text: '小区物业擅自提高物业费' })
    const path3 = s.category.top3[0].path
    const empty = await value('check', { content: '', category: [], department: null, area: [], address: '', callerPhone: '', anonymous: false })
    expect(empty.issues.filter((i: { severity: string }) => i.severity === 'error').map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining(['content-required', 'category-required', 'department-required', 'area-required', 'phone-required'])
    )
    const draft = {
      content: '小区物业擅自提高物业费，没有经过业主大会同意',
      category: path3,
      department: 'zjj',
      area: ['玉州区', '名山街道'],
      address: '玉州区名山街道人民路 1 号',
      callerPhone: '13900000001',
      anonymous: false
    }
    const mismatch = await value('check', { ...draft, department: 'jyj', address: '北流市城站路 18 号' })
    const codes = mismatch.issues.map((i: { code: string }) => i.code)
    expect(codes).toContain('address-area-mismatch')
    expect(codes).toContain('category-department-mismatch')
    expect(mismatch.issues.find((i: { code: string }) => i.code === 'address-area-mismatch').zh).toMatch(/北流市/)
    const fine = await value('check', draft)
    expect(fine.issues).toEqual([])
  })

  it('finds a near-identical past ticket and the same caller’s tickets', async () => {
    const recent = await core.platform.call('listDispatchCorpus', { query: { limit: 5 } })
    const past = recent.items[0]!
    const d = await value('duplicates', { text: past.content, callerPhone: '', withinDays: 365 })
    expect(d.items[0]).toMatchObject({ ticketId: String(past.id), reason: 'similar-content', number: past.number })
    const history = await core.platform.call('listTickets', { query: { limit: 1 } })
    const ticket = await core.platform.call('getTicket', { params: { id: history.items[0]!.id } })
    const same = await value('duplicates', { text: '一个完全不同的新问题关于路灯', callerPhone: ticket.citizen.phone!, withinDays: 365 })
    expect(same.items.some((i: { reason: string }) => i.reason.startsWith('same-caller'))).toBe(true)
  })

  it('suggests knowledge articles and reply templates', async () => {
    const k = await value('knowledge', { text: '公租房', categoryId: null })
    expect(k.articles.length).toBeGreaterThan(0)
    expect(k.articles[0].title).toMatch(/公租房|住房/)
  })

  it('records the agent’s choice, counts overrides and shows accuracy; only team leads and admins retrain', async () => {
    const s = await value('suggest', { text: '老板拖欠三个月工资不发' })
    const suggested = s.category.top3[0].id
    const other = s.category.top3[1].id
    expect((await value('recordOverride', { ticketId: 'T-1', text: '老板拖欠三个月工资不发', suggested: { category: suggested, department: 'rsj' }, chosen: { category: suggested, department: 'rsj' } })).override).toBe(false)
    expect((await value('recordOverride', { ticketId: 'T-2', text: '老板拖欠三个月工资不发，还不签合同', suggested: { category: suggested, department: 'rsj' }, chosen: { category: other, department: 'rsj' } })).override).toBe(true)
    const acc = await value('accuracy', { days: 30 })
    expect(acc).toMatchObject({ n: 2, overrides: 1, overridesTotal: 1, top1: 0.5, mayRetrain: false })
    const refused = await call('retrain')
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    // The citizen's words in the records are sealed.
    const raw = new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
    const rows = raw.prepare('SELECT sealed FROM assistant_feedback').all() as { sealed: string }[]
    raw.close()
    expect(rows).toHaveLength(2)
    expect(rows.map((r) => r.sealed).join()).not.toContain('工资')
  })

  it('inspects a filed ticket once its call has ended and records the choice against the suggestion', async () => {
    const now = Date.now()
    core.bus.emit('ticket.submitted', {
      ticketId: 'T-9',
      callId: 'call-9',
      actor: 'agent01',
      text: '小区物业不作为，电梯坏了半个月没修',
      category: '01.02.01',
      department: 'jyj',
      suggested: { category: '01.02.01', department: 'zjj' },
      handling: 'dispatch',
      at: now
    })
    core.bus.emit('call.ended', {
      callId: 'call-9',
      direction: 'inbound',
      remoteNumber: '13900000001',
      actor: 'agent01',
      startedAt: now - 900_000,
      answeredAt: now - 890_000,
      endedAt: now,
      holdMs: 5_000,
      endedBy: 'remote',
      purpose: 'hotline',
      ticketId: 'T-9'
    })
    const mine = await until(async () => {
      const r = await value('inspections', { limit: 10 })
      return r.items.find((i: { ticketId: string }) => i.ticketId === 'T-9') ? r : null
    })
    const insp = mine.items.find((i: { ticketId: string }) => i.ticketId === 'T-9')
    expect(insp.agentId).toBe('agent01')
    // 890 s of talk is over the 600 s limit; the department is not the category's.
    expect(insp.findings.find((f: { rule: string }) => f.rule === 'talk-time').passed).toBe(false)
    expect(insp.findings.find((f: { rule: string }) => f.rule === 'category-department').passed).toBe(false)
    const acc = await until(async () => {
      const a = await value('accuracy', { days: 30 })
      return a.n === 3 ? a : null
    })
    expect(acc.overrides).toBe(2)
  })

  it('shows an agent only their own inspections and QA everyone’s', async () => {
    core.bus.emit('ticket.submitted', {
      ticketId: 'T-10',
      callId: null,
      actor: 'agent02',
      text: '孩子今年上小学，想问能不能就近入学',
      category: '03.01.01',
      department: 'jyj',
      suggested: null,
      handling: 'direct_answer',
      at: Date.now()
    })
    await until(async () => (await core.db.call('assistant.inspection.list', { agentId: 'agent02', limit: 5 })).length === 1)
    const mine = await value('inspections', { limit: 50 })
    expect(mine.items.every((i: { agentId: string }) => i.agentId === 'agent01')).toBe(true)
    await switchUser('qa01')
    const all = await value('inspections', { limit: 50 })
    expect(new Set(all.items.map((i: { agentId: string }) => i.agentId))).toEqual(new Set(['agent01', 'agent02']))
    expect(await call('suggest', { text: '物业' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    await switchUser('lead01')
    const retrained = await value('retrain')
    expect(retrained).toMatchObject({ state: 'ready', source: 'trained' })
  }, 60_000)
})
