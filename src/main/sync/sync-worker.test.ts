import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DbClient } from '../db/client'
import type { OutboxEntry } from '../db/outbox-operations'
import { createMemoryLogger } from '../logging'
import { SyncWorker, type SendOutcome } from './sync-worker'

/** Sync logic against a real SQLite outbox and a scripted sender (the real platform is in tests/platform). */
let dir: string
let db: DbClient
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-sync-'))
  db = (await DbClient.open(path.join(dir, 'desk.sqlite'))).client
})
afterEach(async () => {
  await db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const enqueue = (key: string, entityKey: string | null = null, payload: unknown = { n: key }) =>
  db.call('outbox.enqueue', { idempotencyKey: key, operation: 'createTicket', entityKey, payload, actor: 'agent01', at: Date.now() })

function worker(script: (e: OutboxEntry) => SendOutcome | Promise<SendOutcome>, opts = {}) {
  const sent: string[] = []
  const outcomes: string[] = []
  const w = new SyncWorker(
    db,
    {
      send: async (e) => {
        sent.push(e.idempotencyKey)
        return script(e)
      }
    },
    { outcome: (k) => outcomes.push(k), changed: () => undefined },
    createMemoryLogger(),
    { baseDelayMs: 5, maxDelayMs: 20, idleMs: 20, ...opts }
  )
  return { w, sent, outcomes }
}

async function until(cond: () => Promise<boolean> | boolean, ms = 5000) {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('SyncWorker', () => {
  it('sends in creation order and acknowledges each entry once', async () => {
    for (let i = 0; i < 20; i++) await enqueue(`k${i}`)
    const { w, sent } = worker(() => ({ kind: 'ok', response: { id: 1 } }))
    w.start()
    await until(async () => (await db.call('outbox.counts', undefined as never)).pending === 0)
    await w.stop()
    expect(sent).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`))
    expect(await db.call('outbox.done', { idempotencyKey: 'k7' })).toMatchObject({ response: { id: 1 } })
  })

  it('enqueueing the same idempotency key twice keeps one entry', async () => {
    expect(await enqueue('same')).toBe(await enqueue('same'))
    expect((await db.call('outbox.list', { limit: 10 })).length).toBe(1)
  })

  it('retries with backoff while offline, in order, then drains when the platform is back', async () => {
    await enqueue('a')
    await enqueue('b')
    let online = false
    const { w, sent, outcomes } = worker(() => (online ? { kind: 'ok', response: null } : { kind: 'retry', reason: 'offline', error: { message: 'ECONNREFUSED' } }))
    w.start()
    await until(() => sent.length >= 3)
    expect(new Set(sent)).toEqual(new Set(['a'])) // the head blocks: b is never sent before a
    online = true
    w.reconnected()
    await until(async () => (await db.call('outbox.counts', undefined as never)).pending === 0)
    await w.stop()
    expect(sent.slice(-2)).toEqual(['a', 'b'])
    expect(outcomes).toContain('retry')
  })

  it('parks a rejected entry and holds back later changes to the same ticket, not other tickets', async () => {
    await enqueue('t1-create', 'ticket:1')
    await enqueue('t1-update', 'ticket:1')
    await enqueue('t2-create', 'ticket:2')
    const { w, sent } = worker((e) => (e.idempotencyKey === 't1-create' ? { kind: 'reject', error: { field: 'content', message: '诉求内容不能为空' } } : { kind: 'ok', response: null }))
    w.start()
    await until(() => sent.includes('t2-create'))
    await new Promise((r) => setTimeout(r, 50))
    await w.stop()
    expect(sent).toEqual(['t1-create', 't2-create'])
    const list = await db.call('outbox.list', { limit: 10 })
    expect(list.map((e) => [e.idempotencyKey, e.status])).toEqual([
      ['t1-create', 'rejected'],
      ['t1-update', 'pending']
    ])
    expect(list[0]!.lastError).toEqual({ field: 'content', message: '诉求内容不能为空' }) // the agent sees field and reason
  })

  it('resumes after a restart with the same idempotency keys', async () => {
    await enqueue('r1')
    await enqueue('r2')
    const first = worker(() => ({ kind: 'retry', reason: 'offline', error: {} }))
    first.w.start()
    await until(() => first.sent.length >= 1)
    await first.w.stop()
    await db.close()
    db = (await DbClient.open(path.join(dir, 'desk.sqlite'))).client
    const second = worker(() => ({ kind: 'ok', response: null }))
    second.w.reconnected()
    second.w.start()
    await until(async () => (await db.call('outbox.counts', undefined as never)).pending === 0)
    await second.w.stop()
    expect(second.sent).toEqual(['r1', 'r2'])
  })

  it('backoff grows exponentially with full jitter and is capped', () => {
    const w = new SyncWorker(db, { send: async () => ({ kind: 'ok', response: null }) }, { outcome: () => undefined, changed: () => undefined }, createMemoryLogger(), {
      baseDelayMs: 100,
      maxDelayMs: 10_000,
      random: () => 1
    })
    expect([0, 1, 2, 3, 10, 50].map((a) => w.backoffMs(a))).toEqual([100, 200, 400, 800, 10_000, 10_000])
  })
})
