import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DbClient } from '../db/client'
import { openDatabase } from '../db/database'
import { FieldCipher } from '../crypto/field-cipher'
import { AuditLog } from '../audit'
import { DomainBus } from '../features/bus'
import { createMemoryLogger } from '../logging'
import { parseConfig } from '../config/load-config'
import type { FeatureContext } from '../features/feature'
import { recordingMigrations } from './migrations'
import { recordingOperations } from './db-operations'
import { RecordingService, recordingsDir } from './recording-service'
import { MAX_AUDIO_RANGE } from '../../shared/ipc/services/recordings'
import { readSealed } from './sealed-file'
import { fixWebmDuration, webmTiming } from './webm-duration'
import { FIXTURE, fixtureChunks } from '../../../tests/fixtures/recording/fixture'

const WEBM_MAGIC = Buffer.from('1a45dfa3', 'hex')

const dirs: string[] = []
const clients: DbClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-rec-'))
  dirs.push(d)
  return d
}

const ended = (callId: string) => ({
  callId,
  direction: 'inbound' as const,
  remoteNumber: '13907751234',
  actor: 'agent01',
  startedAt: 1,
  answeredAt: 2,
  endedAt: 3,
  holdMs: 0,
  endedBy: 'remote' as const,
  purpose: 'hotline' as const,
  ticketId: null
})

/** The service with real SQLite, real files and the real cipher; the outbox and platform are recorders. */
async function service(dir: string, key: Buffer, opts: { enabled?: boolean } = {}) {
  const { client: db } = await DbClient.open(path.join(dir, 'desk.sqlite'))
  clients.push(db)
  const config = parseConfig({ profile: 'sandbox', dataDir: dir, recording: { enabled: opts.enabled ?? true, retentionDays: 7 } }, path.join(dir, 'config.json'))
  const queued: { operation: string; entityKey: string | null; payload: unknown; key?: string }[] = []
  const bus = new DomainBus()
  const ctx = {
    config,
    log: createMemoryLogger(),
    db,
    cipher: new FieldCipher(key),
    audit: new AuditLog(db),
    bus,
    hub: {
      topics: { session: { user: { username: 'agent01', roles: ['agent'] } }, recording: { enabled: true, active: [] } } as Record<string, unknown>,
      get(topic: string) {
        return this.topics[topic]
      },
      set(topic: string, value: unknown) {
        this.topics[topic] = value
      }
    },
    outbox: {
      enqueue: async (operation: string, entityKey: string | null, payload: unknown, _actor: string | null, key?: string) => {
        queued.push({ operation, entityKey, payload, key })
        return key ?? 'k'
      }
    },
    platform: { call: async () => ({ ok: true }) }
  } as unknown as Pick<FeatureContext, 'config' | 'log' | 'db' | 'cipher' | 'audit' | 'outbox' | 'bus' | 'platform' | 'hub'>
  const svc = new RecordingService(ctx, { graceMs: 50 })
  return { svc, db, bus, queued, ctx }
}

