import crypto from 'node:crypto'
import { type RECORDING_CONTENT_TYPES } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import type { Handlers } from '../http/handler-types'

interface RecordingRow {
  id: number
  call_id: number
  content_type: (typeof RECORDING_CONTENT_TYPES)[number]
  bytes: number
  sha256: string
  created_at: string
  created_by: string
  deleted_at: string | null
}

const COLUMNS = 'id, call_id, content_type, bytes, sha256, created_at, created_by, deleted_at'

function load(db: Db, id: number): RecordingRow {
  const row = db.prepare(`SELECT ${COLUMNS} FROM recordings WHERE id = ?`).get(id) as RecordingRow | undefined
  if (!row || row.deleted_at) throw errors.notFound('录音', 'recording')
  return row
}

const toRecording = (r: RecordingRow) => ({ id: r.id, callId: r.call_id, contentType: r.content_type, bytes: r.bytes, sha256: r.sha256, createdAt: r.created_at, createdBy: r.created_by })

/**
 * Audio lives in SQLite beside its metadata so an upload is one transaction with
 * its idempotency record: a retried upload can never leave two files or none.
 */
export const recordingHandlers = {
  uploadRecording: (args) => {
    const { ctx, query, body, user, now } = args
    if (!ctx.db.prepare('SELECT 1 FROM calls WHERE id = ?').get(query.callId)) throw errors.field('callId', '通话不存在', 'the call does not exist')
    const contentType = args.contentType
    const info = ctx.db
      .prepare('INSERT INTO recordings (call_id, content_type, bytes, sha256, data, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(query.callId, contentType, body.length, crypto.createHash('sha256').update(body).digest('hex'), body, now, user.username)
    const id = Number(info.lastInsertRowid)
    // A consultation leg belongs to the call but is not its recording (the call keeps the citizen's).
    if (query.leg === 'call') ctx.db.prepare('UPDATE calls SET recording_id = ? WHERE id = ?').run(id, query.callId)
    return toRecording(load(ctx.db, id))
  },
  getRecording: ({ ctx, params }) => toRecording(load(ctx.db, params.id)),
  downloadRecording: ({ ctx, params }) => {
    const row = load(ctx.db, params.id)
    const { data } = ctx.db.prepare('SELECT data FROM recordings WHERE id = ?').get(row.id) as { data: Buffer }
    return { data, contentType: row.content_type }
  },
  deleteRecording: ({ ctx, params, now }) => {
    const row = load(ctx.db, params.id)
    // The row stays (who deleted what is audited); the audio itself is gone.
    ctx.db.prepare('UPDATE recordings SET data = NULL, deleted_at = ? WHERE id = ?').run(now, row.id)
    ctx.db.prepare('UPDATE calls SET recording_id = NULL WHERE recording_id = ?').run(row.id)
    return { ok: true as const }
  }
} satisfies Partial<Handlers>
