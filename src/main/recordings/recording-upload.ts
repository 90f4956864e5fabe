import path from 'node:path'
import type { FieldCipher } from '../crypto/field-cipher'
import type { DbClient } from '../db/client'
import type { OutboxEntry } from '../db/outbox-operations'
import { PlatformError, type PlatformGateway } from '../platform/gateway'
import type { SendOutcome } from '../sync/sync-worker'
import type { Call } from '../../shared/api/calls'
import { uploadKeyOf, type RecordingMeta } from './recording-service'
import type { RecordingRow } from './db-operations'
import { readSealed } from './sealed-file'
import { open } from '../sync/sealed-outbox'
import { callCreateKey } from '../phone/call-records'

/**
 * Sends one queued recording to the platform, as the sync worker's sender for
 * `uploadRecording` entries. The outbox row holds only the local recording id;
 * the audio stays in its sealed file until this moment (an outbox row is JSON in
 * SQLite, no place for megabytes). Three platform requests, each with a key
 * derived from the entry's idempotency key, so a retry after a lost answer or a
 * restart replays instead of duplicating: register the call (unless the phone
 * side registered it already: then the recording is attached to that record),
 * upload the audio for it, close the call record with its times and the recording.
 */
export interface RecordingUploaderDeps {
  db: DbClient
  cipher: FieldCipher
  gateway: PlatformGateway
  token: () => string | null
  dir: string
  /** The hotline number calls are dialled on (the platform's dialledNumber). */
  hotline?: string
}

const iso = (ms: number) => new Date(ms).toISOString()
const digits = (n: string) => (/^\+?\d{3,20}$/.test(n) ? n : null)
const metaOf = (cipher: FieldCipher, row: RecordingRow): RecordingMeta | null => (row.sealedMeta ? (JSON.parse(cipher.decryptText(row.sealedMeta)) as RecordingMeta) : null)

/**
 * Registers a recorded call nobody registered with the platform, keyed by its
 * upload's idempotency key: a retry, a restart, or another upload naming the same
 * call with the same key replays the first answer instead of adding a record.
 */
async function registerCall(deps: RecordingUploaderDeps, row: RecordingRow, key: string, token: string | null): Promise<number> {
  const meta = metaOf(deps.cipher, row)
  const hotline = deps.hotline ?? '12345'
  const remote = (meta && digits(meta.remoteNumber)) ?? null
  const inbound = (meta?.direction ?? 'inbound') === 'inbound'
  const call = (await deps.gateway.call(
    'createCall',
    {
      body: {
        direction: inbound ? 'inbound' : 'outbound',
        // A caller who withheld the number is recorded as such, not dropped.
        callerNumber: inbound ? (remote ?? '000') : hotline,
        dialledNumber: inbound ? hotline : (remote ?? '000'),
        queue: null,
        queuedAt: iso(row.startedAt)
      },
      idempotencyKey: `${key}:call`
    },
    token
  )) as Call
  return call.id
}

/**
 * The platform's id for a call the phone side registered (phone/call-records.ts), read from its createCall's stored
 * answer; null when the phone side did not register it. Its create shares the upload's entity key and was queued
 * first (at ringing), so it has been sent by now; if not, the upload waits rather than register the call twice.
 */
async function phoneRecordOf(deps: RecordingUploaderDeps, callId: string): Promise<number | 'waiting' | null> {
  const key = callCreateKey(callId)
  const done = await deps.db.call('outbox.done', { idempotencyKey: key })
  const answer = done ? (open(deps.cipher, done.response) as { id?: unknown } | null) : null
  if (typeof answer?.id === 'number') return answer.id
  return !done && (await deps.db.call('phone.callRegistered', { key })) ? 'waiting' : null
}

