import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DbClient } from '../db/client'
import { FieldCipher } from '../crypto/field-cipher'
import { createMemoryLogger } from '../logging'
import { DomainBus, type DomainEvents } from '../features/bus'
import { SyncWorker, type SendOutcome } from '../sync/sync-worker'
import { seal, sealedSender, open } from '../sync/sealed-outbox'
import { withDependentParams } from '../sync/dependent-changes'
import type { ChangePayload } from '../sync/change-payload'
import type { OutboxEntry } from '../db/outbox-operations'
import { normaliseCallerNumber, type CallSnapshot, type PhoneFact, type PhoneFactBody } from '../../shared/phone'
import { PhoneService } from './phone-service'
import { CallRecords, callEntityKey } from './call-records'
import { testHub, testSnapshot } from './test-support'

/**
 * The platform's call records from the phone's facts, through a real SQLite outbox, the real sync worker and the
 * dependent-id resolution, against a scripted platform that can be offline or refuse a call (the reference
 * platform itself is in call-records-platform.test.ts and the sandbox e2e).
 */
interface PlatformCall {
  id: number
  direction: string
  callerNumber: string
  dialledNumber: string
  status: string
  agentId: string | null
  answeredAt: string | null
  endedAt: string | null
  result: string | null
  ticketId: number | null
}

class ScriptedPlatform {
  online = true
  readonly calls = new Map<number, PlatformCall>()
  readonly requests: { operation: string; id?: number; body: Record<string, unknown> }[] = []
  refuse: (body: Record<string, unknown>) => boolean = () => false
  private next = 100

  send(entry: OutboxEntry): SendOutcome {
    if (!this.online) return { kind: 'retry', reason: 'offline', error: { message: 'down' } }
    const payload = entry.payload as ChangePayload
    const body = payload.body as Record<string, unknown>
    if (entry.operation === 'createCall') {
      if (this.refuse(body)) return { kind: 'reject', error: { message_zh: '拒绝', message_en: 'refused' } }
      const call: PlatformCall = {
        id: ++this.next,
        direction: body.direction as string,
        callerNumber: body.callerNumber as string,
        dialledNumber: body.dialledNumber as string,
        status: body.direction === 'inbound' ? 'queued' : 'in_progress',
        agentId: null,
        answeredAt: null,
        endedAt: null,
        result: null,
        ticketId: null
      }
      this.calls.set(call.id, call)
      this.requests.push({ operation: 'createCall', body })
      return { kind: 'ok', response: call }
    }
    const id = Number(payload.params?.id)
    const call = this.calls.get(id)
    if (!call) return { kind: 'reject', error: { message: `no call ${payload.params?.id}` } }
    Object.assign(call, body)
    this.requests.push({ operation: entry.operation, id, body })
    return { kind: 'ok', response: call }
  }
}

