import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore, type Core } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import type { DeskEvent } from '../../src/shared/ipc/contract'
import type { Attempt } from '../../src/shared/ipc/services/training'
import { until } from '../platform/support'
import { normaliseCallerNumber } from '../../src/shared/phone/caller-number'

/**
 * The training sandbox's simulated calls as main runs them: which scenarios a
 * role sees, who may start one, the command that makes the phone host ring,
 * the citizen's events, and the score from the ticket submitted for that call.
 * (The phone host's side — sip.js and WebRTC in Chromium — has its own e2e test.)
 */
let dir: string
let core: Core
const commands: DeskEvent[] = []

type Ok<T> = { ok: true; value: T }
type Err = { ok: false; error: { code: string; message: string } }
const call = async <T>(service: string, method: string, args: unknown, caller: 'ui' | 'phone' = 'ui') => (await core.dispatcher.handle(caller, service, method, args)) as Ok<T> | Err
const value = <T>(r: Ok<T> | Err): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-training-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  core = await createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger() })
  core.onEvent((audience, e) => {
    if (audience === 'phone' && e.kind === 'phone-command') commands.push(e)
  })
}, 60_000)
afterAll(async () => {
  await core.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('training sandbox: simulated calls', () => {
  it('refuses to ring while the phone host is not ready, with a message the agent understands', async () => {
    await core.session.login('agent01', 'sandbox')
    const r = await call('training', 'start', { scenarioId: 'wage-arrears' })
    expect(r.ok).toBe(false)
    expect((r as Err).error.message).toContain('话机尚未就绪')
  })

  it('lists the scenarios and rings this desk through the phone host', async () => {
    core.supervisor.hello('test-phone-host')
    const list = value(await call<{ available: boolean; items: { id: string; goals: string[] }[] }>('training', 'scenarios', {}))
    expect(list.available).toBe(true)
    expect(list.items.map((s) => s.id)).toContain('wage-arrears')
    const unknown = await call('training', 'start', { scenarioId: 'no-such-thing' })
    expect((unknown as Err).error.message).toContain('没有这个培训场景')

    const { attemptId } = value(await call<{ attemptId: string }>('training', 'start', { scenarioId: 'wage-arrears' }))
    const cmd = commands.at(-1)
    expect(cmd).toMatchObject({ kind: 'phone-command', command: { type: 'simulate-call', attemptId, scenarioId: 'wage-arrears', agentUser: expect.any(String) } })
    expect(core.hub.get('training').active).toMatchObject({ attemptId, status: 'preparing' })
    const again = await call('training', 'start', { scenarioId: 'noise-night' })
    expect((again as Err).error.message).toContain('已有一个模拟来电')

    // The citizen rings, is answered, speaks; the phone shows the call with the same SIP Call-ID.
    value(await call('training', 'citizenEvent', { attemptId, event: { type: 'ringing', sipCallId: 'sip-abc' } }, 'phone'))
    const phone = core.hub.get('phone')
    core.hub.set('phone', { ...phone, calls: [{ ...fakeCall(), callId: 'call-1', sipCallId: 'sip-abc' }] })
    value(await call('training', 'citizenEvent', { attemptId, event: { type: 'answered' } }, 'phone'))
    value(await call('training', 'citizenEvent', { attemptId, event: { type: 'line', index: 0, text: '你好，我要反映工地拖欠工资的问题。' } }, 'phone'))
    expect(core.hub.get('training').active!.lines.map((l) => l.text)).toEqual(['你好，我要反映工地拖欠工资的问题。'])
    // A phone-host message with a hostile payload is refused by the contract, not stored.
    const bad = await call('training', 'citizenEvent', { attemptId, event: { type: 'line', index: -1, text: 'x' } }, 'phone')
    expect(bad.ok).toBe(false)

    // The agent files the ticket for this call and hangs up: the attempt is scored.
    await new Promise((r) => setTimeout(r, 100))
    // The workbench announces the category by id, as the platform numbers it.
    const leaf = (await core.platform.call('listCategories', {})).items.find((c) => c.name === '拖欠工资')!
    core.bus.emit('ticket.submitted', {
      ticketId: 'T-1',
      callId: 'call-1',
      actor: 'agent01',
      text: '拖欠工资',
      category: leaf.id,
      department: 'rsj',
      suggested: null,
      handling: 'dispatch',
      at: Date.now()
    })
    value(await call('training', 'citizenEvent', { attemptId, event: { type: 'ended', by: 'agent' } }, 'phone'))
    const mine = await until(async () => value(await call<{ items: Attempt[] }>('training', 'attempts', { limit: 10 })).items.find((a) => a.id === attemptId && a.score?.total === 100))
    expect(mine.ticket).toMatchObject({ id: 'T-1', category: '劳动和社会保障/劳动关系/拖欠工资', department: 'rsj' })
    expect(core.hub.get('training').active!.status).toBe('ended')
  })

  it("shows a practice callback live: the masked number, the caller ID the citizen saw, what they said; refuses the window's forgeries", async () => {
    value(await call('training', 'calleeEvent', { event: { type: 'ringing', number: '18977561234', presented: '12345' } }, 'phone'))
    expect(core.hub.get('training').callee).toMatchObject({ number: '189****1234', presented: '12345', status: 'ringing' })
    value(await call('training', 'calleeEvent', { event: { type: 'answered', number: '18977561234' } }, 'phone'))
    value(await call('training', 'calleeEvent', { event: { type: 'line', number: '18977561234', index: 0, text: '喂，你好，哪位？' } }, 'phone'))
    value(await call('training', 'calleeEvent', { event: { type: 'ended', number: '18977561234', by: 'agent' } }, 'phone'))
    const callee = core.hub.get('training').callee!
    expect(callee.status).toBe('ended')
    expect(callee.lines.map((l) => l.text)).toEqual(['喂，你好，哪位？'])
    expect(callee.endedBy).toBe('agent')
    // Only the phone host reports it, and only numbers are numbers.
    expect((await call('training', 'calleeEvent', { event: { type: 'answered', number: '18977561234' } }, 'ui')).ok).toBe(false)
    expect((await call('training', 'calleeEvent', { event: { type: 'ringing', number: '<script>', presented: 'x' } }, 'phone')).ok).toBe(false)
  })

  it('shows agents only their own attempts; trainers see everyone', async () => {
    await core.session.logout()
    await core.session.login('agent02', 'sandbox')
    expect(value(await call<{ items: Attempt[] }>('training', 'attempts', { limit: 10 })).items).toEqual([])
    await core.session.logout()
    await core.session.login('trainer01', 'sandbox')
    expect(value(await call<{ items: Attempt[] }>('training', 'attempts', { limit: 10 })).items.map((a) => a.trainee)).toContain('agent01')
  })

  it('is refused outside the sandbox: no simulated citizen can ring a production desk', async () => {
    const pdir = path.join(dir, 'prod')
    const config = parseConfig(
      { profile: 'production', dataDir: pdir, platform: { url: core.platformUrl }, sip: { wsUrl: 'ws://127.0.0.1:9', user: '8001', password: 'x', domain: 'yl12345.invalid' }, security: { keyStorage: 'local-file' } },
      path.join(pdir, 'config.json')
    )
    const prod = await createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger() })
    try {
      await prod.session.login('agent01', 'sandbox')
      const list = (await prod.dispatcher.handle('ui', 'training', 'scenarios', {})) as Ok<{ available: boolean }>
      expect(list.value.available).toBe(false)
      const r = (await prod.dispatcher.handle('ui', 'training', 'start', { scenarioId: 'wage-arrears' })) as Err
      expect(r.error.code).toBe('forbidden')
      expect(r.error.message).toContain('仅在培训沙箱')
    } finally {
      await prod.stop()
    }
  })
})

function fakeCall() {
  const now = Date.now()
  return {
    callId: 'x',
    direction: 'inbound' as const,
    state: 'established' as const,
    flags: { held: false, remoteHeld: false, muted: false },
    peer: normaliseCallerNumber('13907751234'),
    peerName: null,
    linkedTo: null,
    conferenceWith: null,
    startedAt: now,
    answeredAt: now,
    endedAt: null,
    endedBy: null,
    cause: null,
    sipCallId: 'x'
  }
}
