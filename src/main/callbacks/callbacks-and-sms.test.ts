import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DbClient } from '../db/client'
import { FieldCipher } from '../crypto/field-cipher'
import { DomainBus } from '../features/bus'
import type { FeatureContext } from '../features/feature'
import type { SessionUser } from '../ipc/dispatcher'
import { createCallbacksAndSms } from './callbacks-and-sms'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-callbacks-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('callbacks: numbers masked per role', () => {
  it('shows QA the masked number, an agent the number to dial', async () => {
    const { client: db } = await DbClient.open(path.join(dir, 'b.sqlite'))
    const task = { id: 7, ticketId: 3, ticketNumber: 'YL20260101000003', phone: '13907751234', status: 'pending', dueAt: '2026-01-01T00:00:00.000Z', attempts: 0, result: null, satisfaction: null, dissatisfactionReason: null, note: '', updatedAt: '2026-01-01T00:00:00.000Z' }
    const audited: string[] = []
    const bus = new DomainBus()
    const ctx = {
      db,
      cipher: new FieldCipher(Buffer.alloc(32, 7)),
      audit: { record: async (_a: string | null, action: string) => void audited.push(action) },
      platform: { call: async () => ({ items: [task], nextCursor: null }) },
      bus
    } as unknown as FeatureContext
    const { callbacks } = createCallbacksAndSms(ctx)
    const user = (roles: SessionUser['roles']): SessionUser => ({ id: '1', username: 'u', displayName: 'U', roles, seatId: null })
    expect((await callbacks.list({ status: 'pending', due: false }, user(['qa']))).items[0]).toMatchObject({ phone: '139****1234', phoneMasked: true })
    expect((await callbacks.list({ status: 'pending', due: false }, user(['agent']))).items[0]).toMatchObject({ phone: '13907751234', phoneMasked: false, queued: false, refused: null })
    expect(audited).toEqual(['callbacks.viewed', 'callbacks.viewed'])
    // The softphone reports an unanswered callback call: the task offers "no answer" as its result.
    bus.emit('call.ended', { callId: 'c1', direction: 'outbound', remoteNumber: task.phone, actor: 'u', startedAt: 1, answeredAt: null, endedAt: 2, holdMs: 0, endedBy: 'local', purpose: 'callback', ticketId: '3' })
    expect((await callbacks.list({ status: 'pending', due: false }, user(['agent']))).items[0]!.lastCall).toEqual({ answered: false, endedAt: 2 })
    await db.close()
  })
})