describe('recordings migration (real file)', () => {
  it('carries the recordings’ ids and keeps a recording across a reopen; unknown statuses are refused', () => {
    expect(recordingMigrations.every((m) => m.id.startsWith('recordings/'))).toBe(true)
    const file = path.join(tempDir(), 'desk.sqlite')
    const first = openDatabase(file).db
    recordingOperations['rec.create'](first, { id: 'r1', callId: 'c1', file: 'r1.rec', mime: 'audio/webm', agent: 'agent01', startedAt: 10 })
    recordingOperations['rec.chunkWritten'](first, { id: 'r1', seq: 0, bytes: 100 })
    // A chunk out of turn does not move the durable mark.
    recordingOperations['rec.chunkWritten'](first, { id: 'r1', seq: 5, bytes: 100 })
    first.close()
    const again = openDatabase(file).db
    expect(recordingOperations['rec.byCall'](again, { callId: 'c1' })).toMatchObject({ id: 'r1', status: 'recording', nextSeq: 1, bytes: 100, ticketId: null })
    expect(recordingOperations['rec.create'](again, { id: 'r2', callId: 'c1', file: 'r2.rec', mime: 'audio/webm', agent: null, startedAt: 11 }).id).toBe('r1')
    expect(() => again.prepare("UPDATE recordings SET status = 'lost' WHERE id = 'r1'").run()).toThrow(/CHECK/)
    // recordings/2: the ticket filed for the call.
    expect(recordingOperations['rec.linkTicket'](again, { callId: 'c1', ticketId: 42, ticketNumber: 'YL20261130000042' })).toBe(true)
    expect(recordingOperations['rec.linkTicket'](again, { callId: 'nope', ticketId: 1, ticketNumber: null })).toBe(false)
    again.close()
    const third = openDatabase(file).db
    expect(recordingOperations['rec.get'](third, { id: 'r1' })).toMatchObject({ ticketId: 42, ticketNumber: 'YL20261130000042', parentCallId: null })
    // recordings/3: a consultation leg is linked to the citizen's call and takes the ticket already filed for it.
    expect(recordingOperations['rec.create'](third, { id: 'r3', callId: 'c1-consult', file: 'r3.rec', mime: 'audio/webm', agent: 'agent01', startedAt: 12, parentCallId: 'c1' })).toMatchObject({
      parentCallId: 'c1',
      ticketId: 42,
      ticketNumber: 'YL20261130000042'
    })
    // A leg whose call has no recording here is still a leg, with no ticket yet.
    expect(recordingOperations['rec.create'](third, { id: 'r4', callId: 'c9-consult', file: 'r4.rec', mime: 'audio/webm', agent: null, startedAt: 13, parentCallId: 'c9' })).toMatchObject({ parentCallId: 'c9', ticketId: null })
    third.close()
    const fourth = openDatabase(file).db
    expect(recordingOperations['rec.legs'](fourth, { callId: 'c1' }).map((r) => r.id)).toEqual(['r3'])
    // A ticket re-filed while the agent was on the leg goes to the call and all its legs.
    expect(recordingOperations['rec.linkTicket'](fourth, { callId: 'c1-consult', ticketId: 43, ticketNumber: 'YL20261130000043' })).toBe(true)
    expect([recordingOperations['rec.get'](fourth, { id: 'r1' })?.ticketId, recordingOperations['rec.get'](fourth, { id: 'r3' })?.ticketId]).toEqual([43, 43])
    expect(recordingOperations['rec.get'](fourth, { id: 'r4' })?.ticketId).toBeNull()
    fourth.close()
  })
})

describe('WebM duration', () => {
  it('writes the Duration MediaRecorder leaves out, from the last block, idempotently', () => {
    expect(webmTiming(FIXTURE)?.durationMs).toBeGreaterThan(2900)
    const fixed = fixWebmDuration(FIXTURE)
    expect(fixed.durationMs).toBeGreaterThan(2900)
    expect(fixed.durationMs).toBeLessThan(3600)
    // The Duration element (0x4489, 8-byte float) is now in Info.
    expect(fixed.webm.includes(Buffer.from([0x44, 0x89, 0x88]))).toBe(true)
    expect(fixWebmDuration(fixed.webm).webm.equals(fixed.webm)).toBe(true)
    expect(fixWebmDuration(Buffer.from('not webm')).durationMs).toBeNull()
  })
})