export function createRecordingUploader(deps: RecordingUploaderDeps): (entry: OutboxEntry) => Promise<SendOutcome> {
  return async (entry) => {
    const id = (entry.payload as { body?: { recording?: string } } | null)?.body?.recording
    if (!id) return { kind: 'reject', error: { message_zh: '上传录音的请求缺少录音编号', message_en: 'the upload names no recording' } }
    const row = await deps.db.call('rec.get', { id })
    // Deleted by an admin before it was sent: nothing left to send.
    if (!row || row.deletedAt !== null) return { kind: 'ok', response: { skipped: 'deleted' } }
    if (row.status === 'uploaded') return { kind: 'ok', response: { recordingId: row.platformRecordingId, callId: row.platformCallId } }
    const reject = async (zh: string, en: string, body?: unknown): Promise<SendOutcome> => {
      await deps.db.call('rec.rejected', { id, problem: `${zh} (${en})` })
      return { kind: 'reject', error: { message_zh: zh, message_en: en, body } }
    }
    if (!deps.gateway.upload) return reject('当前平台适配器不支持上传录音，录音保留在本机', 'this platform adapter cannot upload recordings; the recording is kept locally')
    const key = entry.idempotencyKey
    const token = deps.token()
    try {
      const { chunks } = await readSealed(path.join(deps.dir, row.file), deps.cipher)
      const audio = Buffer.concat(chunks)
      // A consultation leg goes under the citizen's call's platform record, not a record of its own. That record
      // is the registered one, or the one the citizen call's upload creates: same key and body, so whichever of
      // the two uploads comes first creates it and the other replays it. The call keeps its own recording.
      const parent = row.parentCallId ? await deps.db.call('rec.byCall', { callId: row.parentCallId }) : null
      const usableParent = parent && parent.deletedAt === null && parent.status !== 'recording' ? parent : null
      // The citizen's call as the phone side registered it (also when that call itself was not recorded).
      const parentRecord = row.parentCallId && !usableParent?.platformCallId ? await phoneRecordOf(deps, row.parentCallId) : null
      if (parentRecord === 'waiting') return { kind: 'retry', reason: 'degraded', error: { message: 'waiting for the citizen call to be registered on the platform' } }
      if (usableParent || parentRecord !== null) {
        const parentCall = usableParent?.platformCallId ?? parentRecord ?? (await registerCall(deps, usableParent!, usableParent!.uploadKey ?? uploadKeyOf(usableParent!.id), token))
        const leg = (await deps.gateway.upload('uploadRecording', { query: { callId: parentCall, leg: 'consult' }, body: audio, contentType: row.mime, idempotencyKey: `${key}:audio` }, token)) as { id: number }
        await deps.db.call('rec.uploaded', { id, platformCallId: parentCall, platformRecordingId: leg.id })
        return { kind: 'ok', response: { recordingId: leg.id, callId: parentCall, leg: 'consult' } }
      }
      // Registered with the platform already (by the phone side, see call.ended's platformCallId): attach to that
      // record, whose status and times are its registrar's. Otherwise register the call here, once (keyed).
      const phoneRecord = row.platformCallId ?? (await phoneRecordOf(deps, row.callId))
      if (phoneRecord === 'waiting') return { kind: 'retry', reason: 'degraded', error: { message: 'waiting for the call to be registered on the platform' } }
      const registered = phoneRecord
      const callId = registered ?? (await registerCall(deps, row, key, token))
      const rec = (await deps.gateway.upload('uploadRecording', { query: { callId }, body: audio, contentType: row.mime, idempotencyKey: `${key}:audio` }, token)) as { id: number }
      const meta = metaOf(deps.cipher, row)
      // The ticket filed for the call, when it was numbered before the upload.
      const ticket = row.ticketId ? { ticketId: row.ticketId } : {}
      const body = registered
        ? { recordingId: rec.id, ...ticket }
        : {
            status: 'ended' as const,
            answeredAt: iso(meta?.answeredAt ?? row.startedAt),
            endedAt: iso(meta?.endedAt ?? row.endedAt ?? row.startedAt),
            result: 'answered' as const,
            recordingId: rec.id,
            ...ticket
          }
      // The body differs once a ticket is linked: so does the key (a reused key with another body is refused).
      const endKey = `${key}:${registered ? 'attach' : 'end'}${row.ticketId ? `:t${row.ticketId}` : ''}`
      await deps.gateway.call('updateCall', { params: { id: callId }, body, idempotencyKey: endKey }, token)
      await deps.db.call('rec.uploaded', { id, platformCallId: callId, platformRecordingId: rec.id })
      return { kind: 'ok', response: { recordingId: rec.id, callId } }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject('本机录音文件丢失，无法上传', 'the local recording file is missing; cannot upload')
      if (!(err instanceof PlatformError)) return { kind: 'retry', reason: 'offline', error: { message: (err as Error).message } }
      if (err.status === 0) return { kind: 'retry', reason: 'offline', error: { message: err.message } }
      if (err.status >= 500 || [401, 408, 429].includes(err.status)) return { kind: 'retry', reason: 'degraded', error: { status: err.status, body: err.body } }
      const body = err.body as { message_zh?: string; message_en?: string } | undefined
      return reject(`平台拒收录音：${body?.message_zh ?? err.code}，录音保留在本机`, `the platform refused the recording: ${body?.message_en ?? err.code}; it is kept locally`, err.body)
    }
  }
}
