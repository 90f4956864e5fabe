import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load-config'
import { createCore, type Core } from '../core'
import { createMemoryLogger } from '../logging'
import type { Result } from '../../shared/result'
import type { RecordingSummary } from '../../shared/ipc/services/recordings'
import { client, login, until } from '../../../tests/platform/support'
import { FIXTURE, fixtureChunks } from '../../../tests/fixtures/recording/fixture'
import { createRecordingUploader } from './recording-upload'
import { HttpPlatformGateway, routeOfOperation } from '../platform/http-gateway'
import { recordingsDir } from './recording-service'

/**
 * Call recording end to end in main, in the sandbox core with its embedded
 * reference platform over HTTP: the phone host's chunks through the IPC
 * dispatcher, the call's end on the bus, the upload through the outbox exactly
 * once, playback and delete by role, a refusal that keeps the file.
 */
let dir: string
let core: Core

const call = async <T>(caller: 'ui' | 'phone', service: string, method: string, args: unknown) => (await core.dispatcher.handle(caller, service, method, args)) as Result<T>
async function value<T>(caller: 'ui' | 'phone', service: string, method: string, args: unknown): Promise<T> {
  const r = await call<T>(caller, service, method, args)
  if (!r.ok) throw new Error(`${service}.${method}: ${JSON.stringify(r.error)}`)
  return r.value
}
async function as(username: string) {
  if (core.session.currentUser()) await core.session.logout()
  await core.session.login(username, 'sandbox')
}
async function recordCall(callId: string, number: string, mimeType = 'audio/webm;codecs=opus', ticket?: { id: number; number: string }, platformCallId?: number) {
  await answered(callId, { mimeType, ticket })
  await hungUp(callId, number, { platformCallId })
}
/** The phone host starts recording an answered call (a consultation names the citizen's call) and sends its chunks. */
async function answered(callId: string, opts: { mimeType?: string; ticket?: { id: number; number: string }; linkedTo?: string } = {}) {
  expect(await value('phone', 'recordings', 'begin', { callId, startedAt: Date.now() - 4000, mimeType: opts.mimeType ?? 'audio/webm;codecs=opus', linkedTo: opts.linkedTo ?? null })).toEqual({ record: true })
  // The agent files the ticket while the citizen is on the line.
  const ticket = opts.ticket
  if (ticket)
    core.bus.emit('ticket.submitted', { ticketId: String(ticket.id), ticketNumber: ticket.number, callId, actor: 'agent01', text: '', category: null, department: null, suggested: null, handling: '', at: Date.now() })
  for (const [seq, c] of fixtureChunks().entries()) await value('phone', 'recordings', 'chunk', { callId, seq, data: c.toString('base64') })
}
/** The call ends: the recorder stops, and the phone feature announces the end. */
async function hungUp(callId: string, number: string, opts: { platformCallId?: number; purpose?: 'hotline' | 'consult' } = {}) {
  await value('phone', 'recordings', 'end', { callId, durationMs: 3200 })
  core.bus.emit('call.ended', {
    callId,
    direction: opts.purpose === 'consult' ? 'outbound' : 'inbound',
    remoteNumber: number,
    actor: 'agent01',
    startedAt: Date.now() - 5000,
    answeredAt: Date.now() - 4000,
    endedAt: Date.now(),
    holdMs: 0,
    endedBy: 'remote',
    purpose: opts.purpose ?? 'hotline',
    ticketId: null,
    ...(opts.platformCallId ? { platformCallId: opts.platformCallId } : {})
  })
}
const rows = () => {
  const raw = new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
  try {
    return raw.prepare('SELECT id, call_id AS callId, status, platform_recording_id AS platformRecordingId, problem, file FROM recordings').all() as {
      id: string
      callId: string
      status: string
      platformRecordingId: number | null
      problem: string | null
      file: string
    }[]
  } finally {
    raw.close()
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-recf-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  core = await createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger() })
  await as('agent01')
}, 60_000)
afterAll(async () => {
  await core?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('call recordings with the reference platform', () => {
  it('uploads a finished recording through the outbox exactly once, with its call', async () => {
    const base = core.platformUrl
    const lead = await login(base, 'lead01')
    const ticket = ((await client(base, lead)('GET', '/api/v1/tickets?limit=1')).body as { items: { id: number; number: string }[] }).items[0]!
    await recordCall('rec-call-1', '13907750001', undefined, ticket)
    const row = await until(async () => rows().find((r) => r.callId === 'rec-call-1' && r.status === 'uploaded'), 20_000)
    const calls = await client(base, lead)('GET', '/api/v1/calls?callerNumber=13907750001')
    const items = (calls.body as { items: { id: number; recordingId: number | null; status: string; result: string | null }[] }).items
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ recordingId: row.platformRecordingId, status: 'ended', result: 'answered', ticketId: ticket.id })
    const audio = await fetch(`${base}/api/v1/recordings/${row.platformRecordingId}/audio`, { headers: { authorization: `Bearer ${lead}` } })
    const bytes = Buffer.from(await audio.arrayBuffer())
    expect(audio.headers.get('content-type')).toMatch(/audio\/webm/)
    expect(bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3')
    expect(bytes.length).toBeGreaterThan(FIXTURE.length)

    // The answer was lost after the platform stored it (crash before the local mark): sending again replays.
    const raw = new Database(path.join(dir, 'data', 'desk.sqlite'))
    raw.prepare("UPDATE recordings SET status = 'finalised' WHERE id = ?").run(row.id)
    raw.close()
    const send = createRecordingUploader({
      db: core.db,
      cipher: core.cipher,
      gateway: new HttpPlatformGateway(base, routeOfOperation),
      token: () => core.session.bearer(),
      dir: recordingsDir(path.join(dir, 'data'))
    })
    const again = await send({ seq: 0, idempotencyKey: `recording:${row.id}`, operation: 'uploadRecording', entityKey: null, payload: { body: { recording: row.id } }, attempts: 1, status: 'pending', nextAttemptAt: 0, createdAt: 0, lastError: null, actor: null } as never)
    expect(again).toMatchObject({ kind: 'ok', response: { recordingId: row.platformRecordingId } })
    const after = (await client(base, lead)('GET', '/api/v1/calls?callerNumber=13907750001')).body as { items: unknown[] }
    expect(after.items).toHaveLength(1)
  }, 40_000)

  it('attaches the recording to the call the phone side registered with the platform: one call record, with its recording', async () => {
    await as('agent01')
    // Registered when it rang (as the phone side or the platform's ACD does), ended by its registrar.
    const registered = await core.platform.call('createCall', { body: { direction: 'inbound', callerNumber: '13907750009', dialledNumber: '12345', queue: null }, idempotencyKey: 'acd-call-9' })
    const ticket = await core.platform.call('listTickets', { query: { limit: 1 } })
    await recordCall('rec-call-9', '13907750009', undefined, { id: ticket.items[0]!.id, number: ticket.items[0]!.number }, registered.id)
    const row = await until(async () => rows().find((r) => r.callId === 'rec-call-9' && r.status === 'uploaded'), 20_000)
    const lead = await login(core.platformUrl, 'lead01')
    const calls = ((await client(core.platformUrl, lead)('GET', '/api/v1/calls?callerNumber=13907750009')).body as { items: { id: number; recordingId: number | null; ticketId: number | null; status: string }[] }).items
    expect(calls).toHaveLength(1)
    // The registrar's record keeps its own status; it gains the recording and the ticket.
    expect(calls[0]).toMatchObject({ id: registered.id, recordingId: row.platformRecordingId, ticketId: ticket.items[0]!.id, status: 'queued' })
    const raw = new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
    expect(raw.prepare('SELECT platform_call_id AS id FROM recordings WHERE call_id = ?').get('rec-call-9')).toEqual({ id: registered.id })
    raw.close()
    const audio = await fetch(`${core.platformUrl}/api/v1/recordings/${row.platformRecordingId}/audio`, { headers: { authorization: `Bearer ${lead}` } })
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString('hex')).toBe('1a45dfa3')
  }, 40_000)

  it('uploads a consultation leg under the citizen call: one platform call record, the leg listed under it with the same ticket', async () => {
    await as('agent01')
    const ticket = (await core.platform.call('listTickets', { query: { limit: 1 } })).items[0]!
    await answered('rec-call-5', { ticket: { id: ticket.id, number: ticket.number } })
    // The agent consults seat 2002 while the citizen holds; the consultation ends first (transfer or three-way done).
    await answered('rec-call-5-consult', { linkedTo: 'rec-call-5' })
    await hungUp('rec-call-5-consult', '2002', { purpose: 'consult' })
    // It waits for the citizen's call instead of registering a call of its own.
    await new Promise((r) => setTimeout(r, 1500))
    expect(rows().find((r) => r.callId === 'rec-call-5-consult')).toMatchObject({ status: 'finalised' })
    await hungUp('rec-call-5', '13907750005')
    const call = await until(async () => rows().find((r) => r.callId === 'rec-call-5' && r.status === 'uploaded'), 20_000)
    const leg = await until(async () => rows().find((r) => r.callId === 'rec-call-5-consult' && r.status === 'uploaded'), 20_000)

    const lead = await login(core.platformUrl, 'lead01')
    const platformCalls = ((await client(core.platformUrl, lead)('GET', '/api/v1/calls?callerNumber=13907750005')).body as { items: { id: number; recordingId: number | null; ticketId: number | null }[] }).items
    expect(platformCalls).toHaveLength(1)
    // The call keeps the citizen's recording; the leg is stored under the same call.
    expect(platformCalls[0]).toMatchObject({ recordingId: call.platformRecordingId, ticketId: ticket.id })
    const legOnPlatform = (await client(core.platformUrl, lead)('GET', `/api/v1/recordings/${leg.platformRecordingId}`)).body as { callId: number }
    expect(legOnPlatform.callId).toBe(platformCalls[0]!.id)

    await as('qa01')
    const list = (await value<{ items: RecordingSummary[] }>('ui', 'recordings', 'list', {})).items
    const at = list.findIndex((i) => i.id === call.id)
    expect(list[at]).toMatchObject({ leg: 'call', parentId: null, ticketId: ticket.id })
    expect(list[at + 1]).toMatchObject({ id: leg.id, leg: 'consult', parentId: call.id, ticketId: ticket.id, ticketNumber: ticket.number })
    // Nor does the platform's listing show the leg's call a second time.
    expect(list.filter((i) => i.platformRecordingId === call.platformRecordingId)).toHaveLength(1)
  }, 40_000)

  it('refuses agents playback and listing in main; a team lead plays it (audited); only an admin deletes it', async () => {
    await as('agent01')
    const refused = await call('ui', 'recordings', 'audio', { id: rows()[0]!.id })
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    // On every range, not only the first.
    expect(await call('ui', 'recordings', 'audio', { id: rows()[0]!.id, offset: 100, length: 100 })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await call('ui', 'recordings', 'list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    await as('lead01')
    const list = await value<{ items: RecordingSummary[] }>('ui', 'recordings', 'list', {})
    const item = list.items.find((i) => i.callId === 'rec-call-1')!
    expect(item).toMatchObject({ status: 'uploaded', direction: 'inbound', local: true, source: 'local' })
    expect(item.ticketId).toBeGreaterThan(0)
    expect(item.ticketNumber).toBeTruthy()
    expect(item.durationMs).toBeGreaterThan(2900)
    const played = await value<{ data: string; contentType: string; durationMs: number }>('ui', 'recordings', 'audio', { id: item.id })
    expect(played.contentType).toBe('audio/webm')
    expect(Buffer.from(played.data, 'base64').subarray(0, 4).toString('hex')).toBe('1a45dfa3')
    expect(await call('ui', 'recordings', 'remove', { id: item.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const audit = await core.db.call('audit.recent', { limit: 20 })
    expect(audit.find((a) => a.action === 'recording.play' && a.actor === 'lead01' && a.subject === `recording:${item.id}`)).toBeTruthy()

    await as('admin01')
    const file = path.join(recordingsDir(path.join(dir, 'data')), rows().find((r) => r.id === item.id)!.file)
    expect(fs.existsSync(file)).toBe(true)
    await value('ui', 'recordings', 'remove', { id: item.id })
    expect(fs.existsSync(file)).toBe(false)
    const lead = await login(core.platformUrl, 'lead01')
    expect((await client(core.platformUrl, lead)('GET', `/api/v1/recordings/${item.platformRecordingId}`)).status).toBe(404)
    expect((await value<{ items: RecordingSummary[] }>('ui', 'recordings', 'list', {})).items.find((i) => i.id === item.id)).toBeUndefined()
    expect((await core.db.call('audit.recent', { limit: 20 })).find((a) => a.action === 'recording.delete' && a.actor === 'admin01')).toBeTruthy()
  }, 40_000)

  it('keeps the file and says why when the platform refuses the upload', async () => {
    await as('agent01')
    await recordCall('rec-call-2', '13907750002', 'audio/x-matroska')
    const row = await until(async () => rows().find((r) => r.callId === 'rec-call-2' && r.status === 'rejected'), 20_000)
    expect(row.problem).toMatch(/^平台拒收录音/)
    expect(fs.existsSync(path.join(recordingsDir(path.join(dir, 'data')), row.file))).toBe(true)
    const problems = await value<{ items: { operation: string }[] }>('ui', 'sync', 'problems', {})
    expect(problems.items.some((p) => p.operation === 'uploadRecording')).toBe(true)
  }, 40_000)

  it('lists and plays recordings only the platform holds, and plays from the platform once retention removed the local copy', async () => {
    // Another desk's call, recorded and uploaded there.
    const base = core.platformUrl
    const lead = await login(base, 'lead01')
    const other = await client(base, lead)('POST', '/api/v1/calls', { direction: 'inbound', callerNumber: '13907750003', dialledNumber: '12345', queue: null }, { 'idempotency-key': 'other-desk-call' })
    const otherCall = other.body as { id: number }
    const up = await fetch(`${base}/api/v1/recordings?callId=${otherCall.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${lead}`, 'content-type': 'audio/webm', 'idempotency-key': 'other-desk-audio' },
      body: new Uint8Array(FIXTURE)
    })
    const otherRec = (await up.json()) as { id: number }

    await as('qa01')
    const list = await value<{ items: RecordingSummary[]; platformUnavailable: boolean }>('ui', 'recordings', 'list', {})
    expect(list.platformUnavailable).toBe(false)
    const item = list.items.find((i) => i.platformRecordingId === otherRec.id)!
    expect(item).toMatchObject({ source: 'platform', id: `p-${otherRec.id}`, direction: 'inbound', status: 'uploaded', local: false })
    const played = await value<{ data: string; contentType: string }>('ui', 'recordings', 'audio', { id: item.id })
    expect(Buffer.from(played.data, 'base64').equals(FIXTURE)).toBe(true)
    expect((await core.db.call('audit.recent', { limit: 5 })).find((a) => a.action === 'recording.play' && a.subject === `platform-recording:${otherRec.id}`)).toBeTruthy()

    // This desk's recording, uploaded, then its local copy removed after retention: it plays from the platform.
    await as('agent01')
    await recordCall('rec-call-3', '13907750004')
    const row = await until(async () => rows().find((r) => r.callId === 'rec-call-3' && r.status === 'uploaded'), 20_000)
    await core.db.call('rec.localRemoved', { id: row.id, at: Date.now() })
    fs.rmSync(path.join(recordingsDir(path.join(dir, 'data')), row.file))
    await as('lead01')
    const fromPlatform = await value<{ data: string }>('ui', 'recordings', 'audio', { id: row.id })
    expect(Buffer.from(fromPlatform.data, 'base64').subarray(0, 4).toString('hex')).toBe('1a45dfa3')
    const mine = (await value<{ items: RecordingSummary[] }>('ui', 'recordings', 'list', {})).items.filter((i) => i.platformRecordingId === row.platformRecordingId)
    expect(mine).toMatchObject([{ source: 'local', local: false }])

    // An admin deletes the other desk's recording on the platform.
    await as('admin01')
    await value('ui', 'recordings', 'remove', { id: item.id })
    expect((await client(base, lead)('GET', `/api/v1/recordings/${otherRec.id}`)).status).toBe(404)
    expect((await value<{ items: RecordingSummary[] }>('ui', 'recordings', 'list', {})).items.find((i) => i.id === item.id)).toBeUndefined()
  }, 40_000)
})
