import type Database from 'better-sqlite3'
// The tables these queries need are registered with the migration runner by loading them.
import './migrations'
import type { RecordingStatus } from '../../shared/ipc/services/recordings'

export interface RecordingRow {
  id: string
  callId: string
  file: string
  mime: string
  status: RecordingStatus
  agent: string | null
  startedAt: number
  endedAt: number | null
  durationMs: number | null
  nextSeq: number
  bytes: number
  sealedMeta: string | null
  uploadKey: string | null
  platformCallId: number | null
  platformRecordingId: number | null
  problem: string | null
  localRemovedAt: number | null
  deletedAt: number | null
  ticketId: number | null
  ticketNumber: string | null
  /** For a consultation leg: the citizen's call it belongs to. */
  parentCallId: string | null
}

const SELECT = `SELECT id, call_id AS callId, file, mime, status, agent, started_at AS startedAt, ended_at AS endedAt, duration_ms AS durationMs,
  next_seq AS nextSeq, bytes, sealed_meta AS sealedMeta, upload_key AS uploadKey, platform_call_id AS platformCallId,
  platform_recording_id AS platformRecordingId, problem, local_removed_at AS localRemovedAt, deleted_at AS deletedAt, ticket_id AS ticketId, ticket_number AS ticketNumber,
  parent_call_id AS parentCallId FROM recordings`

const one = (db: Database.Database, where: string, ...args: unknown[]) => (db.prepare(`${SELECT} WHERE ${where}`).get(...args) as RecordingRow | undefined) ?? null

/** The recordings' named queries, run in the database worker (see db/operations.ts). */
export const recordingOperations = {
  /**
   * Opens a call's recording; a second begin for the same call returns the first. A consultation leg names the
   * citizen's call (parentCallId) and takes the ticket already filed for it.
   */
  'rec.create': (db: Database.Database, a: { id: string; callId: string; file: string; mime: string; agent: string | null; startedAt: number; parentCallId?: string | null }): RecordingRow => {
    db.prepare(
      `INSERT INTO recordings(id, call_id, file, mime, agent, started_at, parent_call_id, ticket_id, ticket_number)
       SELECT ?, ?, ?, ?, ?, ?, ?, p.ticket_id, p.ticket_number FROM (SELECT 1) LEFT JOIN recordings p ON p.call_id = ?
       ON CONFLICT(call_id) DO NOTHING`
    ).run(a.id, a.callId, a.file, a.mime, a.agent, a.startedAt, a.parentCallId ?? null, a.parentCallId ?? null)
    return one(db, 'call_id = ?', a.callId)!
  },
  /** A call's consultation legs. */
  'rec.legs': (db: Database.Database, a: { callId: string }): RecordingRow[] => db.prepare(`${SELECT} WHERE parent_call_id = ? ORDER BY started_at`).all(a.callId) as RecordingRow[],
  'rec.get': (db: Database.Database, a: { id: string }): RecordingRow | null => one(db, 'id = ?', a.id),
  'rec.byCall': (db: Database.Database, a: { callId: string }): RecordingRow | null => one(db, 'call_id = ?', a.callId),
  /** Chunk `seq` is durable in the file: the next one expected is seq + 1. */
  'rec.chunkWritten': (db: Database.Database, a: { id: string; seq: number; bytes: number }): null => {
    db.prepare('UPDATE recordings SET next_seq = ?, bytes = bytes + ? WHERE id = ? AND next_seq = ?').run(a.seq + 1, a.bytes, a.id, a.seq)
    return null
  },
  /**
   * The call's facts (direction, the citizen's number: sealed), from the call.ended event; with the platform's
   * call record when the phone side registered the call (the upload then attaches to it).
   */
  'rec.setMeta': (db: Database.Database, a: { id: string; sealedMeta: string; endedAt: number; platformCallId?: number | null }): null => {
    db.prepare('UPDATE recordings SET sealed_meta = ?, ended_at = COALESCE(ended_at, ?), platform_call_id = COALESCE(platform_call_id, ?) WHERE id = ?').run(
      a.sealedMeta,
      a.endedAt,
      a.platformCallId ?? null,
      a.id
    )
    return null
  },
  /**
   * The ticket filed for the call goes to the citizen's call and all its consultation legs (also when it was
   * filed while the agent was on a leg); the latest one wins (a re-filed ticket).
   */
  'rec.linkTicket': (db: Database.Database, a: { callId: string; ticketId: number; ticketNumber: string | null }): boolean =>
    db
      .prepare(
        `WITH root(id) AS (SELECT COALESCE((SELECT parent_call_id FROM recordings WHERE call_id = @callId), @callId))
         UPDATE recordings SET ticket_id = @ticketId, ticket_number = @ticketNumber WHERE call_id = (SELECT id FROM root) OR parent_call_id = (SELECT id FROM root)`
      )
      .run(a).changes > 0,
  'rec.finalised': (db: Database.Database, a: { id: string; durationMs: number | null; bytes: number; endedAt: number; uploadKey: string }): null => {
    db.prepare("UPDATE recordings SET status = 'finalised', duration_ms = ?, bytes = ?, ended_at = COALESCE(ended_at, ?), upload_key = COALESCE(upload_key, ?) WHERE id = ? AND status = 'recording'").run(
      a.durationMs,
      a.bytes,
      a.endedAt,
      a.uploadKey,
      a.id
    )
    return null
  },
  'rec.uploaded': (db: Database.Database, a: { id: string; platformCallId: number; platformRecordingId: number }): null => {
    db.prepare("UPDATE recordings SET status = 'uploaded', platform_call_id = ?, platform_recording_id = ?, problem = NULL WHERE id = ?").run(a.platformCallId, a.platformRecordingId, a.id)
    return null
  },
  'rec.rejected': (db: Database.Database, a: { id: string; problem: string }): null => {
    db.prepare("UPDATE recordings SET status = 'rejected', problem = ? WHERE id = ? AND status != 'uploaded'").run(a.problem, a.id)
    return null
  },
  /** Recordings still open: their call ended while main or the phone host was down. */
  'rec.open': (db: Database.Database): RecordingRow[] => db.prepare(`${SELECT} WHERE status = 'recording' AND deleted_at IS NULL`).all() as RecordingRow[],
  'rec.list': (db: Database.Database, a: { limit: number }): RecordingRow[] =>
    db.prepare(`${SELECT} WHERE deleted_at IS NULL ORDER BY started_at DESC LIMIT ?`).all(a.limit) as RecordingRow[],
  'rec.deleted': (db: Database.Database, a: { id: string; at: number }): null => {
    db.prepare('UPDATE recordings SET deleted_at = ?, local_removed_at = COALESCE(local_removed_at, ?) WHERE id = ?').run(a.at, a.at, a.id)
    return null
  },
  'rec.localRemoved': (db: Database.Database, a: { id: string; at: number }): null => {
    db.prepare('UPDATE recordings SET local_removed_at = ? WHERE id = ?').run(a.at, a.id)
    return null
  },
  /** Uploaded recordings whose local copy is past retention. */
  'rec.expired': (db: Database.Database, a: { before: number }): RecordingRow[] =>
    db.prepare(`${SELECT} WHERE status = 'uploaded' AND local_removed_at IS NULL AND COALESCE(ended_at, started_at) < ?`).all(a.before) as RecordingRow[]
} satisfies Record<string, (db: Database.Database, args: never) => unknown>
