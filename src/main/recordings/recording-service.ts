import fs from 'node:fs/promises'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import type { FeatureContext } from '../features/feature'
import type { DomainEvents } from '../features/bus'
import type { SessionUser } from '../ipc/dispatcher'
import { DomainError } from '../ipc/dispatcher'
import { maskPhone, maySeeCitizenContact } from '../../shared/api/masking'
import { MAX_AUDIO_RANGE, type RecordingSummary } from '../../shared/ipc/services/recordings'
import type { RecordingRow } from './db-operations'
import { appendSealed, readSealed, repairSealed, replaceSealed } from './sealed-file'
import { fixWebmDuration } from './webm-duration'
import { PlaybackCache, type PlainAudio } from './playback-cache'
import { callEntityKey } from '../phone/call-records'
import { tightenFolder } from '../private-files'

/** What the upload needs to know about the call; sealed in the table (the citizen's number). */
export interface RecordingMeta {
  direction: 'inbound' | 'outbound'
  remoteNumber: string
  answeredAt: number | null
  endedAt: number
  purpose: DomainEvents['call.ended']['purpose']
}

/** The outbox operation a recording travels as (see recording-upload.ts). */
export const UPLOAD_OPERATION = 'uploadRecording'
export const uploadKeyOf = (id: string) => `recording:${id}`

type Ctx = Pick<FeatureContext, 'config' | 'log' | 'db' | 'cipher' | 'audit' | 'outbox' | 'bus' | 'platform' | 'hub'>

export interface RecordingServiceOptions {
  /** How long to wait for the phone host's last chunk after the call ended before finalising anyway. */
  graceMs?: number
  now?: () => number
}

export const recordingsDir = (dataDir: string) => path.join(dataDir, 'recordings')

/** Ids of recordings only the platform holds: `p-<platform recording id>`. */
const PLATFORM_PREFIX = 'p-'
const platformIdOf = (id: string): number | null => (id.startsWith(PLATFORM_PREFIX) && /^\d+$/.test(id.slice(2)) ? Number(id.slice(2)) : null)

/**
 * Main's side of call recording. The phone host sends ~1 s chunks of Opus/WebM
 * as they come; each is sealed (AES-GCM) and appended to the call's file with an
 * fdatasync before it is acknowledged, so a crash loses at most the chunk in
 * flight. When the call ends the chunks are joined, the WebM gets its Duration
 * (so the player can seek), the file is rewritten sealed, and the upload is
 * queued in the outbox (exactly once, across restarts).
 */
export class RecordingService {
  private readonly dir: string
  /** Appends per recording run one after another, in seq order. */
  private readonly queues = new Map<string, Promise<unknown>>()
  /** Files already checked for a torn tail in this process. */
  private readonly repaired = new Set<string>()
  private readonly phoneDone = new Set<string>()
  private readonly graceTimers = new Map<string, NodeJS.Timeout>()
  private readonly now: () => number
  private readonly offBus: () => void
  private retentionTimer: NodeJS.Timeout | null = null
  private readonly playback = new PlaybackCache()

  constructor(
    private readonly ctx: Ctx,
    private readonly opts: RecordingServiceOptions = {}
  ) {
    this.dir = recordingsDir(ctx.config.dataDir)
    this.now = opts.now ?? Date.now
    const offEnded = ctx.bus.on('call.ended', (e) => void this.onCallEnded(e).catch((err: Error) => this.ctx.log.warn('recording: call end not recorded', { error: err.message })))
    // Delivered: the workbench waits for the link, logs a failure and announces the ticket again later.
    const offTicket = ctx.bus.on('ticket.submitted', async (e) => {
      const ticketId = Number(e.ticketId)
      if (!e.callId || !Number.isInteger(ticketId)) return
      await ctx.db.call('rec.linkTicket', { callId: e.callId, ticketId, ticketNumber: e.ticketNumber ?? null })
    })
    this.offBus = () => {
      offEnded()
      offTicket()
    }
  }

  get enabled(): boolean {
    return this.ctx.config.recording.enabled
  }

