import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load-config'
import { createCore, type Core } from '../core'
import { createMemoryLogger } from '../logging'
import type { Result } from '../../shared/result'
import type { Call } from '../../shared/api/calls'
import type { CallSnapshot } from '../../shared/phone'
import { testSnapshot } from './test-support'
import { client, login, until } from '../../../tests/platform/support'
import { fixtureChunks } from '../../../tests/fixtures/recording/fixture'

/**
 * The phone's calls on the reference platform, in the sandbox core: the phone host's facts go through the IPC
 * dispatcher as they do from the real phone host, the records through the outbox and the sync worker over HTTP to
 * the embedded platform; the recording made during the call is attached to the same record (one record, not two).
 */
let dir: string
let core: Core
let seq = 0

async function send(caller: 'ui' | 'phone', service: string, method: string, args: unknown): Promise<unknown> {
  const r = (await core.dispatcher.handle(caller, service, method, args)) as Result<unknown>
  if (!r.ok) throw new Error(`${service}.${method}: ${JSON.stringify(r.error)}`)
  return r.value
}
const snap = (callId: string, number: string, patch: Partial<CallSnapshot>) => testSnapshot(callId, number, patch)
const fact = (call: CallSnapshot) => send('phone', 'phone', 'fact', { type: 'call', seq: ++seq, at: Date.now(), call, previous: null })
async function platformCalls(number: string): Promise<Call[]> {
  const lead = await login(core.platformUrl, 'lead01')
  return ((await client(core.platformUrl, lead)('GET', `/api/v1/calls?callerNumber=${number}`)).body as { items: Call[] }).items
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-callrec-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  core = await createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger() })
  await core.session.login('agent01', 'sandbox')
}, 60_000)
afterAll(async () => {
  await core?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('call records on the reference platform', () => {
  it('an answered, recorded call with a ticket: one record with the agent, its times, result answered, the ticket and the recording', async () => {
    const number = '13907758001'
    const startedAt = Date.now()
    await fact(snap('pc-1', number, { startedAt }))
    const answeredAt = startedAt + 2000
    await fact(snap('pc-1', number, { startedAt, state: 'established', answeredAt }))
    await send('phone', 'recordings', 'begin', { callId: 'pc-1', startedAt: answeredAt, mimeType: 'audio/webm;codecs=opus', linkedTo: null })
    for (const [i, c] of fixtureChunks().entries()) await send('phone', 'recordings', 'chunk', { callId: 'pc-1', seq: i, data: c.toString('base64') })
    const ticket = (await core.platform.call('listTickets', { query: { limit: 1 } })).items[0]!
    core.bus.emit('ticket.submitted', { ticketId: String(ticket.id), ticketNumber: ticket.number, callId: 'pc-1', actor: 'agent01', text: '', category: null, department: null, suggested: null, handling: '', at: Date.now() })
    await send('phone', 'recordings', 'end', { callId: 'pc-1', durationMs: 3200 })
    const endedAt = answeredAt + 9000
    await fact(snap('pc-1', number, { startedAt, state: 'terminated', answeredAt, endedAt, endedBy: 'remote' }))

    const raw = () => new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
    const rec = await until(async () => {
      const db = raw()
      try {
        return db.prepare("SELECT platform_call_id AS callId, platform_recording_id AS recordingId FROM recordings WHERE call_id = 'pc-1' AND status = 'uploaded'").get() as { callId: number; recordingId: number } | undefined
      } finally {
        db.close()
      }
    }, 20_000)
    const calls = await until(async () => {
      const all = await platformCalls(number)
      return all.every((c) => c.status === 'ended') ? all : null
    }, 20_000)
    expect(calls).toHaveLength(1)
    const me = core.session.currentUser()!
    expect(calls[0]).toMatchObject({
      id: rec.callId,
      direction: 'inbound',
      dialledNumber: '12345',
      agentId: me.id,
      status: 'ended',
      result: 'answered',
      answeredAt: new Date(answeredAt).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      ticketId: ticket.id,
      recordingId: rec.recordingId
    })
  }, 40_000)

  it('a call the agent rejects is recorded as rejected; a caller who hangs up while it rings, as abandoned', async () => {
    await fact(snap('pc-2', '13907758002', {}))
    await fact(snap('pc-2', '13907758002', { state: 'terminated', endedAt: Date.now() + 3000, endedBy: 'local' }))
    await fact(snap('pc-3', '13907758003', {}))
    await fact(snap('pc-3', '13907758003', { state: 'terminated', endedAt: Date.now() + 3000, endedBy: 'remote', cause: null }))
    const ended = (number: string) => until(async () => ((await platformCalls(number)).every((c) => c.status === 'ended') ? platformCalls(number) : null), 20_000)
    expect(await ended('13907758002')).toMatchObject([{ status: 'ended', result: 'rejected', answeredAt: null }])
    expect(await ended('13907758003')).toMatchObject([{ status: 'ended', result: 'abandoned', answeredAt: null }])
  }, 40_000)
})
