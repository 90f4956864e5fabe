import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load-config'
import { createCore, type Core } from '../core'
import { createMemoryLogger } from '../logging'
import type { Result } from '../../shared/result'
import type { CallerView, IntakeReference, WorkRow } from '../../shared/ipc/services/workbench'
import type { DraftFieldsInput } from '../../shared/workbench/draft'
import type { DomainEvents } from '../features/bus'
import { lookupMethod, methodsFor } from '../../shared/ipc/contract'
import { until } from '../../../tests/platform/support'
import { longestHoldUpMs } from '../../../tests/support/event-loop'

/**
 * The workbench's services in the sandbox core with its embedded reference
 * platform, called through the IPC dispatcher exactly as a window would:
 * drafts sealed on disk, submit through the outbox with dispatch, caller
 * history from cache then platform, role checks and masking, the idle lock.
 */
let dir: string
let core: Core
const submitted: DomainEvents['ticket.submitted'][] = []

async function call<T>(service: string, method: string, args: unknown): Promise<Result<T>> {
  return (await core.dispatcher.handle('ui', service, method, args)) as Result<T>
}
async function value<T>(service: string, method: string, args: unknown): Promise<T> {
  const r = await call<T>(service, method, args)
  if (!r.ok) throw new Error(`${service}.${method}: ${JSON.stringify(r.error)}`)
  return r.value
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-wb-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  core = await createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger() })
  core.bus.on('ticket.submitted', (e) => submitted.push(e))
  await core.session.login('agent01', 'sandbox')
}, 60_000)
afterAll(async () => {
  await core.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

const RARE = '市民反映：路灯不亮 𠀀 㐀 𪚥 😀 <script>alert(1)</script> \'; DROP TABLE wb_drafts; --'

/** Sessions open on the embedded platform (its own SQLite file beside the desk's). */
function platformSessions(): number {
  const raw = new Database(path.join(dir, 'data', 'platform', 'platform.sqlite'), { readonly: true })
  try {
    return raw.prepare('SELECT count(*) FROM sessions').pluck().get() as number
  } finally {
    raw.close()
  }
}

describe('workbench feature', () => {
  it('keeps drafts sealed on disk, returns them exactly, ignores an older revision arriving late', async () => {
    const id = crypto.randomUUID()
    const fields: DraftFieldsInput = { callerNumber: '13907751234', content: RARE }
    expect((await value<{ status: string }>('drafts', 'save', { id, callId: 'call-1', rev: 2, fields })).status).toBe('saved')
    expect((await value<{ status: string }>('drafts', 'save', { id, callId: 'call-1', rev: 1, fields: { content: 'older' } })).status).toBe('stale')
    const back = await value<{ fields: { content: string }; callId: string }>('drafts', 'get', { id })
    expect(back.fields.content).toBe(RARE)
    expect(back.callId).toBe('call-1')
    const list = await value<{ items: { id: string }[] }>('drafts', 'list', { callId: 'call-1' })
    expect(list.items.map((d) => d.id)).toEqual([id])

    const raw = new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
    const dump = JSON.stringify(raw.prepare('SELECT * FROM wb_drafts').all())
    raw.close()
    expect(dump).not.toContain('路灯')
    expect(dump).not.toContain('13907751234')
  })

  it('refuses an incomplete ticket field by field, in Chinese first', async () => {
    const id = crypto.randomUUID()
    await value('drafts', 'save', { id, callId: null, rev: 1, fields: { content: '短' } })
    const r = await call('tickets', 'submit', { draftId: id })
    expect(r.ok).toBe(false)
    if (r.ok) return
    const paths = r.error.issues!.map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['ticketType', 'categoryPath', 'areaPath', 'content', 'callerNumber', 'leadDepartment']))
    expect(r.error.issues!.find((i) => i.path === 'content')!.message).toMatch(/^诉求内容至少 5 个字/)
  })

  it('submits a dispatched, co-handled ticket through the outbox once and announces it on the bus', async () => {
    const ref = await value<IntakeReference>('intakeRef', 'get', {})
    const leaf = ref.categories.find((c) => c.level === 3)!
    const l2 = ref.categories.find((c) => c.id === leaf.parentId)!
    const [lead, co] = ref.departments
    const id = crypto.randomUUID()
    const long = '长'.repeat(20_000 - RARE.length) + RARE
    await value('drafts', 'save', {
      id,
      callId: 'call-2',
      rev: 1,
      fields: {
        callerNumber: '13907751234',
        contactName: '张三',
        ticketType: 'complaint',
        categoryPath: [l2.parentId, l2.id, leaf.id],
        content: long,
        areaPath: [ref.areas[0]!.name, ref.areas[0]!.towns[0]!.name],
        address: '人民路 1 号',
        urgency: 'urgent',
        handling: 'dispatch',
        leadDepartment: lead!.id,
        coDepartments: [co!.id]
      }
    })
    const first = await value<{ idempotencyKey: string; receiptTo: string | null }>('tickets', 'submit', { draftId: id })
    expect(first.receiptTo).toBe('139****1234')
    const again = await value<{ idempotencyKey: string }>('tickets', 'submit', { draftId: id })
    expect(again.idempotencyKey).toBe(first.idempotencyKey)
    const event = await until(async () => submitted.find((e) => e.callId === 'call-2'))
    const ticket = await core.platform.call('getTicket', { params: { id: Number(event.ticketId) } })
    // The 受理回执 SMS follows through the outbox once the ticket is numbered, exactly once.
    const receipts = await until(async () => {
      const page = await core.platform.call('listSmsMessages', { query: { ticketId: ticket.id, limit: 10 } })
      return page.items.length ? page.items : undefined
    })
    expect(receipts).toHaveLength(1)
    expect(receipts[0]!.phone).toBe('13907751234')
    expect(receipts[0]!.text).toContain(ticket.number)
    expect(receipts[0]!.text).toContain('3个工作日')
    expect(ticket.content).toBe(long)
    expect(ticket.status).toBe('dispatched')
    expect(ticket.departments.map((d) => [d.departmentId, d.role])).toEqual([
      [lead!.id, 'lead'],
      [co!.id, 'co']
    ])
    // 紧急: three days.
    expect(Date.parse(ticket.deadline!) - Date.parse(ticket.createdAt)).toBeGreaterThan(71 * 3600_000)
    const mine = await value<{ mine: WorkRow[]; drafts: WorkRow[] }>('worklist', 'list', {})
    expect(mine.mine.some((r) => r.ticketId === ticket.id)).toBe(true)
    expect(mine.drafts.some((r) => r.draftId === id)).toBe(false)
    const platformList = await core.platform.call('listTickets', { query: { createdBy: 'agent01', limit: 200 } })
    expect(platformList.items.filter((t) => t.title === ticket.title && t.id === ticket.id)).toHaveLength(1)
  })

  it('sends no receipt when the box is unticked, for a landline, or for an anonymous caller', async () => {
    const ref = await value<IntakeReference>('intakeRef', 'get', {})
    const leaf = ref.categories.find((c) => c.level === 3)!
    const l2 = ref.categories.find((c) => c.id === leaf.parentId)!
    const base: DraftFieldsInput = {
      ticketType: 'consult',
      categoryPath: [l2.parentId!, l2.id, leaf.id],
      content: '咨询办理居住证需要哪些材料。',
      areaPath: [ref.areas[0]!.name],
      handling: 'review'
    }
    const cases: DraftFieldsInput[] = [
      { ...base, callerNumber: '13907750001', smsReceipt: false },
      { ...base, callerNumber: '07752830000' },
      { ...base, callerNumber: '', anonymous: true }
    ]
    for (const fields of cases) {
      const id = crypto.randomUUID()
      await value('drafts', 'save', { id, callId: `no-receipt-${id}`, rev: 1, fields })
      expect((await value<{ receiptTo: string | null }>('tickets', 'submit', { draftId: id })).receiptTo).toBeNull()
      const event = await until(async () => submitted.find((e) => e.callId === `no-receipt-${id}`))
      const page = await core.platform.call('listSmsMessages', { query: { ticketId: Number(event.ticketId), limit: 10 } })
      expect(page.items).toEqual([])
    }
  })

  it('shows caller history from the cache at once after one platform refresh, with 30-day repeat flag', async () => {
    const some = await core.platform.call('listTickets', { query: { createdBy: 'agent01', limit: 50 } })
    const full = await core.platform.call('getTicket', { params: { id: some.items.at(-1)!.id } })
    const phone = full.citizen.phone!
    expect(await value('callerHistory', 'lookup', { phone: '13000000000', source: 'cache' })).toBeNull()
    const fresh = await value<CallerView>('callerHistory', 'lookup', { phone, source: 'platform' })
    expect(fresh.source).toBe('platform')
    expect(fresh.tickets.length).toBeGreaterThan(0)
    expect(fresh.phone).toBe(phone)
    const cached = await value<CallerView>('callerHistory', 'lookup', { phone, source: 'cache' })
    expect(cached.source).toBe('cache')
    expect(cached.tickets.map((t) => t.id)).toEqual(fresh.tickets.map((t) => t.id))
    expect(cached.flags).toEqual(fresh.flags)
  })

  it('flags a caller with 25 calls this month as a repeat caller with all 25 counted, from the cache too', async () => {
    const phone = '13977770025'
    const day = 24 * 3600_000
    // 25 calls spread over the last 29 days, and 3 older ones that must not count.
    for (let i = 0; i < 28; i++) {
      const queuedAt = new Date(Date.now() - (i < 25 ? i * 1.1 * day + 60_000 : (40 + i) * day)).toISOString()
      await core.platform.call('createCall', { body: { direction: 'inbound', callerNumber: phone, dialledNumber: '12345', queuedAt }, idempotencyKey: crypto.randomUUID() })
    }
    const fresh = await value<CallerView>('callerHistory', 'lookup', { phone, source: 'platform' })
    expect(fresh.calls).toHaveLength(20)
    expect(fresh.flags).toMatchObject({ repeatCaller: true, callsLast30Days: 25 })
    const cached = await value<CallerView>('callerHistory', 'lookup', { phone, source: 'cache' })
    expect(cached.flags.callsLast30Days).toBe(25)
  })

  it('locks in main: a locked screen shows no citizen data until the password is given', async () => {
    await value('privacy', 'lock', {})
    const refused = await call('worklist', 'list', {})
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.message).toMatch(/屏幕已锁定/)
    // Every method the contract marks as citizen data, whichever feature serves it.
    for (const [service, method] of methodsFor('ui').filter(([s, m]) => lookupMethod(s, m)!.citizenData))
      expect(await call(service, method, {}), `${service}.${method}`).toMatchObject({ ok: false, error: { code: 'locked' } })
    expect((await value<{ locked: boolean }>('privacy', 'status', {})).locked).toBe(true)
    // Typing still saves while locked.
    expect((await call('drafts', 'save', { id: crypto.randomUUID(), callId: null, rev: 1, fields: { content: '锁屏时的输入' } })).ok).toBe(true)
    expect((await call('privacy', 'unlock', { password: 'wrong' })).ok).toBe(false)
    const sessionsBefore = platformSessions()
    expect((await value<{ locked: boolean }>('privacy', 'unlock', { password: 'sandbox' })).locked).toBe(false)
    // The platform checked the password without opening a second session.
    expect(platformSessions()).toBe(sessionsBefore)
    // If the platform cannot be reached, the sign-in password (an in-memory scrypt hash) unlocks instead.
    expect(await core.session.matchesSignInPassword('sandbox')).toBe(true)
    expect(await core.session.matchesSignInPassword('Sandbox')).toBe(false)
    expect((await call('worklist', 'list', {})).ok).toBe(true)
  })

  it('checks the sign-in password (scrypt) off main: three checks at once hold it up for less than 50 ms', async () => {
    // Each check costs tens of ms of CPU on purpose; three windows unlocking together must not add up on main.
    let answers: boolean[] = []
    const { heldMs } = await longestHoldUpMs(async () => {
      answers = await Promise.all(['sandbox', 'Sandbox', 'sandbox'].map((p) => core.session.matchesSignInPassword(p)))
    })
    expect(answers).toEqual([true, false, true])
    expect(heldMs, "main's event loop held up while checking passwords, ms").toBeLessThan(50)
  })

  it('checks roles in main and masks the number for roles that may not see it', async () => {
    await core.session.login('qa01', 'sandbox')
    const r = await call('drafts', 'save', { id: crypto.randomUUID(), callId: null, rev: 1, fields: {} })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('forbidden')
    expect((await call('callerHistory', 'lookup', { phone: '13907751234', source: 'cache' })).ok).toBe(false)
    await core.session.login('trainer01', 'sandbox')
    const view = await value<CallerView | null>('callerHistory', 'lookup', { phone: '13907751234', source: 'platform' })
    expect(view!.masked).toBe(true)
    expect(view!.phone).toBe('139****1234')
    // Another account cannot read agent01's drafts.
    expect((await value<{ items: unknown[] }>('drafts', 'list', {})).items).toEqual([])
    await core.session.login('agent01', 'sandbox')
  })

  it('tells an agent whose wrong passwords are throttled to wait, in the platform\'s words, not that it is unreachable', async () => {
    const messages: string[] = []
    for (let i = 0; i < 10 && !messages.at(-1)?.includes('登录失败次数过多'); i++) {
      const err = await core.session.login('agent02', `wrong-${i}`).catch((e: { code: string; zh: string }) => e)
      expect(err).toMatchObject({ code: 'unauthenticated' })
      messages.push((err as { zh: string }).zh)
    }
    expect(messages.slice(0, 3)).toEqual(['工号或密码错误', '工号或密码错误', '工号或密码错误'])
    expect(messages.at(-1)).toMatch(/^登录失败次数过多，请 \d+ 秒后再试$/)
  })
})