let dir: string
let db: DbClient
let worker: SyncWorker
let records: CallRecords
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-calls-'))
  db = (await DbClient.open(path.join(dir, 'desk.sqlite'))).client
})
afterEach(async () => {
  records?.stop()
  await worker?.stop()
  await db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function until<T>(fn: () => Promise<T> | T, ms = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

function setup() {
  let now = 1_700_000_000_000
  const cipher = new FieldCipher(randomBytes(32))
  const platform = new ScriptedPlatform()
  const log = createMemoryLogger()
  const hub = testHub({ id: 'u-agent01', username: 'agent01', displayName: '张三', roles: ['agent'], seatId: 'S1' }, dir)
  // The outbox as core builds it: sealed payloads; the sender resolves dependent ids from earlier answers.
  const outbox = {
    async enqueue(operation: string, entityKey: string | null, payload: ChangePayload, actor: string | null, idempotencyKey = 'k'): Promise<string> {
      await db.call('outbox.enqueue', { idempotencyKey, operation, entityKey, payload: seal(cipher, payload), actor, at: now })
      worker.kick()
      return idempotencyKey
    }
  }
  worker = new SyncWorker(
    db,
    sealedSender(cipher, async (entry) => {
      const ready = await withDependentParams(entry, async (key) => {
        const done = await db.call('outbox.done', { idempotencyKey: key })
        return done ? open(cipher, done.response) : undefined
      })
      return ready.kind === 'ready' ? platform.send(ready.entry) : ready.outcome
    }),
    { outcome: () => undefined, changed: () => undefined },
    log,
    { baseDelayMs: 5, maxDelayMs: 20, idleMs: 20 }
  )
  const bus = new DomainBus()
  const ended: DomainEvents['call.ended'][] = []
  bus.on('call.ended', (e) => ended.push(e))
  const config = { profile: 'sandbox', sip: null }
  records = new CallRecords({ config, log, hub, db, cipher, outbox } as never, { now: () => now, pollMs: 10 })
  const svc = new PhoneService(
    { config, log, hub, session: {}, audit: { record: async () => undefined }, notify: () => undefined, bus, platform: { call: async () => ({ items: [] }) }, sendPhoneCommand: () => undefined } as never,
    { now: () => now, records }
  )
  let seq = 0
  const fact = (f: PhoneFactBody) => svc.fact({ ...f, seq: ++seq, at: now } as PhoneFact)
  const snap = (callId: string, patch: Partial<CallSnapshot> = {}) => testSnapshot(callId, '13800138000', patch, now)
  /** The phone host's facts for one call: rings (or dials), maybe answered, then ends as said. */
  const call = {
    ring: (callId: string, patch: Partial<CallSnapshot> = {}) => fact({ type: 'call', call: snap(callId, patch), previous: 'idle' }),
    answer: (callId: string, patch: Partial<CallSnapshot> = {}) => {
      now += 3000
      fact({ type: 'call', call: snap(callId, { state: 'established', answeredAt: now, startedAt: now - 3000, ...patch }), previous: 'answering' })
    },
    end: (callId: string, patch: Partial<CallSnapshot>) => {
      now += 20_000
      fact({ type: 'call', call: snap(callId, { state: 'terminated', startedAt: now - 23_000, endedAt: now, ...patch }), previous: 'established' })
    }
  }
  const outboxRows = async () => (await db.call('outbox.list', { limit: 100 })).map((e) => ({ key: e.idempotencyKey, entity: e.entityKey, status: e.status }))
  const pending = async () => (await db.call('outbox.counts', undefined as never)).pending
  return { platform, records, svc, bus, ended, fact, call, outboxRows, pending, cipher, now: () => now }
}

describe('CallRecords: every call a platform call record, through the outbox', () => {
  it('queues create → ringing → answered → ended in order while offline, and sends them in that order when the platform is back', async () => {
    const t = setup()
    t.platform.online = false
    worker.start()
    t.call.ring('in-1')
    t.call.answer('in-1')
    t.call.end('in-1', { answeredAt: t.now(), endedBy: 'remote' })
    await records.idle()
    expect(await t.outboxRows()).toEqual(
      ['create', 'ringing', 'answered', 'ended'].map((step) => ({ key: `phone-call:in-1:${step}`, entity: callEntityKey('in-1'), status: 'pending' }))
    )
    // Not numbered yet: the bus event says so, and the phone never waited.
    expect(t.ended).toHaveLength(1)
    expect(t.ended[0]!.platformCallId).toBeNull()
    // The caller's number is sealed in SQLite, like every outbox payload.
    for (const f of fs.readdirSync(dir)) expect(fs.readFileSync(path.join(dir, f)).includes(Buffer.from('13800138000'))).toBe(false)

    t.platform.online = true
    worker.reconnected()
    await until(async () => (await t.pending()) === 0)
    expect(t.platform.requests.map((r) => [r.operation, r.body.status ?? null])).toEqual([
      ['createCall', null],
      ['updateCall', 'ringing'],
      ['updateCall', 'in_progress'],
      ['updateCall', 'ended']
    ])
    const [record] = [...t.platform.calls.values()]
    expect(record).toMatchObject({ direction: 'inbound', callerNumber: '13800138000', dialledNumber: '12345', status: 'ended', agentId: 'u-agent01', result: 'answered' })
    expect(Date.parse(record!.endedAt!) - Date.parse(record!.answeredAt!)).toBe(20_000)
  })

  it('knows the platform id once the create is answered: call.ended carries it; a rejected call is recorded as rejected', async () => {
    const t = setup()
    worker.start()
    t.call.ring('in-2')
    const id = await until(() => t.records.platformIdOf('in-2'))
    t.call.end('in-2', { endedBy: 'local' })
    expect(t.ended.at(-1)).toMatchObject({ callId: 'in-2', platformCallId: id })
    await records.idle()
    await until(async () => (await t.pending()) === 0)
    expect(t.platform.calls.get(id)).toMatchObject({ status: 'ended', result: 'rejected', answeredAt: null, agentId: 'u-agent01' })
  })

  it('records a blocked malicious number, a caller who gave up, and a callback that was not answered', async () => {
    const t = setup()
    worker.start()
    t.fact({ type: 'incoming', callId: 'in-b', sipCallId: 's', caller: normaliseCallerNumber('13900001111'), callerName: null, assertedIdentity: null, callee: null, replacesCallId: null, blocked: true })
    t.call.ring('in-3', { peer: normaliseCallerNumber('07752801234') })
    t.call.end('in-3', { peer: normaliseCallerNumber('07752801234'), endedBy: 'remote', cause: { code: 'cancelled', message: '', messageEn: '', sipStatus: null, detail: null } })
    t.call.ring('out-1', { direction: 'outbound', state: 'dialing', peer: normaliseCallerNumber('13700000001') })
    t.call.end('out-1', { direction: 'outbound', peer: normaliseCallerNumber('13700000001'), endedBy: 'remote', cause: { code: 'busy', message: '', messageEn: '', sipStatus: 486, detail: null } })
    await records.idle()
    await until(async () => (await t.pending()) === 0)
    const byNumber = (n: string) => [...t.platform.calls.values()].find((c) => c.callerNumber === n || c.dialledNumber === n)
    expect(byNumber('13900001111')).toMatchObject({ direction: 'inbound', status: 'ended', result: 'blocked' })
    expect(byNumber('07752801234')).toMatchObject({ direction: 'inbound', status: 'ended', result: 'abandoned' })
    expect(byNumber('13700000001')).toMatchObject({ direction: 'outbound', callerNumber: '12345', status: 'ended', result: 'missed' })
  })

  it('a create the platform refuses holds back only its own call; given up, its updates are settled, never stuck', async () => {
    const t = setup()
    t.platform.refuse = (body) => body.callerNumber === '13811112222'
    worker.start()
    t.call.ring('bad', { peer: normaliseCallerNumber('13811112222') })
    t.call.end('bad', { peer: normaliseCallerNumber('13811112222'), endedBy: 'local' })
    t.call.ring('good')
    t.call.end('good', { endedBy: 'local' })
    await records.idle()
    await until(() => [...t.platform.calls.values()].find((c) => c.result === 'rejected'))
    const rows = await t.outboxRows()
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ['phone-call:bad:create', 'rejected'],
      ['phone-call:bad:ringing', 'pending'],
      ['phone-call:bad:ended', 'pending']
    ])
    // The agent gives the registration up (sync problems): its updates are settled without being sent, not stuck.
    const parked = (await db.call('outbox.parked', { limit: 10 }))[0]!
    await db.call('outbox.discard', { seq: parked.seq, at: Date.now(), note: null })
    worker.kick()
    await until(async () => (await t.outboxRows()).length === 0)
    expect(await db.call('outbox.done', { idempotencyKey: 'phone-call:bad:ended' })).toBeTruthy()
    expect(t.platform.calls.size).toBe(1)
  })

  it('links the ticket filed for a call to its record and to its consultation leg, once each', async () => {
    const t = setup()
    worker.start()
    t.call.ring('in-5')
    t.call.answer('in-5')
    t.call.ring('cons-1', { direction: 'outbound', state: 'dialing', peer: normaliseCallerNumber('2002'), linkedTo: 'in-5' })
    t.call.answer('cons-1', { direction: 'outbound', peer: normaliseCallerNumber('2002'), linkedTo: 'in-5' })
    t.call.end('cons-1', { direction: 'outbound', peer: normaliseCallerNumber('2002'), linkedTo: 'in-5', answeredAt: t.now(), endedBy: 'local' })
    t.call.end('in-5', { answeredAt: t.now() - 23_000, endedBy: 'local' })
    await records.linkTicket('cons-1', '42')
    await records.linkTicket('in-5', '42')
    await records.idle()
    await until(async () => (await t.pending()) === 0)
    const all = [...t.platform.calls.values()]
    expect(all).toHaveLength(2)
    expect(all.map((c) => [c.direction, c.dialledNumber, c.result, c.ticketId])).toEqual([
      ['inbound', '12345', 'answered', 42],
      ['outbound', '2002', 'answered', 42]
    ])
    expect(t.platform.requests.filter((r) => r.body.ticketId === 42)).toHaveLength(2)
  })

  it('a call handed to the satisfaction survey is answered, not transferred (another transfer is)', async () => {
    const t = setup()
    worker.start()
    t.call.ring('in-s')
    t.call.answer('in-s')
    t.svc.noteSurvey('in-s', true)
    t.call.end('in-s', { answeredAt: t.now(), endedBy: 'transfer' })
    t.call.ring('in-t', { peer: normaliseCallerNumber('13922223333') })
    t.call.answer('in-t', { peer: normaliseCallerNumber('13922223333') })
    t.call.end('in-t', { peer: normaliseCallerNumber('13922223333'), answeredAt: t.now(), endedBy: 'transfer' })
    await records.idle()
    await until(async () => (await t.pending()) === 0)
    const byNumber = (n: string) => [...t.platform.calls.values()].find((c) => c.callerNumber === n)
    expect(byNumber('13800138000')).toMatchObject({ result: 'answered' })
    expect(byNumber('13922223333')).toMatchObject({ result: 'transferred' })
  })

  it('closes at the next start the records of calls that were live when main died (answered → answered, ringing → missed)', async () => {
    const t = setup()
    t.platform.online = false
    t.call.ring('live-1')
    t.call.answer('live-1')
    t.call.ring('live-2', { peer: normaliseCallerNumber('13911112222') })
    t.call.ring('done-3', { peer: normaliseCallerNumber('13933334444') })
    t.call.end('done-3', { peer: normaliseCallerNumber('13933334444'), endedBy: 'local' })
    await records.idle()
    // Main dies here. The next start, same database: a new CallRecords recovers before any call rings.
    records.stop()
    const log = createMemoryLogger()
    const hub = testHub({ id: 'u-agent01', username: 'agent01', displayName: '张三', roles: ['agent'], seatId: 'S1' }, dir)
    const outbox = {
      enqueue: async (operation: string, entityKey: string | null, payload: ChangePayload, actor: string | null, idempotencyKey = 'k') => {
        await db.call('outbox.enqueue', { idempotencyKey, operation, entityKey, payload: seal(t.cipher, payload), actor, at: Date.now() })
        return idempotencyKey
      }
    }
    records = new CallRecords({ config: { profile: 'sandbox', sip: null }, log, hub, db, cipher: t.cipher, outbox } as never, { now: () => t.now() + 5000 })
    expect(await records.recover()).toBe(2)
    // A second start finds nothing left open.
    expect(await records.recover()).toBe(0)
    t.platform.online = true
    worker.start()
    await until(async () => (await t.pending()) === 0)
    const byNumber = (n: string) => [...t.platform.calls.values()].find((c) => c.callerNumber === n)
    expect(byNumber('13800138000')).toMatchObject({ status: 'ended', result: 'answered' })
    expect(byNumber('13911112222')).toMatchObject({ status: 'ended', result: 'missed', answeredAt: null })
    expect(byNumber('13933334444')).toMatchObject({ status: 'ended', result: 'rejected' })
    expect(t.platform.requests.filter((r) => r.body.status === 'ended')).toHaveLength(3)
    expect(byNumber('13800138000')!.endedAt).toBe(new Date(t.now() + 5000).toISOString())
  })
})
