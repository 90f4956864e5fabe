import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DbClient } from '../db/client'
import { AuditLog } from '../audit'
import { FieldCipher } from '../crypto/field-cipher'
import { DomainBus, type DomainEvents } from '../features/bus'
import { createMemoryLogger } from '../logging'
import type { ChangePayload } from '../sync/change-payload'
import { DerivedChanges } from '../sync/derived-changes'
import { seal } from '../sync/sealed-outbox'
import { RECEIPT_TEMPLATE_ID } from '../../shared/workbench/receipt'
import { Submissions, type SubmissionSummary } from './submissions'
import type { DraftStore } from './drafts'

/**
 * What follows a ticket's number, on a real SQLite store: one sweep derives every answered submission however many
 * there are and wherever the unanswered ones sit, and a sweep after a crash at any step repeats only what is safe to
 * repeat (the receipt SMS queued once, ever; the announcement made again to idempotent listeners).
 */
let dir: string
let db: DbClient
let cipher: FieldCipher
let bus: DomainBus
let announced: DomainEvents['ticket.submitted'][]
let submissions: Submissions

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-derived-'))
  db = (await DbClient.open(path.join(dir, 'desk.sqlite'))).client
  cipher = new FieldCipher(randomBytes(32))
  bus = new DomainBus()
  announced = []
  bus.on('ticket.submitted', (e) => void announced.push(e))
  const outbox = {
    async enqueue(operation: string, entityKey: string | null, payload: ChangePayload, actor: string | null, idempotencyKey = 'k'): Promise<string> {
      await db.call('outbox.enqueue', { idempotencyKey, operation, entityKey, payload: seal(cipher, payload), actor, at: Date.now() })
      return idempotencyKey
    }
  }
  const log = createMemoryLogger()
  const ctx = { db, cipher, bus, outbox, log, audit: new AuditLog(db), derived: { register: () => undefined, kick: () => undefined } }
  submissions = new Submissions(ctx as never, {} as DraftStore)
})
afterEach(async () => {
  await db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const summary = (i: number): SubmissionSummary => ({
  title: `路灯不亮 ${i}`,
  urgency: 'normal',
  deadline: null,
  content: `第 ${i} 张：人民路路灯不亮`,
  categoryId: '04.01.01',
  department: 'scjgj',
  handling: 'dispatch',
  receipt: { templateId: RECEIPT_TEMPLATE_ID, phone: '13907750000', days: 5 }
})

/** A ticket submitted at this desk, its createTicket queued. */
async function submit(i: number): Promise<number> {
  const key = `draft-${i}`
  const seq = await db.call('outbox.enqueue', { idempotencyKey: key, operation: 'createTicket', entityKey: `ticket:${key}`, payload: seal(cipher, { body: {} }), actor: 'agent01', at: i })
  await db.call('wb.submission.add', { key, owner: 'agent01', draftId: key, callId: `call-${i}`, sealed: cipher.encryptText(JSON.stringify(summary(i))), at: i })
  return seq!
}
/** The platform numbered it (the sync worker's acknowledgement). */
const answer = (seq: number, i: number) => db.call('outbox.ack', { seq, response: seal(cipher, { id: 1000 + i, number: `YL2026${String(i).padStart(5, '0')}`, createdAt: new Date(1_700_000_000_000 + i).toISOString() }), at: Date.now() })

async function receipts(): Promise<string[]> {
  const queued = (await db.call('outbox.list', { limit: 10_000 })).filter((e) => e.operation === 'sendSms').map((e) => e.idempotencyKey)
  return queued.sort()
}
const outstanding = () => db.call('wb.submission.outstanding', undefined as never)

describe('deriving what follows a ticket number', () => {
  it('derives every answered submission in one sweep, far more than a batch, with unanswered ones among them', async () => {
    const answered: number[] = []
    for (let i = 0; i < 330; i++) {
      const seq = await submit(i)
      // Every third waits for the platform; the first 120 are all answered (a batch of them has nothing waiting).
      if (i < 120 || i % 3 !== 0) {
        await answer(seq, i)
        answered.push(i)
      }
    }
    expect(await outstanding()).toBe(answered.length)

    expect(await submissions.sweep()).toBe(true)

    expect(announced.map((e) => Number(e.ticketId) - 1000).sort((a, b) => a - b)).toEqual(answered)
    expect(await receipts()).toEqual(answered.map((i) => `receipt:draft-${i}`).sort())
    expect(await outstanding()).toBe(0)
    const kept = await db.call('wb.submission.mine', { owner: 'agent01', limit: 1000 })
    expect(kept.filter((s) => s.announced).length).toBe(answered.length)
    expect(kept.find((s) => s.idempotencyKey === 'draft-7')).toMatchObject({ ticketId: 1007, ticketNumber: 'YL202600007', announced: true })

    // Nothing is announced twice; the rest follow when the platform answers them.
    expect(await submissions.sweep()).toBe(true)
    expect(announced.length).toBe(answered.length)
    const waiting = (await db.call('outbox.list', { limit: 10_000 })).filter((e) => e.operation === 'createTicket')
    for (const e of waiting) await answer(e.seq, Number(e.idempotencyKey.slice('draft-'.length)))
    expect(await submissions.sweep()).toBe(true)
    expect(announced.length).toBe(330)
    expect((await receipts()).length).toBe(330)
  })

  it('after a crash at any step, queues each receipt SMS once, ever, and announces what was not announced', async () => {
    for (let i = 0; i < 3; i++) await answer(await submit(i), i)
    // Crashed after queuing the receipt, before keeping the number.
    await db.call('outbox.enqueue', { idempotencyKey: 'receipt:draft-0', operation: 'sendSms', entityKey: 'sms:ticket:1000', payload: seal(cipher, {}), actor: 'agent01', at: 1 })
    // Crashed the same way, and the receipt has since gone out.
    const sent = await db.call('outbox.enqueue', { idempotencyKey: 'receipt:draft-1', operation: 'sendSms', entityKey: 'sms:ticket:1001', payload: seal(cipher, {}), actor: 'agent01', at: 1 })
    await db.call('outbox.ack', { seq: sent!, response: seal(cipher, { id: 9 }), at: 2 })

    expect(await submissions.sweep()).toBe(true)

    expect(await receipts()).toEqual(['receipt:draft-0', 'receipt:draft-2'])
    expect(announced.map((e) => e.ticketId).sort()).toEqual(['1000', '1001', '1002'])
    expect(await outstanding()).toBe(0)
  })

  it('keeps a submission outstanding while a listener fails, and announces it again without a second receipt', async () => {
    let failing = true
    bus.on('ticket.submitted', async () => {
      if (failing) throw new Error('database busy')
    })
    await answer(await submit(0), 0)

    expect(await submissions.sweep()).toBe(false)
    expect(await outstanding()).toBe(1)
    expect(await receipts()).toEqual(['receipt:draft-0'])

    failing = false
    expect(await submissions.sweep()).toBe(true)
    expect(await outstanding()).toBe(0)
    expect(await receipts()).toEqual(['receipt:draft-0'])
    expect(announced.length).toBe(2)
  })

  it('settles a submission the agent gave up, with nothing to announce and no receipt', async () => {
    const seq = await submit(0)
    await db.call('outbox.park', { seq, status: 'rejected', error: { message: 'bad' } })
    await db.call('outbox.discard', { seq, at: 1, note: null })

    expect(await submissions.sweep()).toBe(true)

    expect(announced).toEqual([])
    expect(await receipts()).toEqual([])
    expect(await outstanding()).toBe(0)
  })
})

describe('derived changes: the sweeps', () => {
  const gate = () => {
    let open!: () => void
    return { wait: new Promise<void>((r) => (open = r)), open: () => open() }
  }

  it('sweeps once more when asked while a sweep runs, never two at once, and not before start', async () => {
    let running = 0
    let most = 0
    let sweeps = 0
    let held = gate()
    const derived = new DerivedChanges(createMemoryLogger(), () => undefined)
    derived.register({
      name: 'test',
      sweep: async () => {
        sweeps++
        most = Math.max(most, ++running)
        await held.wait
        running--
        return true
      }
    })
    derived.kick()
    expect(sweeps).toBe(0)
    derived.start()
    derived.kick()
    derived.kick()
    const first = held
    held = gate()
    first.open()
    held.open()
    await derived.idle()
    expect(sweeps).toBe(2)
    expect(most).toBe(1)
    await derived.stop()
  })

  it('sweeps again later while a source reports failures, until it has derived everything', async () => {
    let left = 3
    const derived = new DerivedChanges(createMemoryLogger(), () => undefined, { retryMs: 5, maxRetryMs: 20 })
    derived.register({ name: 'test', sweep: async () => --left <= 0 })
    derived.start()
    const end = Date.now() + 5000
    while (left > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5))
    expect(left).toBe(0)
    await derived.stop()
  })
})