describe('recording store', () => {
  it('seals every chunk (no WebM on disk), survives a restart with a torn tail, finalises with a duration and queues one upload', async () => {
    const dir = tempDir()
    const key = crypto.randomBytes(32)
    const a = await service(dir, key)
    await a.svc.recover()
    expect(await a.svc.begin('call-1', 1000, 'audio/webm;codecs=opus')).toEqual({ record: true })
    const topic = () => (a.ctx.hub as unknown as { topics: { recording: { active: { callId: string }[] } } }).topics.recording
    // The agent sees 录音中 for the call.
    expect(topic().active.map((x) => x.callId)).toEqual(['call-1'])
    const chunks = fixtureChunks()
    await a.svc.chunk('call-1', 0, chunks[0]!)
    await a.svc.chunk('call-1', 1, chunks[1]!)
    // A resend of a chunk already durable is not written twice.
    await a.svc.chunk('call-1', 1, chunks[1]!)
    const row = (await a.db.call('rec.byCall', { callId: 'call-1' }))!
    const file = path.join(recordingsDir(dir), row.file)
    const onDisk = fs.readFileSync(file)
    expect(onDisk.includes(WEBM_MAGIC)).toBe(false)
    expect(onDisk.includes(Buffer.from('OpusHead'))).toBe(false)
    expect(row.nextSeq).toBe(2)
    a.svc.stop()
    await a.db.close()
    clients.splice(clients.indexOf(a.db), 1)

    // Power cut mid-write: half a frame at the end.
    fs.appendFileSync(file, Buffer.from([0, 0, 1, 0, 9, 9, 9]))
    const b = await service(dir, key)
    // The phone host goes on sending: the torn tail is cut and the next chunks appended.
    await b.svc.chunk('call-1', 2, chunks[2]!)
    await b.svc.chunk('call-1', 3, chunks[3]!)
    const read = await readSealed(file, b.ctx.cipher)
    expect(read.tornBytes).toBe(0)
    expect(Buffer.concat(read.chunks).equals(FIXTURE)).toBe(true)

    await b.svc.end('call-1')
    expect((b.ctx.hub as unknown as { topics: { recording: { active: unknown[] } } }).topics.recording.active).toEqual([])
    b.bus.emit('call.ended', ended('call-1'))
    await new Promise((r) => setTimeout(r, 100))
    await b.svc.idle()
    const done = (await b.db.call('rec.byCall', { callId: 'call-1' }))!
    expect(done.status).toBe('finalised')
    expect(done.durationMs).toBeGreaterThan(2900)
    expect(b.svc.meta(done)).toMatchObject({ remoteNumber: '13907751234', direction: 'inbound' })
    // The caller's number is sealed in the table too.
    expect(JSON.stringify(done)).not.toContain('13907751234')
    const final = (await readSealed(file, b.ctx.cipher)).chunks
    expect(final).toHaveLength(1)
    expect(webmTiming(final[0]!)?.durationMs).toBe(done.durationMs)
    expect(fs.readFileSync(file).includes(WEBM_MAGIC)).toBe(false)
    expect(b.queued).toEqual([{ operation: 'uploadRecording', entityKey: 'phone-call:call-1', payload: { body: { recording: done.id } }, key: `recording:${done.id}` }])
    // Chunks after the end are not appended to a finished recording.
    await b.svc.chunk('call-1', 4, chunks[0]!)
    expect((await readSealed(file, b.ctx.cipher)).chunks).toHaveLength(1)
  })

  it('finalises at start a recording whose call ended while main was down', async () => {
    const dir = tempDir()
    const key = crypto.randomBytes(32)
    const a = await service(dir, key)
    await a.svc.begin('call-2', 1000, 'audio/webm;codecs=opus')
    for (const [i, c] of fixtureChunks().slice(0, 2).entries()) await a.svc.chunk('call-2', i, c)
    a.svc.stop()
    await a.db.close()
    clients.splice(clients.indexOf(a.db), 1)
    const b = await service(dir, key)
    await b.svc.recover()
    b.svc.stop()
    const row = (await b.db.call('rec.byCall', { callId: 'call-2' }))!
    expect(row.status).toBe('finalised')
    expect(row.durationMs).toBeGreaterThan(1000)
    expect(b.queued).toHaveLength(1)
  })

  it('records nothing when recording is switched off', async () => {
    const a = await service(tempDir(), crypto.randomBytes(32), { enabled: false })
    expect(await a.svc.begin('call-3', 1, 'audio/webm')).toEqual({ record: false })
    expect(await a.db.call('rec.byCall', { callId: 'call-3' })).toBeNull()
  })

  it('removes local copies of uploaded recordings past retention, never ones the platform does not have yet', async () => {
    const dir = tempDir()
    const a = await service(dir, crypto.randomBytes(32))
    for (const callId of ['old-uploaded', 'old-pending', 'new-uploaded']) {
      await a.svc.begin(callId, 1000, 'audio/webm;codecs=opus')
      await a.svc.chunk(callId, 0, FIXTURE)
      await a.svc.finalise((await a.db.call('rec.byCall', { callId }))!.id)
    }
    const row = async (callId: string) => (await a.db.call('rec.byCall', { callId }))!
    await a.db.call('rec.uploaded', { id: (await row('old-uploaded')).id, platformCallId: 1, platformRecordingId: 1 })
    await a.db.call('rec.uploaded', { id: (await row('new-uploaded')).id, platformCallId: 2, platformRecordingId: 2 })
    // Retention is 7 days: "now" is 8 days after the first two ended, 6 after the third.
    const day = 86_400_000
    const at = (await row('old-uploaded')).endedAt! + 8 * day
    // A plain connection beside the worker's (which has every feature's migrations, this test only the recordings').
    const raw = new Database(path.join(dir, 'desk.sqlite'))
    raw.prepare('UPDATE recordings SET ended_at = ? WHERE call_id = ?').run(at - 6 * day, 'new-uploaded')
    raw.close()
    const later = new RecordingService(a.ctx, { now: () => at })
    expect(await later.sweepRetention()).toBe(1)
    later.stop()
    const files = async (callId: string) => fs.existsSync(path.join(recordingsDir(dir), (await row(callId)).file))
    expect(await files('old-uploaded')).toBe(false)
    expect((await row('old-uploaded')).localRemovedAt).toBe(at)
    expect(await files('old-pending')).toBe(true)
    expect(await files('new-uploaded')).toBe(true)
    // Playing a removed copy says where to find it.
    await expect(later.audio({ username: 'lead01', roles: ['team_lead'] } as never, (await row('old-uploaded')).id)).rejects.toThrow(/retention/)
    a.svc.stop()
  })

  it('plays a recording in ranges: bounds checked with bilingual errors, one audit per playback, refused once deleted', async () => {
    const a = await service(tempDir(), crypto.randomBytes(32))
    await a.svc.begin('call-5', 1000, 'audio/webm;codecs=opus')
    for (const [i, c] of fixtureChunks().entries()) await a.svc.chunk('call-5', i, c)
    const id = (await a.db.call('rec.byCall', { callId: 'call-5' }))!.id
    await a.svc.finalise(id)
    const whole = Buffer.concat((await readSealed(path.join(recordingsDir(a.ctx.config.dataDir), `${id}.rec`), a.ctx.cipher)).chunks)
    const lead = { username: 'lead01', roles: ['team_lead'] } as never
    const plays = async () => (await a.db.call('audit.recent', { limit: 50 })).filter((e) => e.action === 'recording.play' && e.subject === `recording:${id}`).length

    // A playback: ranges of 10 000 bytes until `total`, joined, are the whole WebM.
    const parts: Buffer[] = []
    let total = Infinity
    for (let offset = 0; offset < total; ) {
      const r = await a.svc.audio(lead, id, offset, 10_000)
      expect(r).toMatchObject({ contentType: 'audio/webm', offset, total: whole.length })
      expect(r.data.length).toBe(Math.min(10_000, whole.length - offset))
      parts.push(r.data)
      total = r.total
      offset += r.data.length
    }
    expect(Buffer.concat(parts).equals(whole)).toBe(true)
    expect(await plays()).toBe(1)
    // Played again from the start: a second audit; a reader skipping offset 0 is audited at its first range.
    await a.svc.audio(lead, id, 0, 100)
    expect(await plays()).toBe(2)
    await a.svc.audio({ username: 'qa01', roles: ['qa'] } as never, id, 5000, 100)
    expect(await plays()).toBe(3)

    // Bad ranges: a clear reason, Chinese first, and nothing read.
    await expect(a.svc.audio(lead, id, whole.length, 100)).rejects.toMatchObject({ code: 'bad_request', zh: `读取位置 ${whole.length} 超出录音长度（共 ${whole.length} 字节）`, en: expect.stringContaining('past the end') })
    await expect(a.svc.audio(lead, id, 0, MAX_AUDIO_RANGE + 1)).rejects.toMatchObject({ code: 'bad_request', zh: expect.stringContaining('每次读取录音'), en: expect.stringContaining('1 to 1048576 bytes') })
    await expect(a.svc.audio(lead, id, 0, 0)).rejects.toMatchObject({ code: 'bad_request' })
    await expect(a.svc.audio(lead, id, -1, 10)).rejects.toMatchObject({ code: 'bad_request', zh: expect.stringContaining('不小于 0') })
    await expect(a.svc.audio(lead, id, 1.5, 10)).rejects.toMatchObject({ code: 'bad_request' })
    expect(await plays()).toBe(3)

    // Deleted between two ranges: the next range is refused, not served from the cache.
    await a.db.call('rec.deleted', { id, at: Date.now() })
    await expect(a.svc.audio(lead, id, 100, 100)).rejects.toMatchObject({ code: 'conflict', en: expect.stringContaining('deleted') })
    a.svc.stop()
  })

  it('finalises after a grace period when the phone host never says it stopped (it crashed), and links the ticket filed for the call', async () => {
    const a = await service(tempDir(), crypto.randomBytes(32))
    await a.svc.begin('call-4', 1000, 'audio/webm;codecs=opus')
    for (const [i, c] of fixtureChunks().slice(0, 3).entries()) await a.svc.chunk('call-4', i, c)
    a.bus.emit('call.ended', ended('call-4'))
    a.bus.emit('ticket.submitted', { ticketId: '77', ticketNumber: 'YL20261130000077', callId: 'call-4', actor: 'agent01', text: '', category: null, department: null, suggested: null, handling: '', at: 1 })
    const row = async () => (await a.db.call('rec.byCall', { callId: 'call-4' }))!
    for (let i = 0; i < 40 && (await row()).status === 'recording'; i++) await new Promise((r) => setTimeout(r, 25))
    await a.svc.idle()
    expect(await row()).toMatchObject({ status: 'finalised', ticketId: 77, ticketNumber: 'YL20261130000077' })
    expect((await row()).durationMs).toBeGreaterThan(2000)
    expect(a.queued).toHaveLength(1)
    a.svc.stop()
  })
})