  /** At start: finish recordings whose call ended while main was down; queue finished ones not yet queued. */
  async recover(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 })
    // Recordings an older version wrote readable by others: this user's only, like new ones.
    const tightened = tightenFolder(this.dir)
    if (tightened > 0) this.ctx.log.info('recording: file modes tightened', { files: tightened })
    // Finished but maybe not queued (a crash between the two): the outbox keeps one entry per key.
    for (const row of await this.ctx.db.call('rec.list', { limit: 10_000 })) if (row.status === 'finalised') await this.queueUpload(row)
    for (const row of await this.ctx.db.call('rec.open', {} as never)) await this.finalise(row.id)
    await this.sweepRetention()
    this.retentionTimer = setInterval(() => void this.sweepRetention().catch(() => undefined), 3600_000)
    this.retentionTimer.unref?.()
  }

  stop(): void {
    this.offBus()
    if (this.retentionTimer) clearInterval(this.retentionTimer)
    for (const t of this.graceTimers.values()) clearTimeout(t)
    this.graceTimers.clear()
    this.playback.clear()
  }

  /** Settles once every queued append and finalisation has run (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((p) => p.catch(() => undefined)))
  }

  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(id) ?? Promise.resolve()
    const next = prev.catch(() => undefined).then(fn)
    this.queues.set(id, next)
    void next.finally(() => {
      if (this.queues.get(id) === next) this.queues.delete(id)
    }).catch(() => undefined)
    return next
  }

  private file(row: Pick<RecordingRow, 'file'>): string {
    return path.join(this.dir, row.file)
  }

  /** The `recording` topic: what is being recorded now (the 录音中 indicator). */
  private publish(change: (active: { callId: string; since: number }[]) => { callId: string; since: number }[]): void {
    const cur = this.ctx.hub.get('recording')
    this.ctx.hub.set('recording', { enabled: this.enabled, active: change(cur.active) })
  }

  private user(): SessionUser | null {
    return this.ctx.hub.get('session').user
  }

  // ───────────── from the phone host ─────────────

  async begin(callId: string, startedAt: number, mime: string, linkedTo: string | null = null): Promise<{ record: boolean }> {
    if (!this.enabled) return { record: false }
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 })
    const id = randomUUID()
    const row = await this.ctx.db.call('rec.create', { id, callId, file: `${id}.rec`, mime: mime.split(';')[0]!, agent: this.user()?.username ?? null, startedAt, parentCallId: linkedTo })
    if (row.id === id) this.ctx.log.info('recording: started', { recording: id })
    if (row.status === 'recording') this.publish((a) => [...a.filter((x) => x.callId !== callId), { callId, since: startedAt }])
    return { record: row.status === 'recording' }
  }

  async chunk(callId: string, seq: number, data: Buffer): Promise<void> {
    const row = await this.ctx.db.call('rec.byCall', { callId })
    if (!row || row.status !== 'recording') return
    await this.serial(row.id, async () => {
      const current = await this.ctx.db.call('rec.get', { id: row.id })
      if (!current || current.status !== 'recording') return
      // The phone host resends after a lost answer: a chunk already durable is not written twice.
      if (seq < current.nextSeq) return
      if (seq > current.nextSeq) this.ctx.log.warn('recording: chunks missing', { recording: row.id, expected: current.nextSeq, got: seq })
      const file = this.file(row)
      if (!this.repaired.has(file)) {
        const read = await repairSealed(file, this.ctx.cipher)
        if (read?.tornBytes) this.ctx.log.warn('recording: torn tail dropped', { recording: row.id, bytes: read.tornBytes })
        this.repaired.add(file)
      }
      await appendSealed(file, this.ctx.cipher, data)
      await this.ctx.db.call('rec.chunkWritten', { id: row.id, seq, bytes: data.length })
    })
  }

  /** The recorder stopped (the call hung up in the phone host). */
  async end(callId: string): Promise<void> {
    this.publish((a) => a.filter((x) => x.callId !== callId))
    const row = await this.ctx.db.call('rec.byCall', { callId })
    if (!row) return
    this.phoneDone.add(row.id)
    await this.maybeFinalise(row)
  }

  private async onCallEnded(e: DomainEvents['call.ended']): Promise<void> {
    this.publish((a) => a.filter((x) => x.callId !== e.callId))
    const row = await this.ctx.db.call('rec.byCall', { callId: e.callId })
    if (!row) return
    const meta: RecordingMeta = { direction: e.direction, remoteNumber: e.remoteNumber, answeredAt: e.answeredAt, endedAt: e.endedAt, purpose: e.purpose }
    await this.ctx.db.call('rec.setMeta', { id: row.id, sealedMeta: this.ctx.cipher.encryptText(JSON.stringify(meta)), endedAt: e.endedAt, platformCallId: e.platformCallId ?? null })
    await this.maybeFinalise(row)
  }

  /** Finalise once both the last chunk and the call's facts are in; or after a grace period with what there is. */
  private async maybeFinalise(row: RecordingRow): Promise<void> {
    const current = await this.ctx.db.call('rec.get', { id: row.id })
    if (!current || current.status !== 'recording') return
    if (this.phoneDone.has(row.id) && current.sealedMeta) {
      await this.finalise(row.id)
      return
    }
    if (this.graceTimers.has(row.id)) return
    const timer = setTimeout(() => {
      this.graceTimers.delete(row.id)
      void this.finalise(row.id).catch((err: Error) => this.ctx.log.error('recording: not finalised', { recording: row.id, error: err.message }))
    }, this.opts.graceMs ?? 5000)
    timer.unref?.()
    this.graceTimers.set(row.id, timer)
  }

  /** Joins the chunks, writes the WebM Duration, rewrites the file sealed, and queues the upload. */
  finalise(id: string): Promise<void> {
    return this.serial(id, async () => {
      const t = this.graceTimers.get(id)
      if (t) clearTimeout(t)
      this.graceTimers.delete(id)
      this.phoneDone.delete(id)
      const row = await this.ctx.db.call('rec.get', { id })
      if (!row || row.status !== 'recording') return
      let plain: Buffer
      try {
        plain = Buffer.concat((await readSealed(this.file(row), this.ctx.cipher)).chunks)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
        plain = Buffer.alloc(0)
      }
      const fixed = fixWebmDuration(plain)
      if (plain.length) await replaceSealed(this.file(row), this.ctx.cipher, fixed.webm)
      await this.ctx.db.call('rec.finalised', { id, durationMs: fixed.durationMs, bytes: fixed.webm.length, endedAt: this.now(), uploadKey: uploadKeyOf(id) })
      this.ctx.log.info('recording: finalised', { recording: id, bytes: fixed.webm.length, durationMs: fixed.durationMs })
      const done = await this.ctx.db.call('rec.get', { id })
      if (done && plain.length) await this.queueUpload(done)
      else if (done) {
        await this.ctx.db.call('rec.rejected', { id, problem: '录音为空，未上传 (the recording is empty; not uploaded)' })
        // Its consultation legs need not wait for it any more.
        for (const leg of await this.ctx.db.call('rec.legs', { callId: done.callId })) if (leg.status === 'finalised') await this.queueUpload(leg)
      }
    })
  }

  /**
   * Queues a finished recording's upload (one outbox entry per key). A consultation leg waits for the citizen's
   * call to be finished too (it is uploaded under that call's platform record); finishing the call queues its legs.
   */
  private async queueUpload(row: RecordingRow): Promise<void> {
    if (row.parentCallId) {
      const parent = await this.ctx.db.call('rec.byCall', { callId: row.parentCallId })
      if (parent && parent.status === 'recording' && parent.deletedAt === null) return
    }
    // Under the entity of the call it is uploaded to (the citizen's, for a consultation leg): the phone side's
    // registration of that call (phone/call-records.ts) is sent first, and holds the upload back if the platform
    // refused it, instead of the upload registering the call a second time.
    const enqueue = (r: RecordingRow) => this.ctx.outbox.enqueue(UPLOAD_OPERATION, callEntityKey(r.parentCallId ?? r.callId), { body: { recording: r.id } }, r.agent, r.uploadKey ?? uploadKeyOf(r.id))
    await enqueue(row)
    for (const leg of await this.ctx.db.call('rec.legs', { callId: row.callId })) if (leg.status === 'finalised' && leg.deletedAt === null) await enqueue(leg)
  }

  // ───────────── for the UI ─────────────

  async list(user: SessionUser, limit: number): Promise<{ items: RecordingSummary[]; platformUnavailable: boolean }> {
    const rows = await this.ctx.db.call('rec.list', { limit })
    const mayContact = maySeeCitizenContact(user.roles, { confidential: false, isCreator: false })
    const number = (n: string) => (mayContact ? n : maskPhone(n))
    const items: RecordingSummary[] = rows.map((r) => {
      const meta = this.meta(r)
      return {
        id: r.id,
        source: 'local',
        callId: r.callId,
        direction: meta?.direction ?? null,
        remoteNumber: meta ? number(meta.remoteNumber) : null,
        agent: r.agent,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        durationMs: r.durationMs,
        bytes: r.bytes,
        status: r.status,
        problem: r.problem,
        platformRecordingId: r.platformRecordingId,
        ticketId: r.ticketId,
        ticketNumber: r.ticketNumber,
        local: r.localRemovedAt === null,
        leg: r.parentCallId ? 'consult' : 'call',
        parentId: (r.parentCallId && rows.find((p) => p.callId === r.parentCallId)?.id) || null
      }
    })
    // Calls recorded on other desks (a QA inspector's desk records none of its own): the platform's recent calls.
    let platformUnavailable = false
    const known = new Set(rows.map((r) => r.platformRecordingId).filter((id) => id !== null))
    try {
      const page = await this.ctx.platform.call('listCalls', { query: { limit: 200 } })
      for (const c of page.items) {
        if (c.recordingId === null || known.has(c.recordingId)) continue
        const started = Date.parse(c.answeredAt ?? c.queuedAt)
        const ended = c.endedAt ? Date.parse(c.endedAt) : null
        items.push({
          id: `${PLATFORM_PREFIX}${c.recordingId}`,
          source: 'platform',
          callId: `platform:${c.id}`,
          direction: c.direction,
          remoteNumber: number(c.direction === 'inbound' ? c.callerNumber : c.dialledNumber),
          agent: c.agentId,
          startedAt: started,
          endedAt: ended,
          durationMs: ended !== null && c.answeredAt ? ended - started : null,
          bytes: null,
          status: 'uploaded',
          problem: null,
          platformRecordingId: c.recordingId,
          ticketId: c.ticketId,
          ticketNumber: null,
          local: false,
          leg: 'call',
          parentId: null
        })
      }
    } catch (err) {
      platformUnavailable = true
      this.ctx.log.warn('recording: platform recordings not listed', { error: (err as Error).message })
    }
    return { items: underTheirCalls(items).slice(0, limit), platformUnavailable }
  }

  meta(row: RecordingRow): RecordingMeta | null {
    if (!row.sealedMeta) return null
    return JSON.parse(this.ctx.cipher.decryptText(row.sealedMeta)) as RecordingMeta
  }

  /**
   * A byte range of the finished recording, decrypted (or from the platform when only it has the audio), for the
   * player. The whole recording is decrypted once per playback and kept briefly (PlaybackCache); each range is
   * checked again (deleted meanwhile?) and a playback is audited once, at its first range.
   */
  async audio(user: SessionUser, id: string, offset = 0, length = MAX_AUDIO_RANGE): Promise<{ contentType: string; data: Buffer; offset: number; total: number; durationMs: number | null }> {
    if (!Number.isInteger(offset) || offset < 0) throw new DomainError('bad_request', '录音读取位置必须是不小于 0 的整数', 'the range offset must be a whole number of bytes, 0 or more')
    if (!Number.isInteger(length) || length < 1 || length > MAX_AUDIO_RANGE)
      throw new DomainError('bad_request', `每次读取录音 1 至 ${MAX_AUDIO_RANGE} 字节`, `a range must be 1 to ${MAX_AUDIO_RANGE} bytes long`)
    const { audio, subject, details } = await this.playable(id)
    const total = audio.data.length
    if (offset >= total && !(offset === 0 && total === 0))
      throw new DomainError('bad_request', `读取位置 ${offset} 超出录音长度（共 ${total} 字节）`, `offset ${offset} is past the end of the recording (${total} bytes)`)
    if (this.playback.startsPlayback(user.username, id, offset)) await this.ctx.audit.record(user.username, 'recording.play', subject, details)
    return { contentType: audio.contentType, data: audio.data.subarray(offset, offset + length), offset, total, durationMs: audio.durationMs }
  }

  private async playable(id: string): Promise<{ audio: PlainAudio; subject: string; details: Record<string, unknown> }> {
    const platformId = platformIdOf(id)
    if (platformId !== null) {
      const audio = await this.playback.get(id, async () => ({ ...(await this.fromPlatform(platformId)), durationMs: null }))
      return { audio, subject: `platform-recording:${platformId}`, details: { source: 'platform' } }
    }
    const row = await this.ctx.db.call('rec.get', { id })
    if (!row || row.deletedAt !== null) {
      this.playback.drop(id)
      throw new DomainError('conflict', '录音不存在或已删除', 'the recording does not exist or was deleted')
    }
    if (row.status === 'recording') throw new DomainError('conflict', '通话尚未结束，录音还不能回放', 'the call is still going: the recording cannot be played yet')
    if (row.localRemovedAt !== null) {
      const remote = row.platformRecordingId
      if (remote === null || !this.ctx.platform.download)
        throw new DomainError('conflict', '本机录音已按保留期限清理，请在平台调阅', 'the local copy was removed after its retention period; play it on the platform')
      const audio = await this.playback.get(id, async () => ({ ...(await this.fromPlatform(remote)), durationMs: row.durationMs }))
      return { audio, subject: `recording:${id}`, details: { callId: row.callId, source: 'platform' } }
    }
    const audio = await this.playback.get(id, async () => ({ contentType: row.mime, data: Buffer.concat((await readSealed(this.file(row), this.ctx.cipher)).chunks), durationMs: row.durationMs }))
    return { audio, subject: `recording:${id}`, details: { callId: row.callId } }
  }

  private async fromPlatform(platformId: number): Promise<{ contentType: string; data: Buffer }> {
    if (!this.ctx.platform.download) throw new DomainError('unavailable', '当前平台适配器不支持调阅录音', 'this platform adapter cannot fetch recordings')
    try {
      return await this.ctx.platform.download('downloadRecording', { id: platformId })
    } catch (err) {
      const status = (err as { status?: number }).status
      if (status === 404) throw new DomainError('conflict', '平台上没有这段录音（可能已被删除）', 'the platform has no such recording (deleted?)')
      if (status === 403) throw new DomainError('forbidden', '平台不允许当前角色调阅录音', 'the platform does not let this role play recordings')
      throw new DomainError('unavailable', '暂时无法从平台调阅录音，请稍后重试', `cannot fetch the recording from the platform now: ${(err as Error).message}`)
    }
  }

  /** Admin: removes the local file and the platform's copy; audited. */
  async remove(user: SessionUser, id: string): Promise<void> {
    this.playback.drop(id)
    const platformId = platformIdOf(id)
    if (platformId !== null) {
      await this.deleteOnPlatform(platformId, `recording-delete:p-${platformId}`)
      await this.ctx.audit.record(user.username, 'recording.delete', `platform-recording:${platformId}`, { source: 'platform' })
      return
    }
    const row = await this.ctx.db.call('rec.get', { id })
    if (!row || row.deletedAt !== null) throw new DomainError('conflict', '录音不存在或已删除', 'the recording does not exist or was deleted')
    if (row.status === 'recording') throw new DomainError('conflict', '通话尚未结束，录音不能删除', 'the call is still going: the recording cannot be deleted yet')
    if (row.platformRecordingId !== null) await this.deleteOnPlatform(row.platformRecordingId, `recording-delete:${id}`)
    await fs.rm(this.file(row), { force: true })
    await this.ctx.db.call('rec.deleted', { id, at: this.now() })
    await this.ctx.audit.record(user.username, 'recording.delete', `recording:${id}`, { callId: row.callId, platformRecordingId: row.platformRecordingId })
  }

  private async deleteOnPlatform(platformId: number, idempotencyKey: string): Promise<void> {
    try {
      await this.ctx.platform.call('deleteRecording', { params: { id: platformId }, idempotencyKey })
    } catch (err) {
      const status = (err as { status?: number }).status
      // Already gone on the platform is what we wanted; anything else keeps the local copy.
      if (status !== 404) throw new DomainError('unavailable', '平台删除录音失败，本机录音未删除，请稍后重试', `the platform did not delete the recording (${(err as Error).message}); the local copy is kept`)
    }
  }

  /** Removes local copies of uploaded recordings past the retention period (the platform keeps its own). */
  async sweepRetention(): Promise<number> {
    const days = this.ctx.config.recording.retentionDays
    const rows = await this.ctx.db.call('rec.expired', { before: this.now() - days * 86_400_000 })
    for (const row of rows) {
      this.playback.drop(row.id)
      await fs.rm(this.file(row), { force: true })
      await this.ctx.db.call('rec.localRemoved', { id: row.id, at: this.now() })
    }
    if (rows.length) this.ctx.log.info('recording: local copies past retention removed', { count: rows.length, days })
    return rows.length
  }
}

/** Newest call first; each consultation leg right after the citizen's call it belongs to (oldest leg first). */
export function underTheirCalls(items: RecordingSummary[]): RecordingSummary[] {
  const parents = new Set(items.map((i) => i.id))
  const legsOf = new Map<string, RecordingSummary[]>()
  const top: RecordingSummary[] = []
  for (const i of items) {
    if (i.parentId && parents.has(i.parentId)) legsOf.set(i.parentId, [...(legsOf.get(i.parentId) ?? []), i])
    else top.push(i)
  }
  top.sort((a, b) => b.startedAt - a.startedAt)
  return top.flatMap((i) => [i, ...(legsOf.get(i.id) ?? []).sort((a, b) => a.startedAt - b.startedAt)])
}
